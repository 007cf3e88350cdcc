/**
 * Fault injection, one switch per fault, parsed from a spec such as
 * "slow-agents:5,drop-tool-completed,http-500:0.1". They exist so every SLA and
 * correctness verdict can be shown to fail when it should.
 */
export interface FaultState {
  /** Multiplies agent latency; 1 when off. */
  slowAgentsFactor: number;
  /** Extra delay on signup, login and the WebSocket handshake; 0 when off. */
  slowAuthMs: number;
  dropToolCompleted: boolean;
  /** Orchestration hands off supervisor → data, skipping triage: a broken pipeline, not a slow one. */
  skipTriage: boolean;
  skipBilling: boolean;
  doubleBilling: boolean;
  /** Probability that a run's socket is cut mid-run; 0 when off. */
  dropSocketRate: number;
  /** Probability that an HTTP request answers 500; 0 when off. */
  http500Rate: number;
  dbDown: boolean;
  /** The normalised spec, one entry per active fault, for /health and the start line. */
  active: string[];
}

export class FaultSpecError extends Error {}

export function noFaults(): FaultState {
  return {
    slowAgentsFactor: 1, slowAuthMs: 0, dropToolCompleted: false, skipTriage: false, skipBilling: false,
    doubleBilling: false, dropSocketRate: 0, http500Rate: 0, dbDown: false, active: [],
  };
}

function number(name: string, raw: string | undefined, fallback: number | undefined, min: number, max: number): number {
  if (raw === undefined || raw === "") {
    if (fallback === undefined) throw new FaultSpecError(`fault ${name} needs a value, e.g. ${name}:0.5`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new FaultSpecError(`fault ${name}: value "${raw}" must be a number from ${min} to ${max}`);
  }
  return value;
}

function noValue(name: string, raw: string | undefined): void {
  if (raw !== undefined) throw new FaultSpecError(`fault ${name} takes no value`);
}

export function parseFaults(spec: string | undefined): FaultState {
  const state = noFaults();
  if (!spec || spec.trim() === "" || spec.trim() === "none") return state;
  for (const part of spec.split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const colon = entry.indexOf(":");
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const raw = colon < 0 ? undefined : entry.slice(colon + 1);
    switch (name) {
      case "slow-agents":
        state.slowAgentsFactor = number(name, raw, 10, 1, 1000);
        state.active.push(`${name}:${state.slowAgentsFactor}`);
        break;
      case "slow-auth":
        state.slowAuthMs = number(name, raw, 3000, 0, 600_000);
        state.active.push(`${name}:${state.slowAuthMs}`);
        break;
      case "drop-tool-completed":
        noValue(name, raw);
        state.dropToolCompleted = true;
        state.active.push(name);
        break;
      case "skip-triage":
        noValue(name, raw);
        state.skipTriage = true;
        state.active.push(name);
        break;
      case "skip-billing":
        noValue(name, raw);
        state.skipBilling = true;
        state.active.push(name);
        break;
      case "double-billing":
        noValue(name, raw);
        state.doubleBilling = true;
        state.active.push(name);
        break;
      case "drop-socket":
        state.dropSocketRate = number(name, raw, undefined, 0, 1);
        state.active.push(`${name}:${state.dropSocketRate}`);
        break;
      case "http-500":
        state.http500Rate = number(name, raw, undefined, 0, 1);
        state.active.push(`${name}:${state.http500Rate}`);
        break;
      case "db-down":
        noValue(name, raw);
        state.dbDown = true;
        state.active.push(name);
        break;
      default:
        throw new FaultSpecError(
          `unknown fault "${name}" (known: slow-agents[:factor], slow-auth[:ms], drop-tool-completed, skip-triage, ` +
            `skip-billing, double-billing, drop-socket:<rate>, http-500:<rate>, db-down)`,
        );
    }
  }
  return state;
}
