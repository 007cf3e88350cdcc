import { availabilityText, diffCells, errorsText, formatMs, formatPerSecond, goodputText, outageHeader, outageRow, slaHeader, slaRow } from './format.ts';
import type { Report } from './report-model.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|');
const mdTable = (header: string[], body: string[][]): string[] => [
  `| ${header.map(cell).join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...body.map((row) => `| ${row.map(cell).join(' | ')} |`),
];

export function renderMarkdown(report: Report): string {
  const lines = [
    `# SLA report: ${report.testid}`,
    '',
    `**Verdict: ${report.verdict.toUpperCase()}** · run ${report.run.start} → ${report.run.end} (${report.run.durationS.toFixed(0)} s) · ${report.run.points} samples · scenarios: ${report.run.scenarios.join(', ') || '–'}`,
    '',
    ...mdTable(slaHeader, report.slas.map(slaRow)),
    '',
    `Windows of ${formatMs(report.windowMs)}.`,
  ];
  const goodput = goodputText(report);
  if (goodput && report.goodput) {
    lines.push('', `${goodput}.`, '');
    lines.push(...mdTable(['window', 'goodput runs/s', 'completed runs/s'], report.goodput.windows.map((w) => [
      new Date(w.start).toISOString(), formatPerSecond(w.goodputPerS), formatPerSecond(w.completedPerS),
    ])));
  }
  lines.push('', '## Availability', '', `${availabilityText(report)}.`, '', `${errorsText(report)}.`);
  if (report.availability.windows.length > 0) lines.push('', ...mdTable(outageHeader, report.availability.windows.map(outageRow)));
  if (report.baseline) {
    lines.push('', `## Against baseline ${report.baseline.testid}`, '', `${report.baseline.regressions} regression(s).`, '');
    lines.push(...mdTable(['SLA', 'measure', 'baseline', 'current', 'change %', 'regressed'], report.baseline.rows.map((row) => [
      row.title, row.measure, diffCells(row.baseline, row.measure), diffCells(row.current, row.measure),
      row.deltaPct === undefined ? '–' : row.deltaPct.toFixed(1), row.regressed ? 'yes' : 'no',
    ])));
  }
  lines.push('', '## Method', '', ...report.notes.map((note) => `- ${note}`), '');
  return lines.join('\n');
}
