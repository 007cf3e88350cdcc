import { indent, MetricLines, type RenderOptions } from './metric-lines.ts';
import type { CheckCount, ChecksReport, SummaryGroup, SummaryMetricData } from './summary-types.ts';

/** A token on its own: the line before it ends, and an empty line follows (see text-summary.ts). */
export const BREAK = '\n';

/** checks_total, checks_succeeded and checks_failed, then a blank line, then ✓/✗ per check. */
export function checkLines(checks: ChecksReport, testRunDurationMs: number, level: number, options: RenderOptions): string[] {
  const total = checks.passes + checks.fails;
  const metrics: Record<string, SummaryMetricData> = {
    checks_total: { type: 'counter', contains: 'default', values: { count: total, rate: testRunDurationMs > 0 ? total / (testRunDurationMs / 1000) : 0 } },
    checks_succeeded: { type: 'rate', contains: 'default', values: { rate: total > 0 ? checks.passes / total : 0, passes: checks.passes, fails: checks.fails } },
    checks_failed: { type: 'rate', contains: 'default', values: { rate: total > 0 ? checks.fails / total : 0, passes: checks.fails, fails: checks.passes } },
  };
  const lines = new MetricLines(metrics, level, options);
  return [...Object.keys(metrics).map((name) => lines.line(name)), BREAK, ...checks.list.map((check) => checkLine(check, level, options))];
}

function checkLine(check: CheckCount, level: number, { format }: RenderOptions): string {
  if (check.fails === 0) return indent(level) + format.color(`✓ ${check.name}`, 'green');
  const percent = Math.floor((100 * check.passes) / (check.passes + check.fails));
  // k6 indents the detail by twice the check's level plus one.
  const detail = ' '.repeat((2 * level + 1) * 2) + format.color(`↳  ${percent}% — ✓ ${check.passes} / ✗ ${check.fails}`, 'red');
  return indent(level) + format.color(`✗ ${check.name}`, 'red') + '\n' + detail;
}

/** Every check of a group tree by name, merged across groups, in the tree's order (when no breakdown was kept). */
export function flattenChecks(root: SummaryGroup): CheckCount[] {
  const byName = new Map<string, CheckCount>();
  const visit = (group: SummaryGroup) => {
    for (const check of group.checks) {
      const known = byName.get(check.name);
      if (known) {
        known.passes += check.passes;
        known.fails += check.fails;
      } else {
        byName.set(check.name, { name: check.name, passes: check.passes, fails: check.fails });
      }
    }
    group.groups.forEach(visit);
  };
  visit(root);
  return [...byName.values()];
}
