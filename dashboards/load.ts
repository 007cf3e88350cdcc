import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { backendAnsweredPanel, errorsByKindPanel } from './availability-panels.ts';
import { baseDashboard } from './dashboard-base.ts';
import { overTime, whole } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { layout, stat, timeseries } from './panels.ts';

// k6's own metrics carry no `plan` tag, so these panels filter by testid and scenario only.
const noPlan = { plan: false };

export function loadDashboard(): DashboardBuilder {
  const dashboard = baseDashboard('agent-sla-load', 'agent-sla: load');
  const panels = layout([
    [
      [timeseries('virtual users', 'none', [
        influxql(overTime('max("value")', 'vus', { scenario: false }), 'VUs'),
        influxql(overTime('max("value")', 'vus_max', { scenario: false }), 'VUs allocated'),
      ]), 12],
      [timeseries('iterations per interval', 'none', [influxql(overTime('sum("value")', 'iterations', noPlan), 'iterations')]), 12],
    ],
    [
      [timeseries('HTTP requests per interval by status', 'none', [
        influxql(overTime('sum("value")', 'http_reqs', { plan: false, groupBy: ['status'] }), 'HTTP $tag_status'),
      ]), 8],
      [timeseries('HTTP failure rate (k6 http_req_failed)', 'percentunit', [
        influxql(overTime('mean("value")', 'http_req_failed', noPlan), 'failed'),
      ]), 8],
      [timeseries('failed agent runs by reason', 'none', [
        influxql(overTime('sum("value")', 'agent_runs_failed', { groupBy: ['reason'] }), '$tag_reason'),
      ]), 8],
    ],
    [
      [errorsByKindPanel(), 12],
      [backendAnsweredPanel(), 12],
    ],
    [
      [timeseries('data sent / received per interval', 'bytes', [
        influxql(overTime('sum("value")', 'data_sent', noPlan), 'sent'),
        influxql(overTime('sum("value")', 'data_received', noPlan), 'received'),
      ]), 12],
      [stat('iterations', [influxql(whole('sum("value")', 'iterations', noPlan))], { unit: 'none' }), 4],
      [stat('HTTP requests', [influxql(whole('sum("value")', 'http_reqs', noPlan))], { unit: 'none' }), 4],
      [stat('HTTP failure rate', [influxql(whole('mean("value")', 'http_req_failed', noPlan))], { unit: 'percentunit', redFrom: 0.01 }), 4],
    ],
  ]);
  for (const panel of panels) dashboard.withPanel(panel);
  return dashboard;
}
