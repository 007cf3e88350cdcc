import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../../build/paths.ts';
import { defaultInfluxDatabase } from '../influx-output.ts';
import { isValidTestId } from '../testid.ts';
import { redactUrl, withoutCredentials } from '../url-credentials.ts';
import { defaultTolerance, diffAgainstBaseline, type RegressionTolerance } from './baseline-diff.ts';
import type { InfluxTarget } from './influx-client.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderText } from './render-text.ts';
import { methodNotes, verdictOf, type Report, type SlaReport } from './report-model.ts';
import { findRunRange } from './run-range.ts';
import { slaHeld, wholeRunStats } from './run-stats.ts';
import { compliance, windowSeries } from './run-windows.ts';
import { judgedRows, rowKey, slaCatalog, type SlaOverrides } from './sla-catalog.ts';
import { goodputOf } from './run-goodput.ts';
import { outagesOf } from './run-outages.ts';
import { defaultWindowMs } from './report-window.ts';

export interface ReportOptions {
  testid: string;
  /** Another run's testid to diff against. */
  baseline?: string;
  /** InfluxDB base URL; a path names the database. Default http://127.0.0.1:8086 (database k6). */
  influxUrl?: string;
  /** Where report.md, report.json and report.html go; default reports/<testid>. */
  outDir?: string;
  /** Compliance window; by default one that cuts the run into 30 to 60 windows, at least 10 s. */
  windowMs?: number;
  sla?: SlaOverrides;
  tolerance?: RegressionTolerance;
  /** Receives the terminal table; default console.log. */
  print?: (text: string) => void;
}

export interface ReportOutcome {
  report: Report;
  text: string;
  files: { markdown: string; json: string; html: string };
}

export class ReportConfigError extends Error {}

export function influxTargetOf(url: string): InfluxTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ReportConfigError(`--influx: "${url}" is not a URL (e.g. http://127.0.0.1:8086)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ReportConfigError(`--influx: "${redactUrl(url)}" must be http:// or https://`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, '')) || defaultInfluxDatabase;
  const { headers } = withoutCredentials(url);
  return { url: `${parsed.protocol}//${parsed.host}`, database, ...(headers.authorization ? { authorization: headers.authorization } : {}) };
}

function checkOptions(options: ReportOptions): void {
  for (const [flag, value] of [['--testid', options.testid], ['--baseline', options.baseline]] as const) {
    if (value !== undefined && !isValidTestId(value)) throw new ReportConfigError(`${flag}: "${value}" is not a test id (letters, digits, . _ -)`);
  }
  if (options.windowMs !== undefined && (!Number.isFinite(options.windowMs) || options.windowMs < 1000)) {
    throw new ReportConfigError(`--window: ${options.windowMs} ms is too small; use at least 1s`);
  }
}

/** Builds the SLA report of one run from InfluxDB aggregates, prints its table and writes Markdown, JSON and HTML. */
export async function runReport(options: ReportOptions): Promise<ReportOutcome> {
  checkOptions(options);
  const target = influxTargetOf(options.influxUrl ?? 'http://127.0.0.1:8086');
  // Every SLA, and a row of its own for each plan with its own bound (agent.enterprise=15s).
  const slas = judgedRows(slaCatalog(options.sla));
  const range = await findRunRange(target, options.testid);
  const windowMs = options.windowMs ?? defaultWindowMs(range.end - range.start);
  const [stats, windows, goodput, availability] = await Promise.all([
    wholeRunStats(target, options.testid, slas),
    windowSeries(target, options.testid, slas, range, windowMs),
    goodputOf(target, options.testid, range, windowMs),
    outagesOf(target, options.testid, range),
  ]);
  const entries: SlaReport[] = slas.map((sla) => {
    const points = windows.get(rowKey(sla)) ?? [];
    const own = stats.get(rowKey(sla))!;
    return { sla, stats: own, held: slaHeld(sla, own), windows: points, compliance: compliance(points) };
  });
  const report: Report = {
    testid: options.testid,
    generatedAt: new Date().toISOString(),
    influx: { url: target.url, database: target.database },
    run: {
      start: new Date(range.start).toISOString(),
      end: new Date(range.end).toISOString(),
      durationS: (range.end - range.start) / 1000,
      points: range.points,
      scenarios: range.scenarios,
    },
    windowMs,
    verdict: verdictOf(entries),
    slas: entries,
    ...(goodput ? { goodput } : {}),
    availability,
    notes: methodNotes,
  };
  if (options.baseline) {
    await findRunRange(target, options.baseline);
    const baselineStats = await wholeRunStats(target, options.baseline, slas);
    report.baseline = diffAgainstBaseline(options.baseline, entries, baselineStats, options.tolerance ?? defaultTolerance);
  }
  const text = renderText(report);
  (options.print ?? console.log)(text);
  const outDir = resolve(options.outDir ?? join(repoRoot, 'reports', options.testid));
  mkdirSync(outDir, { recursive: true });
  const files = { markdown: join(outDir, 'report.md'), json: join(outDir, 'report.json'), html: join(outDir, 'report.html') };
  writeFileSync(files.markdown, renderMarkdown(report));
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.html, renderHtml(report));
  return { report, text, files };
}
