import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { combinedExitCode, executionSegments } from '../cli/execute-segments.ts';
import { preflightExitCode } from '../cli/preflight-error.ts';
import { queryInflux, rows } from '../cli/report/influx-client.ts';
import { runReport } from '../cli/report/run-report.ts';
import { runCli } from './support/cli.ts';
import { startTestInflux, type TestInflux } from './support/influx.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

interface RunJson {
  exit_code: number;
  segments: { index: number; segment: string; exit_code: number; reports_dir: string }[] | null;
}

interface SlaSummary {
  iterations: number;
  slas: { id: string; count: number }[];
}

const iterations = 6;

describe('agent-sla run --segments: one load cut into execution segments, joined in InfluxDB', { timeout: 240_000 }, () => {
  let influx: TestInflux;
  let target: SpawnedTarget;
  const outDir = mkdtempSync(join(tmpdir(), 'agent-sla-segments-'));
  let single: RunJson;
  let split: RunJson;

  const run = async (testid: string, extra: string[]): Promise<RunJson> => {
    const result = await runCli(
      ['run', 'journey', '--target', target.url, '--influx', influx.url, '--iterations', String(iterations), '--testid', testid, '--out-dir', join(outDir, testid), '--json', ...extra],
      { timeoutMs: 180_000 },
    );
    assert.equal(result.code, 0, result.stderr.slice(-3000));
    return JSON.parse(result.stdout.trim()) as RunJson;
  };
  const influxSum = async (testid: string, groupBy = ''): Promise<Record<string, unknown>[]> => {
    const [result] = await queryInflux({ url: influx.url, database: 'k6' }, [`SELECT SUM("value") AS "n" FROM "iterations" WHERE "testid" = '${testid}'${groupBy}`]);
    return result!.series.flatMap((series) => rows(series).map((row) => ({ ...row, ...series.tags })));
  };

  before(async () => {
    influx = await startTestInflux();
    target = await spawnTarget();
    single = await run('seg-single', []);
    split = await run('seg-split', ['--segments', '2']);
  });
  after(async () => {
    await target?.stop();
    await influx?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('cuts the whole into consecutive segments k6 understands', () => {
    assert.deepEqual(executionSegments(2), { segments: ['0:1/2', '1/2:1'], sequence: '0,1/2,1' });
    assert.deepEqual(executionSegments(3).segments, ['0:1/3', '1/3:2/3', '2/3:1']);
  });

  it('joins exit codes: an SLA failed anywhere is 99, then the first other failure', () => {
    assert.equal(combinedExitCode([0, 0], 'pass'), 0);
    assert.equal(combinedExitCode([0, 99], 'pass'), 99);
    assert.equal(combinedExitCode([0, 0], 'fail'), 99);
    assert.equal(combinedExitCode([107, 99], 'pass'), 99);
    assert.equal(combinedExitCode([0, 107], 'no data'), 107);
  });

  it('ran two segments, each doing part of the iterations, together as many as one unsegmented run did', async () => {
    assert.equal(single.segments, null);
    assert.equal(split.segments?.length, 2);
    const summaries = split.segments!.map((entry) => JSON.parse(readFileSync(join(entry.reports_dir, 'sla-summary.json'), 'utf8')) as SlaSummary);
    for (const summary of summaries) assert.ok(summary.iterations > 0 && summary.iterations < iterations, `a segment did ${summary.iterations}`);
    const singleSummary = JSON.parse(readFileSync(join(outDir, 'seg-single', 'sla-summary.json'), 'utf8')) as SlaSummary;
    assert.equal(singleSummary.iterations, iterations);
    assert.equal(summaries[0]!.iterations + summaries[1]!.iterations, singleSummary.iterations);

    assert.deepEqual((await influxSum('seg-single')).map((row) => row.n), [iterations]);
    assert.deepEqual((await influxSum('seg-split')).map((row) => row.n), [iterations]);
    const perSegment = await influxSum('seg-split', ' GROUP BY "segment"');
    assert.deepEqual(perSegment.map((row) => row.segment).sort(), ['0', '1']);
    assert.deepEqual(perSegment.map((row) => row.n).sort(), summaries.map((summary) => summary.iterations).sort());
  });

  it('the report judges the SLAs over both segments: as many samples as the single run, the sum of the two', async () => {
    const quiet = { print: () => undefined };
    const joined = await runReport({ testid: 'seg-split', influxUrl: influx.url, outDir: join(outDir, 'joined'), ...quiet });
    const whole = await runReport({ testid: 'seg-single', influxUrl: influx.url, outDir: join(outDir, 'whole'), ...quiet });
    const summaries = split.segments!.map((entry) => JSON.parse(readFileSync(join(entry.reports_dir, 'sla-summary.json'), 'utf8')) as SlaSummary);
    for (const [key, id] of [['signup', 'signup'], ['auth', 'auth'], ['agent', 'agent'], ['billing', 'billing']] as const) {
      const joinedCount = joined.report.slas.find((entry) => entry.sla.key === key)!.stats.count;
      const segmentCounts = summaries.map((summary) => summary.slas.find((sla) => sla.id === id)!.count);
      assert.equal(joinedCount, segmentCounts[0]! + segmentCounts[1]!, key);
      assert.equal(joinedCount, whole.report.slas.find((entry) => entry.sla.key === key)!.stats.count, key);
      assert.ok(segmentCounts.every((count) => count > 0 && count < joinedCount), `${key}: ${segmentCounts.join(' + ')}`);
    }
    assert.equal(joined.report.verdict, 'pass');
    // The CLI wrote the same joined report next to the segments.
    const written = JSON.parse(readFileSync(join(outDir, 'seg-split', 'report.json'), 'utf8')) as { verdict: string; testid: string };
    assert.deepEqual([written.testid, written.verdict], ['seg-split', 'pass']);
  });

  it('says which segment had nothing to do when there are more segments than VUs, and still sums to the whole', async () => {
    const result = await runCli(['run', 'journey', '--target', target.url, '--influx', influx.url, '--iterations', '2', '--segments', '3', '--testid', 'seg-idle', '--out-dir', join(outDir, 'seg-idle'), '--json']);
    assert.equal(result.code, 0, result.stderr.slice(-3000));
    const idle = [...result.stderr.matchAll(/^segment (\d) \(([^)]+)\) ran no iterations/gm)];
    assert.equal(idle.length, 1, result.stderr.slice(-3000));
    const parsed = JSON.parse(result.stdout.trim()) as RunJson;
    assert.equal(parsed.segments?.length, 3);
    assert.equal(parsed.segments![Number(idle[0]![1])]!.segment, idle[0]![2]);
    assert.deepEqual((await influxSum('seg-idle')).map((row) => row.n), [2]);
  });

  it('a bad configuration is refused in one line before any segment starts', async () => {
    const result = await runCli(['run', 'journey', '--target', target.url, '--influx', influx.url, '--segments', '2', '--testid', 'seg-bad', '--out-dir', join(outDir, 'seg-bad'), '--quiet', '--', '-e', 'TIME_SCALE=abc']);
    // The library's own check (the bundle's options, read before any load) runs first, so no segment starts.
    assert.equal(result.code, preflightExitCode, result.stderr.slice(-3000));
    assert.equal(result.stderr.trim(), 'agent-sla: bad configuration: TIME_SCALE="abc" must be a number above 0');
    assert.doesNotMatch(result.stderr, /^segment/m);
  });

  it('refuses --segments without --influx, or out of range, before any load', async () => {
    for (const args of [['--segments', '2'], ['--segments', '0', '--influx', influx.url], ['--segments', '65', '--influx', influx.url]]) {
      const result = await runCli(['run', 'journey', '--target', target.url, ...args]);
      assert.equal(result.code, preflightExitCode, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
  });
});
