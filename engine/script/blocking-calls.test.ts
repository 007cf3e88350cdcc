import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rewriteIfBlocking } from './rewrite-stage.ts';
import { bundleEntry } from './bundle-entry.ts';
import { parseModule } from './module-syntax.ts';
import { prepareScript } from './prepare-script.ts';
import { Gate, instantiate, writeScriptFiles, type ScriptFiles } from './script-test-kit.ts';
import { bundleLookup } from './source-positions.ts';

const scripts = {
  'canonical.js': [
    "import http from 'k6/http';",
    "import { sleep } from 'k6';",
    'export default function () {',
    "  http.get('https://test.k6.io');",
    '  sleep(1);',
    '}',
  ].join('\n'),
  'deep.js': [
    "import { get, post as send } from 'k6/http';",
    "import * as k6 from 'k6';",
    "import { group } from 'k6';",
    'function fetchOne(id) { return get(`http://x/${id}`).json(); }',
    'const fetchPair = (a, b) => [fetchOne(a), fetchOne(b)];',
    'function load() { return fetchPair(1, 2); }',
    'class Client {',
    '  constructor(name) { this.name = name; }',
    '  run() { return this.step(); }',
    "  step() { send('http://x/' + this.name); return 'stepped'; }",
    "  static make() { return new Client('s'); }",
    '}',
    "const api = { ping() { k6.sleep(0.5); return 'pong'; }, pong: function () { return this.ping(); } };",
    'export default function () {',
    '  const pair = load();',
    '  const stepped = Client.make().run();',
    '  const answer = api.pong();',
    "  group('outer', function () { group('inner', () => { k6.sleep(2); }); });",
    '  return [pair, stepped, answer];',
    '}',
  ].join('\n'),
  'already-async.js': [
    "import http from 'k6/http';",
    "import { sleep } from 'k6';",
    'export default async function () {',
    '  sleep(1);',
    '  await null;',
    "  http.get('http://x/after');",
    '}',
  ].join('\n'),
  'top-level.js': "import { sleep } from 'k6';\nsleep(0);\nexport const ready = true;\n",
  'callbacks.js': [
    "import http from 'k6/http';",
    "import { sleep, group } from 'k6';",
    "import { setTimeout as later } from 'k6/timers';",
    "function tick() { sleep(1); return 'ticked'; }",
    'export function setup() { return tick(); }',
    'export function handlers(ws, source) {',
    '  setTimeout(tick, 10);',
    '  later(() => tick(), 10);',
    '  setInterval(tick, 10);',
    "  ws.addEventListener('message', () => tick());",
    '  ws.onmessage = tick;',
    '  ws.onclose = function () { http.get("http://x/closed"); };',
    '  source.then(tick).catch(() => tick()).finally(tick);',
    '  group("named", tick);',
    '  return new Promise((resolve) => { tick(); resolve(); });',
    '}',
    "export default function () { return Promise.resolve().then(() => { sleep(3); return 'then done'; }); }",
  ].join('\n'),
  'non-blocking.js': [
    "import http from 'k6/http';",
    "import { check, group } from 'k6';",
    "import { setTimeout } from 'k6/timers';",
    'export default async function () {',
    "  const response = await http.asyncRequest('GET', 'http://x/');",
    "  group('g', () => check(response, { ok: (r) => r.status === 200 }));",
    '  await new Promise((resolve) => setTimeout(resolve, 1));',
    '}',
  ].join('\n'),
  'call-forms.js': [
    "import { sleep } from 'k6';",
    'function nap(seconds) { sleep(seconds); return seconds; }',
    'class Napper { later = () => nap(6); again = nap; run() { return this.later() + this.again(0) - 0; } }',
    'class Sleepy extends Napper { run() { return super.run() + 1; } }',
    'export default function () {',
    '  const viaCall = nap.call(null, 1);',
    '  const viaApply = nap.apply(null, [2]);',
    '  const viaIife = (function () { sleep(3); return 3; })();',
    '  const viaArrow = (() => nap(4))();',
    '  const holder = {};',
    '  holder.later = function () { return nap(5); };',
    '  const viaAssigned = holder.later();',
    '  const viaField = new Sleepy().run();',
    '  const viaOptional = holder.missing?.() ?? holder.later?.();',
    '  return [viaCall, viaApply, viaIife, viaArrow, viaAssigned, viaField, viaOptional];',
    '}',
  ].join('\n'),
  'unused-import.js': "import { sleep } from 'k6';\nexport default function () { return 1; }\n",
};

describe('the blocking-call rewrite', () => {
  let files: ScriptFiles;
  before(async () => {
    files = await writeScriptFiles(scripts);
  });
  after(() => files.cleanup());

  it("makes k6's canonical script wait at http.get and sleep, in order", async () => {
    const prepared = await prepareScript(files.path('canonical.js'));
    assert.deepEqual(prepared.madeAsync, ['default']);
    const { instance, modules } = await instantiate(prepared);
    const iteration = (instance.exports.default as () => unknown)();
    assert.ok(iteration instanceof Promise);
    await iteration;
    assert.deepEqual(modules.log, ['GET https://test.k6.io', 'sleep 1']);
  });

  it('follows helpers several calls deep, class and object methods, and group() callbacks', async () => {
    const prepared = await prepareScript(files.path('deep.js'));
    for (const name of ['fetchOne', 'fetchPair', 'load', 'Client.run', 'Client.step', 'ping', 'pong', 'default', 'group() callback']) {
      assert.ok(prepared.madeAsync.includes(name), `${name} in ${prepared.madeAsync.join(', ')}`);
    }
    assert.ok(!prepared.madeAsync.includes('Client.make'), 'make() calls nothing that blocks');
    const { instance, modules } = await instantiate(prepared);
    const result = await (instance.exports.default as () => Promise<unknown>)();
    assert.deepEqual(result, [[{ url: 'http://x/1' }, { url: 'http://x/2' }], 'stepped', 'pong']);
    assert.deepEqual(modules.log, [
      'GET http://x/1',
      'GET http://x/2',
      'POST http://x/s',
      'sleep 0.5',
      'group outer start',
      'group inner start',
      'sleep 2',
      'group inner end',
      'group outer end',
    ]);
  });

  it('follows .call(), .apply(), IIFEs, methods assigned to objects, class-field arrows, super and optional calls', async () => {
    const prepared = await prepareScript(files.path('call-forms.js'));
    const { instance, modules } = await instantiate(prepared);
    assert.deepEqual(await (instance.exports.default as () => Promise<unknown>)(), [1, 2, 3, 4, 5, 7, 5]);
    assert.deepEqual(modules.log, ['sleep 1', 'sleep 2', 'sleep 3', 'sleep 4', 'sleep 5', 'sleep 6', 'sleep 0', 'sleep 5']);
  });

  it('awaits a blocking call inside a function the script made async itself, leaving it as it is', async () => {
    const prepared = await prepareScript(files.path('already-async.js'));
    assert.deepEqual(prepared.madeAsync, []);
    const gate = new Gate();
    const { instance, modules } = await instantiate(prepared, { gate });
    const iteration = (instance.exports.default as () => Promise<void>)();
    await waitFor(() => gate.waiting === 1);
    assert.deepEqual(modules.log, ['sleep 1'], 'the request waits for the sleep');
    gate.open();
    await iteration;
    assert.deepEqual(modules.log, ['sleep 1', 'GET http://x/after']);
  });

  it('lets two VUs of one thread sleep at the same time', async () => {
    const prepared = await prepareScript(files.path('canonical.js'));
    const gate = new Gate();
    const first = await instantiate(prepared, { gate, vu: 1 });
    const second = await instantiate(prepared, { gate, vu: 2 });
    const iterations = [first, second].map(({ instance }) => (instance.exports.default as () => Promise<void>)());
    await waitFor(() => gate.waiting === 2);
    assert.deepEqual([first.modules.log, second.modules.log], [['GET https://test.k6.io'], ['GET https://test.k6.io']], 'both wait at once');
    gate.open();
    await Promise.all(iterations);
    assert.deepEqual([first.modules.log, second.modules.log], [['GET https://test.k6.io', 'sleep 1'], ['GET https://test.k6.io', 'sleep 1']]);
  });

  it('turns a blocking call in init code into top-level await: the factory returns a promise', async () => {
    const prepared = await prepareScript(files.path('top-level.js'));
    assert.deepEqual(prepared.madeAsync, []);
    const { instance, modules } = await instantiate(prepared);
    assert.equal(instance.exports.ready, true);
    assert.deepEqual(modules.log, ['sleep 0']);
  });

  it('accepts functions made async where their promise is awaited: timers, handlers, then(), new Promise(), group(), exports', async () => {
    const prepared = await prepareScript(files.path('callbacks.js'));
    assert.deepEqual(
      [...prepared.madeAsync].sort(),
      ['Promise() callback', 'addEventListener() callback', 'catch() callback', 'handlers', 'later() callback', 'onclose', 'setup', 'then() callback', 'tick'],
      'default only returns a promise: its then() callback is what waits',
    );
    const { instance, modules } = await instantiate(prepared);
    assert.equal(await (instance.exports.default as () => Promise<unknown>)(), 'then done');
    assert.equal(await (instance.exports.setup as () => Promise<unknown>)(), 'ticked');
    assert.deepEqual(modules.log, ['sleep 3', 'sleep 1']);
  });

  it('skips Babel and leaves the bundle byte for byte when no blocking primitive is imported', async () => {
    const staged = async (name: string) => {
      const entry = files.path(name);
      const bundle = await bundleEntry(entry);
      const lookup = bundleLookup(bundle.map, dirname(entry));
      return { bundle, stage: await rewriteIfBlocking(bundle.code, parseModule(bundle.code, lookup), lookup) };
    };
    const quiet = await staged('non-blocking.js');
    assert.equal(quiet.stage.skipped, true);
    assert.equal(quiet.stage.code, quiet.bundle.code);
    const canonical = await staged('canonical.js');
    assert.equal(canonical.stage.skipped, false);
    assert.notEqual(canonical.stage.code, canonical.bundle.code);
    const unused = await staged('unused-import.js');
    assert.equal(unused.stage.skipped, false, 'an imported sleep is looked at');
    assert.equal(unused.stage.code, unused.bundle.code, 'and, never called, changes nothing');
  });
});

/** Polls a condition over the event loop, for at most ~5 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 5000 && !condition(); round++) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.ok(condition(), 'condition not reached');
}
