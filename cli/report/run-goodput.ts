import { numberOrUndefined, queryInflux, rows, type InfluxTarget } from './influx-client.ts';
import { testidFilter, type RunRange } from './run-range.ts';

export interface GoodputWindow {
  /** Window start, epoch ms. */
  start: number;
  goodputPerS: number;
  completedPerS: number;
}

/** Goodput (vLLM, DistServe): completed, well-formed runs that met every latency SLA set, per second. */
export interface Goodput {
  /** Over the whole run: agent_goodput_runs ÷ the run's duration, as k6's Counter rate. */
  perS: number;
  completedPerS: number;
  runs: number;
  completed: number;
  windows: GoodputWindow[];
}

/**
 * Goodput of the run and of each window (aligned as the SLA windows are); undefined for a run with no agent runs.
 * A window's rate divides by the whole window, so a run's last, partial window reads low, as it does in Grafana.
 */
export async function goodputOf(target: InfluxTarget, testid: string, range: RunRange, windowMs: number): Promise<Goodput | undefined> {
  const where = `WHERE ${testidFilter(testid)} AND time >= ${range.start}ms AND time <= ${range.end}ms`;
  const group = `GROUP BY time(${windowMs}ms, ${range.start % windowMs}ms) fill(0)`;
  const [goodTotal, doneTotal, goodWindows, doneWindows] = await queryInflux(target, [
    `SELECT SUM("value") AS n FROM "agent_goodput_runs" ${where}`,
    `SELECT SUM("value") AS n FROM "agent_runs_completed" ${where}`,
    `SELECT SUM("value") AS n FROM "agent_goodput_runs" ${where} ${group}`,
    `SELECT SUM("value") AS n FROM "agent_runs_completed" ${where} ${group}`,
  ]);
  const total = (result: typeof goodTotal): number | undefined => numberOrUndefined(result?.series[0]?.values[0]?.[1]);
  const completed = total(doneTotal);
  if (completed === undefined) return undefined;
  const runs = total(goodTotal) ?? 0;
  const seconds = Math.max(range.end - range.start, 1) / 1000;
  const byStart = (result: typeof goodTotal): Map<number, number> => new Map((result?.series[0] ? rows(result.series[0]) : [])
    .flatMap((row) => {
      const start = numberOrUndefined(row.time);
      return start === undefined ? [] : [[start, numberOrUndefined(row.n) ?? 0] as const];
    }));
  const good = byStart(goodWindows);
  const windows = [...byStart(doneWindows)].map(([start, done]): GoodputWindow => ({
    start, goodputPerS: (good.get(start) ?? 0) / (windowMs / 1000), completedPerS: done / (windowMs / 1000),
  }));
  return { perS: runs / seconds, completedPerS: completed / seconds, runs, completed, windows };
}
