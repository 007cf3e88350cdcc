import { displayWidth, type Formatter } from './ansi.ts';
import { humanizeValue } from './humanize.ts';
import type { SummaryMetricData } from './summary-types.ts';

export interface RenderOptions {
  trendStats: readonly string[];
  timeUnit: string;
  format: Formatter;
}

/** The spaces before a line at an indentation level: two per level, plus two. */
export const indent = (level: number): string => ' '.repeat((level + 1) * 2);

/** A submetric shows as its tags, indented under its metric: `  { expected_response:true }`. */
export function displayName(name: string): string {
  const brace = name.indexOf('{');
  return brace === -1 ? name : `  { ${name.slice(brace + 1, -1)} }`;
}

/** A Trend's cell for one stat; `count` is printed as a plain number. */
export function trendCell(metric: SummaryMetricData, stat: string, timeUnit: string): string {
  const value = metric.values[stat];
  if (value === undefined) return 'undefined';
  return stat === 'count' ? String(value) : humanizeValue(value, metric, timeUnit);
}

/** A non-Trend's main value and the values after it. */
export function plainCells(metric: SummaryMetricData, timeUnit: string): string[] {
  const show = (value: number | undefined) => humanizeValue(value ?? Number.NaN, metric, timeUnit);
  const values = metric.values;
  switch (metric.type) {
    case 'counter':
      return [show(values.count), `${show(values.rate)}/s`];
    case 'gauge':
      return [show(values.value), `min=${show(values.min)}`, `max=${show(values.max)}`];
    case 'rate': {
      const passes = values.passes ?? 0;
      return [show(values.rate), `${passes} out of ${passes + (values.fails ?? 0)}`];
    }
    default:
      return ['[no data]'];
  }
}

/**
 * One block of metric lines that share their columns: `name....: value` with the dots reaching one column and every
 * value column padded to its widest entry. The name column is as wide as the widest indented name written twice
 * (k6's own measure, kept so that the columns land where k6 puts them).
 */
export class MetricLines {
  private readonly nameWidth: number;
  private readonly trendWidths: number[];
  private readonly mainWidth: number;
  private readonly extraWidths: number[] = [];
  private readonly cells = new Map<string, string[]>();

  constructor(
    private readonly metrics: Record<string, SummaryMetricData>,
    private readonly level: number,
    private readonly options: RenderOptions,
  ) {
    const indentWidth = indent(level).length;
    let nameWidth = 0;
    let mainWidth = 0;
    this.trendWidths = options.trendStats.map(() => 0);
    for (const [name, metric] of Object.entries(metrics)) {
      nameWidth = Math.max(nameWidth, indentWidth + displayWidth(name) + displayWidth(displayName(name)));
      if (metric.type === 'trend') {
        const cells = options.trendStats.map((stat) => trendCell(metric, stat, options.timeUnit));
        cells.forEach((cell, index) => (this.trendWidths[index] = Math.max(this.trendWidths[index]!, displayWidth(cell))));
        this.cells.set(name, cells);
      } else {
        const cells = plainCells(metric, options.timeUnit);
        mainWidth = Math.max(mainWidth, displayWidth(cells[0]!));
        cells.slice(1).forEach((cell, index) => (this.extraWidths[index] = Math.max(this.extraWidths[index] ?? 0, displayWidth(cell))));
        this.cells.set(name, cells);
      }
    }
    this.nameWidth = nameWidth;
    this.mainWidth = mainWidth;
  }

  /** The cells computed for a metric: the trend stats' texts, or the main value then the extras. */
  cellsOf(name: string): readonly string[] {
    return this.cells.get(name) ?? [];
  }

  line(name: string): string {
    const { format } = this.options;
    const shown = displayName(name);
    const dots = '.'.repeat(Math.max(0, this.nameWidth - displayWidth(shown) - indent(this.level).length + 3));
    return indent(this.level) + shown + format.color(`${dots}:`, 'white', true) + ' ' + this.values(name);
  }

  private values(name: string): string {
    const { format, trendStats } = this.options;
    const cells = this.cellsOf(name);
    if (this.metrics[name]?.type === 'trend') {
      return cells.map((cell, index) => `${trendStats[index]}=${format.color(cell, 'cyan')}${pad(cell, this.trendWidths[index]!)}`).join(' ');
    }
    const [main = '', ...extras] = cells;
    let text = format.color(main, 'cyan') + pad(main, this.mainWidth);
    if (extras.length === 1) text += ' ' + format.color(extras[0]!, 'cyan', true);
    if (extras.length > 1) text += ' ' + extras.map((extra, index) => format.color(extra, 'cyan', true) + pad(extra, this.extraWidths[index]!)).join(' ');
    return text;
  }
}

function pad(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text)));
}
