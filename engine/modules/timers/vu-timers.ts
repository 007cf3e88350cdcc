import type { VuContext } from '../../runtime/vu-context.ts';

type TimerKind = 'setTimeout' | 'setInterval';

interface ActiveTimer {
  kind: TimerKind;
  handle: NodeJS.Timeout;
  release: () => void;
  /** The signal of the iteration that set it: its abort cancels the timer. */
  signal: AbortSignal;
}

/** Node clamps larger delays to 1 ms with a warning; k6 waits. This is ~24.8 days, as good as never for a test. */
const LONGEST_DELAY_MS = 2 ** 31 - 1;

/**
 * One VU's timers, as k6/timers gives them: ids from 1, shared by timeouts and intervals (either clear function
 * clears either kind), each pending timer holding the VU's event loop, callbacks run through vu.dispatch().
 */
export class VuTimers {
  private lastId = 0;
  private readonly active = new Map<number, ActiveTimer>();
  private watchedSignal: AbortSignal | undefined;

  constructor(private readonly vu: VuContext) {}

  setTimeout(callback: unknown, delay: unknown, args: unknown[]): number {
    return this.start('setTimeout', callback, delay, args);
  }

  setInterval(callback: unknown, delay: unknown, args: unknown[]): number {
    return this.start('setInterval', callback, delay, args);
  }

  /** clearTimeout and clearInterval: an unknown id, or one already fired, is ignored. */
  clear(id: unknown): void {
    const timerId = Number(id);
    const timer = this.active.get(timerId);
    if (!timer) return;
    this.active.delete(timerId);
    clearTimeout(timer.handle);
    timer.release();
  }

  private start(kind: TimerKind, callback: unknown, delay: unknown, args: unknown[]): number {
    if (typeof callback !== 'function') throw new TypeError(`${kind}'s callback isn't a callable function`);
    const id = ++this.lastId;
    const signal = this.vu.signal;
    this.watch(signal);
    const run = (): unknown => callback.apply(globalThis, args);
    const fire = kind === 'setTimeout' ? () => this.fireOnce(id, run) : () => this.fireRepeating(id, run);
    const handle = setTimeout(fire, delayOf(delay));
    this.active.set(id, { kind, handle, release: this.vu.hold(), signal });
    return id;
  }

  private fireOnce(id: number, run: () => unknown): void {
    const timer = this.active.get(id);
    if (!timer) return;
    this.active.delete(id);
    // Release only after the callback ran: releasing first could end the iteration before the callback.
    this.vu.dispatch(run);
    timer.release();
  }

  private fireRepeating(id: number, run: () => unknown): void {
    const timer = this.active.get(id);
    if (!timer) return;
    this.vu.dispatch(run);
    // The next run counts from the end of this one, as in k6; the callback may have cleared the interval.
    if (this.active.get(id) === timer) timer.handle.refresh();
  }

  /** One abort listener per iteration signal, however many timers the iteration sets. */
  private watch(signal: AbortSignal): void {
    if (this.watchedSignal === signal) return;
    this.watchedSignal = signal;
    signal.addEventListener('abort', () => this.cancelAll(signal), { once: true });
  }

  private cancelAll(signal: AbortSignal): void {
    for (const [id, timer] of this.active) {
      if (timer.signal !== signal) continue;
      this.active.delete(id);
      clearTimeout(timer.handle);
      timer.release();
      this.vu.log('warn', `${timer.kind} ${id} was stopped because the VU iteration was interrupted`);
    }
    if (this.watchedSignal === signal) this.watchedSignal = undefined;
  }
}

/** k6 reads the delay as a number of ms; a negative or non-numeric one means 0. */
function delayOf(delay: unknown): number {
  const ms = Number(delay);
  if (!(ms > 0)) return 0;
  return Math.min(ms, LONGEST_DELAY_MS);
}
