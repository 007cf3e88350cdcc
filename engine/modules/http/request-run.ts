import { REQUEST_TIMEOUT } from './error-codes.ts';
import { Exchange, type HopRequest } from './exchange.ts';

/** Methods Go's transport may send again when a kept-alive connection turns out closed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** The state of one k6 request across its hops: the single timeout for the whole chain, and the VU's interruption. */
export class RequestRun {
  current: Exchange | undefined = undefined;
  timedOut = false;
  aborted = false;

  abort(): void {
    this.aborted = true;
    this.current?.abort(new Error('context canceled'));
  }

  /**
   * Sends one hop. A request that fails on a reused connection before any answer (the server closed it while idle)
   * is sent once more on a new one, as Go does when it is safe to repeat.
   */
  async send(hop: HopRequest): Promise<Exchange> {
    let exchange = await this.exchange(hop);
    if (!this.aborted && !this.timedOut && replayable(exchange, hop)) exchange = await this.exchange(hop);
    return exchange;
  }

  private async exchange(request: HopRequest): Promise<Exchange> {
    const exchange = new Exchange(request);
    this.current = exchange;
    await exchange.finished;
    this.current = undefined;
    return exchange;
  }
}

export function onRequestTimeout(run: RequestRun): void {
  run.timedOut = true;
  run.current?.abort(new Error(REQUEST_TIMEOUT.message));
}

function replayable(exchange: Exchange, request: HopRequest): boolean {
  if (!exchange.reused || exchange.response !== undefined || exchange.error === undefined) return false;
  const code = (exchange.error as { code?: unknown }).code;
  if (code !== 'ECONNRESET' && code !== 'EPIPE') return false;
  return IDEMPOTENT.has(request.method) || request.headers['Idempotency-Key'] !== undefined || request.headers['X-Idempotency-Key'] !== undefined;
}
