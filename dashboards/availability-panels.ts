import type { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { overTime, runFilter } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { timeseries } from './panels.ts';

/**
 * Errors by kind and whether the backend answered, over time: an outage shows as the answers falling to
 * zero while refused/reset/timeout rise. The outage windows themselves (spans of ≥ 2 s with nothing but
 * transport errors) are found by `agent-sla report` and handleSummary; InfluxQL 1.x cannot express them in a panel.
 * agent_errors is not filtered by plan: a request that never reached the backend may have no user yet.
 */
export function errorsByKindPanel(): TimeseriesPanelBuilder {
  return timeseries('errors by kind (agent_errors)', 'none', [
    influxql(overTime('sum("value")', 'agent_errors', { plan: false, groupBy: ['kind'] }), '$tag_kind'),
  ]);
}

/** k6 tags a request or handshake that got no answer with status 0 (or none); 502/503/504 say the backend behind a proxy is down. */
const answered = `"status" =~ /^[1-9]/ AND "status" !~ /^50[234]$/`;
const answers = (metric: string): string =>
  `SELECT count("value") FROM "${metric}" WHERE ${runFilter} AND ${answered} AND $timeFilter GROUP BY time($__interval) fill(0)`;

export function backendAnsweredPanel(): TimeseriesPanelBuilder {
  return timeseries('backend answered per interval (HTTP responses and WebSocket handshakes, not 502/503/504)', 'none', [
    influxql(answers('http_reqs'), 'HTTP responses'),
    influxql(answers('ws_sessions'), 'WebSocket handshakes'),
  ]);
}
