import { Formatter } from './ansi.ts';
import { BREAK, checkLines, flattenChecks } from './check-lines.ts';
import { indent, MetricLines, type RenderOptions } from './metric-lines.ts';
import { isLeftOut, SECTION_ORDER, sectionOf, sortMetricNames } from './metric-sections.ts';
import { SUMMARY_DETAILS, type ChecksReport, type GroupReport, type SummaryData, type SummaryMetricData } from './summary-types.ts';
import { thresholdLines } from './threshold-lines.ts';

export interface TextSummaryOptions {
  /** ANSI colors, as k6 uses them when stdout is a terminal and --no-color is not given. */
  colors: boolean;
  /** `--summary-mode`: compact (k6's default) or full (also every group and scenario, and every HTTP timing). */
  mode: 'compact' | 'full';
}

/**
 * The end-of-test summary as k6 v1 prints it: █ THRESHOLDS, █ TOTAL RESULTS (checks, then metrics by section), and in
 * full mode █ GROUP and █ SCENARIO sections. Rendered from handleSummary's `data`; groups and scenarios need the
 * breakdown buildSummaryData keeps beside it. k6 prints it to stdout as `\n` + this + `\n\n`.
 */
export function textSummary(data: SummaryData, options: TextSummaryOptions): string {
  const render: RenderOptions = {
    trendStats: data.options.summaryTrendStats,
    timeUnit: data.options.summaryTimeUnit,
    format: new Formatter(options.colors),
  };
  const details = data[SUMMARY_DETAILS];
  const sections: Array<[string, string[]]> = [];

  const thresholds = thresholdLines(data, details?.thresholdValues ?? {}, render);
  if (thresholds.length > 0) sections.push(['THRESHOLDS', thresholds]);

  const checksMetric = data.metrics.checks;
  const checks: ChecksReport | undefined = checksMetric && {
    passes: checksMetric.values.passes ?? 0,
    fails: checksMetric.values.fails ?? 0,
    list: details?.rootChecks ?? flattenChecks(data.root_group),
  };
  const duration = data.state.testRunDurationMs;
  sections.push(['TOTAL RESULTS', [...checkBlock(checks, duration, 0, render), ...metricBlock(data.metrics, 1, options.mode, render)]]);

  if (options.mode === 'full' && details) {
    for (const [name, group] of Object.entries(details.groups)) sections.push([`GROUP: ${name}`, groupContent(group, 0, duration, render)]);
    for (const name of Object.keys(details.scenarios).sort((a, b) => a.localeCompare(b))) {
      sections.push([`SCENARIO: ${name}`, groupContent(details.scenarios[name]!, 0, duration, render)]);
    }
  }

  const tokens = sections.flatMap(([title, content]) => [titleLine('█', title, 0, render), ...content, BREAK]);
  // A BREAK ends the line before it; every other token starts a new line.
  return tokens.reduce((text, token) => (token === BREAK ? text + token : `${text}\n${token}`), '');
}

/** What k6 prints to stdout when the script has no handleSummary, or it returns nothing. */
export function defaultSummaryStdout(data: SummaryData, options: TextSummaryOptions): string {
  return `\n${textSummary(data, options)}\n\n`;
}

function titleLine(prefix: string, title: string, level: number, { format }: RenderOptions): string {
  return `${indent(level)}${prefix} ${format.bold(title)} ${BREAK}`;
}

function checkBlock(checks: ChecksReport | undefined, durationMs: number, level: number, render: RenderOptions): string[] {
  return checks ? [...checkLines(checks, durationMs, level + 1, render), BREAK] : [];
}

/** The metrics shown in this mode, by section (CUSTOM, HTTP, EXECUTION, …), columns shared across sections. */
function metricBlock(metrics: Record<string, SummaryMetricData>, level: number, mode: 'compact' | 'full', render: RenderOptions): string[] {
  const shown = Object.fromEntries(Object.entries(metrics).filter(([name]) => !isLeftOut(name, mode)));
  const lines = new MetricLines(shown, level, render);
  return SECTION_ORDER.flatMap((section) => {
    const names = sortMetricNames(Object.keys(shown).filter((name) => sectionOf(name) === section));
    if (names.length === 0) return [];
    return [indent(level) + render.format.bold(section.toUpperCase()), ...names.map((name) => lines.line(name)), BREAK];
  });
}

function groupContent(group: GroupReport, level: number, durationMs: number, render: RenderOptions): string[] {
  return [
    ...checkBlock(group.checks, durationMs, level, render),
    ...metricBlock(group.metrics, level + 1, 'full', render),
    ...Object.entries(group.groups).flatMap(([name, inner]) => [titleLine('↳', `GROUP: ${name}`, level + 1, render), ...groupContent(inner, level + 1, durationMs, render)]),
  ];
}
