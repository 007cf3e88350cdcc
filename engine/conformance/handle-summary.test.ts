// handleSummary(data) replaces the default summary: what it returns goes to stdout, stderr, or files at relative
// or absolute paths; `data` holds metrics (type, contains, values by summaryTrendStats, thresholds.{expr}.ok),
// root_group checks, options and state.testRunDurationMs.
// https://grafana.com/docs/k6/latest/results-output/end-of-test/custom-summary/
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanup, explain, runK6, type RunResult } from './run-k6-script.ts';

interface SummaryData {
  metrics: Record<string, { type: string; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  root_group: { name: string; path: string; checks: { name: string; path: string; passes: number; fails: number }[]; groups: unknown[] };
  options: { summaryTrendStats: string[] };
  state: { testRunDurationMs: number };
}

const script = `
import { check } from 'k6';

export const options = {
  iterations: 3,
  summaryTrendStats: ['avg', 'p(99.9)', 'count'],
  thresholds: { iterations: ['count==3'], checks: ['rate==1'] },
};

export default function () {
  check(__ITER, { 'first iteration': (i) => i === 0 });
}

export function handleSummary(data) {
  return {
    stdout: 'CUSTOM-STDOUT\\n',
    stderr: 'CUSTOM-STDERR\\n',
    'relative-summary.json': JSON.stringify(data),
    [__ENV.OUT_DIR + '/absolute-summary.json']: JSON.stringify(data),
  };
}
`;

describe('handleSummary', () => {
  let run: RunResult;
  let data: SummaryData;
  const outDir = mkdtempSync(join(tmpdir(), 'k6-conformance-out-'));
  after(() => {
    cleanup(run);
    rmSync(outDir, { recursive: true, force: true });
  });

  it('runs; a failing threshold still decides the exit code (99)', async () => {
    run = await runK6(script, { cwdInScriptDir: true, args: ['-e', `OUT_DIR=${outDir}`] });
    assert.equal(run.code, 99, explain(run));
  });

  it('replaces the default summary on stdout with what it returns for stdout', () => {
    assert.equal(run.stdout, 'CUSTOM-STDOUT\n');
    assert.match(run.stderr, /CUSTOM-STDERR\n/);
  });

  it('writes files at relative paths (from the working dir) and at absolute paths', () => {
    const relative = run.file('relative-summary.json');
    assert.ok(relative, 'relative-summary.json was not written');
    data = JSON.parse(relative) as SummaryData;
    const absolutePath = join(outDir, 'absolute-summary.json');
    assert.deepEqual(JSON.parse(readFileSync(absolutePath, 'utf8')), data);
  });

  it('hands it the metrics: type, contains, values', () => {
    assert.deepEqual({ type: data.metrics.iterations?.type, contains: data.metrics.iterations?.contains }, { type: 'counter', contains: 'default' });
    assert.equal(data.metrics.iterations?.values.count, 3);
    assert.equal(data.metrics.checks?.type, 'rate');
    assert.deepEqual({ passes: data.metrics.checks?.values.passes, fails: data.metrics.checks?.values.fails }, { passes: 1, fails: 2 });
    assert.equal(data.metrics.iteration_duration?.contains, 'time');
  });

  it('shapes the trend values by summaryTrendStats, and passes the option along', () => {
    assert.deepEqual(Object.keys(data.metrics.iteration_duration?.values ?? {}).sort(), ['avg', 'count', 'p(99.9)']);
    assert.equal(data.metrics.iteration_duration?.values.count, 3);
    assert.deepEqual(data.options.summaryTrendStats, ['avg', 'p(99.9)', 'count']);
  });

  it('reports each threshold with ok: true when it passed and false when it failed', () => {
    assert.deepEqual(data.metrics.iterations?.thresholds, { 'count==3': { ok: true } });
    assert.deepEqual(data.metrics.checks?.thresholds, { 'rate==1': { ok: false } });
  });

  it('lists the checks in root_group, and the test run duration in state', () => {
    const [check] = data.root_group.checks;
    assert.deepEqual(check && { name: check.name, path: check.path, passes: check.passes, fails: check.fails }, { name: 'first iteration', path: '::first iteration', passes: 1, fails: 2 });
    assert.ok(data.state.testRunDurationMs > 0);
  });
});
