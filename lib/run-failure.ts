import type { RunEvent } from './protocol/index.ts';

export type FailureReason = 'timeout' | 'agent_error' | 'closed' | 'invalid';

/** Why `session.run()` rejected: the reason is also the `reason` tag of agent_runs_failed. */
export class RunFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly events: readonly RunEvent[],
    readonly violations: readonly string[] = [],
    readonly closeCode?: number,
  ) {
    super(`agent run failed (${reason}): ${message}`);
    this.name = 'RunFailure';
  }
}

/** The WebSocket handshake did not produce a session (refused token, server down, no connection_established). */
export class SessionRefused extends Error {
  constructor(readonly detail: string) {
    super(`WebSocket session refused: ${detail}`);
    this.name = 'SessionRefused';
  }
}
