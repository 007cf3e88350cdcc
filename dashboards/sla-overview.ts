import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Sla } from '../cli/report/sla-catalog.ts';
import { formatMs, formatPercent } from '../lib/format.ts';
import { rateBoundText, SLA_CATALOG } from '../lib/sla-catalog.ts';
import { overTime, whole } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { asThresholdLine, layout, passFailMappings, refIdAt, stat, timeseries, type AnyPanel } from './panels.ts';
import { planBoundQuery } from './plan-bounds.ts';
import { windowShareQuery } from './window-share.ts';
import { baseDashboard } from './dashboard-base.ts';

function slaRow(sla: Sla): [AnyPanel, number][] {
  // A metric the library does not tag with a plan (refusals, checks) must not be filtered by one.
  const plan = { plan: SLA_CATALOG[sla.key].byPlan };
  if (sla.kind === 'latency') {
    const queries = [
      influxql(overTime('percentile("value", 95) AS "p95"', sla.metric, plan), 'p95'),
      influxql(overTime('percentile("value", 99) AS "p99"', sla.metric, plan), 'p99'),
      // A plan's own bound (agent.enterprise=15s) is the run's, not the dashboard's: it comes from the run's data.
      ...(plan.plan ? [influxql(planBoundQuery(sla), 'bound $tag_plan')] : []),
    ];
    const chart = timeseries(`${sla.title}: ${sla.metric} p95 / p99 vs ${formatMs(sla.p95BelowMs)}`, 'ms', queries, sla.p95BelowMs);
    if (plan.plan) asThresholdLine(chart, refIdAt(2));
    return [
      [chart, 12],
      [stat(`${sla.title} SLA (p95 < ${formatMs(sla.p95BelowMs)})`, [influxql(whole('percentile("value", 95)', sla.metric, plan))],
        { unit: 'ms', redFrom: sla.p95BelowMs, mappings: passFailMappings(sla.p95BelowMs, true) }), 4],
      [stat(`${sla.title} p99`, [influxql(whole('percentile("value", 99)', sla.metric, plan))], { unit: 'ms', redFrom: sla.p95BelowMs }), 4],
      [stat(`${sla.title}: 1-min windows within SLA`, [influxql(windowShareQuery(sla))], { unit: 'percentunit', redBelow: 1 }), 4],
    ];
  }
  return [
    [timeseries(`${sla.title}: ${sla.metric} rate vs ${formatPercent(sla.minRate)}`, 'percentunit', [
      influxql(overTime('mean("value") AS "rate"', sla.metric, plan), 'rate'),
    ], sla.minRate), 12],
    [stat(`${sla.title} SLA (rate ${rateBoundText(sla.minRate)})`, [influxql(whole('mean("value")', sla.metric, plan))],
      { unit: 'percentunit', redBelow: sla.minRate, mappings: passFailMappings(sla.minRate, false) }), 4],
    [stat(`${sla.title}: failed checks`, [influxql(whole('count("value") - sum("value")', sla.metric, plan))], { unit: 'none', redFrom: 1 }), 4],
    [stat(`${sla.title}: 1-min windows within SLA`, [influxql(windowShareQuery(sla))], { unit: 'percentunit', redBelow: 1 }), 4],
  ];
}

/** Goodput: completed runs that met every latency SLA set, per second, beside all completed runs per second. */
function goodputRow(): [AnyPanel, number][] {
  const perSecond = (metric: string, alias: string) => influxql(overTime(`sum("value") * 1000 / $__interval_ms AS "${alias}"`, metric), alias);
  return [
    [timeseries('goodput: runs/s that met every latency SLA, of runs/s completed', 'reqps', [
      perSecond('agent_goodput_runs', 'goodput'), perSecond('agent_runs_completed', 'completed'),
    ]), 12],
    [stat('goodput runs', [influxql(whole('sum("value")', 'agent_goodput_runs'))], { unit: 'none' }), 4],
    [stat('time to first token p95', [influxql(whole('percentile("value", 95)', 'agent_time_to_first_token'))], { unit: 'ms' }), 4],
    [stat('inter-token latency p95', [influxql(whole('percentile("value", 95)', 'agent_inter_token_latency'))], { unit: 'ms' }), 4],
  ];
}

export function slaOverviewDashboard(slas: Sla[]): DashboardBuilder {
  const dashboard = baseDashboard('agent-sla-overview', 'agent-sla: SLA overview');
  for (const panel of layout([...slas.map(slaRow), goodputRow()])) dashboard.withPanel(panel);
  return dashboard;
}
