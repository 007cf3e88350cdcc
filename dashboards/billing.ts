import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard } from './dashboard-base.ts';
import { overTime, whole } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { layout, passFailMappings, stat, timeseries } from './panels.ts';

export function billingDashboard(): DashboardBuilder {
  const dashboard = baseDashboard('agent-sla-billing', 'agent-sla: billing reconciliation');
  const panels = layout([
    [
      [stat('billed exactly once (rate > 0.99)', [influxql(whole('mean("value")', 'billing_reconciled'))],
        { unit: 'percentunit', redBelow: 0.99, mappings: passFailMappings(0.99, false) }), 6],
      [stat('runs not billed exactly once', [influxql(whole('count("value") - sum("value")', 'billing_reconciled'))], { unit: 'none', redFrom: 1 }), 6],
      [stat('runs checked', [influxql(whole('count("value")', 'billing_reconciled'))], { unit: 'none' }), 6],
      [stat('runs completed', [influxql(whole('sum("value")', 'agent_runs_completed'))], { unit: 'none' }), 6],
    ],
    [
      [timeseries('billing reconciled rate by plan', 'percentunit', [
        influxql(overTime('mean("value")', 'billing_reconciled', { groupBy: ['plan'] }), '$tag_plan'),
      ], 0.99), 12],
      [timeseries('completed runs vs billing checks per interval', 'none', [
        influxql(overTime('sum("value")', 'agent_runs_completed'), 'runs completed'),
        influxql(overTime('count("value")', 'billing_reconciled'), 'billing checks'),
        influxql(overTime('count("value") - sum("value")', 'billing_reconciled'), 'not reconciled'),
      ]), 12],
    ],
  ]);
  for (const panel of panels) dashboard.withPanel(panel);
  return dashboard;
}
