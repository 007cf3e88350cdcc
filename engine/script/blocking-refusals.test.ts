import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { prepareScript, ScriptError } from './prepare-script.ts';
import { instantiate, writeScriptFiles, type ScriptFiles } from './script-test-kit.ts';

const http = "import http from 'k6/http';";
const sleep = "import { sleep } from 'k6';";

/** Each script, and the one line prepareScript must refuse it with (after its file name). */
const refused: Record<string, [string, RegExp]> = {
  'map.js': [
    `${http}\nexport default function () {\n  const urls = ['a', 'b'];\n  return urls.map((url) => http.get(url));\n}`,
    /^:4:19: the callback passed to map\(\) calls http\.get, which blocks; agent-sla can pause a VU only in code it can make async: use a for…of loop$/,
  ],
  'for-each.js': [
    `${sleep}\nfunction pause() { sleep(1); }\nexport default function () {\n  [1, 2].forEach(function step() { pause(); });\n}`,
    /^:4:18: the callback passed to forEach\(\) calls pause\(\) → sleep, which blocks/,
  ],
  'getter.js': [`${http}\nclass Api {\n  get status() { return http.get('u').status; }\n}\nexport default function () { return new Api().status; }`, /^:3:7: the getter Api\.status calls http\.get, which blocks.*: make it a method/],
  'setter.js': [`${sleep}\nconst o = { set delay(s) { sleep(s); } };\nexport default function () { o.delay = 1; }`, /^:2:17: the setter delay calls sleep/],
  'constructor.js': [
    `${http}\nclass Session {\n  constructor() { this.token = http.post('u').body; }\n}\nexport default function () { return new Session(); }`,
    /^:3:3: the constructor of Session calls http\.post, which blocks.*: move the call into a method and call it after new$/,
  ],
  'generator.js': [`${sleep}\nfunction* steps() { sleep(1); yield 1; }\nexport default function () { return [...steps()]; }`, /^:2:1: the generator steps calls sleep/],
  'check.js': [
    `${http}\nimport { check } from 'k6';\nexport default function () {\n  check(null, { 'fetches': () => http.get('u').status === 200 });\n}`,
    /^:4:28: the check "fetches" passed to check\(\) calls http\.get, which blocks.*: make the request before check\(\) and check its result$/,
  ],
  'stored.js': [`${sleep}\nfunction nap() { sleep(1); }\nconst later = nap;\nexport default function () { later(); }`, /^:3:15: the function nap, used as a value here, calls sleep/],
  'returned.js': [`${sleep}\nfunction make() { return function () { sleep(1); }; }\nexport default function () { make()(); }`, /^:2:26: this function, used as a value here, calls sleep/],
  'member-value.js': [`${http}\nconst get = http.get;\nexport default function () { get('u'); }`, /^:2:13: http\.get is used as a value here; agent-sla can pause a VU only at a direct call: call http\.get\(…\) itself$/],
  'named-value.js': [`${sleep}\nexport default function () { [1].forEach(sleep); }`, /^:2:42: sleep is used as a value here/],
  'module-object.js': [`${http}\nfunction use(client) { return client.get('u'); }\nexport default function () { use(http); }`, /^:3:34: the k6\/http module object is used as a value here/],
  'field.js': [`${http}\nclass Page { body = http.get('u').body; }\nexport default function () { return new Page(); }`, /^:2:21: the initializer of the class field body calls http\.get/],
  'parameter.js': [`${http}\nfunction load(response = http.get('u')) { return response; }\nexport default function () { load(); }`, /^:2:26: a default value in the parameters of load calls http\.get/],
  'new.js': [`${sleep}\nfunction Waiter() { sleep(1); }\nexport default function () { new Waiter(); }`, /^:3:30: the constructor Waiter, called with new, calls sleep/],
  'computed.js': [`${sleep}\nconst name = 'nap';\nconst o = { [name]() { sleep(1); } };\nexport default function () { o[name](); }`, /^:3:13: the method with a computed name calls sleep/],
  'static-block.js': [`${sleep}\nclass C { static { sleep(1); } }\nexport default function () {}`, /^:2:20: a static initialization block calls sleep/],
};

/** The same shapes written so that the rewrite can make them wait: every one of them is accepted, and runs. */
const accepted = [
  http,
  sleep,
  "import { check } from 'k6';",
  'function pause() { sleep(1); }',
  'class Api { get base() { return "u"; } fetch() { return http.get(this.base); } }',
  'class Session { constructor() { this.token = undefined; } login() { this.token = http.post("login").url; return this; } }',
  'function load(response) { return response ?? http.get("default"); }',
  'export default function () {',
  '  for (const url of ["a", "b"]) http.get(url);',
  '  [1, 2].forEach((n) => n * 2);',
  '  pause();',
  '  new Api().fetch();',
  '  const session = new Session().login();',
  '  const response = http.get("checked");',
  '  check(response, { fetched: (r) => r.status === 200 });',
  '  load();',
  '  return [typeof http.get, session.token];',
  '}',
].join('\n');

describe('the blocking-call rewrite refuses what it cannot make wait', () => {
  let files: ScriptFiles;
  before(async () => {
    files = await writeScriptFiles({
      ...Object.fromEntries(Object.entries(refused).map(([name, [source]]) => [name, source])),
      'imports-commonjs.js': "import './lib.cjs';\nexport default function () {}",
      'lib.cjs': "const { sleep } = require('k6');\nsleep(1);\nmodule.exports = {};",
      'accepted.js': accepted,
    });
  });
  after(() => files.cleanup());

  for (const [name, [, message]] of Object.entries(refused)) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(prepareScript(files.path(name)), (error: Error) => {
        assert.ok(error instanceof ScriptError, error.stack);
        assert.ok(error.message.startsWith(files.path(name)) || error.message.includes(`/${name}:`), error.message);
        assert.match(error.message.slice(error.message.indexOf(name) + name.length), message);
        return true;
      });
    });
  }

  it('refuses a blocking call at the top level of a CommonJS file, at the call', async () => {
    await assert.rejects(prepareScript(files.path('imports-commonjs.js')), /lib\.cjs:2:1: the top level of an imported CommonJS module calls sleep, which blocks/);
  });

  it('accepts the same shapes written so that they can wait, and runs them', async () => {
    const prepared = await prepareScript(files.path('accepted.js'));
    const { instance, modules } = await instantiate(prepared);
    assert.deepEqual(await (instance.exports.default as () => Promise<unknown>)(), ['function', 'login']);
    assert.deepEqual(modules.log, ['GET a', 'GET b', 'sleep 1', 'GET u', 'POST login', 'GET checked', 'check fetched true', 'GET default']);
  });
});
