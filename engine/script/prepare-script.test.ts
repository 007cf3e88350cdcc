import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { prepareScript, ScriptError } from './prepare-script.ts';
import { instantiate, writeScriptFiles, type ScriptFiles } from './script-test-kit.ts';

describe('prepareScript: bundling and imports', () => {
  let files: ScriptFiles;
  before(async () => {
    files = await writeScriptFiles({
      'ok.js': [
        "import http from 'k6/http';",
        "import { Counter } from 'k6/metrics';",
        "import { greet } from './lib/greet.js';",
        "import legacy from './lib/legacy.cjs';",
        "import data from './data.json';",
        'export const options = { vus: 1 };',
        'export const made = [typeof Counter, greet("vu"), legacy.twice(21), data.name];',
        'export default function () { return http.asyncRequest("GET", "http://127.0.0.1/"); }',
      ].join('\n'),
      'lib/greet.js': 'export function greet(who) { return `hello ${who}`; }\n',
      'lib/legacy.cjs': 'module.exports = { twice: (n) => n * 2 };\n',
      'data.json': '{ "name": "data" }\n',
      'typed.ts': 'interface Opts { vus: number }\nexport const options: Opts = { vus: 2 };\n',
      'file-url.js': '',
      'unknown.js': "import http from 'k6/http';\nimport _ from 'lodash';\n",
      'remote.js': "import { randomItem } from 'https://jslib.k6.io/k6-utils/1.2.0/index.js';\n",
      'extension.js': "\nimport sse from 'k6/x/sse';\n",
      'browser.js': "import { browser } from 'k6/browser';\n",
      'node.js': "import fs from 'node:fs';\n",
      'deep.js': "import './lib/bad.js';\n",
      'lib/bad.js': "export const x = 1;\n  import grpc from 'k6/net/grpc';\n",
      'missing.js': "import { x } from './nowhere.js';\n",
      'syntax.js': 'export const a = 1;\nexport const = 2;\n',
      'dynamic.js': "export default async function () { await import('k6/http'); }\n",
      'required.js': "const http = require('k6/http');\nexport const kind = typeof http.get;\n",
    });
  });
  after(() => files.cleanup());

  it('bundles local ES modules, CommonJS files and JSON, and lists the engine modules imported', async () => {
    const prepared = await prepareScript(files.path('ok.js'));
    assert.deepEqual(prepared.imports, ['k6/http', 'k6/metrics']);
    assert.deepEqual(prepared.exports.sort(), ['default', 'made', 'options']);
    assert.equal(prepared.filename, files.path('ok.js'));
    assert.equal(prepared.directory, files.dir);
    assert.deepEqual(prepared.madeAsync, []);
    const { instance } = await instantiate(prepared);
    assert.deepEqual(instance.exports.made, ['function', 'hello vu', 42, 'data']);
  });

  it('runs TypeScript, and reads require() of an engine module', async () => {
    assert.deepEqual((await instantiate(await prepareScript(files.path('typed.ts')))).instance.exports.options, { vus: 2 });
    const required = await prepareScript(files.path('required.js'));
    assert.deepEqual(required.imports, ['k6/http']);
    assert.equal((await instantiate(required)).instance.exports.kind, 'function');
  });

  const refusals: Array<[string, RegExp]> = [
    ['unknown.js', /^(\S*\/)?unknown\.js:2:15: unknown module "lodash": agent-sla's engine provides k6, k6\/http, .*agent-sla\/ledger; import local files/],
    ['remote.js', /remote\.js:1:28: remote modules are not supported: https:\/\/jslib\.k6\.io\/k6-utils\/1\.2\.0\/index\.js$/],
    ['extension.js', /extension\.js:2:17: unsupported module "k6\/x\/sse": .*; run this script on k6 itself with --k6 PATH$/],
    ['browser.js', /browser\.js:1:25: unsupported module "k6\/browser"/],
    ['node.js', /node\.js:1:16: unknown module "node:fs"/],
    ['deep.js', /lib\/bad\.js:2:20: unsupported module "k6\/net\/grpc"/],
    ['missing.js', /missing\.js:1:19: Could not resolve "\.\/nowhere\.js"/],
    ['syntax.js', /syntax\.js:2:14: Expected identifier but found "="/],
    ['dynamic.js', /dynamic\.js:1:49: import\(\) of "k6\/http" is not supported/],
  ];
  for (const [name, message] of refusals) {
    it(`refuses ${name} with one line naming file:line:col`, async () => {
      await assert.rejects(prepareScript(files.path(name)), (error: Error) => {
        assert.ok(error instanceof ScriptError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    });
  }

  it('refuses a path that is no file', async () => {
    await assert.rejects(prepareScript(files.path('absent.js')), (error: Error) => error instanceof ScriptError && /absent\.js: no such file$/.test(error.message));
    await assert.rejects(prepareScript(files.dir), (error: Error) => error instanceof ScriptError && /not a file$/.test(error.message));
  });
});
