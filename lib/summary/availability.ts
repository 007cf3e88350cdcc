import { ledger } from '../ledger.ts';
import { MIN_OUTAGE_MS } from '../outage-rules.ts';
import type { SummaryData } from './model.ts';

export interface OutageWindow {
  start: string;
  end: string;
  duration_ms: number;
  /** The error kinds seen in it. */
  kinds: string[];
}

/** The backend's availability as the VUs saw it; null where the runtime cannot tell (a stock k6 has no agent-sla/ledger). */
export interface Availability {
  errors_by_kind: Record<string, number> | null;
  errors: number;
  /** Iterations an arrival-rate profile could not start (k6's dropped_iterations). */
  dropped_iterations: number;
  outage_windows: OutageWindow[] | null;
  /** The share of the run outside outage windows. */
  availability: number | null;
  /** False when AG-UI runs were read as one buffered response (a stock k6, without agent-sla/sse): no time to first token or inter-token latency. */
  per_event_times: boolean;
}

export { MIN_OUTAGE_MS };

interface Span {
  start: number;
  lastFailure: number;
  up: number | undefined;
  kinds: Set<string>;
}

/** Each VU's spans of transport errors, from its ledger notes (`vu since at kind|up`). */
const spansOf = (notes: readonly string[]): Span[] => {
  const spans = new Map<string, Span>();
  for (const note of notes) {
    const [vu, since, at, what] = note.split(' ');
    const key = `${vu} ${since}`;
    const span = spans.get(key) ?? { start: Number(since), lastFailure: Number(since), up: undefined, kinds: new Set<string>() };
    if (what === 'up') span.up = Number(at);
    else {
      span.lastFailure = Math.max(span.lastFailure, Number(at));
      span.kinds.add(what ?? '');
    }
    spans.set(key, span);
  }
  return [...spans.values()];
};

/**
 * Outage windows: the VUs' spans of at least MIN_OUTAGE_MS that overlap are one window, from the
 * first failure to the first time any of them reached the backend again (or their last failure,
 * if the test ended first).
 */
export const outageWindows = (notes: readonly string[]): Array<{ start: number; end: number; kinds: string[] }> => {
  const spans = spansOf(notes)
    .map((span) => ({ ...span, end: span.up ?? span.lastFailure }))
    .filter((span) => span.end - span.start >= MIN_OUTAGE_MS)
    .sort((a, b) => a.start - b.start);
  const windows: Array<{ start: number; end: number; lastEnd: number; kinds: Set<string> }> = [];
  for (const span of spans) {
    const open = windows[windows.length - 1];
    if (open && span.start <= open.lastEnd) {
      open.lastEnd = Math.max(open.lastEnd, span.end);
      if (span.up !== undefined) open.end = Math.min(open.end, span.up);
      for (const kind of span.kinds) open.kinds.add(kind);
    } else windows.push({ start: span.start, end: span.end, lastEnd: span.end, kinds: new Set(span.kinds) });
  }
  return windows.map((window) => ({ start: window.start, end: window.end, kinds: [...window.kinds].sort() }));
};

export const availabilityOf = (data: SummaryData, now = Date.now()): Availability => {
  const count = (metric: string): number => data.metrics[metric]?.values.count ?? 0;
  const base = {
    errors: count('agent_errors'),
    dropped_iterations: count('dropped_iterations'),
    per_event_times: count('agent_streams_buffered') === 0,
  };
  if (!ledger) return { ...base, errors_by_kind: null, outage_windows: null, availability: null };
  const windows = outageWindows(ledger.list('outages'));
  const runMs = data.state.testRunDurationMs;
  const downMs = windows.reduce((sum, window) => sum + (window.end - window.start), 0);
  return {
    ...base,
    errors_by_kind: ledger.counts('errors'),
    outage_windows: windows.map((window) => ({
      start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString(), duration_ms: window.end - window.start, kinds: window.kinds,
    })),
    availability: runMs > 0 && now > 0 ? Math.max(0, 1 - downMs / runMs) : null,
  };
};

/** Runs that broke a correctness verdict, the first few (run id, plan, what was wrong); null without the ledger. */
export const offendingRuns = (): Array<{ run_id: string; plan: string; problem: string }> | null => {
  if (!ledger) return null;
  return ledger.list('offending-runs').slice(0, 5).map((note) => {
    const [runId = '', plan = '', problem = ''] = note.split('\t');
    return { run_id: runId, plan, problem };
  });
};

/** Lines for the end-of-test table; none when the run met no error. */
export const availabilityLines = (availability: Availability): string[] => {
  const lines: string[] = [];
  if (availability.errors > 0) {
    const kinds = availability.errors_by_kind
      ? Object.entries(availability.errors_by_kind).sort(([, a], [, b]) => b - a).map(([kind, n]) => `${kind} ${n}`).join(', ')
      : "by kind: needs agent-sla's engine (agent-sla/ledger)";
    lines.push(`errors: ${availability.errors} (${kinds})`);
  }
  if (availability.dropped_iterations > 0) lines.push(`dropped iterations: ${availability.dropped_iterations}`);
  for (const window of availability.outage_windows ?? []) {
    lines.push(`outage: ${window.start} → ${window.end} (${(window.duration_ms / 1000).toFixed(1)} s; ${window.kinds.join(', ')})`);
  }
  if (availability.availability !== null && (availability.outage_windows?.length ?? 0) > 0) {
    lines.push(`backend availability: ${(availability.availability * 100).toFixed(2)}% of the run`);
  }
  if (!availability.per_event_times) lines.push('per-event times: not available (a stock k6 has no agent-sla/sse): AG-UI streams were read whole; no time to first token or inter-token latency');
  return lines;
};
