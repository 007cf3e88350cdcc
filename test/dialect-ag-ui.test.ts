import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runScenario, tail, type ScenarioRun } from './support/sla-run.ts';
import { stockK6BundlePath } from './support/stock-k6-bundle.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

const failedSlas = (run: ScenarioRun): string[] => (run.json?.slas ?? []).filter((sla) => !sla.ok).map((sla) => sla.name);
const count = (run: ScenarioRun, metric: string): number => Number(run.summary?.metrics[metric]?.count ?? 0);

/**
 * `DIALECT=ag-ui agent-sla exec dist/agent-events.js` on agent-sla's engine (and its agent-sla/sse module) against
 * the reference target speaking AG-UI: over SSE and over WebSocket, healthy and broken.
 */
describe("dialect ag-ui: streaming runs on agent-sla's engine", () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget({ dialect: 'ag-ui' });
  });
  after(() => target?.stop());

  const run = (env: Record<string, string> = {}, script?: string): Promise<ScenarioRun> =>
    runScenario('agent-events', target.url, { DIALECT: 'ag-ui', AUTH_MODE: 'signup', ITERATIONS: '2', RUNS_PER_SESSION: '2', ...env }, { script });
  // The same scenario as a stock k6, which has no agent-sla/sse, runs it.
  const runAsOnStockK6 = async (env: Record<string, string> = {}): Promise<ScenarioRun> => run(env, await stockK6BundlePath('agent-events'));

  for (const transport of ['sse', 'websocket']) {
    it(`passes over ${transport} and records a time to first token and inter-token latencies per run`, async () => {
      await target.setFaults('');
      const healthy = await run({ AG_UI_TRANSPORT: transport });
      assert.equal(healthy.code, 0, tail(healthy));
      assert.deepEqual(failedSlas(healthy), []);
      assert.equal(count(healthy, 'agent_time_to_first_token'), 4, 'one first token per run');
      assert.ok(count(healthy, 'agent_inter_token_latency') >= 4, 'gaps between deltas');
      assert.equal(count(healthy, 'agent_streams_buffered'), 0, 'agent-sla/sse streamed every run');
    });
  }

  it('fails with 99 naming time to first token when the first token is slower than SLA_TTFT_MS', async () => {
    await target.setFaults('slow-first-token:1500');
    const slow = await run({ SLA_TTFT_MS: '700' });
    assert.equal(slow.code, 99, tail(slow));
    assert.deepEqual(failedSlas(slow), ['time to first token']);
    await target.setFaults('');
    const loosened = await run({ SLA_TTFT_MS: '10000' });
    assert.equal(loosened.code, 0, tail(loosened));
  });

  it('fails with 99 when the stream is slower than the agent SLA, and when it is malformed', async () => {
    await target.setFaults('slow-agents:50');
    const slow = await run({ SLA_AGENT_MS: '800', RUNS_PER_SESSION: '1' });
    assert.equal(slow.code, 99, tail(slow));
    assert.ok(failedSlas(slow).includes('agent response'), JSON.stringify(failedSlas(slow)));
    await target.setFaults('drop-tool-completed');
    const malformed = await run({ RUNS_PER_SESSION: '1' });
    assert.equal(malformed.code, 99, tail(malformed));
    assert.ok(failedSlas(malformed).includes('event sequence well-formed'), JSON.stringify(failedSlas(malformed)));
    // An SSE event whose data is not JSON, through agent-sla/sse and through the buffered fallback.
    await target.setFaults('garbled-frame');
    for (const [path, runOnce] of [['streamed', run], ['buffered', runAsOnStockK6]] as const) {
      const garbled = await runOnce({ RUNS_PER_SESSION: '1' });
      assert.equal(garbled.code, 99, `${path}: ${tail(garbled)}`);
      assert.ok(failedSlas(garbled).includes('event sequence well-formed'), `${path}: ${JSON.stringify(failedSlas(garbled))}`);
    }
    for (const fault of ['no-terminal', 'agent-error', 'drop-socket:1']) {
      await target.setFaults(fault);
      const failed = await run({ RUNS_PER_SESSION: '1', RUN_TIMEOUT_MS: '2000' });
      assert.equal(failed.code, 99, `${fault}: ${tail(failed)}`);
      assert.ok(failedSlas(failed).length > 0, fault);
    }
    await target.setFaults('');
  });

  it('falls back to one buffered request on a stock k6, without agent-sla/sse, validating in full but with no per-event times', async () => {
    await target.setFaults('');
    const buffered = await runAsOnStockK6();
    assert.equal(buffered.code, 0, tail(buffered));
    assert.equal(count(buffered, 'agent_streams_buffered'), 4);
    const sequence = buffered.json!.slas.find((sla) => sla.id === 'sequence')!;
    assert.equal(sequence.count, 4);
    await target.setFaults('drop-tool-completed');
    const malformed = await runAsOnStockK6({ RUNS_PER_SESSION: '1' });
    assert.equal(malformed.code, 99, tail(malformed));
    await target.setFaults('');
  });
});
