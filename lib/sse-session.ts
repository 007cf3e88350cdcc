import http from 'k6/http';
import type { Config } from './config.ts';
import { onAgentSlaEngine } from './engine.ts';
import { agentStreamsBuffered } from './metrics.ts';
import { httpErrorKind, recordError, recordReachable } from './availability.ts';
import { parseFrame, RunInFlight, runStart, type RunRequest, type RunResult, type Session } from './session.ts';

/** What agent-sla/sse (an engine module, lib/k6-sse.d.ts) gives a script. */
interface SseEvent {
  type: string;
  timestamp: number;
  data?: string;
  status?: number;
  kind?: string;
  error?: string;
}
interface SseStream {
  addEventListener(type: 'open' | 'event' | 'error' | 'close', listener: (event: SseEvent) => void): void;
  close(): void;
}
interface SseModule {
  open(url: string, params: { method: string; headers: Record<string, string>; body: string; timeout: string; tags: Record<string, string> }): SseStream;
}

declare function require(name: string): unknown;

/** The module on agent-sla's engine; undefined on a stock k6, which has no such module. */
const sse: SseModule | undefined = onAgentSlaEngine ? (require('agent-sla/sse') as SseModule) : undefined;

/** One SSE frame's `data:` lines, joined as the SSE spec says; undefined for a frame with none. */
function dataOf(block: string): string | undefined {
  const lines = block.split(/\r?\n/).filter((line) => line.startsWith('data:'));
  return lines.length === 0 ? undefined : lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
}

/**
 * AG-UI over HTTP: each run is one POST of a RunAgentInput answered with Server-Sent Events.
 * With agent-sla/sse every event carries the time the engine read it, so time to first token and inter-token
 * latency are real. On a stock k6 the run is one buffered request: every event gets the response's
 * end time, the run is still validated in full, and agent_streams_buffered says per-event times
 * were not available.
 */
export class SseSession implements Session {
  readonly closed = new Promise<number | undefined>(() => {});
  private readonly tags: Record<string, string>;
  private readonly url: string;

  constructor(private readonly config: Config, private readonly token: string | undefined, plan: string) {
    this.tags = { plan };
    this.url = `${config.baseUrl}${config.paths.agent}`;
  }

  run(request: RunRequest): Promise<RunResult | undefined> {
    const start = runStart(request);
    let stream: SseStream | undefined;
    const run = new RunInFlight(this.config, start, this.tags, () => stream?.close());
    const [body] = this.config.dialect.userMessage(start);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
    if (this.token !== undefined) headers.Authorization = `Bearer ${this.token}`;
    const tags = { ...this.tags, name: `POST ${this.config.paths.agent}` };
    if (!sse) return this.buffered(run, body ?? '', headers, tags);
    stream = this.streamed(sse, run, body ?? '', headers, tags);
    return run.result;
  }

  close(): Promise<number | undefined> {
    return Promise.resolve(undefined);
  }

  private streamed(module: SseModule, run: RunInFlight, body: string, headers: Record<string, string>, tags: Record<string, string>): SseStream {
    const stream = module.open(this.url, { method: 'POST', headers, body, timeout: `${this.config.runTimeoutMs}ms`, tags });
    stream.addEventListener('open', (event) => {
      if (event.status !== undefined && event.status >= 200 && event.status < 300) recordReachable();
    });
    stream.addEventListener('event', (event) => this.deliver(run, event.data ?? '', event.timestamp));
    stream.addEventListener('error', (event) => {
      const kind = event.status ? httpErrorKind({ status: event.status, error_code: 0 }) : event.kind === 'timeout' ? 'timeout' : 'network';
      if (kind) recordError(kind, this.tags);
      run.cut(event.status ? `the agent answered HTTP ${event.status}` : `the stream failed (${event.kind ?? 'error'})`);
    });
    stream.addEventListener('close', () => run.cut('the stream ended'));
    return stream;
  }

  private async buffered(run: RunInFlight, body: string, headers: Record<string, string>, tags: Record<string, string>): Promise<RunResult | undefined> {
    const response = await http.asyncRequest('POST', this.url, body, { headers, tags, timeout: `${this.config.runTimeoutMs}ms` });
    agentStreamsBuffered.add(1, this.tags);
    const kind = httpErrorKind(response);
    // The run's timer may have ended it while the request was in flight, and then counted the timeout already.
    if (!kind) recordReachable();
    else if (!run.ended) recordError(kind, this.tags);
    if (response.status < 200 || response.status > 299 || typeof response.body !== 'string') {
      run.cut(`the agent answered HTTP ${response.status || response.error}`);
      return run.result;
    }
    const receivedAt = Date.now();
    for (const block of response.body.split(/\r?\n\r?\n/)) {
      const data = dataOf(block);
      if (data !== undefined) this.deliver(run, data, receivedAt);
    }
    run.cut('the response ended');
    return run.result;
  }

  private deliver(run: RunInFlight, data: string, receivedAt: number): void {
    const frame = parseFrame(data);
    if (frame === undefined) run.notJson();
    else run.frame(frame, receivedAt);
  }
}
