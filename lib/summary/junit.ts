import { failureText, rowName, tableRows, type TableRow } from './format.ts';
import type { SlaSummary } from './model.ts';

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

type Outcome = { kind: 'pass' } | { kind: 'failure' | 'skipped'; message: string };

const testcase = (className: string, name: string, outcome: Outcome): string => {
  const open = `    <testcase classname="${escapeXml(className)}" name="${escapeXml(name)}"`;
  if (outcome.kind === 'pass') return `${open}/>`;
  const child = outcome.kind === 'failure' ? `<failure type="sla" message="${escapeXml(outcome.message)}"/>` : `<skipped message="${escapeXml(outcome.message)}"/>`;
  return `${open}>\n      ${child}\n    </testcase>`;
};

const outcomeOf = (r: TableRow): Outcome =>
  r.status === 'pass' ? { kind: 'pass' } : { kind: r.status === 'fail' ? 'failure' : 'skipped', message: failureText(r) };

/**
 * One testcase per SLA and correctness check and per breakdown threshold, named "<sla> [<part>]: <metric> <threshold>".
 * A verdict without samples is <skipped/>, never a pass; a run that measured nothing gets one failing testcase.
 */
export const junitXml = (summary: SlaSummary): string => {
  const className = `agent-sla.${summary.scenario}`;
  const rows = tableRows(summary);
  const all = rows.map((r) => ({ xml: testcase(className, `${rowName(r)}: ${r.sla.metric} ${r.threshold}`, outcomeOf(r)), kind: outcomeOf(r).kind }));
  const runFailure = summary.iterations === 0
    ? 'no iteration completed: see the k6 errors'
    : !summary.passed && summary.slas.every((sla) => sla.ok) ? 'nothing was measured: no SLA had a sample' : undefined;
  const runCase = summary.iterations === 0 ? 'iterations completed' : 'SLAs measured';
  if (runFailure) all.push({ xml: testcase(className, runCase, { kind: 'failure', message: runFailure }), kind: 'failure' });
  const count = (kind: Outcome['kind']): number => all.filter((entry) => entry.kind === kind).length;
  const seconds = (summary.test_run_duration_ms / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="agent-sla" tests="${all.length}" failures="${count('failure')}" skipped="${count('skipped')}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(className)}" tests="${all.length}" failures="${count('failure')}" errors="0" skipped="${count('skipped')}" time="${seconds}">`,
    `    <properties><property name="profile" value="${escapeXml(summary.profile)}"/><property name="contract" value="${escapeXml(summary.contract)}"/></properties>`,
    ...all.map((entry) => entry.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
};
