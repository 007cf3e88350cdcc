import type { ModuleDefinition, VuContext } from '../../runtime/vu-context.ts';
import { Stream, VuStreams } from './stream.ts';

export { Stream } from './stream.ts';

/**
 * agent-sla/sse: a streaming HTTP request whose Server-Sent Events reach the script one by one, each with the time
 * it was read (lib/k6-sse.d.ts declares the API).
 *
 *   import sse from 'agent-sla/sse';
 *   const stream = sse.open(url, { method: 'POST', headers, body, timeout: '90s', tags: { name: 'agent' } });
 *   stream.addEventListener('event', (e) => console.log(e.name, e.data, e.timestamp));
 */
export const sseModule: ModuleDefinition = {
  name: 'agent-sla/sse',
  instantiate(vu: VuContext): Record<string, unknown> {
    const streams = new VuStreams(vu);
    const exports = { open: (url: unknown, params?: unknown): Stream => new Stream(streams, url, params) };
    return { ...exports, default: exports };
  },
};
