import type { Plan } from "../lib/protocol/index.ts";
import { parseFaults, FaultSpecError, type FaultState } from "./faults.ts";
import { DIALECT_NAMES, REFUSAL_STYLES, type DialectName, type RefusalStyle } from "./dialects/types.ts";
import { DEFAULT_QUEUE_CAP, type CapacitySpec } from "./agents/agent-slots.ts";
import { parseDurationMs } from "../lib/duration.ts";

export interface TargetOptions {
  port: number;
  host: string;
  faults: FaultState;
  /** The wire protocol spoken on the socket and the auth routes; agent-sla is PROTOCOL.md. */
  dialect: DialectName;
  /** How a refused token is answered; unset: the dialect's default. agent-sla always answers HTTP 401. */
  authRefusal?: RefusalStyle;
  adminToken?: string;
  databaseUrl?: string;
  dataDir?: string;
  /** Multiplies every agent delay; 1 → a single run takes about 1–2 s. */
  agentTimeScale: number;
  seed: string;
  bcryptCost: number;
  accessTtlS: number;
  idleTimeoutMs: number;
  jwtAlg: "HS256" | "RS256";
  /** HS256 secret; random per process when unset. */
  jwtSecret?: string;
  maxBodyBytes: number;
  maxFrameBytes: number;
  /** Concurrent runs one user may have in flight, by plan; one more closes the socket with 4429. */
  runLimits: Record<Plan, number>;
  /** Agent slots, run time and queue cap (--capacity); unset: runs take the latency model's time, as many at once as come. */
  capacity?: CapacitySpec;
}

export class ConfigError extends Error {}

export function defaultOptions(): TargetOptions {
  return {
    port: 0, host: "127.0.0.1", faults: parseFaults(undefined), dialect: "agent-sla", agentTimeScale: 1, seed: "agent-sla",
    bcryptCost: 4, accessTtlS: 900, idleTimeoutMs: 60_000, jwtAlg: "HS256",
    maxBodyBytes: 64 * 1024, maxFrameBytes: 64 * 1024,
    // Generous, so a load test that shares one user across many VUs is not throttled by accident.
    runLimits: { free: 100, pro: 500, enterprise: 2000 },
  };
}

function int(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}: "${raw}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name}: "${raw}" must be a positive number`);
  return value;
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name}: "${raw}" must be one of ${allowed.join(", ")}`);
  return raw as T;
}

/** Reads options from argv (which wins) and the environment; throws ConfigError with a one-line message. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv): TargetOptions {
  const options = defaultOptions();
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (name !== "--port" && name !== "--host" && name !== "--faults" && name !== "--dialect" && name !== "--capacity") throw new ConfigError(`unknown option ${name}`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`${name} needs a value`);
    flags.set(name, value);
  }
  const port = flags.get("--port") ?? env.TARGET_PORT;
  if (port !== undefined && port !== "") options.port = int("port", port, 0, 65535);
  options.host = flags.get("--host") ?? options.host;
  try {
    options.faults = parseFaults(flags.get("--faults") ?? env.TARGET_FAULTS);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new ConfigError(error.message);
    throw error;
  }
  options.dialect = oneOf("dialect", flags.get("--dialect") ?? (env.TARGET_DIALECT || options.dialect), DIALECT_NAMES);
  const capacity = flags.get("--capacity") ?? env.TARGET_CAPACITY;
  if (capacity) options.capacity = parseCapacity("capacity", capacity);
  if (env.TARGET_AUTH_REFUSAL) {
    options.authRefusal = oneOf("TARGET_AUTH_REFUSAL", env.TARGET_AUTH_REFUSAL, REFUSAL_STYLES);
    if (options.dialect === "agent-sla" || options.dialect === "ag-ui") throw new ConfigError("TARGET_AUTH_REFUSAL applies to the envelope and openai-realtime dialects only");
  }
  if (env.TARGET_ADMIN_TOKEN) options.adminToken = env.TARGET_ADMIN_TOKEN;
  if (env.DATABASE_URL) options.databaseUrl = env.DATABASE_URL;
  if (env.TARGET_DATA_DIR) options.dataDir = env.TARGET_DATA_DIR;
  if (env.TARGET_AGENT_TIME_SCALE) options.agentTimeScale = positive("TARGET_AGENT_TIME_SCALE", env.TARGET_AGENT_TIME_SCALE);
  if (env.TARGET_SEED) options.seed = env.TARGET_SEED;
  if (env.TARGET_BCRYPT_COST) options.bcryptCost = int("TARGET_BCRYPT_COST", env.TARGET_BCRYPT_COST, 4, 15);
  if (env.TARGET_ACCESS_TTL_S) options.accessTtlS = int("TARGET_ACCESS_TTL_S", env.TARGET_ACCESS_TTL_S, 1, 86_400);
  if (env.TARGET_IDLE_TIMEOUT_MS) options.idleTimeoutMs = int("TARGET_IDLE_TIMEOUT_MS", env.TARGET_IDLE_TIMEOUT_MS, 10, 86_400_000);
  if (env.TARGET_JWT_ALG) {
    if (env.TARGET_JWT_ALG !== "HS256" && env.TARGET_JWT_ALG !== "RS256") throw new ConfigError("TARGET_JWT_ALG must be HS256 or RS256");
    options.jwtAlg = env.TARGET_JWT_ALG;
  }
  if (env.TARGET_JWT_SECRET) {
    if (env.TARGET_JWT_SECRET.length < 32) throw new ConfigError("TARGET_JWT_SECRET must be at least 32 characters");
    options.jwtSecret = env.TARGET_JWT_SECRET;
  }
  if (env.TARGET_MAX_CONCURRENT_RUNS) {
    options.runLimits = parseRunLimits("TARGET_MAX_CONCURRENT_RUNS", env.TARGET_MAX_CONCURRENT_RUNS, options.runLimits);
  }
  return options;
}

/** "free:2,pro:10" → per-plan limits; plans not named keep their default. */
function parseRunLimits(name: string, raw: string, defaults: Record<Plan, number>): Record<Plan, number> {
  const limits = { ...defaults };
  for (const part of raw.split(",")) {
    const [plan, value] = part.trim().split(":");
    if (plan !== "free" && plan !== "pro" && plan !== "enterprise") {
      throw new ConfigError(`${name}: "${part.trim()}" must be <free|pro|enterprise>:<count>`);
    }
    limits[plan] = int(`${name} ${plan}`, value ?? "", 1, 1_000_000);
  }
  return limits;
}

/** "8x200ms" → 8 slots of 200 ms each; ",queue:50" caps the runs waiting (default DEFAULT_QUEUE_CAP). */
function parseCapacity(name: string, raw: string): CapacitySpec {
  const usage = `${name}: "${raw}" must be <slots>x<run time>[,queue:<max waiting>] with slots 1-100000, run time 1ms-10m, ` +
    `queue 0-1000000, e.g. 8x200ms or 8x1.5s,queue:100`;
  const match = /^(\d+)x([^,]+)(?:,queue:(\d+))?$/.exec(raw.trim());
  if (!match) throw new ConfigError(usage);
  const slots = Number(match[1]);
  // A unit is required: k6 would read a bare "200" as 200 s, which is never what "8x200" means.
  const runMs = /[a-z]$/.test(match[2]!) ? parseDurationMs(match[2]!) : undefined;
  const queueCap = match[3] === undefined ? DEFAULT_QUEUE_CAP : Number(match[3]);
  if (slots < 1 || slots > 100_000 || runMs === undefined || runMs < 1 || runMs > 600_000 || queueCap > 1_000_000) {
    throw new ConfigError(usage);
  }
  return { slots, runMs, queueCap };
}
