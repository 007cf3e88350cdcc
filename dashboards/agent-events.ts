import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { RateSla } from '../cli/report/sla-catalog.ts';
import { baseDashboard } from './dashboard-base.ts';
import { overTime, whole } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { layout, stat, timeseries } from './panels.ts';

/** `runs` is the catalogue's availability SLA for agent runs, with the budget that applies. */
export function agentEventsDashboard(runs: RateSla): DashboardBuilder {
  const dashboard = baseDashboard('agent-sla-agent-events', 'agent-sla: agent events');
  const panels = layout([
    [
      [timeseries('time to first event (p50 / p95)', 'ms', [
        influxql(overTime('percentile("value", 50) AS "p50"', 'agent_time_to_first_event'), 'p50'),
        influxql(overTime('percentile("value", 95) AS "p95"', 'agent_time_to_first_event'), 'p95'),
      ]), 12],
      [timeseries('latency to each event type (p95, from user_message sent)', 'ms', [
        influxql(overTime('percentile("value", 95)', 'agent_event_latency', { groupBy: ['event_type'] }), '$tag_event_type'),
      ]), 12],
    ],
    [
      [timeseries('events received per interval, by type', 'none', [
        influxql(overTime('count("value")', 'agent_event_latency', { groupBy: ['event_type'] }), '$tag_event_type'),
      ]), 12],
      [timeseries('runs: completed vs failed (by reason)', 'none', [
        influxql(overTime('sum("value")', 'agent_runs_completed'), 'completed'),
        influxql(overTime('sum("value")', 'agent_runs_failed', { groupBy: ['reason'] }), 'failed: $tag_reason'),
      ]), 12],
    ],
    [
      [timeseries('event sequence failures (invalid or cut-off runs)', 'none', [
        influxql(overTime('count("value") - sum("value") AS "invalid"', 'agent_event_sequence_ok'), 'invalid runs'),
      ]), 8],
      [timeseries('WebSocket close codes', 'none', [
        // The library tags close codes with the code only: a session closes once, whatever plan its runs were on.
        influxql(overTime('sum("value")', 'ws_close_codes', { plan: false, groupBy: ['close_code'] }), 'close $tag_close_code'),
      ]), 8],
      [stat(runs.title, [influxql(whole('mean("value")', runs.metric))], { unit: 'percentunit', redBelow: runs.minRate }), 4],
      [stat('runs completed', [influxql(whole('sum("value")', 'agent_runs_completed'))], { unit: 'none' }), 4],
    ],
  ]);
  for (const panel of panels) dashboard.withPanel(panel);
  return dashboard;
}
