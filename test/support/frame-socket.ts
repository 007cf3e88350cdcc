import WebSocket from 'ws';

/** A real `ws` client for dialect tests: queues every parsed frame, knows nothing of any protocol. */
export interface FrameSocket {
  ws: WebSocket;
  /** The subprotocol the server selected ('' for none). */
  protocol: string;
  /** The next frame; rejects when the socket closed or after timeoutMs. */
  next(timeoutMs?: number): Promise<any>;
  /** Frames up to and including the first that `last` accepts. */
  until(last: (frame: any) => boolean, timeoutMs?: number): Promise<any[]>;
  /** Every frame received and not yet taken. */
  drain(): any[];
  send(message: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

export type FrameHandshake = { ok: true; socket: FrameSocket } | { ok: false; status: number };

/**
 * Queues the parsed frames of a real `ws` client: `next()` takes them in order, waiting when there are none, and
 * rejects once the socket closed or after timeoutMs. Shared by every socket helper of the tests.
 */
export function queueFrames(ws: WebSocket): { next(timeoutMs?: number): Promise<any>; frames: any[]; closed: Promise<{ code: number; reason: string }> } {
  const frames: any[] = [];
  const waiters: Array<(frame: any) => void> = [];
  let closeInfo: { code: number; reason: string } | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const waiter of waiters.splice(0)) waiter(undefined);
    });
  });
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const next = (timeoutMs = 20_000): Promise<any> => {
    if (frames.length > 0) return Promise.resolve(frames.shift());
    if (closeInfo) return Promise.reject(new Error(`socket closed ${closeInfo.code}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
      waiters.push((frame) => {
        clearTimeout(timer);
        if (frame === undefined) reject(new Error(`socket closed ${closeInfo?.code}`));
        else resolve(frame);
      });
    });
  };
  return { next, frames, closed };
}

export function openFrameSocket(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<FrameHandshake> {
  const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
  const { next, frames, closed } = queueFrames(ws);
  const socket: FrameSocket = {
    ws, protocol: '', next, closed,
    async until(last, timeoutMs) {
      const taken: any[] = [];
      for (let i = 0; i < 10_000; i++) {
        const frame = await next(timeoutMs);
        taken.push(frame);
        if (last(frame)) return taken;
      }
      throw new Error('no last frame in 10,000 frames');
    },
    drain: () => frames.splice(0),
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ok: false, status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ ok: false, status: 0 }));
    ws.once('open', () => {
      socket.protocol = ws.protocol;
      resolve({ ok: true, socket });
    });
  });
}
