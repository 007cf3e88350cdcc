import type { Measured, SlaResult, SlaSummary } from './model.ts';

export const formatMs = (value: number | null): string => (value === null ? '-' : `${value.toFixed(1)} ms`);
const formatRate = (m: Measured): string => (m.rate === null ? '-' : `${(m.rate * 100).toFixed(2)}%`);

/** One line of the SLA table: a verdict, or one of its breakdown cells ("scenario:x", "plan:pro"). */
export interface TableRow {
  sla: SlaResult;
  /** '' for the verdict itself. */
  part: string;
  cells: { p95: string; p99: string; rate: string; count: string };
  ok: boolean;
}

function row(sla: SlaResult, part: string, m: Measured): TableRow {
  const latency = sla.kind === 'latency';
  return {
    sla, part, ok: m.ok,
    cells: { p95: latency ? formatMs(m.p95) : '', p99: latency ? formatMs(m.p99) : '', rate: latency ? '' : formatRate(m), count: String(m.count) },
  };
}

/** Every verdict followed by its per-scenario and per-plan rows; the text, Markdown and JUnit reports all read this. */
export function tableRows(summary: SlaSummary): TableRow[] {
  return summary.slas.flatMap((sla) => [
    row(sla, '', sla),
    ...Object.entries(sla.breakdown.scenario).map(([name, m]) => row(sla, `scenario:${name}`, m)),
    ...Object.entries(sla.breakdown.plan).map(([name, m]) => row(sla, `plan:${name}`, m)),
  ]);
}

/** Why a row failed, in one line. */
export function failureText(r: TableRow): string {
  const what = `${r.sla.name}${r.part ? ` [${r.part}]` : ''}`;
  if (r.cells.count === '0') return `${what}: no samples of ${r.sla.metric}`;
  const measured = r.sla.kind === 'latency' ? `p95 ${r.cells.p95}` : `rate ${r.cells.rate}`;
  return `${what}: ${measured} breaks ${r.sla.threshold} (${r.cells.count} samples)`;
}

export function verdictLine(summary: SlaSummary): string {
  if (summary.passed) return 'PASS: every SLA held';
  if (summary.iterations === 0) return 'FAIL: no iteration completed';
  return `FAIL: ${summary.slas.filter((s) => !s.ok).map((s) => s.name).join(', ')}`;
}

export function headline(summary: SlaSummary): string {
  return `${(summary.test_run_duration_ms / 1000).toFixed(1)} s, ${summary.iterations} iterations, ` +
    `${summary.runs.completed} agent runs completed, ${summary.runs.failed} failed`;
}
