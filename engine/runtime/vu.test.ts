import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { standaloneVu } from './vu-fixture.ts';

describe('a VU runs an iteration as k6 does', () => {
  it('ends when the function settled and every hold is released, not before', async () => {
    const { vu } = standaloneVu();
    let release: (() => void) | undefined;
    let ended = false;
    const iteration = vu.runIteration(() => {
      release = vu.hold();
    }).then((end) => {
      ended = true;
      return end;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ended, false, 'a pending hold keeps the iteration going');
    release!();
    assert.deepEqual(await iteration, { kind: 'done' });
  });

  it('waits for an async function, and ends with its rejection', async () => {
    const { vu } = standaloneVu();
    assert.deepEqual(await vu.runIteration(async () => undefined), { kind: 'done' });
    const failed = await vu.runIteration(async () => {
      throw new Error('nope');
    });
    assert.equal(failed.kind, 'error');
  });

  it('runs callbacks already queued before it ends (an un-awaited then)', async () => {
    const { vu } = standaloneVu();
    let ran = false;
    const end = await vu.runIteration(() => {
      void Promise.resolve().then(() => Promise.resolve()).then(() => (ran = true));
    });
    assert.equal(end.kind, 'done');
    assert.equal(ran, true);
  });

  it('a callback that throws, or a dispatched promise that rejects, ends the iteration with that error', async () => {
    const { vu } = standaloneVu();
    const thrown = await vu.runIteration(() => {
      const release = vu.hold();
      setTimeout(() => vu.dispatch(() => {
        release();
        throw new Error('in a callback');
      }), 1);
    });
    assert.equal(thrown.kind, 'error');
    assert.match(String((thrown as { error: Error }).error), /in a callback/);
    const rejected = await vu.runIteration(() => {
      const release = vu.hold();
      setTimeout(() => {
        vu.dispatch(async () => {
          throw new Error('async callback');
        });
        release();
      }, 1);
    });
    assert.equal(rejected.kind, 'error');
  });

  it('interrupting aborts the signal, ends the iteration at once, and retires the VU', async () => {
    const { vu } = standaloneVu();
    let aborted = false;
    const iteration = vu.runIteration(() => {
      vu.hold();
      vu.signal.addEventListener('abort', () => (aborted = true));
    });
    vu.interrupt();
    assert.deepEqual(await iteration, { kind: 'interrupted' });
    assert.equal(aborted, true);
    assert.equal(vu.isRetired, true);
    assert.deepEqual(await vu.runIteration(() => undefined), { kind: 'interrupted' });
  });

  it('a hold released after its iteration ended does not touch the next one', async () => {
    const { vu } = standaloneVu();
    let late: (() => void) | undefined;
    await vu.runIteration(() => {
      late = vu.hold();
      throw new Error('ends with a hold taken');
    });
    let release: (() => void) | undefined;
    const next = vu.runIteration(() => {
      release = vu.hold();
    });
    late!();
    let ended = false;
    void next.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(ended, false, 'the stale release must not end the next iteration');
    release!();
    assert.equal((await next).kind, 'done');
  });

  it('tags samples with the scenario and group, and follows vu tags', () => {
    const { vu, sink } = standaloneVu();
    vu.enterScenario({ name: 'browse', executor: 'constant-vus', startTime: 0, progress: () => 0 }, { team: 'a' });
    vu.setGroupPath('::login');
    vu.vuTags.tier = 'gold';
    vu.vuTagsChanged();
    vu.emit(vu.metric('m', 'counter'), 1, vu.tags());
    assert.deepEqual({ ...sink.samples[0]!.tags }, { team: 'a', scenario: 'browse', group: '::login', tier: 'gold' });
  });
});
