import { ident, numberOrUndefined, queryInflux, rows, type InfluxTarget } from './influx-client.ts';
import type { RunRange } from './run-range.ts';
import { rowWhere } from './run-stats.ts';
import { rowKey, slaMet, type Sla } from './sla-catalog.ts';

export interface WindowPoint {
  /** Window start, epoch ms. */
  start: number;
  count: number;
  /** Nearest-rank percentiles (InfluxQL) inside the window, ms. */
  p95?: number;
  p99?: number;
  rate?: number;
  held: boolean;
}

export interface Compliance {
  /** Windows that had samples of this SLA's metric. */
  windows: number;
  held: number;
  /** held / windows; undefined without windows. */
  share?: number;
}

/**
 * Per-window statistics, GROUP BY time(window) aligned to the run's first sample, computed in InfluxDB.
 * Windows are consecutive (tumbling); a window without samples of the metric is not judged.
 */
export async function windowSeries(target: InfluxTarget, testid: string, slas: Sla[], range: RunRange, windowMs: number): Promise<Map<string, WindowPoint[]>> {
  const offset = range.start % windowMs;
  const where = (sla: Sla): string => `${rowWhere(testid, sla)} AND time >= ${range.start}ms AND time <= ${range.end}ms`;
  const group = `GROUP BY time(${windowMs}ms, ${offset}ms) fill(none)`;
  const results = await queryInflux(target, slas.map((sla) => sla.kind === 'latency'
    ? `SELECT PERCENTILE("value", 95) AS p95, PERCENTILE("value", 99) AS p99, COUNT("value") AS n FROM ${ident(sla.metric)} ${where(sla)} ${group}`
    : `SELECT MEAN("value") AS rate, COUNT("value") AS n FROM ${ident(sla.metric)} ${where(sla)} ${group}`));
  const series = new Map<string, WindowPoint[]>();
  slas.forEach((sla, index) => {
    const found = results[index]?.series[0];
    const points = (found ? rows(found) : []).flatMap((row): WindowPoint[] => {
      const count = numberOrUndefined(row.n) ?? 0;
      const start = numberOrUndefined(row.time);
      if (count === 0 || start === undefined) return [];
      if (sla.kind === 'latency') {
        const p95 = numberOrUndefined(row.p95);
        const p99 = numberOrUndefined(row.p99);
        return [{ start, count, p95, p99, held: p95 !== undefined && slaMet(sla, p95) }];
      }
      const rate = numberOrUndefined(row.rate);
      return [{ start, count, rate, held: rate !== undefined && slaMet(sla, rate) }];
    });
    series.set(rowKey(sla), points);
  });
  return series;
}

export function compliance(points: WindowPoint[]): Compliance {
  const held = points.filter((point) => point.held).length;
  return { windows: points.length, held, share: points.length > 0 ? held / points.length : undefined };
}
