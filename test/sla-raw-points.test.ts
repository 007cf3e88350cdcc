import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runScenario, tail } from './support/sla-run.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

interface Point {
  metric: string;
  value: number;
  tags: Record<string, string>;
}

/** Every sample k6 wrote with --out json. */
function readPoints(file: string): Point[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"Point"'))
    .map((line) => {
      const { metric, data } = JSON.parse(line) as { metric: string; data: { value: number; tags?: Record<string, string> } };
      return { metric, value: data.value, tags: data.tags ?? {} };
    });
}

/** k6's percentile: sort, index p·(n−1), linear interpolation between the neighbours. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = p * (sorted.length - 1);
  const low = sorted[Math.floor(i)]!;
  const high = sorted[Math.ceil(i)]!;
  return low + (high - low) * (i - Math.floor(i));
}

describe('SLA suite: raw k6 points agree with the reports', () => {
  let target: SpawnedTarget;
  let dir: string;
  before(async () => {
    target = await spawnTarget();
    dir = mkdtempSync(join(tmpdir(), 'sla-points-'));
  });
  after(async () => {
    await target?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('p95 of agent_response_duration from the raw points matches sla-summary.json within 1 %', async () => {
    const out = join(dir, 'agent-events.json');
    const run = await runScenario('agent-events', target.url, { ITERATIONS: '10', VUS: '3', RUNS_PER_SESSION: '2' }, { args: ['--out', `json=${out}`] });
    assert.equal(run.code, 0, tail(run));
    const values = readPoints(out).filter((p) => p.metric === 'agent_response_duration').map((p) => p.value);
    assert.equal(values.length, 20, 'one point per agent run');
    const reported = run.json?.slas.find((s) => s.id === 'agent');
    assert.ok(reported?.p95, 'no p95 in sla-summary.json');
    assert.equal(reported.count, values.length);
    const mine = percentile(values, 0.95);
    assert.ok(Math.abs(mine - reported.p95) <= mine * 0.01, `raw p95 ${mine} vs reported ${reported.p95}`);
    assert.ok(Math.abs(percentile(values, 0.99) - (reported.p99 ?? 0)) <= mine * 0.01);
  });

  it('auth-websocket negative checks pass because the target answered 401, not by default', async () => {
    const out = join(dir, 'auth-websocket.json');
    const run = await runScenario('auth-websocket', target.url, { ITERATIONS: '2' }, { args: ['--out', `json=${out}`] });
    assert.equal(run.code, 0, tail(run));
    const points = readPoints(out);
    // Tokens live 900 s here, so per iteration: missing, tampered, alg:none over HTTP and at the
    // handshake (6), plus the used refresh token (1).
    const refusals = points.filter((p) => p.metric === 'auth_refusal_ok');
    assert.equal(refusals.length, 14);
    assert.ok(refusals.every((p) => p.value === 1));
    const statuses = (metric: string, name: string): string[] =>
      points.filter((p) => p.metric === metric && p.tags.name === name).map((p) => p.tags.status ?? '');
    const me = statuses('http_reqs', 'GET /auth/me');
    assert.equal(me.filter((s) => s === '401').length, 6, `GET /auth/me statuses: ${me.join(',')}`);
    assert.equal(statuses('http_reqs', 'POST /auth/refresh').filter((s) => s === '401').length, 2);
    const handshakes = statuses('ws_connecting', 'WS /ws');
    assert.equal(handshakes.filter((s) => s === '401').length, 6, `handshake statuses: ${handshakes.join(',')}`);
    assert.ok(handshakes.filter((s) => s === '101').length >= 8, 'the valid tokens were accepted');
    const closeCodes = points.filter((p) => p.metric === 'ws_close_codes').map((p) => p.tags.close_code);
    assert.equal(closeCodes.filter((c) => c === 'none').length, 6, 'refused handshakes never had a socket to close');
    assert.ok(closeCodes.filter((c) => c === '1000').length >= 8);
    // No point carries a token or password in any tag.
    assert.ok(points.every((p) => !/eyJ[\w-]{10,}|pw-[a-z0-9]{20}/.test(JSON.stringify(p.tags))));
  });
});
