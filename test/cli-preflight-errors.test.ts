import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CONTRACT_VERSION } from '../lib/protocol/version.ts';
import { assertOneLineError, runCli } from './support/cli.ts';
import { startRecordingServer, type RecordingServer } from './support/recording-server.ts';


/** A loopback port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

describe('agent-sla run refuses bad configuration before any load', () => {
  let contractTarget: RecordingServer;

  before(async () => {
    // Answers /health like a real target of our contract; any other request would be load.
    contractTarget = await startRecordingServer({ status: 'ok', db: 'ok', contract: CONTRACT_VERSION });
  });
  after(() => contractTarget.close());

  it('names an unknown scenario and lists the known ones', async () => {
    const result = await runCli(['run', 'no-such-scenario', '--target', contractTarget.url]);
    assertOneLineError(result, /unknown scenario "no-such-scenario"; scenarios: .*journey/);
    assert.deepEqual(contractTarget.requests, []);
  });

  it('rejects a malformed --sla', async () => {
    const before = contractTarget.requests.length;
    const result = await runCli(['run', 'journey', '--target', contractTarget.url, '--sla', 'agent=fast']);
    assertOneLineError(result, /bad --sla: "fast" for agent is not a positive duration/);
    assert.equal(contractTarget.requests.length, before);
  });

  it('rejects an --sla naming no known SLA', async () => {
    const result = await runCli(['run', 'journey', '--target', contractTarget.url, '--sla', 'latency=3s']);
    assertOneLineError(result, /unknown SLA "latency"/);
  });

  it('rejects an unknown option and says where k6 flags go', async () => {
    const result = await runCli(['run', 'journey', '--target', contractTarget.url, '--http-debug']);
    assertOneLineError(result, /unknown option --http-debug; k6's own flags go after --/);
  });

  it('rejects a --target that is not listening', async () => {
    const port = await closedPort();
    const result = await runCli(['run', 'journey', '--target', `http://127.0.0.1:${port}`]);
    assertOneLineError(result, new RegExp(`--target: http://127\\.0\\.0\\.1:${port}/health is not reachable`));
  });

  it('rejects a --target whose /health names another contract, having asked only for /health', async () => {
    const other = await startRecordingServer({ status: 'ok', contract: 'someone-else/7' });
    try {
      const result = await runCli(['run', 'journey', '--target', other.url]);
      assertOneLineError(result, /reports contract "someone-else\/7"; this agent-sla needs "agent-sla-protocol\/1"/);
      assert.deepEqual(other.requests, ['GET /health']);
    } finally {
      await other.close();
    }
  });

  it('rejects a --target without a contract version', async () => {
    const bare = await startRecordingServer({ status: 'ok' });
    try {
      const result = await runCli(['run', 'journey', '--target', bare.url]);
      assertOneLineError(result, /reports no contract version/);
      assert.deepEqual(bare.requests, ['GET /health']);
    } finally {
      await bare.close();
    }
  });
});
