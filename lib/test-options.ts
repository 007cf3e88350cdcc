import type { Options } from 'k6/options';
import type { Config } from './config.ts';
import { scenarioFor } from './profiles.ts';
import { slaRows, thresholdsFor, type SlaRow, type VerdictId } from './sla.ts';

/**
 * k6's default system tags less `subproto`: a backend may select the token-bearing subprotocol
 * (`jwt.<token>`, as the envelope spec allows), and a tag would then carry the token to InfluxDB.
 */
export const SYSTEM_TAGS = ['proto', 'status', 'method', 'url', 'name', 'group', 'check', 'error', 'error_code', 'tls_version', 'scenario', 'service', 'expected_response'];

/** p(95) and p(99) must be listed here, or handleSummary never sees them. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

export interface TestPlan {
  /** The scenario's name: its k6 scenario, its summary and its reports. */
  name: string;
  options: Options;
  rows: SlaRow[];
  /** The verdicts it covers: handleSummary builds its rows again from these (lib/summary/render.ts). */
  covers: readonly VerdictId[];
}

/** k6 options for one scenario file: its profile as one k6 scenario named after it, and its SLA thresholds. */
export function testPlan(config: Config, scenarioName: string, covers: readonly VerdictId[]): TestPlan {
  const rows = slaRows(config, covers, [scenarioName]);
  return {
    name: scenarioName,
    rows,
    covers,
    options: {
      scenarios: { [scenarioName]: scenarioFor(config) },
      thresholds: thresholdsFor(config, rows),
      summaryTrendStats: SUMMARY_TREND_STATS,
      systemTags: SYSTEM_TAGS,
      setupTimeout: '60s',
      teardownTimeout: '60s',
    },
  };
}
