import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preflightExitCode } from '../cli/preflight-error.ts';
import { runCli } from './support/cli.ts';

describe('agent-sla run <scenario> --print-options', () => {
  it('prints the scenario and every threshold by key, as k6 resolves them, without running', async () => {
    // No --target and nothing listening: inspecting the bundle sends no request.
    const result = await runCli(['run', 'agent-billing', '--profile', 'load', '--vus', '4', '--sla', 'billing=99.9%,agent=20s', '--print-options']);
    assert.equal(result.code, 0, result.stderr);
    const options = JSON.parse(result.stdout) as { scenarios: Record<string, any>; thresholds: Record<string, unknown[]> };
    assert.deepEqual(Object.keys(options.scenarios), ['agent-billing']);
    assert.equal(options.scenarios['agent-billing'].executor, 'ramping-vus');
    assert.deepEqual(options.scenarios['agent-billing'].stages.map((stage: { target: number }) => stage.target), [4, 4, 0]);
    assert.deepEqual(options.thresholds['billing_reconciled'], ['rate>=0.999']);
    assert.deepEqual(options.thresholds['billing_reconciled{plan:enterprise}'], ['rate>=0.999']);
    assert.deepEqual(options.thresholds['agent_event_sequence_ok'], ['rate==1']);
    assert.deepEqual(options.thresholds['agent_response_duration{scenario:agent-billing}'], ['p(95)<20000']);
    assert.doesNotMatch(result.stdout, /null/, 'options k6 left unset are not printed');
  });

  it('a bad variable is one line and exit 2, as for a run', async () => {
    const result = await runCli(['run', 'journey', '--print-options', '--', '-e', 'SLA_RUNS_RATE=abc']);
    assert.equal(result.code, preflightExitCode, result.stdout + result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /bad configuration: SLA_RUNS_RATE="abc" must be a share/);
  });
});
