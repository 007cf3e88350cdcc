import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { standaloneVu } from '../../runtime/vu-fixture.ts';
import { timersModule } from './index.ts';

interface Timers {
  setTimeout(callback: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]): number;
  clearTimeout(id: number): void;
  setInterval(callback: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]): number;
  clearInterval(id: number): void;
}

function setup(): { timers: Timers; fixture: ReturnType<typeof standaloneVu> } {
  const fixture = standaloneVu();
  return { timers: timersModule.instantiate(fixture.vu) as unknown as Timers, fixture };
}

/** A bound on every wait: the shared machine is slow at times, but never this slow. */
function within<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('k6/timers', () => {
  it('exports the four functions, also as the default export', () => {
    const exports = timersModule.instantiate(standaloneVu().vu);
    assert.equal(timersModule.name, 'k6/timers');
    for (const name of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']) {
      assert.equal(typeof exports[name], 'function');
      assert.equal((exports.default as Record<string, unknown>)[name], exports[name]);
    }
  });

  it('ends an iteration only after its timers have fired, passing the extra arguments', async () => {
    const { timers, fixture } = setup();
    const calls: unknown[][] = [];
    const end = await within(
      fixture.vu.runIteration(() => {
        timers.setTimeout((...args) => calls.push(args), 30, 'a', 2);
        timers.setTimeout(() => timers.setTimeout(() => calls.push(['nested']), 10), 5);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(calls.sort(), [['a', 2], ['nested']].sort());
  });

  it('gives numeric ids from 1, one counter for timeouts and intervals, kept across iterations', async () => {
    const { timers, fixture } = setup();
    const ids: number[] = [];
    await within(
      fixture.vu.runIteration(() => {
        ids.push(timers.setTimeout(() => {}, 0));
        const interval = timers.setInterval(() => timers.clearInterval(interval), 0);
        ids.push(interval);
      }),
    );
    await within(fixture.vu.runIteration(() => void ids.push(timers.setTimeout(() => {}, 0))));
    assert.deepEqual(ids, [1, 2, 3]);
  });

  it('clearTimeout releases the event loop and the callback never runs', async () => {
    const { timers, fixture } = setup();
    let ran = false;
    const started = Date.now();
    const end = await within(
      fixture.vu.runIteration(() => {
        const id = timers.setTimeout(() => (ran = true), 60_000);
        timers.clearTimeout(id);
        timers.clearTimeout(12345); // unknown ids are ignored
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(ran, false);
    assert.ok(Date.now() - started < 30_000, 'the iteration waited for a cleared timer');
  });

  it('clearInterval also clears a timeout, and clearTimeout an interval', async () => {
    const { timers, fixture } = setup();
    let runs = 0;
    const end = await within(
      fixture.vu.runIteration(() => {
        timers.clearInterval(timers.setTimeout(() => runs++, 60_000));
        timers.clearTimeout(timers.setInterval(() => runs++, 60_000));
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(runs, 0);
  });

  it('runs an interval until it is cleared', async () => {
    const { timers, fixture } = setup();
    let runs = 0;
    const end = await within(
      fixture.vu.runIteration(() => {
        const id = timers.setInterval((step: unknown) => {
          runs += step as number;
          if (runs >= 5) timers.clearInterval(id);
        }, 2, 1);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(runs, 5);
  });

  it('ends the iteration with the error a callback throws, and cancels the other timers', async () => {
    const { timers, fixture } = setup();
    let otherRan = false;
    const end = await within(
      fixture.vu.runIteration(() => {
        timers.setTimeout(() => {
          throw new Error('boom in a timer');
        }, 1);
        timers.setTimeout(() => (otherRan = true), 60_000);
        timers.setInterval(() => (otherRan = true), 60_000);
      }),
    );
    assert.equal(end.kind, 'error');
    assert.match(String((end as { error: unknown }).error), /boom in a timer/);
    assert.equal(otherRan, false);
    assert.equal(fixture.logs.filter((log) => log.level === 'warn' && /was stopped because the VU iteration was interrupted/.test(log.message)).length, 2);
  });

  // Vu.dispatch() releases the promise's hold before calling fail(), so the iteration ends 'done' first.
  it('a rejected promise from a callback ends the iteration with that error', async () => {
    const { timers, fixture } = setup();
    const end = await within(
      fixture.vu.runIteration(() => {
        timers.setTimeout(async () => {
          await Promise.resolve();
          throw new Error('async boom');
        }, 1);
      }),
    );
    assert.equal(end.kind, 'error');
    assert.match(String((end as { error: unknown }).error), /async boom/);
  });

  it('an interruption cancels pending timers: no callback runs afterwards', async () => {
    const { timers, fixture } = setup();
    let ran = 0;
    const ended = fixture.vu.runIteration(() => {
      timers.setTimeout(() => ran++, 50);
      timers.setInterval(() => ran++, 20);
    });
    fixture.vu.interrupt();
    assert.deepEqual(await within(ended), { kind: 'interrupted' });
    await new Promise((done) => setTimeout(done, 150));
    assert.equal(ran, 0);
  });

  it('throws for a callback that is not a function, and reads a bad delay as 0', async () => {
    const { timers, fixture } = setup();
    assert.throws(() => timers.setTimeout('code' as unknown as () => void, 1), /setTimeout's callback isn't a callable function/);
    assert.throws(() => timers.setInterval(undefined as unknown as () => void, 1), /setInterval's callback isn't a callable function/);
    let runs = 0;
    const end = await within(
      fixture.vu.runIteration(() => {
        timers.setTimeout(() => runs++, -5);
        timers.setTimeout(() => runs++, 'soon' as unknown as number);
        timers.setTimeout(() => runs++);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(runs, 3);
  });
});
