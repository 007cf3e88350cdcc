import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { isCurrentBuild, sourceHash, type GoBinary } from '../build/go-build.ts';
import { k6ModuleDir, provisionedInfluxd, provisionedK6, repoRoot } from '../build/paths.ts';
import { findK6 } from '../build/provision-k6.ts';
import { findInfluxd, influxdVersionOf, pinnedInfluxVersion } from '../build/provision-influxd.ts';
import { runCli } from './support/cli.ts';

function runSetup(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'build', 'setup.ts')], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const errorLines = (stderr: string): string[] => stderr.trim().split('\n').filter((line) => line !== '' && !line.startsWith('npm warn'));

describe('foundation: provisioning k6 and influxd', () => {
  it('prefers its own k6 build to a k6 on PATH, which lacks the first-frame fix and the extensions', () => {
    const found = findK6({ PATH: process.env.PATH });
    assert.equal(found?.source, 'built', 'npm test provisions our build first');
    // Another k6 first on PATH (the same binary under another name, as a release would sit in /usr/local/bin).
    const elsewhere = mkdtempSync(join(tmpdir(), 'agent-sla-path-k6-'));
    try {
      symlinkSync(provisionedK6, join(elsewhere, 'k6'));
      const withOther = findK6({ PATH: `${elsewhere}:${process.env.PATH ?? ''}` });
      assert.equal(withOther?.source, 'built');
      assert.equal(withOther?.path, provisionedK6);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('names both fixes, in one line per tool, when there is no k6, no influxd and no Go', () => {
    const emptyTools = mkdtempSync(join(tmpdir(), 'agent-sla-tools-'));
    try {
      // PATH keeps only node's own directory: no k6, influxd or go there on this machine.
      const result = runSetup({ PATH: dirname(process.execPath), HOME: process.env.HOME, AGENT_SLA_TOOLS_DIR: emptyTools });
      assert.equal(result.status, 1, result.stderr);
      const [k6, influxd, ...rest] = errorLines(result.stderr);
      assert.deepEqual(rest, [], `expected two lines, got:\n${result.stderr}`);
      assert.match(k6 ?? '', /^setup: no k6 >= 1\.6\.0 found and Go is not installed: install k6 >= 1\.6\.0 \(or set K6_BIN=.*, or install Go >= 1\.25/);
      assert.match(influxd ?? '', /^setup: no InfluxDB found and Go is not installed: set INFLUXD=\/path\/to\/influxd \(InfluxDB 1\.x >= 1\.8\), or install Go >= 1\.25(\.0)? so setup can build InfluxDB v1\.8\.10$/);
    } finally {
      rmSync(emptyTools, { recursive: true, force: true });
    }
  });

  it('refuses a K6_BIN and an INFLUXD that are not runnable, one line each, without building anything', () => {
    const result = runSetup({ ...process.env, K6_BIN: '/nonexistent/k6', INFLUXD: '/nonexistent/influxd' });
    assert.equal(result.status, 1);
    assert.deepEqual(errorLines(result.stderr), [
      'setup: K6_BIN=/nonexistent/k6 is not a runnable k6: unset K6_BIN, or point it at a k6 binary',
      'setup: INFLUXD=/nonexistent/influxd is not a runnable influxd: unset INFLUXD, or point it at InfluxDB 1.x >= 1.8',
    ]);
  });

  it('provides the pinned influxd built from build/influxdb, which reports its version', () => {
    const found = findInfluxd({ ...process.env, INFLUXD: '' });
    assert.ok(found, 'no influxd: `npm run setup` (and so `npm test`) builds it first');
    assert.deepEqual(found, { path: provisionedInfluxd, version: pinnedInfluxVersion(), source: 'built' });
    assert.equal(influxdVersionOf(found.path), '1.8.10');
  });

  it('takes a change to any file of a Go module (a new extension package) as a reason to rebuild', () => {
    const moduleDir = mkdtempSync(join(tmpdir(), 'agent-sla-gomod-'));
    try {
      for (const file of ['go.mod', 'go.sum', 'main.go']) cpSync(join(k6ModuleDir, file), join(moduleDir, file));
      const binary: GoBinary = { label: 'k6', moduleDir, pkg: '.', output: join(moduleDir, 'k6') };
      assert.equal(isCurrentBuild(binary), false, 'never built: no stamp');
      writeFileSync(`${binary.output}.source-hash`, `${sourceHash(binary)}\n`);
      assert.equal(isCurrentBuild(binary), true, 'nothing changed since the stamp');
      mkdirSync(join(moduleDir, 'ext'));
      cpSync(join(moduleDir, 'main.go'), join(moduleDir, 'ext', 'ext.go'));
      assert.equal(isCurrentBuild(binary), false, 'a new .go file in a subdirectory');
      writeFileSync(`${binary.output}.source-hash`, `${sourceHash(binary)}\n`);
      writeFileSync(join(moduleDir, 'go.sum'), '\n', { flag: 'a' });
      assert.equal(isCurrentBuild(binary), false, 'an edited go.sum');
      writeFileSync(`${binary.output}.source-hash`, `${sourceHash(binary)}\n`);
      writeFileSync(join(moduleDir, 'README.md'), 'not Go\n');
      assert.equal(isCurrentBuild(binary), true, 'files that are not Go sources do not count');
    } finally {
      rmSync(moduleDir, { recursive: true, force: true });
    }
  });

  it('agent-sla doctor shows the provisioned InfluxDB, its version and where it came from', async () => {
    const built = await runCli(['doctor'], { env: { INFLUXD: '' } });
    assert.match(built.stdout, /^ok {4}influxd {4}InfluxDB v1\.8\.10 at \.tools\/bin\/influxd \(built from build\/influxdb\)$/m);
    const refused = await runCli(['doctor'], { env: { INFLUXD: '/nonexistent/influxd' } });
    assert.match(refused.stdout, /^warn {2}influxd {4}INFLUXD=\/nonexistent\/influxd is not a runnable influxd -> fix: unset INFLUXD, or point it at InfluxDB 1\.x >= 1\.8$/m);
  });
});
