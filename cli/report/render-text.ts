import { availabilityText, diffCells, errorsText, formatMs, goodputText, outageHeader, outageRow, slaHeader, slaRow } from './format.ts';
import type { Report } from './report-model.ts';

function table(header: string[], body: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...body.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...body.map(line)].join('\n');
}

/** The terminal rendering: the SLA table, window size, errors and outages, and the baseline diff when there is one. */
export function renderText(report: Report): string {
  const lines = [
    `agent-sla report ${report.testid}: ${report.verdict.toUpperCase()}`,
    `run ${report.run.start} → ${report.run.end} (${report.run.durationS.toFixed(0)} s, ${report.run.points} samples, scenarios: ${report.run.scenarios.join(', ') || '–'})`,
    '',
    table(slaHeader, report.slas.map(slaRow)),
    '',
    `windows: ${formatMs(report.windowMs)} each; a window is within SLA when its own p95 (or rate) meets the threshold.`,
  ];
  const goodput = goodputText(report);
  if (goodput) lines.push(goodput);
  lines.push(errorsText(report), availabilityText(report));
  if (report.availability.windows.length > 0) lines.push(table(outageHeader, report.availability.windows.map(outageRow)));
  if (report.baseline) {
    lines.push('', `against baseline ${report.baseline.testid}: ${report.baseline.regressions} regression(s)`);
    lines.push(table(['SLA', 'measure', 'baseline', 'current', 'change', ''], report.baseline.rows.map((row) => [
      row.title, row.measure, diffCells(row.baseline, row.measure), diffCells(row.current, row.measure),
      row.deltaPct !== undefined ? `${row.deltaPct >= 0 ? '+' : ''}${row.deltaPct.toFixed(1)} %` : row.delta !== undefined ? diffCells(row.delta, row.measure) : '–',
      row.regressed ? 'REGRESSION' : '',
    ])));
  }
  return lines.join('\n');
}
