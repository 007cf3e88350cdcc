import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { assertOneLineError, runCli } from './support/cli.ts';
import { startRecordingServer, type RecordingServer } from './support/recording-server.ts';

describe('agent-sla run --dialect', () => {
  let backend: RecordingServer;
  before(async () => {
    // Not our contract: a backend whose /health says nothing agent-sla knows.
    backend = await startRecordingServer({ ok: true });
  });
  after(() => backend.close());

  it('checks only for a 2xx at PATH_HEALTH on a backend of another dialect, and skips it with --no-health', async () => {
    const bad = await runCli(['run', 'agent-events', '--quiet', '--target', backend.url, '--dialect', 'envelope'], { env: { AUTH_MODE: 'token' } });
    // The health check passed (any 2xx); the configuration check then refused AUTH_MODE=token without a token.
    assertOneLineError(bad, /AUTH_MODE="token" needs TOKEN or TOKENS_FILE/);
    assert.deepEqual(backend.requests, ['GET /health']);
    const skipped = await runCli(['run', 'agent-events', '--quiet', '--target', backend.url, '--dialect', 'envelope', '--no-health'], { env: { AUTH_MODE: 'token' } });
    assertOneLineError(skipped, /AUTH_MODE="token" needs TOKEN or TOKENS_FILE/);
    assert.deepEqual(backend.requests, ['GET /health'], 'no second health check, and no load');
  });

  it('refuses an unknown dialect, an unreadable USERS_FILE and a non-ws WS_URL in one line, before any load', async () => {
    const before = backend.requests.length;
    assertOneLineError(await runCli(['run', 'agent-events', '--quiet', '--target', backend.url, '--dialect', 'graphql']), /bad --dialect "graphql": agent-sla, envelope, openai-realtime/);
    const options = ['run', 'agent-events', '--quiet', '--target', backend.url, '--dialect', 'envelope', '--no-health'];
    assertOneLineError(await runCli(options, { env: { AUTH_MODE: 'login', USERS_FILE: '/nonexistent/users.csv' } }), /USERS_FILE="\/nonexistent\/users.csv" cannot be read/);
    assertOneLineError(await runCli([...options, '--', '-e', 'WS_URL=http://127.0.0.1:1/ws']), /WS_URL="http:\/\/127.0.0.1:1\/ws" is not a ws\(s\):\/\/ URL/);
    assert.equal(backend.requests.length, before);
  });

  it('runs journey against the embedded target speaking envelope, and passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-dialect-'));
    const result = await runCli(['run', 'journey', '--quiet', '--dialect', 'envelope', '--out-dir', dir]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const summary = JSON.parse(readFileSync(join(dir, 'sla-summary.json'), 'utf8')) as { passed: boolean; slas: Array<{ id: string }> };
    assert.equal(summary.passed, true);
    // Billing cannot be measured in the envelope dialect: the row is left out, not passed.
    assert.ok(!summary.slas.some((sla) => sla.id === 'billing'), JSON.stringify(summary.slas.map((sla) => sla.id)));
  });
});
