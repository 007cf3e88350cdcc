import { BREAK } from './check-lines.ts';
import { humanizeValue } from './humanize.ts';
import { indent, MetricLines, type RenderOptions } from './metric-lines.ts';
import { sortMetricNames } from './metric-sections.ts';
import type { SummaryData, SummaryMetricData } from './summary-types.ts';

/**
 * The THRESHOLDS section's lines: each metric with thresholds, then `✓ 'expression' aggregation=value` per
 * threshold. A submetric whose metric also has thresholds shows as its tags, one level further in.
 */
export function thresholdLines(data: SummaryData, values: Record<string, Record<string, number | undefined>>, options: RenderOptions): string[] {
  const withThresholds: Record<string, SummaryMetricData> = {};
  for (const [name, metric] of Object.entries(data.metrics)) if (metric.thresholds) withThresholds[name] = metric;
  const cells = new MetricLines(withThresholds, 1, options);

  const lines: string[] = [];
  for (const name of sortMetricNames(Object.keys(withThresholds))) {
    const metric = withThresholds[name]!;
    const parent = name.split('{', 1)[0]!;
    const underParent = parent !== name && parent in withThresholds;
    const level = underParent ? 2 : 1;
    lines.push(indent(level) + (underParent ? name.slice(parent.length) : name));
    for (const [source, { ok }] of Object.entries(metric.thresholds!)) {
      const aggregation = source.split(/[=><!]/, 1)[0]!.trim();
      const observed = observedText(metric, aggregation, cells.cellsOf(name), values[name]?.[source], options);
      const mark = ok ? options.format.color('✓', 'green') : options.format.color('✗', 'red');
      const expression = options.format.color(`'${source.trim()}'`, 'white');
      lines.push(indent(level) + [mark, expression, `${options.format.color(aggregation, 'white')}=${options.format.color(observed, 'cyan')}`].join(' '));
    }
    lines.push(BREAK);
  }
  return lines;
}

function observedText(metric: SummaryMetricData, aggregation: string, cells: readonly string[], value: number | undefined, options: RenderOptions): string {
  switch (metric.type) {
    case 'trend': {
      const column = options.trendStats.indexOf(aggregation);
      if (column !== -1) return cells[column] ?? '';
      return value === undefined ? 'undefined' : humanizeValue(value, metric, options.timeUnit);
    }
    case 'counter':
      return (aggregation === 'count' ? cells[0] : cells[1]) ?? '';
    default:
      return cells[0] ?? '';
  }
}
