import type { Sink } from './sinks.ts';
import type { ThresholdExpression } from './threshold-expression.ts';

/**
 * The aggregate a threshold compares, as k6 computes it at the end of a test: an empty Counter counts 0, an empty
 * Gauge is 0, an empty Trend's statistics are all 0. An empty Rate has no rate: undefined, and k6 lets its
 * thresholds pass. A Counter's `rate` is its count per second of test run.
 */
export function thresholdValue(sink: Sink, expression: ThresholdExpression, testRunDurationMs: number): number | undefined {
  switch (sink.type) {
    case 'counter':
      if (expression.method === 'count') return sink.count;
      return expression.method === 'rate' ? sink.rate(testRunDurationMs) : undefined;
    case 'gauge':
      return expression.method === 'value' ? sink.value : undefined;
    case 'rate':
      return expression.method === 'rate' && !sink.isEmpty ? sink.rate : undefined;
    case 'trend':
      switch (expression.method) {
        case 'avg':
          return sink.avg;
        case 'min':
          return sink.min;
        case 'max':
          return sink.max;
        case 'med':
          return sink.med;
        case 'p':
          return sink.percentile(expression.percentile ?? 0);
        default:
          return undefined;
      }
  }
}
