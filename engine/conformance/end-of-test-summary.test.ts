// Without handleSummary, k6 prints its end-of-test summary to stdout; the default "compact" mode has a THRESHOLDS
// block (✓/✗ per expression with its value), then TOTAL RESULTS: checks_total/succeeded/failed, one line per check
// (✗ with "↳  N% — ✓ passes / ✗ fails" when it failed), and the metrics by category (CUSTOM, HTTP, EXECUTION, NETWORK).
// "full" adds the other metrics and a section per group and per scenario; --no-summary prints none.
// That "full" gives no section to the scenario named "default" is k6's (internal/output/summary), hence a named one here.
// https://grafana.com/docs/k6/latest/results-output/end-of-test/
// The failing-check line's exact shape is k6's (internal/js/summary.js renderCheck): the docs show passing checks only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanup, explain, runK6, startHttpServer, type RunResult, type TestServer } from './run-k6-script.ts';

const script = (url: string) => `
import http from 'k6/http';
import { check, group } from 'k6';
import { Trend } from 'k6/metrics';

const waiting = new Trend('custom_waiting_time');

export const options = {
  scenarios: { browse: { executor: 'shared-iterations', iterations: 4 } },
  thresholds: {
    http_req_duration: ['p(95)<5000'],
    checks: ['rate>0.9'],
  },
};

export default function () {
  group('shop', function () {
    const res = http.get('${url}/');
    check(res, {
      'status is 200': (r) => r.status === 200,
      'body is long': (r) => r.body.length > 1000,
    });
  });
  waiting.add(42);
}
`;

describe('the end-of-test summary on stdout', () => {
  let server: TestServer;
  let compact: RunResult;
  let full: RunResult;
  let none: RunResult;
  before(async () => {
    server = await startHttpServer((_req, res) => res.end('short'));
  });
  after(async () => {
    cleanup(compact, full, none);
    await server.close();
  });

  it('runs in compact, full and no-summary modes (exit 99: the checks threshold fails)', async () => {
    [compact, full, none] = await Promise.all([
      runK6(script(server.url)),
      runK6(script(server.url), { args: ['--summary-mode', 'full'] }),
      runK6(script(server.url), { args: ['--no-summary'] }),
    ]);
    for (const run of [compact, full, none]) assert.equal(run.code, 99, explain(run));
  });

  it('compact: THRESHOLDS, with ✓ for a passing and ✗ for a failing expression, before TOTAL RESULTS', () => {
    const out = compact.stdout;
    const thresholds = out.indexOf('█ THRESHOLDS');
    const total = out.indexOf('█ TOTAL RESULTS');
    assert.ok(thresholds >= 0 && total > thresholds, out);
    const block = out.slice(thresholds, total);
    assert.match(block, /http_req_duration\n\s+✓ 'p\(95\)<5000' p\(95\)=[\d.]+(µs|ms|s)/);
    assert.match(block, /checks\n\s+✗ 'rate>0\.9' rate=50\.00%/);
  });

  it('compact: the checks totals and one line per check', () => {
    const out = compact.stdout;
    assert.match(out, /checks_total\.+: 8\s/);
    assert.match(out, /checks_succeeded\.+: 50\.00% 4 out of 8/);
    assert.match(out, /checks_failed\.+: 50\.00% 4 out of 8/);
    assert.match(out, /✓ status is 200\n/);
    assert.match(out, /✗ body is long\n\s+↳\s+0% — ✓ 0 \/ ✗ 4/);
  });

  it('compact: the metrics under CUSTOM, HTTP, EXECUTION and NETWORK', () => {
    const out = compact.stdout;
    const order = ['CUSTOM', 'HTTP', 'EXECUTION', 'NETWORK'].map((title) => out.search(new RegExp(`^\\s+${title}$`, 'm')));
    assert.ok(order.every((at) => at > 0), `missing a category: ${JSON.stringify(order)}\n${out}`);
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'categories out of order');
    assert.match(out, /custom_waiting_time\.+: avg=42\s+min=42\s+med=42\s+max=42\s+p\(90\)=42\s+p\(95\)=42/);
    assert.match(out, /http_req_duration\.+: avg=/);
    assert.match(out, /\{ expected_response:true \}\.+: avg=/);
    assert.match(out, /http_req_failed\.+: 0\.00% 0 out of 4/);
    assert.match(out, /http_reqs\.+: 4\s/);
    assert.match(out, /iterations\.+: 4\s/);
    assert.match(out, /data_received\.+: /);
    // The compact mode leaves out the HTTP timing breakdown.
    assert.doesNotMatch(out, /http_req_blocked/);
  });

  it('compact: nothing but the summary on stdout', () => {
    assert.doesNotMatch(compact.stdout, /level=/);
  });

  it('full: the other metrics, and a section per group and per scenario', () => {
    const out = full.stdout;
    assert.match(out, /http_req_blocked\.+: avg=/);
    assert.match(out, /█ SCENARIO: browse/);
    assert.match(out, /GROUP: shop/);
  });

  it('--no-summary: no summary at all', () => {
    assert.doesNotMatch(none.stdout, /TOTAL RESULTS|THRESHOLDS/);
  });
});
