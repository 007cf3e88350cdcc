import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runScenario, tail, type ScenarioRun } from './support/sla-run.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

const failedSlas = (run: ScenarioRun): string[] => (run.json?.slas ?? []).filter((sla) => !sla.ok).map((sla) => sla.name);
const count = (run: ScenarioRun, metric: string): number => Number(run.summary?.metrics[metric]?.count ?? 0);

/**
 * `DIALECT=ag-ui k6 run dist/agent-events.js` with the pinned k6 (and its k6/x/sse extension) against
 * the reference target speaking AG-UI: over SSE and over WebSocket, healthy and broken.
 */
describe('dialect ag-ui: streaming runs in real k6', () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget({ dialect: 'ag-ui' });
  });
  after(() => target?.stop());

  const run = (env: Record<string, string> = {}, args: string[] = []): Promise<ScenarioRun> =>
    runScenario('agent-events', target.url, { DIALECT: 'ag-ui', AUTH_MODE: 'signup', ITERATIONS: '2', RUNS_PER_SESSION: '2', ...env }, { args });

  for (const transport of ['sse', 'websocket']) {
    it(`passes over ${transport} and records a time to first token and inter-token latencies per run`, async () => {
      await target.setFaults('');
      const healthy = await run({ AG_UI_TRANSPORT: transport });
      assert.equal(healthy.code, 0, tail(healthy));
      assert.deepEqual(failedSlas(healthy), []);
      assert.equal(count(healthy, 'agent_time_to_first_token'), 4, 'one first token per run');
      assert.ok(count(healthy, 'agent_inter_token_latency') >= 4, 'gaps between deltas');
      assert.equal(count(healthy, 'agent_streams_buffered'), 0, 'the extension streamed every run');
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
    // An SSE event whose data is not JSON, through k6/x/sse and through the buffered fallback.
    await target.setFaults('garbled-frame');
    for (const args of [[], ['-e', 'K6_X_SSE=0']]) {
      const garbled = await run({ RUNS_PER_SESSION: '1' }, args);
      assert.equal(garbled.code, 99, `${args.join(' ')}: ${tail(garbled)}`);
      assert.ok(failedSlas(garbled).includes('event sequence well-formed'), JSON.stringify(failedSlas(garbled)));
    }
    for (const fault of ['no-terminal', 'agent-error', 'drop-socket:1']) {
      await target.setFaults(fault);
      const failed = await run({ RUNS_PER_SESSION: '1', RUN_TIMEOUT_MS: '2000' });
      assert.equal(failed.code, 99, `${fault}: ${tail(failed)}`);
      assert.ok(failedSlas(failed).length > 0, fault);
    }
    await target.setFaults('');
  });

  it('falls back to one buffered request on a k6 without k6/x/sse, validating in full but with no per-event times', async () => {
    await target.setFaults('');
    // -e wins over the environment our k6 build sets, so the scenario sees a k6 without the extension.
    const buffered = await run({}, ['-e', 'K6_X_SSE=0']);
    assert.equal(buffered.code, 0, tail(buffered));
    assert.equal(count(buffered, 'agent_streams_buffered'), 4);
    const sequence = buffered.json!.slas.find((sla) => sla.id === 'sequence')!;
    assert.equal(sequence.count, 4);
    await target.setFaults('drop-tool-completed');
    const malformed = await run({ RUNS_PER_SESSION: '1' }, ['-e', 'K6_X_SSE=0']);
    assert.equal(malformed.code, 99, tail(malformed));
    await target.setFaults('');
  });
});
