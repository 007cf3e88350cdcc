import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Sla } from '../cli/report/sla-catalog.ts';
import { overTime, whole } from './filters.ts';
import { influxql } from './influxql-query.ts';
import { layout, passFailMappings, stat, timeseries, type AnyPanel } from './panels.ts';
import { windowShareQuery } from './window-share.ts';
import { baseDashboard } from './dashboard-base.ts';

function slaRow(sla: Sla): [AnyPanel, number][] {
  if (sla.kind === 'latency') {
    return [
      [timeseries(`${sla.title}: ${sla.metric} p95 / p99 vs ${sla.p95BelowMs / 1000} s`, 'ms', [
        influxql(overTime('percentile("value", 95) AS "p95"', sla.metric), 'p95'),
        influxql(overTime('percentile("value", 99) AS "p99"', sla.metric), 'p99'),
      ], sla.p95BelowMs), 12],
      [stat(`${sla.title} SLA (p95 < ${sla.p95BelowMs / 1000} s)`, [influxql(whole('percentile("value", 95)', sla.metric))],
        { unit: 'ms', redFrom: sla.p95BelowMs, mappings: passFailMappings(sla.p95BelowMs, true) }), 4],
      [stat(`${sla.title} p99`, [influxql(whole('percentile("value", 99)', sla.metric))], { unit: 'ms', redFrom: sla.p95BelowMs }), 4],
      [stat(`${sla.title}: 1-min windows within SLA`, [influxql(windowShareQuery(sla))], { unit: 'percentunit', redBelow: 1 }), 4],
    ];
  }
  return [
    [timeseries(`${sla.title}: ${sla.metric} rate vs ${sla.rateAbove}`, 'percentunit', [
      influxql(overTime('mean("value") AS "rate"', sla.metric), 'rate'),
    ], sla.rateAbove), 12],
    [stat(`${sla.title} SLA (rate > ${sla.rateAbove})`, [influxql(whole('mean("value")', sla.metric))],
      { unit: 'percentunit', redBelow: sla.rateAbove, mappings: passFailMappings(sla.rateAbove, false) }), 4],
    [stat(`${sla.title}: failed checks`, [influxql(whole('count("value") - sum("value")', sla.metric))], { unit: 'none', redFrom: 1 }), 4],
    [stat(`${sla.title}: 1-min windows within SLA`, [influxql(windowShareQuery(sla))], { unit: 'percentunit', redBelow: 1 }), 4],
  ];
}

export function slaOverviewDashboard(slas: Sla[]): DashboardBuilder {
  const dashboard = baseDashboard('agent-sla-overview', 'agent-sla: SLA overview');
  for (const panel of layout(slas.map(slaRow))) dashboard.withPanel(panel);
  return dashboard;
}
