/**
 * The capacity knob (--capacity / TARGET_CAPACITY): N agent slots, each run holding one for exactly
 * T ms, behind a bounded FIFO queue. Such a backend takes at most N/T runs a second, a figure known in
 * advance, so a capacity search can be checked against the truth.
 */
export interface CapacitySpec {
  /** Runs in their agent work at once. */
  slots: number;
  /** How long a run holds its slot, whatever TARGET_AGENT_TIME_SCALE says (the slow-agents fault still multiplies it). */
  runMs: number;
  /** Runs that may wait for a slot; the next one ends at once with agent_error "overloaded". */
  queueCap: number;
}

export const DEFAULT_QUEUE_CAP = 10_000;

/** The spec as the knob takes it, e.g. "8x200ms,queue:10000". */
export const describeCapacity = (spec: CapacitySpec): string => `${spec.slots}x${spec.runMs}ms,queue:${spec.queueCap}`;

/** The run's client is gone (socket closed): it leaves the queue or gives its slot back, and is not billed. */
export class RunCancelled extends Error {}

/** Every slot is busy and the queue is full. */
export class QueueFull extends Error {}

/** A slot held by one run, on one schedule that starts when the slot was granted. */
export interface HeldSlot {
  /** Waits ms of the run's model time (times the slow-agents factor); rejects with RunCancelled once the client is gone. */
  pause(ms: number): Promise<void>;
  /** An injected delay (slow-first-token): it lengthens the run rather than being absorbed by the schedule. */
  delay(ms: number): Promise<void>;
  /** Waits out the rest of the run's time, then frees the slot. */
  finish(): Promise<void>;
  /** Frees the slot now; the second call does nothing. */
  free(): void;
}

export interface AgentSlotStats {
  slots: number;
  run_ms: number;
  queue_cap: number;
  /** Runs in their agent work now. */
  busy: number;
  queued: number;
  /** The most runs ever in their agent work at once. */
  peak_busy: number;
  /** Runs refused because the queue was full. */
  refused: number;
  /** Runs whose client went away while they waited. */
  left_queue: number;
}

/**
 * Sleeps to an absolute time, so the timers' lateness and the target's own work (a query in a tool
 * call) do not add up over a run: the run ends on time unless they alone outlast it.
 */
function sleepUntil(at: number, gone: AbortSignal): Promise<void> {
  if (gone.aborted) return Promise.reject(new RunCancelled("the client is gone"));
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onGone = (): void => {
      clearTimeout(timer);
      reject(new RunCancelled("the client is gone"));
    };
    // Node starts a timer from the event loop's cached clock, stale after a long turn, so a timer can fire early, and a
    // later run's before an earlier run's: wait again for whatever is left.
    const wait = (): void => {
      const left = at - performance.now();
      if (left > 0) {
        timer = setTimeout(wait, left);
        return;
      }
      gone.removeEventListener("abort", onGone);
      resolve();
    };
    gone.addEventListener("abort", onGone, { once: true });
    wait();
  });
}

export class AgentSlots {
  private busy = 0;
  private peakBusy = 0;
  private refused = 0;
  private leftQueue = 0;
  /**
   * Runs waiting, each by the function that hands it a slot from a given time on; a Set keeps insertion
   * order and removes in O(1).
   */
  private readonly waiting = new Set<(from: number) => void>();

  constructor(readonly spec: CapacitySpec) {}

  /**
   * A slot for one run, in arrival order: at once when one is free and nobody waits, else when the runs
   * ahead are served. `slowFactor` stretches the run's time (the slow-agents fault). Rejects with
   * QueueFull when the queue is full, with RunCancelled when the client goes away first.
   */
  acquire(slowFactor: number, gone: AbortSignal): Promise<HeldSlot> {
    if (gone.aborted) return Promise.reject(new RunCancelled("the client is gone"));
    const arrivedAt = performance.now();
    if (this.waiting.size === 0 && this.busy < this.spec.slots) return Promise.resolve(this.hold(slowFactor, gone, arrivedAt));
    if (this.waiting.size >= this.spec.queueCap) {
      this.refused++;
      return Promise.reject(new QueueFull(`all ${this.spec.slots} agent slots are busy and ${this.waiting.size} runs are waiting`));
    }
    return new Promise((resolve, reject) => {
      const grant = (from: number): void => {
        gone.removeEventListener("abort", leave);
        resolve(this.hold(slowFactor, gone, Math.max(arrivedAt, from)));
      };
      const leave = (): void => {
        this.waiting.delete(grant);
        this.leftQueue++;
        reject(new RunCancelled("the client left the queue"));
      };
      this.waiting.add(grant);
      gone.addEventListener("abort", leave, { once: true });
    });
  }

  stats(): AgentSlotStats {
    return {
      slots: this.spec.slots, run_ms: this.spec.runMs, queue_cap: this.spec.queueCap, busy: this.busy, queued: this.waiting.size,
      peak_busy: this.peakBusy, refused: this.refused, left_queue: this.leftQueue,
    };
  }

  /** A slot whose schedule starts at `from`, now or, for a run that waited, when the slot's last run was due to end. */
  private hold(slowFactor: number, gone: AbortSignal, from: number): HeldSlot {
    this.busy++;
    this.peakBusy = Math.max(this.peakBusy, this.busy);
    let due = from;
    let end = due + this.spec.runMs * slowFactor;
    let held = true;
    const free = (at = performance.now()): void => {
      if (!held) return;
      held = false;
      this.busy--;
      // Handed straight to the longest waiter, so a run arriving now cannot take it first.
      const next = this.waiting.values().next();
      if (!next.done) {
        this.waiting.delete(next.value);
        next.value(at);
      }
    };
    return {
      pause(ms) {
        due += ms * slowFactor;
        return sleepUntil(due, gone);
      },
      delay(ms) {
        due += ms;
        end += ms;
        return sleepUntil(due, gone);
      },
      async finish() {
        const at = Math.max(due, end);
        try {
          await sleepUntil(at, gone);
        } catch (error) {
          free();
          throw error;
        }
        // The next run's time starts when this one was due to end, not when the timer got round to it, so the
        // event loop's lateness does not eat into the capacity.
        free(at);
      },
      free: () => free(),
    };
  }
}
