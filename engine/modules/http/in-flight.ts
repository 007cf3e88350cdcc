import type { VuContext } from '../../runtime/vu-context.ts';
import type { RequestRun } from './request-run.ts';

/**
 * A VU's requests in flight, aborted together when the VU is interrupted. One listener on the VU's signal serves
 * them all (a listener per request would trip Node's listener-leak warning on a large http.batch()).
 */
export class InFlightRequests {
  private readonly runs = new Set<RequestRun>();
  private watched: AbortSignal | undefined;

  constructor(private readonly vu: VuContext) {}

  /** Registers a request; false when the VU is already interrupted and the request must not start. */
  add(run: RequestRun): boolean {
    const signal = this.vu.signal;
    if (signal.aborted) return false;
    if (signal !== this.watched) {
      this.watched = signal;
      signal.addEventListener('abort', this, { once: true });
    }
    this.runs.add(run);
    return true;
  }

  delete(run: RequestRun): void {
    this.runs.delete(run);
  }

  handleEvent(): void {
    for (const run of this.runs) run.abort();
    this.runs.clear();
  }
}
