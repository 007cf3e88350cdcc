/**
 * k6 and InfluxDB disagree on what "p(95)" means, and for small runs the gap is larger than 1 %:
 * - k6's Trend sorts the n values and interpolates linearly at index p·(n−1) (metrics/sink.go, TrendSink.P);
 * - InfluxQL's PERCENTILE(field, N) is nearest-rank: sorted[floor(n·N/100 + 0.5) − 1].
 * The report wants k6's number without pulling raw points, so it asks InfluxDB for the two exact ranks
 * k6 interpolates between (choosing an N that nearest-rank maps to each) and interpolates those two values.
 */

export interface InterpolationRanks {
  /** 0-based rank of the lower neighbour. */
  lower: number;
  /** 0-based rank of the upper neighbour (equal to lower when p·(n−1) is whole). */
  upper: number;
  /** Weight of the upper neighbour. */
  fraction: number;
}

/** The ranks k6 interpolates between for quantile q (0..1) of n sorted values. */
export function k6Ranks(q: number, n: number): InterpolationRanks {
  if (n < 1) throw new RangeError('k6Ranks needs at least one value');
  const index = q * (n - 1);
  const lower = Math.floor(index);
  return { lower, upper: Math.ceil(index), fraction: index - lower };
}

/** The N for InfluxQL PERCENTILE(field, N) that selects 0-based rank k of n values: floor(n·N/100 + 0.5) − 1 = k. */
export function influxPercentileSelectingRank(rank: number, n: number): number {
  if (rank < 0 || rank >= n) throw new RangeError(`rank ${rank} outside 0..${n - 1}`);
  // n·N/100 = k + 1 exactly, so the + 0.5 in nearest-rank keeps a full half rank of margin against rounding.
  return (100 * (rank + 1)) / n;
}

export function interpolate(lowerValue: number, upperValue: number, fraction: number): number {
  return lowerValue + (upperValue - lowerValue) * fraction;
}

/** Nearest-rank, as InfluxQL computes it, for the same sorted values (used by tests and to explain gaps). */
export function nearestRank(sorted: readonly number[], percent: number): number | undefined {
  const index = Math.floor((sorted.length * percent) / 100 + 0.5) - 1;
  return index >= 0 && index < sorted.length ? sorted[index] : undefined;
}

/** k6's TrendSink.P on sorted values, for tests. */
export function k6Percentile(sorted: readonly number[], q: number): number {
  const ranks = k6Ranks(q, sorted.length);
  return interpolate(sorted[ranks.lower]!, sorted[ranks.upper]!, ranks.fraction);
}
