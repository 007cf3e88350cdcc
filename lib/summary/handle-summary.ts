import type { Config } from '../config.ts';
import type { VerdictId } from '../sla.ts';
import type { SummaryData } from './model.ts';
// Imported here, not only by the renderers: it requires agent-sla/ledger, which k6 allows in the init stage alone.
import '../ledger.ts';

declare function require(name: string): unknown;

/**
 * handleSummary for a scenario: the SLA table on stdout and three files in SUMMARY_DIR
 * (which must exist; k6 does not create directories). Built only from metric aggregates
 * and check names, so no token or password can reach a report.
 *
 * Every VU evaluates this at init, and only one runs it: the renderers are required on first use, and their
 * functions are consts, not declarations (esbuild hoists a declaration out of the lazy module, so each VU
 * would create it). The handler keeps only the scenario's name and verdicts, not its rows (nor the test plan:
 * the closure would keep every parameter of this function).
 */
export function summaryHandler(config: Config, scenario: string, covers: readonly VerdictId[]) {
  return (data: SummaryData): Record<string, string> =>
    (require('./render.ts') as typeof import('./render.ts')).renderSummary(config, scenario, covers, data);
}
