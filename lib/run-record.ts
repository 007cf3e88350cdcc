import { check } from 'k6';
import { benchOff } from './bench-switches.ts';
import type { Dialect, RunMode } from './dialects/dialect.ts';
import type { LifecycleEvent } from './dialects/lifecycle.ts';
import {
  agentEventLatency, agentEventSequenceOk, agentFramesIgnored, agentResponseDuration, agentRunOk, agentRunsCompleted, agentRunsFailed,
  agentGoodputRuns, agentInterTokenLatency, agentOutputTokensPerSecond, agentTimeToFirstEvent, agentTimeToFirstToken, authDuration,
  orchestrationDuration, wsCloseCodes,
} from './metrics.ts';
import type { Usage } from './dialects/lifecycle.ts';
import { ledger } from './ledger.ts';

export type FailureReason = 'timeout' | 'agent_error' | 'closed' | 'invalid' | 'refused';

/**
 * The one place a session's and a run's metrics and checks are written. Each failure counts against the one verdict it belongs to:
 * a stream that broke the protocol against "event sequence well-formed", a run cut off by the transport
 * (socket closed, timeout) or failed by the backend (an error event) against "agent runs completed".
 */

/** Tag objects by plan and frame type, built once: a sample per event must not allocate its tags. */
const eventTags: Record<string, Record<string, Record<string, string>>> = {};

function tagsFor(tags: Record<string, string>, type: string): Record<string, string> {
  const byType = (eventTags[tags.plan ?? ''] ??= {});
  return (byType[type] ??= { ...tags, event_type: type });
}

/** The socket opened: the handshake's time, as auth_duration (PROTOCOL.md's auth SLA covers login and handshake). */
export function recordSessionOpened(handshakeMs: number, socketTags: Record<string, string>): void {
  authDuration.add(handshakeMs, socketTags);
}

const closeCodeTags: Record<string, Record<string, string>> = {};

/** The socket closed, with its code ('none' when k6 saw none). Not tagged by plan: the close-code panel shows all. */
export function recordSessionClosed(code: number | undefined): void {
  const key = code === undefined ? 'none' : String(code);
  wsCloseCodes.add(1, closeCodeTags[key] ?? (closeCodeTags[key] = { close_code: key }));
}

const latencyOf = (mode: RunMode) => (mode === 'orchestration' ? orchestrationDuration : agentResponseDuration);

/** Per frame of a run: its latency since the user message, and the time to the first one. */
export function recordEvent(event: LifecycleEvent, elapsedMs: number, first: boolean, tags: Record<string, string>): void {
  if (benchOff.samples) return;
  if (first) agentTimeToFirstEvent.add(elapsedMs, tags);
  if (event.kind === 'ignorable') agentFramesIgnored.add(1, tags);
  else agentEventLatency.add(elapsedMs, tagsFor(tags, event.type));
}

/** A text delta `elapsedMs` after the user message; `previousMs` is the run's last delta (-1: none yet). */
export function recordTextDelta(elapsedMs: number, previousMs: number, tags: Record<string, string>): void {
  if (benchOff.samples) return;
  if (previousMs < 0) agentTimeToFirstToken.add(elapsedMs, tags);
  else agentInterTokenLatency.add(elapsedMs - previousMs, tags);
}

/** A run that completed well-formed: its output rate, and whether it counts toward goodput. */
export function recordCompletion(usage: Usage | undefined, responseMs: number, metEveryLatencySla: boolean, tags: Record<string, string>): void {
  if (usage && usage.output_tokens > 0 && responseMs > 0) agentOutputTokensPerSecond.add(usage.output_tokens / (responseMs / 1000), tags);
  if (metEveryLatencySla) agentGoodputRuns.add(1, tags);
}

/**
 * A run that ended: with its terminal event (elapsedMs set), or with a frame that is not JSON (undefined).
 * Returns why it failed, if it did.
 */
export function recordRun(mode: RunMode, wellFormed: boolean, errored: boolean, elapsedMs: number | undefined, tags: Record<string, string>): FailureReason | undefined {
  agentEventSequenceOk.add(wellFormed, tags);
  if (errored) {
    agentRunOk.add(false, tags);
    agentRunsFailed.add(1, { ...tags, reason: 'agent_error' });
    return 'agent_error';
  }
  if (elapsedMs !== undefined) {
    latencyOf(mode).add(elapsedMs, tags);
    agentRunOk.add(true, tags);
  }
  if (!wellFormed) {
    agentRunsFailed.add(1, { ...tags, reason: 'invalid' });
    return 'invalid';
  }
  agentRunsCompleted.add(1, tags);
  return undefined;
}

let offendingNoted = 0;

/**
 * A run that completed but broke a correctness verdict (its stream, its billing): the summary lists
 * the first few, by run id and plan and what was wrong. Ids and messages only, never a token.
 */
export function noteOffendingRun(runId: string, plan: string, what: string): void {
  if (!ledger || offendingNoted >= 3) return;
  offendingNoted++;
  ledger.add('offending-runs', `${runId || '(no run id)'}\t${plan}\t${what.slice(0, 200)}`);
}

/** No terminal event in time: counted at the timeout, so silence never improves p95. */
export function recordTimeout(mode: RunMode, elapsedMs: number, tags: Record<string, string>): void {
  latencyOf(mode).add(elapsedMs, tags);
  agentRunOk.add(false, tags);
  agentRunsFailed.add(1, { ...tags, reason: 'timeout' });
}

/** The session for a run could not be opened (refused, reset, down): the run never started, and counts as not completed. */
export function recordRunNotStarted(tags: Record<string, string>): void {
  agentRunOk.add(false, tags);
  agentRunsFailed.add(1, { ...tags, reason: 'refused' });
}

/** The socket closed mid-run: delivery failed, not the protocol. */
export function recordTransportCut(tags: Record<string, string>): void {
  agentRunOk.add(false, tags);
  agentRunsFailed.add(1, { ...tags, reason: 'closed' });
}

/** agent-events' promise: every run shows the lifecycle the dialect streams (order is the validator's job). */
/** The check of each dialect's lifecycle, built on first use: runs are many, dialects one. */
const lifecycleChecks = new Map<Dialect, Record<string, (events: readonly LifecycleEvent[]) => boolean>>();

function lifecycleCheckOf(dialect: Dialect): Record<string, (events: readonly LifecycleEvent[]) => boolean> {
  let checks = lifecycleChecks.get(dialect);
  if (!checks) {
    const rule = dialect.lifecycleCheck;
    checks = { [rule.name]: (events) => rule.kinds.every((kind) => events.some((event) => event.kind === kind)) };
    lifecycleChecks.set(dialect, checks);
  }
  return checks;
}

export function checkLifecycle(dialect: Dialect, events: readonly LifecycleEvent[], tags: Record<string, string>): boolean {
  if (benchOff.checks) return true;
  return check(events, lifecycleCheckOf(dialect), tags);
}
