import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, ReduceDataOptionsBuilder, BigValueColorMode, BigValueGraphMode } from '@grafana/grafana-foundation-sdk/common';
import { MappingType, ThresholdsConfigBuilder, ThresholdsMode, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { datasourceRef } from './datasource.ts';
import type { InfluxQLQueryBuilder } from './influxql-query.ts';

export type AnyPanel = TimeseriesPanelBuilder | StatPanelBuilder;

const refIds = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function withQueries<T extends AnyPanel>(panel: T, queries: InfluxQLQueryBuilder[]): T {
  queries.forEach((query, index) => panel.withTarget(query.refId(refIds[index]!)));
  return panel;
}

const steps = (colors: [string, string], at: number) => [
  { value: null as unknown as number, color: colors[0] },
  { value: at, color: colors[1] },
];

/** A time series; with a threshold, Grafana draws it as a dashed red line (the SLA bound). */
export function timeseries(title: string, unit: string, queries: InfluxQLQueryBuilder[], threshold?: number): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder().title(title).datasource(datasourceRef).unit(unit).min(0).lineWidth(2).fillOpacity(8).showPoints('auto' as never);
  if (threshold !== undefined) {
    panel
      .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps(['transparent', 'red'], threshold)))
      .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
  return withQueries(panel, queries);
}

export interface StatOptions {
  unit: string;
  /** Colour red at or above this value (latency bounds). */
  redFrom?: number;
  /** Colour red below this value (rates, shares). */
  redBelow?: number;
  mappings?: ValueMapping[];
  calc?: string;
}

export function stat(title: string, queries: InfluxQLQueryBuilder[], options: StatOptions): StatPanelBuilder {
  const panel = new StatPanelBuilder()
    .title(title)
    .datasource(datasourceRef)
    .unit(options.unit)
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs([options.calc ?? 'lastNotNull']).values(false));
  if (options.redFrom !== undefined) panel.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps(['green', 'red'], options.redFrom)));
  if (options.redBelow !== undefined) panel.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps(['red', 'green'], options.redBelow)));
  if (options.mappings) panel.mappings(options.mappings);
  return withQueries(panel, queries);
}

/**
 * PASS below the bound and FAIL from it up (latency: p95 < bound), or FAIL below and PASS from it up (rates:
 * rate >= bound, so exactly 1 passes an exact SLA). Grafana takes the first range that holds, and both hold
 * at the bound itself, so the range from the bound up comes first.
 */
export function passFailMappings(bound: number, passBelow: boolean): ValueMapping[] {
  const pass = { text: 'PASS', color: 'green' };
  const fail = { text: 'FAIL', color: 'red' };
  return [
    { type: MappingType.RangeToText, options: { from: bound, to: null, result: passBelow ? fail : pass } },
    { type: MappingType.RangeToText, options: { from: null, to: bound, result: passBelow ? pass : fail } },
  ];
}

/** Places panels left to right, wrapping at Grafana's 24 columns. */
export function layout(rows: [AnyPanel, number][][], height = 8): AnyPanel[] {
  let y = 0;
  return rows.flatMap((row) => {
    let x = 0;
    const placed = row.map(([panel, width]) => {
      panel.gridPos({ x, y, w: width, h: height });
      x += width;
      return panel;
    });
    y += height;
    return placed;
  });
}

/** Draws the series of one query as the other threshold lines are drawn: dashed red. */
export function asThresholdLine(panel: TimeseriesPanelBuilder, refId: string): TimeseriesPanelBuilder {
  return panel.overrideByQuery(refId, [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
    { id: 'custom.fillOpacity', value: 0 },
  ]);
}

/** The refId the n-th query of a panel gets (0-based), as withQueries assigns them. */
export const refIdAt = (index: number): string => refIds[index]!;
