import { failureText, tableRows } from './format.ts';
import type { SlaSummary } from './model.ts';

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

function testcase(className: string, name: string, failure: string | undefined): string {
  const open = `    <testcase classname="${escapeXml(className)}" name="${escapeXml(name)}"`;
  return failure === undefined ? `${open}/>` : `${open}>\n      <failure type="sla" message="${escapeXml(failure)}"/>\n    </testcase>`;
}

/** One testcase per SLA and correctness check and per breakdown threshold, named "<sla> [<part>]: <metric> <threshold>". */
export function junitXml(summary: SlaSummary): string {
  const className = `agent-sla.${summary.scenario}`;
  const all = tableRows(summary).map((r) =>
    testcase(className, `${r.sla.name}${r.part ? ` [${r.part}]` : ''}: ${r.sla.metric} ${r.sla.threshold}`, r.ok ? undefined : failureText(r)));
  if (summary.iterations === 0) all.push(testcase(className, 'iterations completed', 'no iteration completed: see the k6 errors'));
  const failures = all.filter((entry) => entry.includes('<failure')).length;
  const seconds = (summary.test_run_duration_ms / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="agent-sla" tests="${all.length}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(className)}" tests="${all.length}" failures="${failures}" errors="0" time="${seconds}">`,
    `    <properties><property name="profile" value="${escapeXml(summary.profile)}"/><property name="contract" value="${escapeXml(summary.contract)}"/></properties>`,
    ...all,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
