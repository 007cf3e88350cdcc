import { goodputLine, headline, STATUS_TEXT, tableRows, verdictLine } from './format.ts';
import type { SlaSummary } from './model.ts';

/**
 * The SLA table k6 prints on stdout instead of its own end-of-test summary. `notes` (errors by kind,
 * outage windows, availability, offending runs) go under the table, before the verdict line.
 */
export const textTable = (summary: SlaSummary, notes: readonly string[] = []): string => {
  const header = ['SLA', 'p95', 'p99', 'rate', 'samples', 'threshold', 'result'];
  const rows = tableRows(summary).map((r) => [
    r.part ? `  ${r.part}` : r.sla.name, r.cells.p95, r.cells.p99, r.cells.rate, r.cells.count, r.threshold + (r.ownBound ? ' (own)' : ''), STATUS_TEXT[r.status],
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const failedChecks = summary.checks.filter((c) => c.fails > 0).map((c) => `check failed ${c.fails}x: ${c.name}`);
  const goodput = goodputLine(summary);
  return [
    '', `agent-sla ${summary.scenario} (${summary.profile}): ${headline(summary)}`, line(header), ...rows.map(line), ...failedChecks,
    ...(goodput ? [goodput] : []), ...notes, verdictLine(summary), '',
  ].join('\n');
};
