import type { ModuleDefinition, VuContext } from '../../runtime/vu-context.ts';
import { Blob } from './blob.ts';
import { VuSockets } from './socket-metrics.ts';
import { WebSocket as BaseWebSocket } from './websocket.ts';

export { Blob } from './blob.ts';
export { WebSocket } from './websocket.ts';

/** The constructor a script calls: `new WebSocket(url, protocols?, params?)`, bound to its VU. */
export type VuWebSocketConstructor = new (url: string, protocols?: string | string[] | null, params?: Record<string, unknown> | null) => BaseWebSocket;

/** k6/websockets: WebSocket and Blob. */
export const websocketsModule: ModuleDefinition = {
  name: 'k6/websockets',
  instantiate(vu: VuContext): Record<string, unknown> {
    const sockets = new VuSockets(vu);
    const VuWebSocket = class WebSocket extends BaseWebSocket {
      constructor(url: string, protocols?: string | string[] | null, params?: Record<string, unknown> | null) {
        super(sockets, url, protocols, params);
      }
    };
    const exports = { WebSocket: VuWebSocket satisfies VuWebSocketConstructor, Blob };
    return { ...exports, default: exports };
  },
};
