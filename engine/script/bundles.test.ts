import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import { prepareScript } from './prepare-script.ts';
import { instantiate, writeScriptFiles, type ScriptFiles } from './script-test-kit.ts';

const dist = join(import.meta.dirname, '..', '..', 'dist');

/** The project's own bundles (`npm run build`): real scenarios, minified, with linked source maps. */
describe("the project's bundled scenarios", () => {
  for (const name of ['agent-events.js', 'journey.js']) {
    const path = join(dist, name);
    it(`prepares dist/${name}`, { skip: existsSync(path) ? false : 'not built' }, async () => {
      const prepared = await prepareScript(path);
      assert.ok(['default', 'options', 'setup'].every((name) => prepared.exports.includes(name)), prepared.exports.join(', '));
      assert.ok(prepared.imports.includes('k6/http') && prepared.imports.includes('k6/websockets'), prepared.imports.join(', '));
      assert.equal(typeof new vm.Script(prepared.code, { filename: prepared.filename }).runInThisContext(), 'function');
    });
  }
});

const session = (fetchAll: string) =>
  [
    "import http from 'k6/http';",
    'export class Session {',
    "  constructor(private readonly base: string, private token = '') {}",
    '  login(user: string): Session {',
    '    this.token = http.post(`${this.base}/login`, JSON.stringify({ user })).url;',
    '    return this;',
    '  }',
    fetchAll,
    '}',
  ].join('\n');

/** A TypeScript project minified by esbuild as build/bundle.ts does it: short names, one line, a linked map. */
describe('a minified bundle with a linked source map', () => {
  let files: ScriptFiles;
  before(async () => {
    files = await writeScriptFiles({
      'src/good/api.ts': session('  fetchAll(paths: string[]): number[] {\n    const statuses: number[] = [];\n    for (const path of paths) statuses.push(http.get(`${this.base}${path}`).status);\n    return statuses;\n  }'),
      'src/bad/api.ts': session('  fetchAll(paths: string[]): number[] {\n    return paths.map((path) => http.get(`${this.base}${path}`).status);\n  }'),
      'src/good/main.ts': "import { Session } from './api.ts';\nexport default function () {\n  return new Session('http://x').login('u').fetchAll(['/a', '/b']);\n}\n",
      'src/bad/main.ts': "import { Session } from './api.ts';\nexport default function () {\n  return new Session('http://x').login('u').fetchAll(['/a']);\n}\n",
    });
    await esbuild.build({
      entryPoints: { good: files.path('src/good/main.ts'), bad: files.path('src/bad/main.ts') },
      outdir: files.path('dist'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2021',
      external: ['k6', 'k6/*'],
      sourcemap: 'linked',
      sourcesContent: false,
      minify: true,
      logLevel: 'silent',
    });
  });
  after(() => files.cleanup());

  it('rewrites and runs it', async () => {
    const prepared = await prepareScript(files.path('dist/good.js'));
    assert.equal(prepared.madeAsync.length, 3, prepared.madeAsync.join(', '));
    const { instance, modules } = await instantiate(prepared);
    assert.deepEqual(await (instance.exports.default as () => Promise<unknown>)(), [200, 200]);
    assert.deepEqual(modules.log, ['POST http://x/login', 'GET http://x/a', 'GET http://x/b']);
  });

  it("names the TypeScript file and line of a refused form, through the bundle's own map", async () => {
    await assert.rejects(prepareScript(files.path('dist/bad.js')), (error: Error) => {
      assert.match(error.message, /src\/bad\/api\.ts:9:2[23]: the callback passed to map\(\) calls http\.get, which blocks/);
      return true;
    });
  });
});
