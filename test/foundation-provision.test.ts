import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { isCurrentBuild, sourceHash, type GoBinary } from '../build/go-build.ts';
import { influxdbModuleDir, provisionedInfluxd, repoRoot } from '../build/paths.ts';
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

describe('foundation: provisioning influxd (the load runs on the engine, which needs no binary)', () => {
  it('names the fixes in one line when there is no influxd and no Go, and asks for no k6', () => {
    const emptyTools = mkdtempSync(join(tmpdir(), 'agent-sla-tools-'));
    try {
      // PATH keeps only node's own directory: no k6, influxd or go there on this machine.
      const result = runSetup({ PATH: dirname(process.execPath), HOME: process.env.HOME, AGENT_SLA_TOOLS_DIR: emptyTools });
      assert.equal(result.status, 1, result.stderr);
      assert.equal(errorLines(result.stderr).length, 1, `expected one line, got:\n${result.stderr}`);
      assert.match(errorLines(result.stderr)[0]!, /^setup: no InfluxDB found and Go is not installed: set INFLUXD=\/path\/to\/influxd \(InfluxDB 1\.x >= 1\.8\), or install Go >= 1\.25(\.0)? so setup can build InfluxDB v1\.8\.10$/);
    } finally {
      rmSync(emptyTools, { recursive: true, force: true });
    }
  });

  it('refuses an INFLUXD that is not runnable, in one line, without building anything; K6_BIN plays no part', () => {
    const result = runSetup({ ...process.env, K6_BIN: '/nonexistent/k6', INFLUXD: '/nonexistent/influxd' });
    assert.equal(result.status, 1);
    assert.deepEqual(errorLines(result.stderr), [
      'setup: INFLUXD=/nonexistent/influxd is not a runnable influxd: unset INFLUXD, or point it at InfluxDB 1.x >= 1.8',
    ]);
  });

  it('provides the pinned influxd built from build/influxdb, which reports its version', () => {
    const found = findInfluxd({ ...process.env, INFLUXD: '' });
    assert.ok(found, 'no influxd: `npm run setup` (and so `npm test`) builds it first');
    assert.deepEqual(found, { path: provisionedInfluxd, version: pinnedInfluxVersion(), source: 'built' });
    assert.equal(influxdVersionOf(found.path), '1.8.10');
  });

  it('takes a change to any Go source of the module as a reason to rebuild', () => {
    const moduleDir = mkdtempSync(join(tmpdir(), 'agent-sla-gomod-'));
    try {
      for (const file of ['go.mod', 'go.sum']) cpSync(join(influxdbModuleDir, file), join(moduleDir, file));
      writeFileSync(join(moduleDir, 'main.go'), 'package main\n\nfunc main() {}\n');
      const binary: GoBinary = { label: 'InfluxDB', moduleDir, pkg: '.', output: join(moduleDir, 'influxd') };
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
