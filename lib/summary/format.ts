import { formatMs, formatPerSecond, formatRate, NO_VALUE } from '../format.ts';
import type { Measured, SlaResult, SlaSummary, VerdictStatus } from './model.ts';

/** One line of the SLA table: a verdict, or one of its breakdown cells ("scenario:x", "plan:pro"). */
export interface TableRow {
  sla: SlaResult;
  /** '' for the verdict itself. */
  part: string;
  cells: { p95: string; p99: string; rate: string; count: string };
  /** The threshold that applied to this row: a plan with its own bound has its own. */
  threshold: string;
  /** A plan row with its own bound (SLA_AGENT_MS_ENTERPRISE). */
  ownBound: boolean;
  status: VerdictStatus;
}

/** The result column of every rendering. */
export const STATUS_TEXT: Readonly<Record<VerdictStatus, string>> = { pass: 'pass', fail: 'FAIL', not_measured: 'not measured' };

const row = (sla: SlaResult, part: string, m: Measured & { threshold?: string; own_bound?: boolean }, status: VerdictStatus): TableRow => {
  const latency = sla.kind === 'latency';
  const blankUnless = (wanted: boolean, text: string): string => (wanted ? text : '');
  return {
    sla, part, status, threshold: m.threshold ?? sla.threshold, ownBound: m.own_bound === true,
    cells: {
      p95: blankUnless(latency, formatMs(m.p95)),
      p99: blankUnless(latency, formatMs(m.p99)),
      rate: blankUnless(!latency, formatRate(m.rate)),
      count: String(m.count),
    },
  };
};

/**
 * Every verdict followed by its per-scenario and per-plan rows, each with the status of its own threshold (k6's),
 * so a plan that breaks its own bound is the one failed row; the text, Markdown and JUnit reports all read this.
 */
export const tableRows = (summary: SlaSummary): TableRow[] => {
  return summary.slas.flatMap((sla) => [
    row(sla, '', sla, sla.overall_status),
    ...Object.entries(sla.breakdown.scenario).map(([name, m]) => row(sla, `scenario:${name}`, m, m.status)),
    ...Object.entries(sla.breakdown.plan).map(([name, m]) => row(sla, `plan:${name}`, m, m.status)),
  ]);
};

export const rowName = (r: TableRow): string => `${r.sla.name}${r.part ? ` [${r.part}]` : ''}`;

/** Why a row failed, or why it has no verdict, in one line. */
export const failureText = (r: TableRow): string => {
  if (r.status === 'not_measured') return `${rowName(r)}: not measured, no samples of ${r.sla.metric}`;
  const measured = r.sla.kind === 'latency' ? `p95 ${r.cells.p95}` : `rate ${r.cells.rate}`;
  return `${rowName(r)}: ${measured} breaks ${r.threshold} (${r.cells.count} samples)`;
};

const notMeasured = (summary: SlaSummary): string[] => summary.slas.filter((s) => s.status === 'not_measured').map((s) => s.name);

/** "agent response" when the SLA failed overall; "agent response [plan:enterprise]" when only some of its rows did. */
const failedParts = (sla: SlaResult): string => {
  const plans = Object.entries(sla.breakdown.plan).filter(([, m]) => !m.ok).map(([name]) => `plan:${name}`);
  const whole = Object.values(sla.breakdown.scenario).some((m) => !m.ok);
  return whole || plans.length === 0 ? sla.name : `${sla.name} [${plans.join(', ')}]`;
};

export const verdictLine = (summary: SlaSummary): string => {
  const unmeasured = notMeasured(summary);
  if (summary.passed) return unmeasured.length === 0 ? 'PASS: every SLA held' : `PASS: every measured SLA held; not measured: ${unmeasured.join(', ')}`;
  if (summary.iterations === 0) return 'FAIL: no iteration completed';
  const failed = summary.slas.filter((s) => !s.ok).map(failedParts);
  if (failed.length > 0) return `FAIL: ${failed.join(', ')}`;
  return `FAIL: nothing was measured (no SLA had a sample: ${unmeasured.join(', ') || 'the scenario covers none'})`;
};

/** "goodput: 3.20 runs/s (of 3.50 completed/s)"; undefined for a scenario that runs no agent. */
export const goodputLine = (summary: SlaSummary): string | undefined => {
  if (summary.goodput_per_s === null) return undefined;
  return `goodput: ${formatPerSecond(summary.goodput_per_s)} runs/s (of ${formatPerSecond(summary.completed_per_s)} completed/s)`;
};

export const headline = (summary: SlaSummary): string => {
  return `${(summary.test_run_duration_ms / 1000).toFixed(1)} s, ${summary.iterations} iterations, ` +
    `${summary.runs.completed} agent runs completed, ${summary.runs.failed} failed`;
};

export { NO_VALUE };
