// The system tags on HTTP samples (method, status, url, name, group, scenario, expected_response, proto, error_code),
// URL grouping through params.tags.name (which then stands for the url tag too), and http_req_failed: the reverse
// of expected_response, by default a 2xx/3xx status, or what http.setResponseCallback says.
// https://grafana.com/docs/k6/latest/using-k6/tags-and-groups/ (system tags; group "::name")
// https://grafana.com/docs/k6/latest/using-k6/http-requests/#url-grouping (name and url both "PostsItemURL")
// https://grafana.com/docs/k6/latest/javascript-api/k6-http/set-response-callback/
// https://grafana.com/docs/k6/latest/javascript-api/error-codes/ (1500–1599: HTTP 5xx)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanup, explain, runK6, startHttpServer, type JsonPoint, type RunResult, type TestServer } from './run-k6-script.ts';

const requests = (base: string) => `
  group('shop', function () {
    http.get('${base}/items/1', { tags: { name: 'items' } });
    http.get('${base}/items/2', { tags: { name: 'items' } });
  });
  http.get('${base}/plain');
  http.post('${base}/fail', 'x');
`;

describe('HTTP samples: tags and http_req_failed', () => {
  let server: TestServer;
  let byDefault: RunResult;
  let withCallback: RunResult;
  before(async () => {
    server = await startHttpServer((req, res) => {
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  after(async () => {
    cleanup(byDefault, withCallback);
    await server.close();
  });

  const pointsOf = (run: RunResult, metric: string, path: string): JsonPoint[] =>
    run.points.filter((p) => p.metric === metric && (p.tags.url ?? '').endsWith(path));

  it('runs both scripts', async () => {
    byDefault = await runK6(`
      import http from 'k6/http';
      import { group } from 'k6';
      export const options = { iterations: 1, thresholds: { http_req_failed: ['rate==0.25'] } };
      export default function () { ${requests(server.url)} }
    `, { jsonOut: true, summaryExport: true });
    assert.equal(byDefault.code, 0, explain(byDefault));
    withCallback = await runK6(`
      import http from 'k6/http';
      import { group } from 'k6';
      http.setResponseCallback(http.expectedStatuses(500));
      export const options = { iterations: 1, thresholds: { http_req_failed: ['rate==0.75'] } };
      export default function () { ${requests(server.url)} }
    `, { jsonOut: true, summaryExport: true });
    assert.equal(withCallback.code, 0, explain(withCallback));
  });

  it('tags each request with method, status, url, name, proto, scenario and expected_response', () => {
    for (const metric of ['http_reqs', 'http_req_duration']) {
      const [plain] = pointsOf(byDefault, metric, '/plain');
      assert.ok(plain, `no ${metric} point for /plain: ${JSON.stringify(byDefault.points.filter((p) => p.metric === metric))}`);
      assert.equal(plain.tags.method, 'GET');
      assert.equal(plain.tags.status, '200');
      assert.equal(plain.tags.url, `${server.url}/plain`);
      assert.equal(plain.tags.name, `${server.url}/plain`);
      assert.equal(plain.tags.proto, 'HTTP/1.1');
      assert.equal(plain.tags.scenario, 'default');
      assert.equal(plain.tags.expected_response, 'true');
      assert.equal(plain.tags.group, '');
      const [failed] = pointsOf(byDefault, metric, '/fail');
      assert.equal(failed?.tags.method, 'POST');
      assert.equal(failed?.tags.status, '500');
      assert.equal(failed?.tags.expected_response, 'false');
      assert.equal(failed?.tags.error_code, '1500');
    }
  });

  it('groups URLs under params.tags.name, which the url tag then carries too, and tags the group path', () => {
    for (const metric of ['http_reqs', 'http_req_duration']) {
      const items = byDefault.points.filter((p) => p.metric === metric && p.tags.name === 'items');
      assert.equal(items.length, 2, `${metric}: ${JSON.stringify(byDefault.points.filter((p) => p.metric === metric).map((p) => p.tags))}`);
      for (const point of items) {
        assert.equal(point.tags.url, 'items');
        assert.equal(point.tags.group, '::shop');
        assert.equal(point.tags.status, '200');
      }
    }
  });

  it('http_req_failed by default: 0 for a 2xx, 1 for a 500; rate 1/4', () => {
    const failed = byDefault.points.filter((p) => p.metric === 'http_req_failed');
    assert.equal(failed.length, 4);
    for (const point of failed) assert.equal(point.value, point.tags.status === '500' ? 1 : 0, JSON.stringify(point.tags));
    assert.equal(byDefault.summary?.metrics.http_req_failed?.value, 0.25);
  });

  it('http_req_failed with setResponseCallback(expectedStatuses(500)): the 500 is expected, the 200s failed', () => {
    const failed = withCallback.points.filter((p) => p.metric === 'http_req_failed');
    assert.equal(failed.length, 4);
    for (const point of failed) assert.equal(point.value, point.tags.status === '500' ? 0 : 1, JSON.stringify(point.tags));
    const [fail] = pointsOf(withCallback, 'http_reqs', '/fail');
    assert.equal(fail?.tags.expected_response, 'true');
    const [plain] = pointsOf(withCallback, 'http_reqs', '/plain');
    assert.equal(plain?.tags.expected_response, 'false');
    assert.equal(withCallback.summary?.metrics.http_req_failed?.value, 0.75);
  });
});
