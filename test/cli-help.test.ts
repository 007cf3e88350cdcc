import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commands } from '../cli/main.ts';
import { doctorOptions } from '../cli/doctor-command.ts';
import { runOptions } from '../cli/run-options.ts';
import { targetOptions } from '../cli/target-command.ts';
import { demoOptions } from '../cli/demo-command.ts';
import { dashboardsOptions } from '../cli/dashboards-command.ts';
import { reportOptions } from '../cli/report-command.ts';
import { k8sOptions } from '../cli/k8s-command.ts';
import { envOptionNames } from '../cli/library-options.ts';
import type { OptionTable } from '../cli/option-table.ts';
import { runCli } from './support/cli.ts';

/** The long flags a help text names in its option list (lines that start with a flag). */
function flagsInHelp(help: string): string[] {
  return help
    .split('\n')
    .map((line) => /^\s+(?:-\w, )?--([a-z][a-z0-9-]*)/.exec(line)?.[1])
    .filter((flag): flag is string => flag !== undefined)
    .sort();
}

const tables: Record<string, OptionTable> = { run: runOptions, doctor: doctorOptions, target: targetOptions, demo: demoOptions, report: reportOptions, dashboards: dashboardsOptions, k8s: k8sOptions };

describe('--help names every option the code accepts', () => {
  for (const [command, table] of Object.entries(tables)) {
    it(`agent-sla ${command} --help lists exactly the parseArgs options`, async () => {
      const result = await runCli([command, '--help']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(flagsInHelp(result.stdout), Object.keys(table).sort());
      for (const [name, spec] of Object.entries(table)) {
        if (spec.short) assert.match(result.stdout, new RegExp(`-${spec.short}, --${name}\\b`));
      }
    });
  }

  it('agent-sla run --help lists every k6 environment variable the library documents', async () => {
    const result = await runCli(['run', '--help']);
    const names = envOptionNames();
    assert.ok(names.length > 0, 'lib/env-options.ts documents no variables');
    for (const name of names) assert.match(result.stdout, new RegExp(`^\\s+${name}\\b`, 'm'), name);
  });

  it('every option passed to k6 uses a name the library documents', () => {
    const names = new Set(envOptionNames());
    for (const [option, spec] of Object.entries(runOptions) as [string, { env?: string }][]) {
      if (spec.env) assert.ok(names.has(spec.env), `--${option} is passed as ${spec.env}, which lib/env-options.ts does not document`);
    }
  });

  it('both helps name what testing your own backend needs: --dialect and the auth variables', async () => {
    const main = (await runCli(['--help'])).stdout;
    const run = (await runCli(['run', '--help'])).stdout;
    for (const name of ['--dialect', 'AUTH_MODE', 'TOKEN', 'TOKENS_FILE', 'USERS_FILE', 'HEALTH_CHECK']) {
      assert.match(main, new RegExp(`${name}\\b`), `agent-sla --help: ${name}`);
      assert.match(run, new RegExp(`${name}\\b`), `agent-sla run --help: ${name}`);
    }
    for (const dialect of ['agent-sla', 'envelope', 'openai-realtime', 'ag-ui']) assert.match(run, new RegExp(`--dialect NAME .*${dialect}`), dialect);
  });

  it('agent-sla --help lists every command', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    for (const name of Object.keys(commands)) assert.match(result.stdout, new RegExp(`^  ${name}\\s`, 'm'));
  });
});
