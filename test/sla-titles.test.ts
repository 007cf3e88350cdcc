import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';
import { slaCatalog } from '../cli/report/sla-catalog.ts';
import { renderMarkdown } from '../cli/report/render-markdown.ts';
import { renderText } from '../cli/report/render-text.ts';
import type { Report, SlaReport } from '../cli/report/report-model.ts';
import { parseSlaSpec, slaEnv, slaOptionHelp } from '../cli/sla-spec.ts';
import { allDashboards } from '../dashboards/all-dashboards.ts';
import type { Config } from '../lib/config.ts';
import { ENV_DEFAULTS } from '../lib/env-options.ts';
import { parseRate, SLA_CATALOG, SLA_IDS, thresholdExpression } from '../lib/sla-catalog.ts';
import { slaRows } from '../lib/sla.ts';
import { junitXml } from '../lib/summary/junit.ts';
import { markdownReport } from '../lib/summary/markdown.ts';
import { buildSummary, type SummaryData } from '../lib/summary/model.ts';
import { textTable } from '../lib/summary/text-table.ts';

/** Every bound at its default; the optional SLAs (ttft, itl) have none. */
const defaultBounds = Object.fromEntries(SLA_IDS.map((id) => {
  const text: string = ENV_DEFAULTS[SLA_CATALOG[id].env as keyof typeof ENV_DEFAULTS];
  return [id, text === '' ? undefined : parseRate(text) ?? Number(text)];
}));
/** The optional SLAs' bounds, so that every SLA has a row on every surface. */
const streaming = { ttft: 2000, itl: 200 };

/** The parts of a Config the SLA rows read. */
const configWith = (sla: Record<string, number | undefined>, slaByPlan: Config['slaByPlan'] = {}, plans: Config['plans'] = [['pro', 1]]): Config =>
  ({ profile: 'smoke', plans, sla, slaByPlan }) as unknown as Config;
const config = configWith({ ...defaultBounds, ...streaming });

const rows = slaRows(config, SLA_IDS, ['titles']);
const data: SummaryData = {
  metrics: Object.fromEntries(rows.map((row) => {
    const values: Record<string, number> = row.kind === 'latency' ? { count: 3, 'p(95)': 10, 'p(99)': 11 } : { passes: 3, fails: 0, rate: 1 };
    return [row.metric, { type: row.kind === 'latency' ? 'trend' : 'rate', values, thresholds: { [row.expression]: { ok: true } } }];
  })),
  root_group: { name: '', checks: [], groups: [] },
  state: { testRunDurationMs: 1000 },
};
const summary = buildSummary({ ...data, metrics: { ...data.metrics, iterations: { type: 'counter', values: { count: 3 } } } }, { scenario: 'titles', profile: 'smoke' }, rows);

const report: Report = {
  testid: 'titles', generatedAt: '', influx: { url: '', database: 'k6' },
  run: { start: '', end: '', durationS: 1, points: 1, scenarios: [] }, windowMs: 60_000, verdict: 'pass', notes: [],
  availability: { errors: 0, errorsByKind: {}, windows: [], availability: 1 },
  slas: slaCatalog(streaming).map((sla): SlaReport => ({
    sla, held: true, windows: [], compliance: { windows: 0, held: 0 },
    stats: sla.kind === 'latency' ? { kind: 'latency', count: 1, p95: 1 } : { kind: 'rate', count: 1, passes: 1, rate: 1 },
  })),
};

const dashboardTitles = allDashboards(streaming).flatMap(({ dashboard }) => (dashboard.panels ?? []).map((panel) => (panel as { title?: string }).title ?? ''));
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('one catalogue of SLAs: every surface names each SLA the same way', () => {
  for (const id of SLA_IDS) {
    const { title, metric } = SLA_CATALOG[id];
    it(`${id}: "${title}"`, () => {
      const threshold = rows.find((row) => row.id === id)!.expression;
      assert.equal(summary.slas.find((sla) => sla.id === id)?.name, title, 'sla-summary.json');
      assert.match(textTable(summary), new RegExp(`^${title}\\s{2}`, 'm'), 'end-of-test table');
      assert.ok(junitXml(summary).includes(`name="${title}: ${metric} ${threshold.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`), 'junit.xml');
      assert.ok(markdownReport(summary).includes(`| **${title}** | all |`), 'sla-summary.md');
      assert.match(renderText(report), new RegExp(`^${title}\\s{2,}${metric}\\b`, 'm'), 'agent-sla report (terminal)');
      assert.ok(renderMarkdown(report).includes(`| ${title} | ${metric} |`), 'agent-sla report (Markdown)');
      assert.ok(dashboardTitles.some((panel) => panel.startsWith(`${title}: ${metric}`)), 'SLA overview dashboard');
      assert.equal(Object.keys(parseSlaSpec(`${id}=${SLA_CATALOG[id].kind === 'latency' ? '1s' : '99%'}`))[0], id, '--sla');
      assert.ok(slaOptionHelp.includes(id), '--sla help');
      assert.match(readme, new RegExp(`^\\| ${title} \\| \`${metric}\``, 'm'), "README's SLA table");
    });
  }

  it('the other dashboards use the same titles where they show an SLA', () => {
    for (const title of [SLA_CATALOG.billing.title, SLA_CATALOG.runs.title, SLA_CATALOG.refusals.title]) {
      assert.ok(dashboardTitles.filter((panel) => panel.startsWith(title)).length >= 2, `${title}: ${dashboardTitles.filter((p) => p.startsWith(title))}`);
    }
  });
});

describe('bounds: defaults, --sla and SLA_* agree', () => {
  it('correctness verdicts are exact by default, availability has a 99 % budget; ttft and itl are judged only when set', () => {
    const defaults = Object.fromEntries(slaRows(configWith(defaultBounds), SLA_IDS, ['titles']).map((row) => [row.id, row.expression]));
    assert.deepEqual(defaults, {
      signup: 'p(95)<10000', auth: 'p(95)<5000', agent: 'p(95)<30000', orchestration: 'p(95)<45000',
      sequence: 'rate==1', billing: 'rate==1', refusals: 'rate==1', runs: 'rate>=0.99', responses: 'rate>=0.99',
    });
  });

  it('--sla takes a duration for a latency and a share for a rate, and passes them as the SLA_* variables', () => {
    const parsed = parseSlaSpec('agent=20s,billing=99.9%,runs=0.995');
    assert.deepEqual(parsed, { agent: 20_000, billing: 0.999, runs: 0.995 });
    assert.deepEqual(slaEnv(parsed), { SLA_AGENT_MS: '20000', SLA_BILLING_RATE: '99.9%', SLA_RUNS_RATE: '99.5%' });
    assert.equal(thresholdExpression('rate', parseRate(slaEnv(parsed).SLA_BILLING_RATE!)!), 'rate>=0.999');
    for (const bad of ['billing=101%', 'billing=0%', 'billing=30s', 'agent=99%', 'speed=1s', 'agent']) assert.throws(() => parseSlaSpec(bad), /bad --sla/, bad);
  });

  it('--sla takes a bound per plan for a latency SLA (agent.enterprise=15s), and refuses one for a rate or an unknown plan', () => {
    const parsed = parseSlaSpec('agent=30s,agent.enterprise=15s,agent.free=45s,ttft=2s,ttft.pro=1s');
    assert.deepEqual(slaEnv(parsed), { SLA_AGENT_MS: '30000', SLA_AGENT_MS_ENTERPRISE: '15000', SLA_AGENT_MS_FREE: '45000', SLA_TTFT_MS: '2000', SLA_TTFT_MS_PRO: '1000' });
    assert.throws(() => parseSlaSpec('agent.gold=1s'), /bad --sla: agent.gold: unknown plan "gold"/);
    assert.throws(() => parseSlaSpec('runs.pro=99%'), /bad --sla: runs.pro: runs is a rate SLA/);
    assert.throws(() => parseSlaSpec('speed.pro=1s'), /bad --sla: speed.pro: unknown SLA "speed"/);
    assert.throws(() => parseSlaSpec('agent.pro.x=1s'), /bad --sla/);
  });

  it("a plan's own bound is its threshold, and every surface shows it on that plan's row", () => {
    const plans: Config['plans'] = [['free', 1], ['enterprise', 1]];
    const [agent] = slaRows(configWith(defaultBounds, { agent: { enterprise: 15_000 } }, plans), ['agent'], ['titles']);
    assert.deepEqual(agent!.breakdown.map((part) => [part.metric, part.expression, part.ownBound]), [
      ['agent_response_duration{scenario:titles}', 'p(95)<30000', false],
      ['agent_response_duration{plan:free}', 'p(95)<30000', false],
      ['agent_response_duration{plan:enterprise}', 'p(95)<15000', true],
    ]);
    // k6's verdicts: the 20 s p95 of enterprise breaks its own 15 s, and holds the overall 30 s.
    const values = { count: 4, 'p(95)': 20_000, 'p(99)': 21_000 };
    const metric = (expression: string, ok: boolean) => ({ type: 'trend', values, thresholds: { [expression]: { ok } } });
    const judged = buildSummary({
      metrics: {
        iterations: { type: 'counter', values: { count: 4 } },
        agent_response_duration: metric('p(95)<30000', true),
        'agent_response_duration{scenario:titles}': metric('p(95)<30000', true),
        'agent_response_duration{plan:free}': metric('p(95)<30000', true),
        'agent_response_duration{plan:enterprise}': metric('p(95)<15000', false),
      },
      root_group: { name: '', checks: [], groups: [] },
      state: { testRunDurationMs: 1000 },
    }, { scenario: 'titles', profile: 'smoke' }, [agent!]);
    const enterprise = judged.slas[0]!.breakdown.plan.enterprise!;
    assert.deepEqual([enterprise.threshold, enterprise.bound_ms, enterprise.own_bound, enterprise.status], ['p(95)<15000', 15_000, true, 'fail']);
    assert.deepEqual([judged.slas[0]!.breakdown.plan.free!.threshold, judged.slas[0]!.breakdown.plan.free!.status], ['p(95)<30000', 'pass']);
    assert.equal(judged.passed, false);
    const table = textTable(judged);
    assert.match(table, /^ {2}plan:enterprise .* p\(95\)<15000 \(own\)\s+FAIL$/m);
    assert.match(table, /^ {2}plan:free .* p\(95\)<30000\s+pass$/m);
    assert.match(table, /^FAIL: agent response \[plan:enterprise\]$/m);
    const failures = [...junitXml(judged).matchAll(/name="([^"]+)">\s*<failure/g)].map((m) => m[1]);
    assert.deepEqual(failures, ['agent response [plan:enterprise]: agent_response_duration p(95)&lt;15000']);
    assert.match(markdownReport(judged), /\| plan:enterprise \| 20\.0 s \| 21\.0 s \|  \| 4 \| `p\(95\)<15000` \(own\) \| \*\*FAIL\*\* \|/);
  });

  it('a rate is a percent or a fraction above 0 and at most 1', () => {
    assert.equal(parseRate('100%'), 1);
    assert.equal(parseRate('99.9%'), 0.999);
    assert.equal(parseRate('0.5'), 0.5);
    assert.equal(parseRate('1'), 1);
    for (const bad of ['0', '0%', '1.5', '100.1%', '99', 'most']) assert.equal(parseRate(bad), undefined, bad);
  });
});
