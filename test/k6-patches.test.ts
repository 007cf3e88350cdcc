// build/k6/patches as `npm run setup` reads them: each hunk applies where its code is exactly once, or the build stops,
// and a patch is part of the k6 build's source hash. (That the patched k6 fixes the race: target-lost-session.test.ts.)
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProvisionError, sourceHash, type GoBinary } from '../build/go-build.ts';
import { applyPatches, parsePatch, patchFiles } from '../build/go-patches.ts';
import { k6ModuleDir, k6PatchDir } from '../build/paths.ts';

const scratch = mkdtempSync(join(tmpdir(), 'agent-sla-patches-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const shipped = patchFiles(k6PatchDir).find((path) => basename(path) === 'websockets-open-before-read.patch');
const [file] = parsePatch(readFileSync(shipped!, 'utf8'), shipped!);
const [hunk] = file!.hunks;

// The first-frame fix alone, as a patch directory of its own (the others patch files this scratch module lacks).
const fixDir = join(scratch, 'fix-only');
mkdirSync(fixDir);
cpSync(shipped!, join(fixDir, basename(shipped!)));

/** A module copy whose file to patch holds `body`. */
function moduleWith(name: string, body: string): string {
  const dir = join(scratch, name);
  mkdirSync(dirname(join(dir, file!.path)), { recursive: true });
  writeFileSync(join(dir, file!.path), body);
  return dir;
}

describe('build/k6/patches', () => {
  it('holds the first-frame fix: one file of the vendored k6, OPEN queued before the read loop starts', () => {
    assert.deepEqual(patchFiles(k6PatchDir).map((path) => basename(path)), ['sobek-lazy-function-props.patch', 'websockets-open-before-read.patch']);
    assert.equal(file!.path, 'vendor/go.k6.io/k6/v2/internal/js/modules/k6/websockets/websockets.go');
    assert.ok(hunk!.before.indexOf('go w.loop()') < hunk!.before.indexOf('w.tq.Queue('), 'stock order: loop, then OPEN');
    assert.ok(hunk!.after.indexOf('w.tq.Queue(') < hunk!.after.indexOf('go w.loop()'), 'fixed order: OPEN, then loop');
  });

  it('applies where the code is once, and only the hunk changes', () => {
    const dir = moduleWith('once', `package websockets\n\n${hunk!.before}\n// after\n`);
    applyPatches(fixDir, dir);
    assert.equal(readFileSync(join(dir, file!.path), 'utf8'), `package websockets\n\n${hunk!.after}\n// after\n`);
  });

  it('stops the build when the code is not there (already patched, or k6 changed) or is there twice', () => {
    const patched = moduleWith('patched', hunk!.after);
    assert.throws(() => applyPatches(fixDir, patched), (error: Error) => error instanceof ProvisionError && /is there 0 times, not once/.test(error.message));
    const twice = moduleWith('twice', `${hunk!.before}\n${hunk!.before}\n`);
    assert.throws(() => applyPatches(fixDir, twice), /is there 2 times, not once/);
  });

  it('is part of the k6 source hash: a changed patch rebuilds k6', () => {
    const moduleDir = join(scratch, 'module');
    for (const name of ['go.mod', 'go.sum', 'main.go']) cpSync(join(k6ModuleDir, name), join(moduleDir, name), { recursive: true });
    cpSync(shipped!, join(moduleDir, 'patches', 'fix.patch'), { recursive: true });
    const binary: GoBinary = { label: 'k6', moduleDir, pkg: '.', output: join(moduleDir, 'k6'), patchDir: join(moduleDir, 'patches') };
    const before = sourceHash(binary);
    assert.notEqual(sourceHash({ ...binary, patchDir: undefined }), before, 'the stock build hashes differently');
    writeFileSync(join(moduleDir, 'patches', 'fix.patch'), '\n', { flag: 'a' });
    assert.notEqual(sourceHash(binary), before, 'an edited patch');
  });
});
