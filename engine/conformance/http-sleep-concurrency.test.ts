// The canonical k6 script, `http.get(url); sleep(1)`, with several VUs: the VUs run in parallel, each one sleeping
// while the others request, so a VU's iteration takes about one second and N VUs do N iterations a second.
// https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/constant-vus/ ("a fixed number of VUs execute as many
//   iterations as possible for a specified amount of time")
// https://grafana.com/docs/k6/latest/javascript-api/k6/sleep/ ("Suspends VU execution for the specified duration")
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanup, explain, runK6, startHttpServer, type RunResult, type TestServer } from './run-k6-script.ts';

const vus = 6;
const seconds = 3;

describe('http.get + sleep(1) with several VUs', () => {
  let server: TestServer;
  let requests = 0;
  const results: RunResult[] = [];
  before(async () => {
    server = await startHttpServer((_req, res) => {
      requests++;
      res.end('ok');
    });
  });
  after(async () => {
    cleanup(...results);
    await server.close();
  });

  const script = () => `
    import http from 'k6/http';
    import { sleep } from 'k6';
    export const options = { vus: ${vus}, duration: '${seconds}s' };
    export default function () {
      http.get('${server.url}/');
      sleep(1);
    }
  `;

  for (const [label, args] of [['with the default worker threads', []], ['with every VU on one worker thread', ['--workers', '1']]] as const) {
    it(`sleeps the VUs concurrently, ${label}: about VUs × seconds iterations`, async () => {
      const requestsBefore = requests;
      const run = await runK6(script(), { summaryExport: true, args: [...args] });
      results.push(run);
      assert.equal(run.code, 0, explain(run));
      const iterations = run.summary?.metrics.iterations?.count as number;
      // Concurrent sleeps give ~18 (6 VUs × 3 one-second iterations); sleeps taken one VU after another give ~3.
      assert.ok(iterations >= 2 * vus && iterations <= vus * (seconds + 1), `${iterations} iterations of ${vus} VUs for ${seconds} s`);
      assert.equal(requests - requestsBefore, iterations);
      const avg = run.summary?.metrics.iteration_duration?.avg as number;
      assert.ok(avg >= 990 && avg < 1800, `iteration_duration avg ${avg} ms, for a request to 127.0.0.1 and sleep(1)`);
    });
  }
});
