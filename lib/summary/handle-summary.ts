import type { Config } from '../config.ts';
import type { SlaRow } from '../sla.ts';
import { junitXml } from './junit.ts';
import { markdownReport } from './markdown.ts';
import { buildSummary, type SummaryData } from './model.ts';
import { textTable } from './text-table.ts';

/**
 * handleSummary for a scenario: the SLA table on stdout and three files in SUMMARY_DIR
 * (which must exist; k6 does not create directories). Built only from metric aggregates
 * and check names, so no token or password can reach a report.
 */
export function summaryHandler(config: Config, scenario: string, rows: readonly SlaRow[]) {
  return (data: SummaryData): Record<string, string> => {
    const summary = buildSummary(data, { scenario, profile: config.profile }, rows);
    const dir = config.summaryDir;
    return {
      stdout: textTable(summary),
      [`${dir}/junit.xml`]: junitXml(summary),
      [`${dir}/sla-summary.json`]: `${JSON.stringify(summary, null, 2)}\n`,
      [`${dir}/sla-summary.md`]: markdownReport(summary),
    };
  };
}
