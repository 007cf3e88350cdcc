// build/k6/patches/sobek-lazy-function-props.patch keeps a function's own "length" and "name" out of its property map
// until something needs them as properties. JavaScript must not see the difference: test/fixtures/k6/function-props.ts
// runs ~1650 property operations on 31 kinds of function in the built k6, lazy against materialised, and compares all
// it observed with stock k6's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixturePath, runK6 } from './support/k6.ts';

describe('function length and name in the built k6', () => {
  it('behave as in stock sobek, for every kind of function and every property operation', async () => {
    const result = await runK6(fixturePath('function-props'));
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 0, output);
    const line = /function-props: (\d+) checks, (\d+) failures/.exec(output);
    assert.ok(line, output);
    assert.ok(Number(line[1]) > 1500, `only ${line[1]} checks ran`);
    assert.equal(Number(line[2]), 0, output);
    const checks = result.summary?.metrics.checks as { passes?: number; fails?: number } | undefined;
    assert.deepEqual([checks?.passes, checks?.fails], [2, 0], output);
  });
});
