import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { preflightExitCode } from '../cli/preflight-error.ts';
import { runCli } from './support/cli.ts';
import { startTestInflux, type TestInflux } from './support/influx.ts';
import { spawnTarget } from './support/target.ts';

interface JsonOutcome {
  testid: string;
  exit_code: number;
  reports: { dir: string };
  influx: { url: string; report_command: string } | null;
}

describe('agent-sla run --influx, then agent-sla report, as a user types them', () => {
  let influx: TestInflux;
  let outcome: JsonOutcome;
  const workDir = mkdtempSync(join(tmpdir(), 'agent-sla-cli-report-'));

  before(async () => {
    influx = await startTestInflux();
    const target = await spawnTarget();
    try {
      const run = await runCli(['run', 'journey', '--target', target.url, '--influx', influx.url, '--testid', 'cli-report-1', '--json'], { timeoutMs: 180_000 });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      outcome = JSON.parse(run.stdout.trim()) as JsonOutcome;
    } finally {
      await target.stop();
    }
  });

  after(async () => {
    if (outcome) rmSync(outcome.reports.dir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
    await influx?.stop();
  });

  it('the run says where its metrics went and which report command to type', () => {
    assert.equal(outcome.testid, 'cli-report-1');
    assert.ok(outcome.influx, 'a run with --influx names it in its result');
    assert.match(outcome.influx.report_command, /report --testid cli-report-1 --influx http:\/\/127\.0\.0\.1:\d+/);
  });

  it('report prints the SLA table and writes Markdown, JSON and HTML; the verdict is the exit code', async () => {
    const outDir = join(workDir, 'report');
    const result = await runCli(['report', '--testid', 'cli-report-1', '--influx', influx.url, '--out-dir', outDir]);
    assert.equal(result.code, 0, result.stderr);
    for (const sla of ['signup', 'auth', 'agent response', 'event sequence well-formed', 'billed exactly once', 'agent runs completed']) assert.match(result.stdout, new RegExp(`^${sla}\\b`, 'm'));
    for (const file of ['report.md', 'report.json', 'report.html']) assert.ok(existsSync(join(outDir, file)), file);
    const json = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as { testid: string; verdict: string; slas: { stats: { count: number } }[] };
    assert.equal(json.testid, 'cli-report-1');
    assert.equal(json.verdict, 'pass');
    assert.ok(json.slas.some((sla) => sla.stats.count > 0));
  });

  it('a tighter --sla turns the same data into exit 99', async () => {
    const result = await runCli(['report', '--testid', 'cli-report-1', '--influx', influx.url, '--out-dir', join(workDir, 'tight'), '--sla', 'agent=1ms']);
    assert.equal(result.code, 99, result.stdout + result.stderr);
  });

  it('an unknown testid is one line and exit 1; a missing --testid is exit 2 before any query', async () => {
    const unknown = await runCli(['report', '--testid', 'never-ran', '--influx', influx.url, '--out-dir', join(workDir, 'none')]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim().split('\n').length, 1, unknown.stderr);
    assert.match(unknown.stderr, /never-ran/);
    const missing = await runCli(['report']);
    assert.equal(missing.code, preflightExitCode);
    assert.match(missing.stderr, /--testid is required/);
  });

  it('a password in --influx is never printed', async () => {
    const secretUrl = influx.url.replace('http://', 'http://user:hunter2@');
    const result = await runCli(['report', '--testid', 'never-ran', '--influx', secretUrl, '--out-dir', join(workDir, 'secret')]);
    assert.doesNotMatch(result.stdout + result.stderr, /hunter2/);
  });
});

describe('agent-sla dashboards --out DIR', () => {
  it('writes the five dashboards and the provisioning files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'agent-sla-dashboards-'));
    try {
      const result = await runCli(['dashboards', '--out', out, '--sla', 'agent=20s']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(readdirSync(join(out, 'json')).sort(), ['agent-events.json', 'billing.json', 'load.json', 'sla-overview.json', 'websocket-auth.json']);
      assert.ok(existsSync(join(out, 'provisioning', 'datasources', 'influxdb.yaml')));
      assert.ok(existsSync(join(out, 'provisioning', 'dashboards', 'agent-sla.yaml')));
      assert.match(readFileSync(join(out, 'json', 'sla-overview.json'), 'utf8'), /20000/);
      const missing = await runCli(['dashboards']);
      assert.equal(missing.code, 2);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
