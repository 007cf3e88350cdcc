// What k6/x/sse costs per event: k6 CPU per 1,000 events, against k6's own WebSocket client on the same stream
// (the same JSON events from the same local server, the same work per event in the script).
// Each transport runs twice per round, with few and with many events; the difference divided by the difference
// in events is the cost per event, free of k6's start-up and per-stream costs. Rounds alternate the transports.
//   npx tsx bench/sse-cost.ts      (BENCH_ROUNDS=3 BENCH_STREAMS=5 BENCH_EVENTS=20000 BENCH_BYTES=100; K6_BIN=… for another k6)
import { startSseServer } from '../test/support/sse-server.ts';
import { fixturePath, k6Binary } from '../test/support/k6.ts';
import { spawn } from 'node:child_process';
import { median } from './support/run-measured.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const streams = Number(process.env.BENCH_STREAMS ?? 5);
const manyEvents = Number(process.env.BENCH_EVENTS ?? 20_000);
const fewEvents = 100;
const bytes = Number(process.env.BENCH_BYTES ?? 100);
const transports = ['sse', 'ws'] as const;

interface Run { cpuSeconds: number; events: number; seconds: number }

// k6 runs under bash, whose `times` prints the user and system CPU of its finished children exactly
// (from wait4), where polling /proc would miss the last moments of a short run.
async function k6Cpu(args: string[], env: Record<string, string>): Promise<{ cpuSeconds: number; seconds: number }> {
  const started = performance.now();
  const child = spawn('bash', ['-c', '"$0" "$@"; code=$?; times; exit $code', k6Binary(), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`k6 exited ${code}:\n${stderr}`);
  // `times` prints the shell's own line, then its children's: "0m1.234s 0m0.120s".
  const children = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stdout.trim());
  if (!children) throw new Error(`no CPU times in:\n${stdout}`);
  const [, um, us, sm, ss] = children.map(Number) as number[];
  return { cpuSeconds: um! * 60 + us! + sm! * 60 + ss!, seconds };
}

async function runOnce(baseUrl: string, transport: string, events: number): Promise<Run> {
  const run = await k6Cpu(['run', '--quiet', '--no-usage-report', '--summary-mode=disabled', fixturePath('stream-cost')], {
    K6_NO_USAGE_REPORT: 'true',
    TRANSPORT: transport,
    BASE_URL: baseUrl,
    EVENTS: String(events),
    BYTES: String(bytes),
    STREAMS: String(streams),
  });
  return { cpuSeconds: run.cpuSeconds, events: events * streams, seconds: run.seconds };
}

async function main(): Promise<void> {
  const server = await startSseServer();
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
        console.log(`round ${round} ${transport.padEnd(3)}: ${cpuMs.toFixed(1)} ms CPU per 1,000 events (k6 CPU ${few.cpuSeconds.toFixed(2)} s for ${few.events}, ${many.cpuSeconds.toFixed(2)} s for ${many.events}; ${(many.events / many.seconds).toFixed(0)} events/s)`);
      }
    }
  } finally {
    await server.close();
  }
  const sse = median(perThousand.sse!);
  const ws = median(perThousand.ws!);
  console.log(`\nmedian of ${rounds} rounds, ${streams} streams × ${manyEvents} events of ~${bytes + 60} bytes:`);
  console.log(`  k6/x/sse       ${sse.toFixed(1)} ms CPU per 1,000 events (${median(eventsPerSecond.sse!).toFixed(0)} events/s wall)`);
  console.log(`  k6/websockets  ${ws.toFixed(1)} ms CPU per 1,000 events (${median(eventsPerSecond.ws!).toFixed(0)} events/s wall)`);
  console.log(`  sse ÷ ws       ${(sse / ws).toFixed(2)}×`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
