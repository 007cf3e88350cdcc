/**
 * The p-th percentile (p from 0 to 100) of the first `count` entries of an ascending array, as k6 computes a Trend's
 * percentiles: the rank `p/100 × (count − 1)` and, when it falls between two entries, the straight line between them.
 * No values gives 0; one value gives that value.
 *
 * The arithmetic follows k6's order of operations (fraction first, then the rank) so that results agree with k6 to the
 * last bit, which matters for thresholds written against exact values (`p(50)==150`).
 */
export function percentile(sortedValues: Float64Array | number[], count: number, p: number): number {
  if (count <= 0) return 0;
  if (count === 1) return sortedValues[0] ?? 0;
  const fraction = Math.min(Math.max(p, 0), 100) / 100;
  const rank = fraction * (count - 1);
  const lowerRank = Math.floor(rank);
  const lower = sortedValues[lowerRank] ?? 0;
  const upper = sortedValues[Math.ceil(rank)] ?? lower;
  return lower + (upper - lower) * (rank - lowerRank);
}
