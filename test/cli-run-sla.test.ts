import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { slaFailedExitCode } from '../cli/run-outcome.ts';
import { runCli } from './support/cli.ts';
import { spawnTarget } from './support/target.ts';

interface JsonOutcome {
  testid: string;
  exit_code: number;
  verdict: string;
  reports: { dir: string; junit: string | null; sla_summary_json: string | null };
  slas: { name: string; ok: boolean }[];
}

/**
 * Both directions against a target started on its own (spawnTarget, agent delays scaled by 0.05):
 * healthy, agent runs take well under the 2 s bound; with slow-agents:100 they take several seconds.
 */
async function runAgainst(faults: string | undefined): Promise<{ code: number | null; outcome: JsonOutcome; stderr: string }> {
  const target = await spawnTarget(faults ? { faults } : {});
  try {
    const result = await runCli(['run', 'agent-events', '--target', target.url, '--profile', 'smoke', '--sla', 'agent=2s', '--json'], {
      timeoutMs: 240_000,
    });
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `--json prints one line on stdout, got:\n${result.stdout}`);
    const outcome = JSON.parse(lines[0] ?? '') as JsonOutcome;
    rmSync(outcome.reports.dir, { recursive: true, force: true });
    return { code: result.code, outcome, stderr: result.stderr };
  } finally {
    await target.stop();
  }
}

describe('agent-sla run against a separately started target', () => {
  it('passes when the target is healthy (exit 0)', async () => {
    const { code, outcome, stderr } = await runAgainst(undefined);
    assert.equal(code, 0, stderr.slice(-2000));
    assert.equal(outcome.exit_code, 0);
    assert.equal(outcome.verdict, 'pass');
    assert.ok(outcome.slas.length > 0 && outcome.slas.every((sla) => sla.ok), JSON.stringify(outcome.slas));
  });

  it('exits 99 and names the agent response SLA when agents are slowed past it', async () => {
    const { code, outcome, stderr } = await runAgainst('slow-agents:100');
    assert.equal(code, slaFailedExitCode, stderr.slice(-2000));
    assert.equal(outcome.verdict, 'fail');
    const failed = outcome.slas.filter((sla) => !sla.ok).map((sla) => sla.name);
    assert.ok(failed.some((name) => /agent/i.test(name)), `failed SLAs: ${failed.join(', ')}`);
    assert.match(stderr, /thresholds on metrics '[^']*agent_response_duration[^']*' have been crossed/);
  });
});
