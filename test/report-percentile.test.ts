import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { queryInflux } from '../cli/report/influx-client.ts';
import { influxPercentileSelectingRank, k6Percentile, k6Ranks, nearestRank } from '../cli/report/percentile.ts';
import { startTestInflux, writeLines, type TestInflux } from './support/influx.ts';

let influx: TestInflux;
before(async () => (influx = await startTestInflux()));
after(async () => influx?.stop());

// Irregular values, so neighbouring ranks differ and an off-by-one shows.
const values = Array.from({ length: 37 }, (_, i) => Math.round(1000 * Math.abs(Math.sin(i * 1.7 + 0.3))) + i);
const sorted = [...values].sort((a, b) => a - b);

test('PERCENTILE(value, N) with the chosen N returns exactly rank k in the real InfluxDB, for every k', async () => {
  const base = Date.now() - 60_000;
  await writeLines(influx.url, 'ranks', values.map((v, i) => `m value=${v} ${base + i}`));
  const statements = sorted.map((_, rank) => `SELECT PERCENTILE("value", ${influxPercentileSelectingRank(rank, sorted.length)}) FROM "m"`);
  const results = await queryInflux({ url: influx.url, database: 'ranks' }, statements);
  const got = results.map((result) => result.series[0]?.values[0]?.[1]);
  assert.deepEqual(got, sorted);
  const [plain] = await queryInflux({ url: influx.url, database: 'ranks' }, ['SELECT PERCENTILE("value", 95) FROM "m"']);
  assert.equal(plain?.series[0]?.values[0]?.[1], nearestRank(sorted, 95), 'InfluxQL PERCENTILE is nearest-rank');
});

test('nearest rank and k6 interpolation differ on small samples, which is why the report interpolates', () => {
  const small = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
  assert.ok(Math.abs(k6Percentile(small, 0.95) - 955) < 1e-9); // index 8.55, between 900 and 1000
  assert.equal(nearestRank(small, 95), 1000); // floor(10·0.95 + 0.5) − 1 = 9
  assert.ok(Math.abs(nearestRank(small, 95)! - k6Percentile(small, 0.95)) / 955 > 0.01);
});

test('k6Ranks follows TrendSink.P: index p·(n−1), neighbours floor and ceil', () => {
  assert.deepEqual(k6Ranks(0.95, 1), { lower: 0, upper: 0, fraction: 0 });
  assert.deepEqual(k6Ranks(0.5, 5), { lower: 2, upper: 2, fraction: 0 });
  const { lower, upper, fraction } = k6Ranks(0.95, 37);
  assert.equal(lower, 34);
  assert.equal(upper, 35);
  assert.ok(Math.abs(fraction - 0.2) < 1e-9);
});
