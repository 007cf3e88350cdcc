import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeSummaryOutputs } from './summary-outputs.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'summary-outputs-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text), cwd: dir } };
}

test('stdout, stderr and files (relative to cwd, or absolute) get their string or ArrayBuffer', async () => {
  const { out, err, io } = capture();
  const absolute = join(dir, 'absolute.bin');
  await writeFile(join(dir, 'summary.json'), 'old content that is longer than the new one');
  await writeSummaryOutputs(
    {
      stdout: 'to stdout\n',
      stderr: new TextEncoder().encode('to stderr').buffer,
      'summary.json': '{"a":1}',
      [absolute]: new Uint8Array([0, 255, 1]).buffer,
      'view.txt': new Uint8Array([104, 105, 33]).subarray(1),
    },
    io,
  );
  assert.deepEqual(out, ['to stdout\n']);
  assert.deepEqual(err, ['to stderr']);
  assert.equal(await readFile(join(dir, 'summary.json'), 'utf8'), '{"a":1}', 'an existing file is overwritten');
  assert.deepEqual([...(await readFile(absolute))], [0, 255, 1]);
  assert.equal(await readFile(join(dir, 'view.txt'), 'utf8'), 'i!');
});

test('null or undefined writes nothing', async () => {
  const { out, err, io } = capture();
  await writeSummaryOutputs(undefined, io);
  await writeSummaryOutputs(null, io);
  assert.deepEqual([out, err], [[], []]);
});

test('a return value that is not an object of strings and ArrayBuffers is refused before anything is written', async () => {
  const { out, io } = capture();
  for (const bad of ['text', 42, true, ['stdout'], new ArrayBuffer(2)]) {
    await assert.rejects(writeSummaryOutputs(bad, io), /^Error: handleSummary\(\) should return a map with string keys$/);
  }
  await assert.rejects(writeSummaryOutputs({ stdout: 'first', 'x.json': 42 }, io), /error handling summary object x\.json: invalid type number, it needs to be a string or ArrayBuffer/);
  await assert.rejects(writeSummaryOutputs({ stdout: { nested: true } }, io), /invalid type object/);
  assert.deepEqual(out, [], 'nothing written when one value is bad');
});

test('a missing directory fails that output only; the others are written and the errors reported together', async () => {
  const { out, io } = capture();
  await assert.rejects(writeSummaryOutputs({ 'missing/dir/a.json': 'a', stdout: 'still printed', 'b.json': 'b', 'also/missing.txt': 'c' }, io), (error: Error) => {
    const lines = error.message.split('\n');
    assert.equal(lines[0], 'Could not save some summary information:');
    assert.match(lines[1]!, /^\t- could not open 'missing\/dir\/a\.json': ENOENT/);
    assert.match(lines[2]!, /^\t- could not open 'also\/missing\.txt': ENOENT/);
    assert.equal(lines.length, 3);
    return true;
  });
  assert.deepEqual(out, ['still printed']);
  assert.equal(await readFile(join(dir, 'b.json'), 'utf8'), 'b');
});
