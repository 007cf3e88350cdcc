import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sseVu, startSseServer, within, type SseTestServer } from './test-server.ts';

describe('agent-sla/sse: metrics', () => {
  let server: SseTestServer;
  before(async () => (server = await startSseServer()));
  after(() => server.close());

  it('one http_reqs sample per stream, tagged like a k6 request; data_sent and data_received in bytes', async () => {
    const fixture = sseVu({ tags: { plan: 'pro' } });
    const url = `${server.url}/stream?events=3`;
    const end = await within(
      fixture.vu.runIteration(() => {
        fixture.open(url, { body: 'x'.repeat(100) });
        fixture.open(url, { method: 'PUT', tags: { name: 'agent', kind: 'sse' } });
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    const requests = fixture.sink.of('http_reqs');
    assert.equal(requests[0]!.metric.type, 'counter');
    assert.deepEqual(
      requests.map((sample) => sample.tags).sort((a, b) => String(a.method).localeCompare(String(b.method))),
      [
        { plan: 'pro', group: '', method: 'POST', url, name: url, status: '200' },
        { plan: 'pro', group: '', kind: 'sse', method: 'PUT', url: 'agent', name: 'agent', status: '200' },
      ],
    );
    const sent = fixture.sink.of('data_sent');
    const received = fixture.sink.of('data_received');
    assert.equal(sent.length, 2);
    assert.equal(received.length, 2);
    assert.deepEqual(sent[0]!.metric.contains, 'data');
    assert.ok(sent.some((sample) => sample.value > 100), 'the request body is counted');
    assert.ok(received.every((sample) => sample.value > 3 * 'data: {"delta":"0:"}\n\n'.length));
    assert.deepEqual(sent[0]!.tags, { plan: 'pro', group: '' });
  });

  it('only the enabled system tags are set', async () => {
    const fixture = sseVu({ systemTags: ['status'] });
    const end = await within(fixture.vu.runIteration(() => void fixture.open(`${server.url}/stream?events=1`)));
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(fixture.sink.of('http_reqs')[0]!.tags, { status: '200' });
  });
});
