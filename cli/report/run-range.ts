import { ident, literal, numberOrUndefined, queryInflux, type InfluxTarget } from './influx-client.ts';

export interface RunRange {
  /** First and last sample of the run, epoch ms. */
  start: number;
  end: number;
  /** Samples the run wrote, across all measurements. */
  points: number;
  /** Values of k6's `scenario` tag seen in the run. */
  scenarios: string[];
}

export class UnknownTestIdError extends Error {}

export const testidFilter = (testid: string): string => `${ident('testid')} = ${literal(testid)}`;

/** Where the run sits in time and how big it is, from aggregates over every measurement it wrote. */
export async function findRunRange(target: InfluxTarget, testid: string): Promise<RunRange> {
  const where = `WHERE ${testidFilter(testid)}`;
  const [first, last, counts, scenarios] = await queryInflux(target, [
    `SELECT FIRST("value") FROM /.*/ ${where}`,
    `SELECT LAST("value") FROM /.*/ ${where}`,
    `SELECT COUNT("value") FROM /.*/ ${where}`,
    `SHOW TAG VALUES FROM "iterations" WITH KEY = "scenario" ${where}`,
  ]);
  const times = (result: typeof first) => (result?.series ?? []).map((series) => numberOrUndefined(series.values[0]?.[0])).filter((t): t is number => t !== undefined);
  const starts = times(first);
  const ends = times(last);
  if (starts.length === 0 || ends.length === 0) {
    throw new UnknownTestIdError(`no samples with testid "${testid}" in InfluxDB ${target.url} database ${target.database}`);
  }
  const points = (counts?.series ?? []).reduce((sum, series) => sum + (numberOrUndefined(series.values[0]?.[1]) ?? 0), 0);
  const names = (scenarios?.series ?? []).flatMap((series) => series.values.map((row) => String(row[1])));
  return { start: Math.min(...starts), end: Math.max(...ends), points, scenarios: [...new Set(names)].sort() };
}
