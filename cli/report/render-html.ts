import { rateBoundText } from '../../lib/sla-catalog.ts';
import { availabilityText, diffCells, errorsText, formatMs, formatPerSecond, formatRate, goodputText, inOneWindow, notMeasured, outageHeader, outageRow, slaHeader, slaRow } from './format.ts';
import { rowTitle } from './sla-catalog.ts';
import type { Report, SlaReport } from './report-model.ts';
import { escapeXml as esc, renderChart } from './svg-chart.ts';

const style = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600;color:#fff}
.pass{background:#1a7f37}.fail{background:#c62828}.nodata{background:#6b7280}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
th{background:#f3f4f6} td.FAIL{color:#c62828;font-weight:600} td.PASS{color:#1a7f37;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{border:1px solid #d0d7de;border-radius:6px;background:#fbfbfc}
.chart .title{font-weight:600;font-size:13px}.chart .axis{font-size:11px;fill:#57606a}
.chart .grid{stroke:#e5e7eb}.chart .threshold{stroke:#c62828;stroke-dasharray:6 4;stroke-width:1.5}
.chart .threshold-label{font-size:11px;fill:#c62828}.chart .outage{fill:#c62828;fill-opacity:.12}.chart .legend{font-size:12px;font-weight:600}
.notes{color:#57606a;font-size:12px}`;

/** The run's time axis and its outage windows, shared by every chart. */
function timeAxis(report: Report) {
  return {
    domain: { start: Date.parse(report.run.start), end: Date.parse(report.run.end) },
    shade: report.availability.windows.map((window) => ({ start: window.start, end: window.end, label: `outage: ${outageRow(window).join(' · ')}` })),
  };
}

function chartFor(entry: SlaReport, axis: ReturnType<typeof timeAxis>): string {
  const { sla, windows } = entry;
  if (sla.kind === 'latency') {
    return renderChart({
      ...axis,
      title: `${rowTitle(sla)}: ${sla.metric} p95 / p99 per window`,
      series: [
        { label: 'p95', color: '#1f6feb', points: windows.flatMap((w) => (w.p95 === undefined ? [] : [{ t: w.start, v: w.p95 }])) },
        { label: 'p99', color: '#8250df', points: windows.flatMap((w) => (w.p99 === undefined ? [] : [{ t: w.start, v: w.p99 }])) },
      ],
      threshold: { value: sla.p95BelowMs, label: `SLA p95 < ${formatMs(sla.p95BelowMs)}${sla.plan ? ` (${sla.plan}'s own)` : ''}` },
      formatY: formatMs,
    });
  }
  return renderChart({
    ...axis,
    title: `${sla.title}: ${sla.metric} rate per window`,
    series: [{ label: 'rate', color: '#1f6feb', points: windows.flatMap((w) => (w.rate === undefined ? [] : [{ t: w.start, v: w.rate }])) }],
    threshold: { value: sla.minRate, label: `SLA rate ${rateBoundText(sla.minRate)}` },
    formatY: formatRate,
  });
}

const htmlTable = (header: string[], body: string[][], verdictColumn?: number): string =>
  `<table><thead><tr>${header.map((cell) => `<th>${esc(cell)}</th>`).join('')}</tr></thead><tbody>${body
    .map((row) => `<tr>${row.map((cell, column) => `<td${column === verdictColumn ? ` class="${esc(cell)}"` : ''}>${esc(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

function goodputChart(report: Report): string {
  const windows = report.goodput?.windows ?? [];
  if (windows.length < 2) return '';
  return renderChart({
    ...timeAxis(report),
    title: 'goodput: runs/s that met every latency SLA, per window',
    series: [
      { label: 'goodput', color: '#1a7f37', points: windows.map((w) => ({ t: w.start, v: w.goodputPerS })) },
      { label: 'completed', color: '#6b7280', points: windows.map((w) => ({ t: w.start, v: w.completedPerS })) },
    ],
    formatY: (value) => `${formatPerSecond(value)}/s`,
  });
}

/** One self-contained page: no scripts, no external assets; the charts are inline SVG. */
export function renderHtml(report: Report): string {
  const axis = timeAxis(report);
  const unmeasured = notMeasured(report);
  const single = inOneWindow(report);
  const charted = report.slas.filter((entry) => !unmeasured.includes(entry) && !single.includes(entry));
  const names = (entries: SlaReport[]): string => esc(entries.map((entry) => rowTitle(entry.sla)).join(', '));
  const verdictClass = report.verdict === 'pass' ? 'pass' : report.verdict === 'fail' ? 'fail' : 'nodata';
  const baseline = report.baseline
    ? `<h2>Against baseline ${esc(report.baseline.testid)}: ${report.baseline.regressions} regression(s)</h2>${htmlTable(
        ['SLA', 'measure', 'baseline', 'current', 'change %', 'regressed'],
        report.baseline.rows.map((row) => [row.title, row.measure, diffCells(row.baseline, row.measure), diffCells(row.current, row.measure),
          row.deltaPct === undefined ? '–' : row.deltaPct.toFixed(1), row.regressed ? 'FAIL' : 'PASS']),
        5,
      )}`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SLA report ${esc(report.testid)}</title>
<style>${style}</style></head>
<body>
<h1>SLA report: ${esc(report.testid)} <span class="verdict ${verdictClass}">${esc(report.verdict.toUpperCase())}</span></h1>
<p>Run ${esc(report.run.start)} → ${esc(report.run.end)} (${report.run.durationS.toFixed(0)} s), ${report.run.points} samples, scenarios: ${esc(report.run.scenarios.join(', ') || '–')}. Windows of ${esc(formatMs(report.windowMs))}.</p>
${htmlTable(slaHeader, report.slas.map(slaRow), slaHeader.length - 1)}
${goodputText(report) ? `<p>${esc(goodputText(report)!)}.</p>` : ''}
${baseline}
<h2>Availability</h2>
<p>${esc(availabilityText(report))}. ${esc(errorsText(report))}.</p>
${report.availability.windows.length > 0 ? htmlTable(outageHeader, report.availability.windows.map(outageRow)) : ''}
<h2>Each SLA over time</h2>
${unmeasured.length > 0 ? `<p class="notes">Not measured (no samples, so no chart): ${names(unmeasured)}.</p>` : ''}
${single.length > 0 ? `<p class="notes">Measured in one ${esc(formatMs(report.windowMs))} window only, so no chart (see the table): ${names(single)}.</p>` : ''}
<div class="charts">
${charted.map((entry) => chartFor(entry, axis)).join('\n')}
${goodputChart(report)}
</div>
<h2>Method</h2>
<ul class="notes">${report.notes.map((note) => `<li>${esc(note)}</li>`).join('')}</ul>
</body></html>
`;
}
