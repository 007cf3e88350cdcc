import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { moduleFactory } from './module-factory.ts';
import { ScriptError } from './script-error.ts';
import { compileFactory, instantiate } from './script-test-kit.ts';
import type { PositionLookup } from './source-positions.ts';

const asIs: PositionLookup = (line, column) => ({ source: '/scripts/module.js', line, column });
const factoryOf = (source: string) => compileFactory(moduleFactory(source, asIs).code, '/scripts/module.js');
const exportsOf = async (source: string) => (await instantiate(factoryOf(source))).instance.exports;

describe('moduleFactory', () => {
  it('evaluates the module afresh for each call: two VUs, two independent counters', async () => {
    const factory = factoryOf('let count = 0;\nexport function next() { return ++count; }\n');
    const first = (await instantiate(factory)).instance.exports;
    const second = (await instantiate(factory)).instance.exports;
    const next1 = first.next as () => number;
    const next2 = second.next as () => number;
    assert.deepEqual([next1(), next1(), next1(), next2()], [1, 2, 3, 1]);
  });

  it('binds default, named, aliased, namespace and side-effect imports from require()', async () => {
    const source = [
      "import http from 'k6/http';",
      "import { check as verify, group } from 'k6';",
      "import * as k6 from 'k6';",
      "import 'k6/metrics';",
      'export const seen = [typeof http.get, typeof verify, typeof group, k6.check === verify];',
    ].join('\n');
    const { instance } = await instantiate(factoryOf(source));
    assert.deepEqual(instance.exports.seen, ['function', 'function', 'function', true]);
    assert.deepEqual(moduleFactory(source, asIs).imports, ['k6/http', 'k6', 'k6/metrics']);
  });

  it('throws a SyntaxError when a module lacks the named import, as an ES module link would', async () => {
    await assert.rejects(exportsOf("import { nothing } from 'k6';\nexport const x = 1;"), (error: Error) => error instanceof SyntaxError && /does not provide an export named 'nothing'/.test(error.message));
  });

  it('exposes every export form, through live bindings', async () => {
    const source = [
      'export function named() { return "named"; }',
      'export const a = 1, { b, c: [d] } = { b: 2, c: [3] };',
      'export let counter = 0;',
      'export var v = "v";',
      'export class K {}',
      'const hidden = 5;',
      'export { hidden as renamed, hidden };',
      'export function bump() { counter++; }',
      'export default function () { return "default"; }',
    ].join('\n');
    const factory = moduleFactory(source, asIs);
    assert.deepEqual(factory.exports.sort(), ['K', 'a', 'b', 'bump', 'counter', 'd', 'default', 'hidden', 'named', 'renamed', 'v']);
    const exports = (await instantiate(compileFactory(factory.code))).instance.exports;
    assert.equal((exports.named as () => string)(), 'named');
    assert.deepEqual([exports.a, exports.b, exports.d, exports.v, exports.renamed, exports.hidden], [1, 2, 3, 'v', 5, 5]);
    assert.equal(typeof exports.K, 'function');
    assert.equal(exports.counter, 0);
    (exports.bump as () => void)();
    assert.equal(exports.counter, 1, 'a live binding, not a copy');
    const fallback = exports.default as () => string;
    assert.equal(fallback(), 'default');
    assert.equal(fallback.name, 'default');
  });

  it('exports a default expression, an anonymous class, and `x as default`', async () => {
    assert.equal((await exportsOf('export default 6 * 7;')).default, 42);
    assert.equal((await exportsOf('export default (1, 2)\n')).default, 2);
    const Anonymous = (await exportsOf('export default class { hi() { return "hi"; } }')).default as new () => { hi(): string };
    assert.equal(new Anonymous().hi(), 'hi');
    assert.equal(Anonymous.name, 'default');
    assert.equal(((await exportsOf('function main() { return "main"; }\nexport { main as default };')).default as () => string)(), 'main');
  });

  it('keeps __ITER live through setIteration()', async () => {
    const { instance } = await instantiate(factoryOf('export function iteration() { return __ITER; }'));
    const iteration = instance.exports.iteration as () => number;
    assert.equal(iteration(), 0);
    instance.setIteration(7);
    assert.equal(iteration(), 7);
  });

  it('runs in strict mode with an undefined module-level `this`, and passes __VU and __ENV', async () => {
    const { instance } = await instantiate(factoryOf('export const self = this;\nexport const strict = (function () { return this === undefined; })();\nexport const who = [__VU, __ENV.NAME];'), { vu: 3, env: { NAME: 'x' } });
    assert.equal(instance.exports.self, undefined);
    assert.equal(instance.exports.strict, true);
    assert.deepEqual(instance.exports.who, [3, 'x']);
  });

  it("hides Node's globals, gives k6/timers' timers and the VU's Math, and lets the script shadow them", async () => {
    const { instance } = await instantiate(
      factoryOf('export const kinds = [typeof process, typeof Buffer, typeof global, typeof setImmediate, typeof fetch, typeof module, typeof exports, typeof __dirname, typeof setTimeout];\nexport const math = Math;'),
      { hooks: { block: () => Promise.resolve(), math: Object.create(Math) as Math, globalThis: Object.create(globalThis) as object } },
    );
    assert.deepEqual(instance.exports.kinds, ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'function']);
    assert.notEqual(instance.exports.math, Math);
    const own = await exportsOf('const require = 1, console = 2, process = 3;\nexport const mine = [require, console, process];');
    assert.deepEqual(own.mine, [1, 2, 3]);
  });

  it('returns a promise of the instance when the module uses top-level await', async () => {
    const factory = moduleFactory('const value = await Promise.resolve(5);\nexport default value;', asIs);
    assert.equal(factory.topLevelAwait, true);
    const result = compileFactory(factory.code)(() => ({ setTimeout }), {}, 1, console, () => '', { block: () => Promise.resolve(), math: Math, globalThis });
    assert.ok(result instanceof Promise);
    assert.equal((await result).exports.default, 5);
    assert.equal(moduleFactory('async function f() { await 1; }\nexport default f;', asIs).topLevelAwait, false);
  });

  it("keeps the module's lines: an error thrown on line 4 reports line 4", async () => {
    const factory = factoryOf("import http from 'k6/http';\nimport {\n  check } from 'k6';\nexport function fails() { throw new Error('here'); }\n");
    const fails = (await instantiate(factory)).instance.exports.fails as () => void;
    assert.throws(fails, (error: Error) => /\/scripts\/module\.js:4:\d+/.test(error.stack ?? ''));
  });

  it('refuses re-exports, import() and import.meta with their position', () => {
    const refused = (source: string, pattern: RegExp) =>
      assert.throws(() => moduleFactory(source, asIs), (error: Error) => error instanceof ScriptError && pattern.test(error.message));
    refused("const a = 1;\nexport * from 'k6';", /^\/scripts\/module\.js:2:1: re-exports are not supported: export from "k6"$/);
    refused("export { check } from 'k6';", /module\.js:1:1: re-exports are not supported/);
    refused("const a = 1;\nexport const m = import('k6');", /module\.js:2:18: import\(\) is not supported/);
    refused('export const u = import.meta.url;', /module\.js:1:18: import\.meta is not supported/);
    refused('export const = 1;', /module\.js:1:14: Unexpected token/);
  });

  it('ignores a hashbang line', async () => {
    assert.equal((await exportsOf('#!/usr/bin/env k6\nexport const ok = true;')).ok, true);
  });
});
