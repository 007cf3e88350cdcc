// The library's per-run JavaScript, timed in one VU on the engine with no network (bench/hot-path-layers.ts runs
// it): one captured run's frames replayed RUNS times through successive layers of the hot path, each layer including
// the ones before.
//   parse     JSON.parse of every frame (what any k6 script pays)
//   hand      the hand-written script's work: the top agent's agent_completed, one Trend sample
//   tracker   + the dialect's tracker: decode into the lifecycle and validate
//   run       + RunInFlight: per-event samples, the run's metrics, its timer and promise, the lifecycle check
import { Trend } from 'k6/metrics';
import { loadConfig } from '../../lib/config.ts';
import { checkLifecycle } from '../../lib/run-record.ts';
import { RunInFlight, runStart } from '../../lib/session.ts';

declare function open(path: string): string;
const frames: string[] = JSON.parse(open(__ENV.FRAMES!));
const config = loadConfig();
const runs = Number(__ENV.RUNS ?? 5000);
const handResponse = new Trend('hand_response', true);
export const options = { scenarios: { micro: { executor: 'shared-iterations', vus: 1, iterations: 1 } }, thresholds: {} };

async function timed(name: string, body: () => void | Promise<void>): Promise<void> {
  const startedAt = Date.now();
  await body();
  console.log(`layer ${name} ${((1000 * (Date.now() - startedAt)) / runs).toFixed(1)} µs per run`);
}

export default async function (): Promise<void> {
  await timed('parse', () => {
    for (let r = 0; r < runs; r++) for (const f of frames) JSON.parse(f);
  });
  await timed('hand', () => {
    for (let r = 0; r < runs; r++) {
      let top: unknown;
      const sentAt = Date.now();
      for (const f of frames) {
        const frame = JSON.parse(f);
        if (frame.type === 'agent_started') top ??= frame.agent;
        else if (frame.type === 'agent_completed' && frame.agent === top) handResponse.add(Date.now() - sentAt);
      }
    }
  });
  await timed('tracker', () => {
    for (let r = 0; r < runs; r++) {
      const tracker = config.dialect.startRun(runStart({ content: 'hello', requestId: 'REQ' }));
      for (const f of frames) tracker.accept(JSON.parse(f));
      tracker.finish();
    }
  });
  const tags = { plan: 'pro' };
  await timed('run', async () => {
    for (let r = 0; r < runs; r++) {
      const run = new RunInFlight(config, runStart({ content: 'hello', requestId: 'REQ' }), tags, () => {});
      const receivedAt = Date.now();
      for (const f of frames) run.frame(JSON.parse(f), receivedAt);
      const result = await run.result;
      if (!result) throw new Error('the captured run did not complete');
      checkLifecycle(config.dialect, result.events, tags);
    }
  });
}
