import type { TargetOptions } from "./config.ts";
import type { FaultState } from "./faults.ts";
import type { Database } from "./db/open.ts";
import type { TokenService } from "./auth/tokens.ts";
import type { RunLimiter } from "./ws/run-limits.ts";
import type { TargetDialect } from "./dialects/types.ts";
import type { AgentSlots } from "./agents/agent-slots.ts";

/** What every handler needs; `faults` is replaced in place by POST /admin/faults. */
export interface TargetContext {
  options: TargetOptions;
  faults: FaultState;
  /** The wire protocol this target speaks, from options.dialect. */
  dialect: TargetDialect;
  db: Database;
  tokens: TokenService;
  runs: RunLimiter;
  /** The capacity knob's slots and queue; undefined when the knob is unset. */
  slots: AgentSlots | undefined;
  /** Open WebSocket sessions, for /admin/stats. */
  live: { sockets: number };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
