/** Helpers for the outputs' tests: a loopback HTTP server that records requests, a collecting context, waits. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { MetricDefinition, Sample, TagSet } from '../metrics/types.ts';
import type { OutputContext } from './output.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The body, gunzipped when it was sent gzipped. */
  body: string;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `answer` (or leaves it hanging). */
export async function recordingServer(answer: (request: RecordedRequest, response: ServerResponse) => void): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const recorded = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
      requests.push(recorded);
      answer(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function collectingContext(env: Record<string, string> = {}): OutputContext & { warnings: string[] } {
  const warnings: string[] = [];
  return { env, cwd: process.cwd(), warnings, warn: (line) => warnings.push(line), thresholdsOf: () => [] };
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes; the caller asserts afterwards. */
export async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

export const httpReqDuration: MetricDefinition = { name: 'http_req_duration', type: 'trend', contains: 'time' };

export function samplesOf(metric: MetricDefinition, tags: TagSet, count: number, firstTimeMs: number): Sample[] {
  const frozen = Object.freeze({ ...tags });
  return Array.from({ length: count }, (_, index) => ({ metric, tags: frozen, value: index, time: firstTimeMs + index }));
}
