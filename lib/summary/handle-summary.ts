import type { Config } from '../config.ts';
import type { SlaRow } from '../sla.ts';
import type { SummaryData } from './model.ts';
// Imported here, not only by the renderers: it requires k6/x/ledger, which k6 allows in the init stage alone.
import '../ledger.ts';

declare function require(name: string): unknown;

/**
 * The renderers run once, at the end of the test: loaded then, so no VU evaluates them at start.
 * (esbuild wraps a required module and evaluates it on first use.)
 */
function renderers() {
  return {
    ...(require('./junit.ts') as typeof import('./junit.ts')),
    ...(require('./markdown.ts') as typeof import('./markdown.ts')),
    ...(require('./model.ts') as typeof import('./model.ts')),
    ...(require('./text-table.ts') as typeof import('./text-table.ts')),
    ...(require('./availability.ts') as typeof import('./availability.ts')),
  };
}

/**
 * handleSummary for a scenario: the SLA table on stdout and three files in SUMMARY_DIR
 * (which must exist; k6 does not create directories). Built only from metric aggregates
 * and check names, so no token or password can reach a report.
 */
export function summaryHandler(config: Config, scenario: string, rows: readonly SlaRow[]) {
  return (data: SummaryData): Record<string, string> => {
    const { availabilityLines, availabilityOf, buildSummary, junitXml, markdownReport, offendingRuns, textTable } = renderers();
    const summary = buildSummary(data, { scenario, profile: config.profile }, rows);
    const availability = availabilityOf(data);
    const offending = offendingRuns();
    const extra = [...availabilityLines(availability), ...(offending ?? []).map((run) => `offending run ${run.run_id} (${run.plan}): ${run.problem}`)];
    const dir = config.summaryDir;
    return {
      stdout: textTable(summary, extra),
      [`${dir}/junit.xml`]: junitXml(summary),
      [`${dir}/sla-summary.json`]: `${JSON.stringify({ ...summary, availability, offending_runs: offending }, null, 2)}\n`,
      [`${dir}/sla-summary.md`]: markdownReport(summary, extra),
    };
  };
}
