/** Types of every message of the contract, PROTOCOL.md (agent-sla-protocol/1). */

export type Plan = "free" | "pro" | "enterprise";
export const PLANS: readonly Plan[] = ["free", "pro", "enterprise"];

export type RunMode = "single" | "orchestration";
export const RUN_MODES: readonly RunMode[] = ["single", "orchestration"];

export type AgentName = "assistant" | "supervisor" | "triage" | "data" | "actions";
/** Orchestration pipeline, in handoff order. */
export const ORCHESTRATION_PIPELINE = ["supervisor", "triage", "data", "actions"] as const;

// ---- HTTP bodies ----

export interface SignupRequest { email: string; password: string; plan?: Plan }
export interface SignupResponse { user_id: string; email: string; plan: Plan }
export interface LoginRequest { email: string; password: string }
export interface RefreshRequest { refresh_token: string }
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
}
export interface MeResponse { user_id: string; email: string; plan: Plan }
export interface HealthResponse {
  status: "ok" | "degraded";
  db: "ok" | "down";
  db_kind?: "pglite" | "postgres";
  contract?: string;
  faults?: string[];
}
export interface ErrorBody { error: { code: string; message: string } }

export interface BillingRecord {
  run_id: string;
  request_id: string;
  user_id: string;
  plan: Plan;
  input_tokens: number;
  output_tokens: number;
  amount_micros: number;
  created_at: string;
}
export interface BillingUsageResponse { records: BillingRecord[] }
export interface BillingSummaryResponse {
  plan: Plan;
  runs: number;
  input_tokens: number;
  output_tokens: number;
  amount_micros: number;
}
export interface AdminFaultsRequest { faults: string }

// ---- WebSocket: client → server ----

export interface UserMessage {
  type: "user_message";
  request_id: string;
  thread_id?: string;
  content: string;
  mode?: RunMode;
  plan_hint?: Plan;
}
export interface PingMessage { type: "ping"; ts: number }
export type ClientMessage = UserMessage | PingMessage;

// ---- WebSocket: server → client ----

export interface Usage { input_tokens: number; output_tokens: number }

/** Fields every run event carries. */
export interface RunEventBase {
  request_id: string;
  run_id: string;
  thread_id: string;
  ts: number;
  seq: number;
}

export interface ConnectionEstablished { type: "connection_established"; user_id: string; session_id: string; ts: number }
export interface PongEvent { type: "pong"; ts: number }

export interface AgentStarted extends RunEventBase { type: "agent_started"; agent: AgentName }
export interface AgentThinking extends RunEventBase { type: "agent_thinking"; agent: AgentName; thought: string }
export interface ToolExecuting extends RunEventBase { type: "tool_executing"; agent: AgentName; tool: string; tool_call_id: string }
export interface ToolCompleted extends RunEventBase {
  type: "tool_completed"; agent: AgentName; tool: string; tool_call_id: string; ok: boolean; result?: unknown;
}
export interface AgentHandoff extends RunEventBase { type: "agent_handoff"; from: AgentName; to: AgentName; context_id: string }
export interface PartialResult extends RunEventBase { type: "partial_result"; agent: AgentName; delta: string }
export interface AgentCompleted extends RunEventBase { type: "agent_completed"; agent: AgentName; result: string; usage: Usage }
export interface AgentError extends RunEventBase { type: "agent_error"; agent: AgentName; code: string; message: string }

export type RunEvent =
  | AgentStarted | AgentThinking | ToolExecuting | ToolCompleted
  | AgentHandoff | PartialResult | AgentCompleted | AgentError;
export type RunEventType = RunEvent["type"];
export type ServerMessage = ConnectionEstablished | PongEvent | RunEvent;

/** Distributive Omit so a union keeps its members. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A run event before the run-wide fields are stamped on it. */
export type RunEventBody = DistributiveOmit<RunEvent, keyof RunEventBase>;
