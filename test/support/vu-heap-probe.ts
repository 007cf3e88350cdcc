// Run by test/support/vu-heap.ts in a fresh `node --expose-gc` process: creates VUs of a bundle as one of the engine's
// worker threads does, and prints the live JavaScript heap, in bytes, after a full GC.
import { defaultTestOptions } from '../../engine/options/defaults.ts';
import type { FromWorker } from '../../engine/runtime/messages.ts';
import { WorkerHost } from '../../engine/runtime/worker-host.ts';
import { prepareScript } from '../../engine/script/prepare-script.ts';

const [bundle, count] = process.argv.slice(2);
const vus = Number(count);
const gc = (globalThis as { gc?: () => void }).gc;
if (!bundle || !(vus > 0) || !gc) throw new Error('usage: node --expose-gc --import tsx vu-heap-probe.ts <bundle> <vus>');

const script = await prepareScript(bundle);
let created: Extract<FromWorker, { type: 'vusCreated' }> | undefined;
const host = new WorkerHost(
  {
    script,
    options: defaultTestOptions(),
    // A fixed environment: every VU copies __ENV, so a longer one would cost more per VU.
    env: { PROFILE: 'smoke', PLANS: 'pro:1', VUS: String(vus), ITERATIONS: String(vus) },
    testStart: Date.now(),
    log: { format: 'raw', testStart: Date.now(), colors: false, verbose: false },
    scenarios: [],
    // The scenarios build their SharedArrays only from USERS_FILE or TOKENS_FILE, which this environment leaves unset.
    sharedArrays: {},
  },
  (message) => {
    if (message.type === 'vusCreated') created = message;
  },
);
await host.handle({ type: 'createVus', request: 1, vus: Array.from({ length: vus }, (_, i) => ({ id: i + 1, idInTest: i + 1 })) });
if (created?.error !== undefined || created?.ids.length !== vus) throw new Error(`${bundle}: ${vus} VUs were not created: ${JSON.stringify(created)}`);
// Weak references and finalizers settle over more than one collection.
for (let i = 0; i < 4; i++) {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(`${process.memoryUsage().heapUsed}\n`);
// The host stays referenced until the heap is read.
if (!host) process.exitCode = 1;
process.exit(0);
