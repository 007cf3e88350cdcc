import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInflux, stopInflux } from '../../build/influxdb.ts';
import { influxOutputArgs } from '../../cli/influx-output.ts';
import { fixturePath, runK6, type K6Result } from './k6.ts';
import { spawnTarget } from './target.ts';

export interface TestInflux {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A real influxd of this test file's own: free loopback ports, a temporary data directory, removed on stop. */
export async function startTestInflux(): Promise<TestInflux> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-sla-influx-'));
  const [port, rpcPort] = [await freePort(), await freePort()];
  const server = await startInflux({ port, rpcPort, dataDir });
  return {
    url: server.url,
    dataDir,
    async stop() {
      await stopInflux({ port, rpcPort, dataDir });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface MetricsRun {
  testid: string;
  k6: K6Result;
  /** Epoch ms around the run, for $timeFilter. */
  startedAt: number;
  endedAt: number;
}

/** Runs a bundled k6 script against a spawned target, streaming to InfluxDB under a testid. */
export async function runIntoInflux(script: string, influxUrl: string, testid: string, env: Record<string, string> = {}, faults?: string): Promise<MetricsRun> {
  const target = await spawnTarget(faults ? { faults } : {});
  try {
    const output = influxOutputArgs(influxUrl, testid);
    const startedAt = Date.now();
    const k6 = await runK6(script, {
      env: { BASE_URL: target.url, SUMMARY_DIR: mkdtempSync(join(tmpdir(), 'agent-sla-summary-')), ...output.env, ...env },
      args: output.args,
      timeoutMs: 120_000,
    });
    return { testid, k6, startedAt, endedAt: Date.now() };
  } finally {
    await target.stop();
  }
}

/** The metrics fixture: the full journey, emitting every contract metric name and tag. */
export function runMetricsFixture(influxUrl: string, testid: string, env: Record<string, string> = {}, faults?: string): Promise<MetricsRun> {
  return runIntoInflux(fixturePath('agent-metrics'), influxUrl, testid, env, faults);
}

/** Writes InfluxDB line protocol (ms precision) into a database, creating it first. */
export async function writeLines(influxUrl: string, database: string, lines: string[]): Promise<void> {
  const create = await fetch(`${influxUrl}/query`, { method: 'POST', body: new URLSearchParams({ q: `CREATE DATABASE "${database}"` }) });
  if (!create.ok) throw new Error(`CREATE DATABASE → ${create.status}`);
  // influxd 1.6 can answer "database not found" to a write that follows CREATE DATABASE at once when it is busy.
  for (let attempt = 1; ; attempt++) {
    const write = await fetch(`${influxUrl}/write?db=${encodeURIComponent(database)}&precision=ms`, { method: 'POST', body: lines.join('\n') });
    if (write.status === 204) return;
    const body = await write.text();
    if (write.status !== 404 || attempt === 20) throw new Error(`write → ${write.status} ${body}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
