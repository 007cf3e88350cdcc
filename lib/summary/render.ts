import type { Config } from '../config.ts';
import { slaRows, type VerdictId } from '../sla.ts';
import { availabilityLines, availabilityOf, offendingRuns } from './availability.ts';
import { junitXml } from './junit.ts';
import { markdownReport } from './markdown.ts';
import { buildSummary, type SummaryData } from './model.ts';
import { textTable } from './text-table.ts';

/**
 * The SLA table on stdout and three files in SUMMARY_DIR. The rows are built here, from the same config and
 * verdicts as the thresholds (testPlan), rather than kept from the init stage: that way no VU holds them.
 */
export const renderSummary = (config: Config, scenario: string, covers: readonly VerdictId[], data: SummaryData): Record<string, string> => {
  const summary = buildSummary(data, { scenario, profile: config.profile }, slaRows(config, covers, [scenario]));
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
