import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard } from './dashboard-base.ts';
import { overTime, whole } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { layout, stat, timeseries } from './panels.ts';
import { SLA_CATALOG } from '../lib/sla-catalog.ts';

const refusals = SLA_CATALOG.refusals;
// Refusals are not tagged with a plan: a forged token has no user.
const noPlan = { plan: refusals.byPlan };

export function websocketAuthDashboard(): DashboardBuilder {
  const dashboard = baseDashboard('agent-sla-websocket-auth', 'agent-sla: WebSocket & auth');
  const panels = layout([
    [
      [timeseries('WebSocket sessions opened per interval', 'none', [influxql(overTime('sum("value")', 'ws_sessions'), 'sessions')]), 8],
      [timeseries('WebSocket handshake time (k6 ws_connecting, p95)', 'ms', [influxql(overTime('percentile("value", 95)', 'ws_connecting'), 'p95')]), 8],
      [timeseries('WebSocket session duration (p95)', 'ms', [influxql(overTime('percentile("value", 95)', 'ws_session_duration'), 'p95')]), 8],
    ],
    [
      [timeseries('auth duration p95 by step (login, WebSocket handshake with token)', 'ms', [
        influxql(overTime('percentile("value", 95)', 'auth_duration', { groupBy: ['name'] }), '$tag_name'),
      ], 5000), 12],
      [timeseries('signup duration p95 by plan (signup + first login)', 'ms', [
        influxql(overTime('percentile("value", 95)', 'signup_duration', { groupBy: ['plan'] }), '$tag_plan'),
      ], 10000), 12],
    ],
    [
      [timeseries('HTTP auth requests p95 by name', 'ms', [
        influxql(overTime('percentile("value", 95)', 'http_req_duration', { groupBy: ['name'] }), '$tag_name'),
      ]), 12],
      [timeseries(`${refusals.title} (rate)`, 'percentunit', [
        influxql(overTime('mean("value")', refusals.metric, noPlan), 'refused as expected'),
      ]), 8],
      [stat('refusals not as expected', [influxql(whole('count("value") - sum("value")', refusals.metric, noPlan))], { unit: 'none', redFrom: 1 }), 4],
    ],
  ]);
  for (const panel of panels) dashboard.withPanel(panel);
  return dashboard;
}
