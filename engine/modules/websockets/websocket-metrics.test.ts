import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SYSTEM_TAGS } from '../../options/defaults.ts';
import { socketVu, startTestServer, within, type SocketFixture, type TestServer } from './test-server.ts';

/** Opens /echo, sends two messages, waits for both echoes, closes. */
async function echoTwice(fixture: SocketFixture, url: string, params?: Record<string, unknown>): Promise<void> {
  const { vu, WebSocket } = fixture;
  const end = await within(
    vu.runIteration(() => {
      const ws = new WebSocket(url, null, params ?? null);
      let echoes = 0;
      ws.onopen = () => {
        ws.send('a');
        ws.send('b');
      };
      ws.onmessage = () => {
        if (++echoes === 2) ws.close();
      };
    }),
  );
  assert.deepEqual(end, { kind: 'done' });
}

describe('k6/websockets: metrics and tags', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it('emits k6 WebSocket metrics with their types, tagged with url, name, status, group and scenario', async () => {
    const fixture = socketVu({ tags: { team: 'sla' } });
    const url = `${server.url}/echo`;
    await echoTwice(fixture, url);
    const { sink } = fixture;
    const kinds = Object.fromEntries([...sink.metrics.values()].map((m) => [m.name, `${m.type}/${m.contains}`]));
    assert.deepEqual(kinds, {
      ws_connecting: 'trend/time',
      ws_sessions: 'counter/default',
      ws_session_duration: 'trend/time',
      ws_msgs_sent: 'counter/default',
      ws_msgs_received: 'counter/default',
      ws_ping: 'trend/time',
      data_sent: 'counter/data',
      data_received: 'counter/data',
    });
    assert.equal(sink.of('ws_sessions').length, 1);
    assert.equal(sink.of('ws_connecting').length, 1);
    assert.equal(sink.of('ws_session_duration').length, 1);
    assert.equal(sink.of('ws_msgs_received').length, 2);
    // k6 counts the close frame it sends among the messages sent.
    assert.equal(sink.of('ws_msgs_sent').length, 3);
    const duration = sink.of('ws_session_duration')[0]!.value;
    assert.ok(duration >= sink.of('ws_connecting')[0]!.value && duration < 10_000);
    const tags = sink.of('ws_msgs_received')[0]!.tags;
    assert.deepEqual(tags, { team: 'sla', group: '', status: '101', subproto: '', url, name: url });
    for (const sample of sink.samples.filter((s) => s.metric.name.startsWith('ws_'))) assert.equal(sample.tags, tags);
    assert.ok(sink.of('data_sent')[0]!.value > 0 && sink.of('data_received')[0]!.value > 0);
    assert.deepEqual(sink.of('data_sent')[0]!.tags, { team: 'sla', group: '' });
  });

  it('has no subproto tag when the subproto system tag is off, and the chosen one when it is on', async () => {
    const off = socketVu({ systemTags: DEFAULT_SYSTEM_TAGS.filter((tag) => tag !== 'subproto') });
    const on = socketVu();
    for (const fixture of [off, on]) {
      const end = await within(
        fixture.vu.runIteration(() => {
          const ws = new fixture.WebSocket(`${server.url}/silent`, ['chat.v2']);
          ws.onopen = () => ws.close();
        }),
      );
      assert.deepEqual(end, { kind: 'done' });
    }
    assert.equal('subproto' in off.sink.of('ws_sessions')[0]!.tags, false);
    assert.equal(on.sink.of('ws_sessions')[0]!.tags.subproto, 'chat.v2');
  });

  it('a name in params.tags is the url tag too, and params.tags join the tags', async () => {
    const fixture = socketVu();
    await echoTwice(fixture, `${server.url}/echo?token=secret`, { tags: { name: 'echo', version: 13 } });
    const tags = fixture.sink.of('ws_sessions')[0]!.tags;
    assert.equal(tags.url, 'echo');
    assert.equal(tags.name, 'echo');
    assert.equal(tags.version, '13');
  });

  it('only the enabled system tags are set', async () => {
    const fixture = socketVu({ systemTags: ['url'] });
    const url = `${server.url}/echo`;
    await echoTwice(fixture, url);
    for (const sample of fixture.sink.samples.filter((s) => s.metric.name.startsWith('ws_'))) assert.deepEqual(sample.tags, { url });
  });

  it('ping() is answered by a pong event and measured in ws_ping; a server ping gives a ping event', async () => {
    const fixture = socketVu();
    const events: string[] = [];
    const end = await within(
      fixture.vu.runIteration(() => {
        const client = new fixture.WebSocket(`${server.url}/echo`);
        client.onopen = () => client.ping();
        client.onpong = () => {
          events.push('pong');
          client.close();
        };
        const pinged = new fixture.WebSocket(`${server.url}/ping`);
        pinged.addEventListener('ping', (event) => {
          events.push(event.type);
          pinged.close();
        });
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(events.sort(), ['ping', 'pong']);
    const pings = fixture.sink.of('ws_ping');
    assert.equal(pings.length, 1);
    assert.ok(pings[0]!.value >= 0 && pings[0]!.value < 10_000);
  });
});
