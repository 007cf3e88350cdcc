import WebSocket from 'ws';
import { queueFrames } from './frame-socket.ts';

/** A real `ws` client that queues every parsed frame, for target tests. */
export interface TestSocket {
  ws: WebSocket;
  /** connection_established frame. */
  hello: any;
  /** The next frame, or rejects on close/timeout. */
  next(timeoutMs?: number): Promise<any>;
  send(message: unknown): void;
  /** Sends user_message and collects events for that request_id until agent_completed(top)/agent_error. */
  run(message: { request_id: string; thread_id?: string; content?: string; mode?: 'single' | 'orchestration' }, timeoutMs?: number): Promise<any[]>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export type HandshakeResult = { ok: true; socket: TestSocket } | { ok: false; status: number };

export function connect(wsUrl: string, token: string | undefined, form: 'header' | 'subprotocol' = 'header'): Promise<HandshakeResult> {
  const ws = form === 'header'
    ? new WebSocket(wsUrl, token ? { headers: { authorization: `Bearer ${token}` } } : {})
    : new WebSocket(wsUrl, ['jwt-auth', `jwt.${token}`]);
  const { next, closed } = queueFrames(ws);
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ok: false, status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ ok: false, status: 0 }));
    ws.once('open', async () => {
      const hello = await next();
      const socket: TestSocket = {
        ws, hello, next, closed,
        send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
        async run(message, timeoutMs = 30_000) {
          const mode = message.mode ?? 'single';
          ws.send(JSON.stringify({ type: 'user_message', content: 'how much have I spent?', ...message }));
          const events: any[] = [];
          const top = mode === 'orchestration' ? 'supervisor' : events[0]?.agent;
          for (;;) {
            const event = await next(timeoutMs);
            if (event.request_id !== message.request_id) continue;
            events.push(event);
            const topAgent = top ?? events[0]?.agent;
            if (event.type === 'agent_error' || (event.type === 'agent_completed' && event.agent === topAgent)) return events;
          }
        },
        close: () => ws.close(1000),
      };
      resolve({ ok: true, socket });
    });
  });
}

export async function mustConnect(wsUrl: string, token: string, form: 'header' | 'subprotocol' = 'header'): Promise<TestSocket> {
  const result = await connect(wsUrl, token, form);
  if (!result.ok) throw new Error(`handshake refused with ${result.status}`);
  return result.socket;
}
