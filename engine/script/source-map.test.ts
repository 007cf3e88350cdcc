import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { prepareScript } from './prepare-script.ts';
import { instantiate, writeScriptFiles, type ScriptFiles } from './script-test-kit.ts';
import { originalStackTrace } from './stack-trace.ts';

describe("the factory's source map", () => {
  let files: ScriptFiles;
  before(async () => {
    files = await writeScriptFiles({
      'script.js': [
        "import http from 'k6/http';",
        "import { explode } from './lib/explode.js';",
        '',
        '// A comment esbuild drops, so that bundle lines and script lines differ.',
        'export default function () {',
        "  http.get('http://x/');",
        '  explode();',
        '}',
        'export function local() {',
        "  throw new Error('local');",
        '}',
      ].join('\n'),
      'lib/explode.js': ['/* Leading lines', ' * that esbuild drops. */', '', 'export function explode() {', "  throw new Error('boom');", '}'].join('\n'),
    });
  });
  after(() => files.cleanup());

  it("maps a stack trace's frames to the script's own files and lines, through the rewrite", async () => {
    const prepared = await prepareScript(files.path('script.js'));
    assert.deepEqual(prepared.madeAsync, ['default']);
    const { instance } = await instantiate(prepared);
    const failure = await (instance.exports.default as () => Promise<void>)().then(
      () => assert.fail('explode() should throw'),
      (error: Error) => error,
    );
    const raw = failure.stack ?? '';
    assert.doesNotMatch(raw, /explode\.js/, 'Node does not apply the map by itself');
    const mapped = originalStackTrace(raw, prepared);
    assert.match(mapped, new RegExp(`at explode \\(${files.path('lib/explode.js')}:5:9\\)`));
    assert.match(mapped, new RegExp(`${files.path('script.js')}:7:3`));
    const local = (() => {
      try {
        (instance.exports.local as () => void)();
      } catch (error) {
        return (error as Error).stack ?? '';
      }
      return '';
    })();
    assert.match(originalStackTrace(local, prepared), new RegExp(`at (Object\\.)?local \\(${files.path('script.js')}:10:9\\)`));
  });

  it('leaves a stack trace of other code as it is', () => {
    const stack = 'Error: x\n    at somewhere (/elsewhere/file.js:3:4)';
    assert.equal(originalStackTrace(stack, { map: '', filename: '/elsewhere/file.js' }), stack);
  });
});
