import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allDashboards } from '../dashboards/all-dashboards.ts';
import { grafanaInterval, interpolate, type Interpolation, type VariableValue } from '../dashboards/grafana-interpolate.ts';
import { queryInflux, type InfluxTarget } from '../cli/report/influx-client.ts';
import { runMetricsFixture, startTestInflux, type MetricsRun, type TestInflux } from './support/influx.ts';

interface PanelQuery { dashboard: string; panel: string; query: string }

// With the optional streaming SLAs set, so their rows (drawn only when a bound is given) are checked too.
const panelQueries: PanelQuery[] = allDashboards({ ttft: 2000, itl: 200 }).flatMap(({ dashboard }) =>
  (dashboard.panels ?? []).flatMap((panel) => {
    const p = panel as { title?: string; targets?: { query?: string }[] };
    return (p.targets ?? []).map((target) => ({ dashboard: dashboard.title ?? '', panel: p.title ?? '', query: target.query ?? '' }));
  }));
const variableQueries = allDashboards()[0]!.dashboard.templating?.list?.map((variable) => ({ name: variable.name, query: String(variable.query) })) ?? [];

const measurementsIn = (query: string): string[] => [...query.matchAll(/FROM\s+"([^"]+)"/g)].map((m) => m[1]!);
function tagsIn(query: string): string[] {
  const compared = [...query.matchAll(/"(\w+)"\s*(?:=~|!~|!=|<>|=)/g)].map((m) => m[1]!);
  const grouped = [...query.replace(/time\([^)]*\)/g, 'time').matchAll(/GROUP BY ([^()]*)/g)].flatMap((m) => [...m[1]!.matchAll(/"(\w+)"/g)].map((g) => g[1]!));
  return [...new Set([...compared, ...grouped])];
}

/** What k6 actually wrote: measurement → its tag keys. */
async function writtenSchema(target: InfluxTarget): Promise<Map<string, Set<string>>> {
  const [measurements] = await queryInflux(target, ['SHOW MEASUREMENTS']);
  const names = (measurements?.series[0]?.values ?? []).map((row) => String(row[0]));
  const tagResults = await queryInflux(target, names.map((name) => `SHOW TAG KEYS FROM "${name}"`));
  return new Map(names.map((name, index) => [name, new Set((tagResults[index]?.series[0]?.values ?? []).map((row) => String(row[0])))]));
}

/** Problems with a query's references: measurements k6 never wrote, or tags those measurements never had. */
function unknownReferences(query: string, schema: Map<string, Set<string>>): string[] {
  const measurements = measurementsIn(query);
  const problems = measurements.filter((name) => !schema.has(name)).map((name) => `measurement "${name}" was never written`);
  const tagSets = measurements.flatMap((name) => (schema.has(name) ? [schema.get(name)!] : []));
  const everyTag = new Set([...schema.values()].flatMap((tags) => [...tags]));
  for (const tag of tagsIn(query)) {
    const known = tagSets.length > 0 ? tagSets.every((tags) => tags.has(tag)) : everyTag.has(tag);
    if (!known) problems.push(`tag "${tag}" was never written on ${measurements.join(', ') || 'any measurement'}`);
  }
  return problems;
}

let influx: TestInflux;
let target: InfluxTarget;
let run: MetricsRun;
let schema: Map<string, Set<string>>;

before(async () => {
  influx = await startTestInflux();
  target = { url: influx.url, database: 'k6' };
  // The fixture runs the production scenarios (lib/ metrics and tags). drop-socket cuts some runs mid-stream, so failures, sequence errors and abnormal close codes exist too.
  // Own bounds for pro and enterprise on every latency SLA with plans, so each plan's threshold line has data whatever plans are picked.
  const planBounds = Object.fromEntries(['SIGNUP', 'AUTH', 'AGENT', 'ORCHESTRATION', 'TTFT', 'ITL'].flatMap((sla) => [[`SLA_${sla}_MS_PRO`, '50000'], [`SLA_${sla}_MS_ENTERPRISE`, '40000']]));
  const streaming = { SLA_TTFT_MS: '60000', SLA_ITL_MS: '60000' };
  run = await runMetricsFixture(influx.url, 'dash-run-1', { VUS: '3', ITERATIONS: '45', MAX_DURATION: '60s', ...streaming, ...planBounds }, 'drop-socket:0.3');
  schema = await writtenSchema(target);
});
after(async () => influx?.stop());

test('the fixture run streamed every contract metric, failures included', () => {
  assert.ok(run.k6.code === 0 || run.k6.code === 99, `k6 exited ${run.k6.code}: ${run.k6.stderr.slice(-500)}`);
  assert.doesNotMatch(run.k6.stderr, /Couldn't write stats/);
  for (const metric of ['agent_runs_failed', 'ws_close_codes', 'agent_event_sequence_ok', 'vus', 'iterations']) assert.ok(schema.has(metric), metric);
  for (const metric of ['agent_time_to_first_token', 'agent_inter_token_latency', 'agent_goodput_runs', 'sla_plan_bound_ms']) assert.ok(schema.has(metric), metric);
});

test("each plan's own bound is a threshold line of its value, one per plan, across the run", async () => {
  const agent = allDashboards()[0]!.dashboard.panels!.find((panel) => (panel as { title?: string }).title?.startsWith('agent response: agent_response_duration')) as unknown as
    { targets: { query: string; alias?: string }[]; fieldConfig: { overrides: { matcher: { id: string; options: string } }[] } };
  const line = agent.targets.find((t) => t.alias === 'bound $tag_plan')!;
  assert.ok(agent.fieldConfig.overrides.some((o) => o.matcher.id === 'byFrameRefID' && o.matcher.options === (line as { refId?: string }).refId), 'drawn as a threshold line');
  const context: Interpolation = { fromMs: run.startedAt - 5_000, toMs: run.endedAt + 5_000, interval: '1s', variables: { testid: { values: [run.testid] }, plan: { all: true, allValue: '.*' } } };
  const [result] = await queryInflux(target, [interpolate(line.query, context)]);
  const byPlan = new Map((result?.series ?? []).map((s) => [(s as { tags?: Record<string, string> }).tags?.plan, s.values.map((row) => row[1]).filter((v) => v !== null)]));
  assert.deepEqual([...byPlan.keys()].sort(), ['enterprise', 'pro'], 'only the plans with their own bound');
  assert.deepEqual([...new Set(byPlan.get('enterprise'))], [40000]);
  assert.deepEqual([...new Set(byPlan.get('pro'))], [50000]);
  // fill(previous) carries the one sample written in setup() across the run, not a single dot.
  assert.ok(byPlan.get('enterprise')!.length > 5, `${byPlan.get('enterprise')!.length} points`);
});

test('the reference checker rejects a measurement or a tag k6 never wrote', () => {
  assert.deepEqual(unknownReferences('SELECT mean("value") FROM "agent_reponse_duration" WHERE $timeFilter', schema), ['measurement "agent_reponse_duration" was never written']);
  assert.deepEqual(unknownReferences('SELECT count("value") FROM "http_reqs" WHERE "url" =~ /x/ GROUP BY time(1s), "vu" fill(none)', schema),
    ['tag "url" was never written on http_reqs', 'tag "vu" was never written on http_reqs']);
});

test('every panel query names only measurements and tags k6 wrote', () => {
  assert.ok(panelQueries.length >= 40, `${panelQueries.length} queries`);
  const problems = panelQueries.flatMap((q) => unknownReferences(q.query, schema).map((p) => `${q.dashboard} / ${q.panel}: ${p}`));
  assert.deepEqual(problems, []);
});

const selections: [string, Record<string, VariableValue>][] = [
  ['scenario and plan = All', { scenario: { all: true, allValue: '.*' }, plan: { all: true, allValue: '.*' } }],
  ['one scenario, two plans', { scenario: { values: ['agents'] }, plan: { values: ['free', 'enterprise'] } }],
  // A metric the library does not tag with a plan (close codes, refusals) must still show when one plan is picked.
  ['one plan', { scenario: { all: true, allValue: '.*' }, plan: { values: ['pro'] } }],
];

for (const [label, variables] of selections) {
  test(`every panel query returns data from InfluxDB (${label})`, async () => {
    const fromMs = run.startedAt - 5_000;
    const toMs = run.endedAt + 5_000;
    const context: Interpolation = { fromMs, toMs, interval: grafanaInterval(fromMs, toMs), variables: { testid: { values: [run.testid] }, ...variables } };
    const statements = panelQueries.map((q) => interpolate(q.query, context));
    const results = await queryInflux(target, statements);
    const empty = panelQueries.filter((_, index) => {
      const series = results[index]?.series ?? [];
      return !series.some((s) => s.values.some((row) => row.slice(1).some((value) => typeof value === 'number')));
    });
    assert.deepEqual(empty.map((q) => `${q.dashboard} / ${q.panel}: ${q.query}`), []);
  });
}

test('template variable queries list this run and its scenario and plans', async () => {
  const context: Interpolation = { fromMs: 0, toMs: 0, interval: '1s', variables: { testid: { values: [run.testid] } } };
  const results = await queryInflux(target, variableQueries.map((v) => interpolate(v.query, context)));
  // Without FROM, InfluxDB answers per measurement; Grafana shows the distinct values.
  const values = new Map(variableQueries.map((v, index) => [v.name, [...new Set((results[index]?.series ?? []).flatMap((s) => s.values.map((row) => String(row[1]))))]]));
  assert.ok(values.get('testid')?.includes(run.testid));
  assert.deepEqual(values.get('scenario'), ['agents']);
  assert.deepEqual(values.get('plan')?.sort(), ['enterprise', 'free', 'pro']);
  for (const v of variableQueries) assert.deepEqual(unknownReferences(v.query, schema), [], v.name);
});
