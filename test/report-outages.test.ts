import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { outagesOf } from '../cli/report/run-outages.ts';
import { findRunRange } from '../cli/report/run-range.ts';
import { startTestInflux, writeLines, type TestInflux } from './support/influx.ts';

let influx: TestInflux;
before(async () => (influx = await startTestInflux()));
after(async () => influx?.stop());

// Known samples, an hour ago, off the second so the 1 s bins do not line up with the events.
const t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000 + 300;
const at = (seconds: number): number => t0 + Math.round(seconds * 1000);

const answer = (testid: string, s: number, status = 201): string => `http_reqs,testid=${testid},scenario=s,status=${status},name=x value=1 ${at(s)}`;
const error = (testid: string, s: number, kind: string): string => `agent_errors,testid=${testid},scenario=s,plan=pro,kind=${kind} value=1 ${at(s)}`;
const range = (from: number, to: number, step: number): number[] => Array.from({ length: Math.floor((to - from) / step + 1e-9) + 1 }, (_, i) => from + i * step);

/**
 * 0–10 s answers; 10.1–15.05 s down (refused, with empty seconds between sparse errors, a dial refused and a
 * socket cut in it); answers to 20 s with a reset blip at 17 s among them; 20.1–21.5 s down for 1.4 s (too
 * short); answers to 25 s; from 25.1 s the proxy says 503 until the run ends at 28.9 s.
 */
function outageRun(testid: string): string[] {
  const lines = [...range(0, 10, 0.2), ...range(15.05, 20, 0.2), ...range(21.5, 25, 0.25)].map((s) => answer(testid, s));
  for (const s of [10.1, 10.9, 12.6, 14.2]) lines.push(error(testid, s, 'refused'), answer(testid, s, 0));
  lines.push(`ws_sessions,testid=${testid},scenario=s,name=ws value=1 ${at(13.3)}`, error(testid, 13.3, 'refused'));
  lines.push(error(testid, 12.0, 'ws_close_1006'));
  lines.push(error(testid, 17.01, 'reset'), error(testid, 17.02, 'reset'));
  for (const s of range(20.1, 21.4, 0.1)) lines.push(error(testid, s, 'timeout'));
  for (const s of range(25.1, 28.9, 0.3)) lines.push(error(testid, s, 'http_5xx'), answer(testid, s, 503));
  return lines;
}

test('outage windows from InfluxDB: from the first transport error after the last answer to the next answer, at least 2 s', async () => {
  await writeLines(influx.url, 'k6', outageRun('outage-1'));
  const target = { url: influx.url, database: 'k6' };
  const run = await findRunRange(target, 'outage-1');
  const found = await outagesOf(target, 'outage-1', run);
  const lastError = range(25.1, 28.9, 0.3).at(-1)!;
  assert.deepEqual(found.windows, [
    { start: at(10.1), end: at(15.05), durationMs: at(15.05) - at(10.1), kinds: ['refused'] },
    // The run ended while the backend was down: the window ends at its last error.
    { start: at(25.1), end: at(lastError), durationMs: at(lastError) - at(25.1), kinds: ['http_5xx'] },
  ]);
  assert.deepEqual(found.errorsByKind, { http_5xx: range(25.1, 28.9, 0.3).length, refused: 5, reset: 2, timeout: range(20.1, 21.4, 0.1).length, ws_close_1006: 1 });
  assert.equal(found.errors, Object.values(found.errorsByKind).reduce((a, b) => a + b));
  const down = found.windows.reduce((sum, w) => sum + w.durationMs, 0);
  assert.equal(found.availability, 1 - down / (run.end - run.start));
});

test('a run whose backend always answered has no outage window and full availability, errors by kind still counted', async () => {
  const lines = range(0, 20, 0.2).map((s) => answer('steady-1', s));
  lines.push(error('steady-1', 5, 'ws_close_1006'), error('steady-1', 9, 'refused'), error('steady-1', 9.5, 'refused'));
  await writeLines(influx.url, 'k6', lines);
  const target = { url: influx.url, database: 'k6' };
  const found = await outagesOf(target, 'steady-1', await findRunRange(target, 'steady-1'));
  assert.deepEqual(found, { errors: 3, errorsByKind: { refused: 2, ws_close_1006: 1 }, windows: [], availability: 1 });
});
