import type { TargetOptions } from "./config.ts";
import type { FaultState } from "./faults.ts";
import type { Database } from "./db/open.ts";
import type { TokenService } from "./auth/tokens.ts";

/** What every handler needs; `faults` is replaced in place by POST /admin/faults. */
export interface TargetContext {
  options: TargetOptions;
  faults: FaultState;
  db: Database;
  tokens: TokenService;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
