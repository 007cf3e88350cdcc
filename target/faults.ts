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
  /** Extra delay before a run's first text delta (time to first token); 0 when off. */
  slowFirstTokenMs: number;
  dropToolCompleted: boolean;
  /** A run never sends its terminal event; the server still completes and bills it. */
  noTerminal: boolean;
  /** Every run ends with an error event in place of its completion, and is not billed. */
  agentError: boolean;
  /** Orchestration hands off supervisor → data, skipping triage: a broken pipeline, not a slow one. */
  skipTriage: boolean;
  skipBilling: boolean;
  /** Every run's second message is text that is not JSON: a stream that breaks the protocol on the wire. */
  garbledFrame: boolean;
  /** Share of completed runs billed twice (double-billing[:rate], 1 without a rate); 0 when off. */
  doubleBillingRate: number;
  /** Asked once per completed run: bill this one twice? Evenly spread at doubleBillingRate. */
  billTwice: () => boolean;
  /** Asked once per run: cut this one's socket? Evenly spread at dropSocketRate. */
  dropSocket: () => boolean;
  /** Probability that a run's socket is cut mid-run; 0 when off. */
  dropSocketRate: number;
  /** Probability that an HTTP request answers 500; 0 when off. */
  http500Rate: number;
  dbDown: boolean;
  /** The normalised spec, one entry per active fault, for /health and the start line. */
  active: string[];
}

export class FaultSpecError extends Error {}

/**
 * Picks a share of events evenly rather than at random: at rate 0.005, exactly the 200th, 400th, …
 * call says yes. A test of a small rate then sees exactly that rate, never a lucky zero.
 */
export function evenShare(rate: number): () => boolean {
  let calls = 0;
  return () => {
    calls++;
    return Math.floor(calls * rate) > Math.floor((calls - 1) * rate);
  };
}

export function noFaults(): FaultState {
  return {
    slowAgentsFactor: 1, slowAuthMs: 0, slowFirstTokenMs: 0, dropToolCompleted: false, noTerminal: false, agentError: false, skipTriage: false, skipBilling: false, garbledFrame: false,
    doubleBillingRate: 0, billTwice: () => false, dropSocket: () => false, dropSocketRate: 0, http500Rate: 0, dbDown: false, active: [],
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

type SwitchFlag = "dropToolCompleted" | "noTerminal" | "agentError" | "skipTriage" | "skipBilling" | "garbledFrame" | "dbDown";

/** The faults that are simply on, by the flag each sets; they take no value. */
const SWITCHES: Readonly<Record<string, SwitchFlag>> = {
  "drop-tool-completed": "dropToolCompleted",
  "no-terminal": "noTerminal",
  "agent-error": "agentError",
  "skip-triage": "skipTriage",
  "skip-billing": "skipBilling",
  "garbled-frame": "garbledFrame",
  "db-down": "dbDown",
};

export function parseFaults(spec: string | undefined): FaultState {
  const state = noFaults();
  if (!spec || spec.trim() === "" || spec.trim() === "none") return state;
  for (const part of spec.split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const colon = entry.indexOf(":");
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const raw = colon < 0 ? undefined : entry.slice(colon + 1);
    const flag = SWITCHES[name];
    if (flag) {
      if (raw !== undefined) throw new FaultSpecError(`fault ${name} takes no value`);
      state[flag] = true;
      state.active.push(name);
      continue;
    }
    switch (name) {
      case "slow-agents":
        state.slowAgentsFactor = number(name, raw, 10, 1, 1000);
        state.active.push(`${name}:${state.slowAgentsFactor}`);
        break;
      case "slow-auth":
        state.slowAuthMs = number(name, raw, 3000, 0, 600_000);
        state.active.push(`${name}:${state.slowAuthMs}`);
        break;
      case "slow-first-token":
        state.slowFirstTokenMs = number(name, raw, 2000, 0, 600_000);
        state.active.push(`${name}:${state.slowFirstTokenMs}`);
        break;
      case "double-billing":
        state.doubleBillingRate = number(name, raw, 1, 0, 1);
        state.billTwice = evenShare(state.doubleBillingRate);
        state.active.push(raw === undefined ? name : `${name}:${state.doubleBillingRate}`);
        break;
      case "drop-socket":
        state.dropSocketRate = number(name, raw, undefined, 0, 1);
        state.dropSocket = evenShare(state.dropSocketRate);
        state.active.push(`${name}:${state.dropSocketRate}`);
        break;
      case "http-500":
        state.http500Rate = number(name, raw, undefined, 0, 1);
        state.active.push(`${name}:${state.http500Rate}`);
        break;
      default:
        throw new FaultSpecError(
          `unknown fault "${name}" (known: slow-agents[:factor], slow-auth[:ms], slow-first-token[:ms], drop-tool-completed, no-terminal, agent-error, ` +
            `skip-triage, skip-billing, garbled-frame, double-billing[:rate], drop-socket:<rate>, http-500:<rate>, db-down)`,
        );
    }
  }
  return state;
}
