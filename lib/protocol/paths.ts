/** Default paths the reference target serves; a real backend may rename them through configuration. */
export interface ContractPaths {
  signup: string;
  login: string;
  refresh: string;
  me: string;
  health: string;
  ws: string;
  billingUsage: string;
  billingSummary: string;
  adminFaults: string;
  jwks: string;
}

export const DEFAULT_PATHS: Readonly<ContractPaths> = Object.freeze({
  signup: "/auth/signup",
  login: "/auth/login",
  refresh: "/auth/refresh",
  me: "/auth/me",
  health: "/health",
  ws: "/ws",
  billingUsage: "/billing/usage",
  billingSummary: "/billing/summary",
  adminFaults: "/admin/faults",
  jwks: "/.well-known/jwks.json",
});

/** Subprotocol a browser client offers (with `jwt.<token>`) and the server selects. */
export const WS_AUTH_SUBPROTOCOL = "jwt-auth";
export const WS_TOKEN_SUBPROTOCOL_PREFIX = "jwt.";
