/**
 * The compliance window a report uses when --window is not given: a round length that cuts the run
 * into about 30 to 60 windows, never shorter than 10 s, so a 40 s run gets four points per chart
 * and a day-long soak does not get thousands.
 */
export const MIN_DEFAULT_WINDOW_MS = 10_000;

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
// Each step at most twice the one before, so one of them always lands between 30 and 60 windows.
const STEPS = [10 * S, 15 * S, 20 * S, 30 * S, M, 2 * M, 3 * M, 5 * M, 10 * M, 15 * M, 20 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, 24 * H];

export const MAX_DEFAULT_WINDOWS = 60;

export function defaultWindowMs(runMs: number): number {
  return STEPS.find((step) => Math.ceil(runMs / step) <= MAX_DEFAULT_WINDOWS) ?? Math.ceil(runMs / MAX_DEFAULT_WINDOWS / H) * H;
}
