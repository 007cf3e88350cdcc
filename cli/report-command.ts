import { defaultInfluxUrl } from './influx-ping.ts';
import { optionHelpLines, parseCommand, type OptionTable } from './option-table.ts';
import { PreflightError } from './preflight-error.ts';
import { parseDurationMs } from '../lib/duration.ts';
import { parseSlaSpec, slaOptionHelp } from './sla-spec.ts';
import { InfluxQueryError } from './report/influx-client.ts';
import { UnknownTestIdError } from './report/run-range.ts';
import { ReportConfigError, runReport, type ReportOptions } from './report/run-report.ts';

export const reportOptions = {
  testid: { type: 'string', value: 'ID', description: 'the run to report on (the testid `agent-sla run` printed); required' },
  baseline: { type: 'string', value: 'ID', description: 'another run to compare with: prints a regression diff' },
  influx: { type: 'string', value: 'URL', description: `InfluxDB the run streamed to; a path names the database (default ${defaultInfluxUrl}/k6)` },
  'out-dir': { type: 'string', value: 'DIR', description: 'where report.md, report.json and report.html go (default: reports/<testid>/)' },
  window: { type: 'string', value: 'D', description: 'compliance window: the share of windows of this length where each SLA held (default: 30 to 60 windows over the run, at least 10s)' },
  sla: {
    type: 'string',
    value: 'LIST',
    description: `judge against these bounds instead of the defaults: ${slaOptionHelp}`,
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

export function reportHelp(): string {
  return [
    'Usage: agent-sla report --testid ID [options]',
    '',
    'The SLA report of a run that streamed to InfluxDB (agent-sla run --influx URL), computed with InfluxQL',
    'aggregates in the database: whole-run p95/p99 and rates per SLA (p95 as k6 computes it), the share of',
    'time windows within each SLA, errors by kind, outage windows and the backend\'s availability, and with',
    '--baseline a regression diff. Prints the table and writes Markdown, JSON and a self-contained HTML page',
    'with a chart per measured SLA, outage windows shaded.',
    '',
    'Options:',
    ...optionHelpLines(reportOptions),
    '',
    'Exit codes: 0 every SLA held; 99 an SLA failed; 1 no such run, or InfluxDB failed; 2 bad options.',
  ].join('\n');
}

function reportOptionsOf(values: Record<string, string | boolean | undefined>): ReportOptions {
  const testid = values.testid as string | undefined;
  if (!testid) throw new PreflightError('--testid is required (the testid a run printed; see agent-sla report --help)');
  const options: ReportOptions = { testid };
  if (typeof values.baseline === 'string') options.baseline = values.baseline;
  if (typeof values.influx === 'string') options.influxUrl = values.influx;
  if (typeof values['out-dir'] === 'string') options.outDir = values['out-dir'];
  if (typeof values.window === 'string') {
    const ms = parseDurationMs(values.window);
    if (ms === undefined) throw new PreflightError(`--window: "${values.window}" is not a duration (e.g. 30s, 1m)`);
    options.windowMs = ms;
  }
  if (typeof values.sla === 'string') options.sla = parseSlaSpec(values.sla);
  return options;
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('report', argv, reportOptions);
  if (values.help) {
    console.log(reportHelp());
    return 0;
  }
  if (positionals.length > 0) throw new PreflightError(`unexpected argument ${positionals[0]} (see agent-sla report --help)`);
  const options = reportOptionsOf(values);
  try {
    const outcome = await runReport(options);
    console.log(`\nwrote ${outcome.files.markdown}, ${outcome.files.json}, ${outcome.files.html}`);
    return outcome.report.verdict === 'pass' ? 0 : outcome.report.verdict === 'fail' ? 99 : 1;
  } catch (error) {
    if (error instanceof ReportConfigError) throw new PreflightError(error.message);
    if (error instanceof InfluxQueryError || error instanceof UnknownTestIdError) {
      console.error(`agent-sla report: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
