// Scripts this engine cannot run the way k6 would must stop before any iteration, with one line that names the
// cause and a non-zero exit, rather than run differently: an import of a module it does not provide (k6/browser,
// an extension under k6/x/, a remote https:// module), and a blocking call it cannot make async (http.get inside
// the callback of a built-in such as Array.prototype.map).
// k6 itself runs all of these (https://grafana.com/docs/k6/latest/using-k6/modules/ lists built-in, extension and
// remote modules): what is held here is agent-sla's own contract of refusing cleanly, not a k6 behaviour.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, runK6, type RunResult } from './run-k6-script.ts';

/** stderr's non-empty lines, without those the script itself logged (there must be none). */
const errorLines = (run: RunResult): string[] => run.stderr.split('\n').filter((line) => line.trim() !== '');

describe('scripts the engine cannot run', () => {
  const results: RunResult[] = [];
  after(() => cleanup(...results));

  const imports: Record<string, string> = {
    'k6/browser': `import { browser } from 'k6/browser';`,
    'k6/x/anything': `import anything from 'k6/x/anything';`,
    'https://jslib.k6.io/k6-utils/1.4.0/index.js': `import { randomString } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';`,
  };

  for (const [module, line] of Object.entries(imports)) {
    it(`refuses an import of ${module}: one line naming it, non-zero exit, no iteration`, async () => {
      const run = await runK6(`
        ${line}
        console.log('init ran');
        export default function () { console.log('iteration ran'); }
      `);
      results.push(run);
      assert.notEqual(run.code, 0, explain(run));
      assert.ok(!run.logs.includes('init ran') && !run.logs.includes('iteration ran'), explain(run));
      const lines = errorLines(run);
      assert.equal(lines.length, 1, `expected one line:\n${run.stderr}`);
      assert.ok(lines[0]!.includes(module), `the line does not name ${module}: ${lines[0]}`);
    });
  }

  it('refuses http.get inside an Array.map callback: one line naming the call, non-zero exit, no iteration', async () => {
    const run = await runK6(`
      import http from 'k6/http';
      export const options = { iterations: 1 };
      export default function () {
        console.log('iteration ran');
        const pages = ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'].map((url) => http.get(url));
        console.log('fetched ' + pages.length);
      }
    `);
    results.push(run);
    assert.notEqual(run.code, 0, explain(run));
    assert.ok(!run.logs.includes('iteration ran'), explain(run));
    const lines = errorLines(run);
    assert.equal(lines.length, 1, `expected one line:\n${run.stderr}`);
    assert.match(lines[0]!, /map/);
    assert.match(lines[0]!, /http\.get/);
  });
});
