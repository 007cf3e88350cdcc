import { createSink, formatValues, type RateSink, type Sink } from '../metrics/sinks.ts';
import type { MetricDefinition, Sample } from '../metrics/types.ts';
import { groupNames } from './group-tree.ts';
import type { CheckCount, GroupReport, SummaryMetricData } from './summary-types.ts';

class GroupNode {
  readonly metrics = new Map<string, { def: MetricDefinition; sink: Sink }>();
  readonly checks = new Map<string, CheckCount>();
  readonly groups = new Map<string, GroupNode>();

  add(sample: Sample): void {
    let entry = this.metrics.get(sample.metric.name);
    if (!entry) {
      entry = { def: sample.metric, sink: createSink(sample.metric.type) };
      this.metrics.set(sample.metric.name, entry);
    }
    entry.sink.add(sample.value);
    countCheck(this.checks, sample);
  }

  child(name: string): GroupNode {
    let child = this.groups.get(name);
    if (!child) {
      child = new GroupNode();
      this.groups.set(name, child);
    }
    return child;
  }

  report(trendStats: readonly string[], testRunDurationMs: number): GroupReport {
    const metrics: Record<string, SummaryMetricData> = {};
    for (const [name, { def, sink }] of this.metrics) {
      metrics[name] = { type: def.type, contains: def.contains, values: formatValues(sink, trendStats, testRunDurationMs) };
    }
    const checksSink = this.metrics.get('checks')?.sink as RateSink | undefined;
    const groups: Record<string, GroupReport> = {};
    for (const [name, group] of this.groups) groups[name] = group.report(trendStats, testRunDurationMs);
    return {
      checks: checksSink ? { passes: checksSink.passes, fails: checksSink.fails, list: [...this.checks.values()] } : undefined,
      metrics,
      groups,
    };
  }
}

function countCheck(checks: Map<string, CheckCount>, sample: Sample): void {
  const name = sample.tags.check;
  if (sample.metric.name !== 'checks' || name === undefined) return;
  let count = checks.get(name);
  if (!count) {
    count = { name, passes: 0, fails: 0 };
    checks.set(name, count);
  }
  if (sample.value === 0) count.fails++;
  else count.passes++;
}

/**
 * What the end-of-test summary needs beyond the registry, fed the same samples: every check by name (both modes),
 * and for `--summary-mode full` the metrics of each group and scenario. As in k6, a sample counts for its scenario
 * (unless `default`) and for the innermost group of its `group` tag, within that scenario if it has one; checks are
 * told apart by their `check` tag.
 */
export class SummaryBreakdown {
  private readonly checks = new Map<string, CheckCount>();
  private readonly root = new GroupNode();
  private readonly scenarios = new Map<string, GroupNode>();
  private readonly pathCache = new Map<string, string[]>();

  constructor(readonly mode: 'compact' | 'full') {}

  add(sample: Sample): void {
    countCheck(this.checks, sample);
    if (this.mode !== 'full') return;

    let node = this.root;
    const scenario = sample.tags.scenario;
    if (scenario !== undefined && scenario !== 'default') {
      node = this.scenarioNode(scenario);
      node.add(sample);
    }
    const group = sample.tags.group;
    if (!group) return;
    for (const name of this.names(group)) node = node.child(name);
    node.add(sample);
  }

  /** Every check by name, merged across groups and scenarios, first seen first. */
  checkCounts(): CheckCount[] {
    return [...this.checks.values()];
  }

  /** The root's groups (samples outside named scenarios) and each named scenario, with their values. */
  report(trendStats: readonly string[], testRunDurationMs: number): { groups: Record<string, GroupReport>; scenarios: Record<string, GroupReport> } {
    const scenarios: Record<string, GroupReport> = {};
    for (const [name, node] of this.scenarios) scenarios[name] = node.report(trendStats, testRunDurationMs);
    return { groups: this.root.report(trendStats, testRunDurationMs).groups, scenarios };
  }

  private scenarioNode(name: string): GroupNode {
    let node = this.scenarios.get(name);
    if (!node) {
      node = new GroupNode();
      this.scenarios.set(name, node);
    }
    return node;
  }

  private names(path: string): string[] {
    let names = this.pathCache.get(path);
    if (!names) {
      names = groupNames(path);
      this.pathCache.set(path, names);
    }
    return names;
  }
}
