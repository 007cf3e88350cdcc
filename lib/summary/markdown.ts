import { goodputLine, headline, tableRows, verdictLine } from './format.ts';
import type { SlaSummary } from './model.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|');
const result = { pass: 'pass', fail: '**FAIL**', not_measured: 'not measured' } as const;

/** A pull-request comment: the verdict first, then every SLA with its per-scenario and per-plan rows, then `notes` (availability). */
export const markdownReport = (summary: SlaSummary, notes: readonly string[] = []): string => {
  const lines = [
    `### agent-sla \`${summary.scenario}\` (${summary.profile}): ${summary.passed ? '✅' : '❌'} ${verdictLine(summary)}`,
    '',
    `${headline(summary)}; contract \`${summary.contract}\`.${goodputLine(summary) ? ` ${goodputLine(summary)}.` : ''}`,
    '',
    '| SLA | breakdown | p95 | p99 | rate | samples | threshold | result |',
    '|---|---|---|---|---|---|---|---|',
    ...tableRows(summary).map((r) =>
      `| ${r.part ? '' : `**${cell(r.sla.name)}**`} | ${cell(r.part || 'all')} | ${r.cells.p95} | ${r.cells.p99} | ${r.cells.rate} | ` +
      `${r.cells.count} | \`${cell(r.threshold)}\`${r.ownBound ? ' (own)' : ''} | ${result[r.status]} |`),
  ];
  const failedChecks = summary.checks.filter((c) => c.fails > 0);
  if (failedChecks.length > 0) lines.push('', 'Failed checks:', ...failedChecks.map((c) => `- ${cell(c.name)}: ${c.fails} of ${c.passes + c.fails}`));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
};
