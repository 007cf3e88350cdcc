/** WebSocket close codes the contract gives a meaning to. */
export const CLOSE_NORMAL = 1000;
/** Sent by the target for malformed or unknown client frames (policy violation). */
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_SERVER_ERROR = 1011;
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_IDLE_TIMEOUT = 4408;
export const CLOSE_RATE_LIMITED = 4429;
