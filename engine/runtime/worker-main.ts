// The entry point of an engine worker thread: it hosts VUs for the main thread (engine/run/worker-pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { ToWorker, WorkerSetup } from './messages.ts';
import { WorkerHost } from './worker-host.ts';

const port = parentPort;
if (!port) throw new Error('engine/runtime/worker-main.ts runs only as a worker thread');

const host = new WorkerHost(workerData as WorkerSetup, (message, transfer) => port.postMessage(message, transfer ?? []));
// A promise the script rejected and nobody awaited: k6 reports it and goes on; Node would end the thread.
process.on('unhandledRejection', (reason) => host.uncaught(reason));
port.on('message', (message: ToWorker) => {
  host.handle(message).catch((error: unknown) => {
    process.stderr.write(`agent-sla worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
});
