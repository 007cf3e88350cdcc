import type { SocketEvent, SocketEventType } from './events.ts';

export type Listener = (event: SocketEvent) => unknown;

/**
 * The handlers of one socket: for each event type, the `on…` property's handler and those added with
 * addEventListener. The `on…` handler runs first, as in k6. Both tables are created on first use.
 */
export class SocketListeners {
  private handlers: Partial<Record<SocketEventType, Listener>> | undefined;
  private added: Partial<Record<SocketEventType, Listener[]>> | undefined;

  getOn(type: SocketEventType): Listener | null {
    return this.handlers?.[type] ?? null;
  }

  setOn(type: SocketEventType, listener: Listener | undefined): void {
    if (listener === undefined) {
      if (this.handlers) delete this.handlers[type];
      return;
    }
    (this.handlers ??= {})[type] = listener;
  }

  add(type: SocketEventType, listener: Listener): void {
    ((this.added ??= {})[type] ??= []).push(listener);
  }

  has(type: SocketEventType): boolean {
    return this.handlers?.[type] !== undefined || (this.added?.[type]?.length ?? 0) > 0;
  }

  /**
   * Calls the handlers registered when the event is delivered, in order; one that throws stops the rest. A handler
   * that returns a promise hands it to `onPromise`, so that its rejection is not lost.
   */
  call(type: SocketEventType, event: SocketEvent, onPromise: (promise: PromiseLike<unknown>) => void): void {
    const on = this.handlers?.[type];
    const list = this.added?.[type];
    const count = list?.length ?? 0;
    if (on) settle(on.call(event.target, event), onPromise);
    for (let index = 0; index < count; index++) settle(list![index]!.call(event.target, event), onPromise);
  }
}

function settle(result: unknown, onPromise: (promise: PromiseLike<unknown>) => void): void {
  if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') onPromise(result as PromiseLike<unknown>);
}
