import type { TrendSink } from './sinks.ts';

/** A summaryTrendStats entry: `avg`, `min`, `med`, `max`, `count`, or a percentile `p(N)` with N from 0 to 100. */
export type TrendStat = { kind: 'avg' | 'min' | 'med' | 'max' | 'count' } | { kind: 'percentile'; p: number };

const NAMED_STATS = new Set(['avg', 'min', 'med', 'max', 'count']);

/** Parses one summaryTrendStats entry; throws with k6's message for one it does not know. */
export function parseTrendStat(stat: string): TrendStat {
  if (NAMED_STATS.has(stat)) return { kind: stat as 'avg' | 'min' | 'med' | 'max' | 'count' };
  if (!stat.startsWith('p(') || !stat.endsWith(')')) throw new Error(`invalid trend stat '${stat}', unknown format`);
  const inner = stat.slice(2, -1);
  const p = DECIMAL.test(inner) ? Number(inner) : Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new Error(`invalid percentile trend stat value '${stat}', provide a number between 0 and 100`);
  return { kind: 'percentile', p };
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const parsedStats = new Map<string, TrendStat>();

/** The value of one summaryTrendStats entry for a Trend. */
export function trendStat(sink: TrendSink, stat: string): number {
  let parsed = parsedStats.get(stat);
  if (!parsed) {
    parsed = parseTrendStat(stat);
    parsedStats.set(stat, parsed);
  }
  switch (parsed.kind) {
    case 'avg':
      return sink.avg;
    case 'min':
      return sink.min;
    case 'med':
      return sink.med;
    case 'max':
      return sink.max;
    case 'count':
      return sink.count;
    case 'percentile':
      return sink.percentile(parsed.p);
  }
}
