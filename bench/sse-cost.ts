// What agent-sla/sse costs per event on the engine, against the engine's own k6/websockets on the same stream (the
// same JSON events from the same local server, the same work per event in the script, test/fixtures/k6/stream-cost.ts).
// Each transport runs twice per round, with few and with many events; the difference divided by the difference in
// events is the cost per event, free of the engine's start-up and per-stream costs. Rounds alternate the transports.
// CPU is the engine process's user + system time, exact at its exit (bench/support/run-measured.ts).
//   npm run bench:sse      (BENCH_ROUNDS=3 BENCH_STREAMS=5 BENCH_EVENTS=20000 BENCH_BYTES=100)
import { startSseServer } from '../test/support/sse-server.ts';
import { join } from 'node:path';
import { runEngine, warmEngine } from './support/engine.ts';
import { loadLine, median } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const streams = Number(process.env.BENCH_STREAMS ?? 5);
const manyEvents = Number(process.env.BENCH_EVENTS ?? 20_000);
const fewEvents = 100;
const bytes = Number(process.env.BENCH_BYTES ?? 100);
const transports = ['sse', 'ws'] as const;

interface Run { cpuSeconds: number; events: number; seconds: number }

const tree = snapshotTree('bench-sse');

async function runOnce(baseUrl: string, transport: string, events: number): Promise<Run> {
  const run = await runEngine(tree.root, join(tree.root, 'dist', 'fixtures', 'stream-cost.js'), {
    vars: { TRANSPORT: transport, BASE_URL: baseUrl, EVENTS: String(events), BYTES: String(bytes), STREAMS: String(streams) },
    args: ['--no-summary'],
    timeoutMs: 300_000,
  });
  if (run.code !== 0) throw new Error(`the engine exited ${run.code}:\n${run.stderr.slice(-1500)}`);
  return { cpuSeconds: run.cpuSeconds, events: events * streams, seconds: run.seconds };
}

async function main(): Promise<void> {
  const server = await startSseServer();
  console.log(`bench:sse — ${streams} streams × ${manyEvents} events, ${rounds} rounds; ${tree.describe}; ${loadLine()}`);
  await warmEngine(tree.root);
  const perThousand: Record<string, number[]> = { sse: [], ws: [] };
  const eventsPerSecond: Record<string, number[]> = { sse: [], ws: [] };
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const transport of round % 2 ? transports : [...transports].reverse()) {
        const few = await runOnce(server.url, transport, fewEvents);
        const many = await runOnce(server.url, transport, manyEvents);
        const cpuMs = ((many.cpuSeconds - few.cpuSeconds) / (many.events - few.events)) * 1000 * 1000;
        perThousand[transport]!.push(cpuMs);
        eventsPerSecond[transport]!.push(many.events / many.seconds);
        console.log(`round ${round} ${transport.padEnd(3)}: ${cpuMs.toFixed(1)} ms CPU per 1,000 events (engine CPU ${few.cpuSeconds.toFixed(2)} s for ${few.events}, ${many.cpuSeconds.toFixed(2)} s for ${many.events}; ${(many.events / many.seconds).toFixed(0)} events/s)`);
      }
    }
  } finally {
    await server.close();
    tree.remove();
  }
  const sse = median(perThousand.sse!);
  const ws = median(perThousand.ws!);
  console.log(`\n${new Date().toISOString()}; ${loadLine()}; median of ${rounds} rounds, ${streams} streams × ${manyEvents} events of ~${bytes + 60} bytes:`);
  console.log(`  agent-sla/sse  ${sse.toFixed(1)} ms CPU per 1,000 events (${median(eventsPerSecond.sse!).toFixed(0)} events/s wall)`);
  console.log(`  k6/websockets  ${ws.toFixed(1)} ms CPU per 1,000 events (${median(eventsPerSecond.ws!).toFixed(0)} events/s wall)`);
  console.log(`  sse ÷ ws       ${(sse / ws).toFixed(2)}×`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
