import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runScenario, tail } from './support/sla-run.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

/**
 * agent-events with THINK_TIME_MS holds each session open between runs, as the scale benchmark does. Tokens here live
 * 8 s, so the target closes every session with 4401 while its user thinks; the iteration must end there and the next
 * one reconnect with a fresh token, rather than try a run on a closed socket.
 */
describe('SLA suite: think time between runs on one session', () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget({ env: { TARGET_ACCESS_TTL_S: '8' } });
  });
  after(() => target?.stop());

  it('a session closed by token expiry while the user thinks ends the iteration cleanly; the next one reconnects', async () => {
    const runsPerSession = 10;
    const run = await runScenario('agent-events', target.url, {
      VUS: '1', ITERATIONS: '2', RUNS_PER_SESSION: String(runsPerSession), THINK_TIME_MS: '5000',
    });
    assert.equal(run.code, 0, tail(run));
    assert.doesNotMatch(run.stderr, /session is not open|agent run failed/, 'no run was tried on a closed session');
    const runs = run.json?.slas.find((sla) => sla.id === 'agent')?.count ?? 0;
    // Both sessions ran, and both were cut short by the expiry (an 8 s token, 5 s between runs: about
    // 2 s of margin on either side of the expiry, so a slow machine does not move it into a run).
    assert.ok(runs >= 2 && runs < 2 * runsPerSession, `agent runs: ${runs}`);
    assert.equal(run.json?.slas.find((sla) => sla.id === 'runs')?.rate, 1, 'every run that was sent completed');
  });
});
