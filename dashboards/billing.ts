import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { RateSla } from '../cli/report/sla-catalog.ts';
import { rateBoundText } from '../lib/sla-catalog.ts';
import { baseDashboard } from './dashboard-base.ts';
import { overTime, whole } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { layout, passFailMappings, stat, timeseries } from './panels.ts';

/** `billedOnce` is the catalogue's billing SLA with the bound that applies. */
export function billingDashboard(billedOnce: RateSla): DashboardBuilder {
  const dashboard = baseDashboard('agent-sla-billing', 'agent-sla: billing reconciliation');
  const { title, metric, minRate } = billedOnce;
  const panels = layout([
    [
      [stat(`${title} (rate ${rateBoundText(minRate)})`, [influxql(whole('mean("value")', metric))],
        { unit: 'percentunit', redBelow: minRate, mappings: passFailMappings(minRate, false) }), 6],
      [stat('runs not billed exactly once', [influxql(whole('count("value") - sum("value")', metric))], { unit: 'none', redFrom: 1 }), 6],
      [stat('runs checked', [influxql(whole('count("value")', metric))], { unit: 'none' }), 6],
      [stat('runs completed', [influxql(whole('sum("value")', 'agent_runs_completed'))], { unit: 'none' }), 6],
    ],
    [
      [timeseries(`${title}: rate by plan`, 'percentunit', [
        influxql(overTime('mean("value")', metric, { groupBy: ['plan'] }), '$tag_plan'),
      ], minRate), 12],
      [timeseries('completed runs vs billing checks per interval', 'none', [
        influxql(overTime('sum("value")', 'agent_runs_completed'), 'runs completed'),
        influxql(overTime('count("value")', metric), 'billing checks'),
        influxql(overTime('count("value") - sum("value")', metric), 'not reconciled'),
      ]), 12],
    ],
  ]);
  for (const panel of panels) dashboard.withPanel(panel);
  return dashboard;
}
