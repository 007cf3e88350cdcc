// journey: the whole chain in one iteration, as the demo runs it:
// new user → login → JWT → authenticated WebSocket → agent run → billing for that run.
import { check } from 'k6';
import { newUser } from '../lib/auth.ts';
import { reconcileBilling } from '../lib/billing.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { openUserSession } from '../lib/open-session.ts';
import { getJson } from '../lib/http.ts';
import { checkLifecycle } from '../lib/run-checks.ts';
import { unlessFailed } from '../lib/run-outcome.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { iterationPlan } from '../lib/vu-user.ts';

const config = loadConfig();
const plan = testPlan(config, 'journey', ['signup', 'auth', 'agent', 'sequence', 'runs', 'billing', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, 'journey', plan.rows);

export function setup(): void {
  requireHealthy(config);
}

export default async function (): Promise<void> {
  const user = newUser(config, iterationPlan(config));
  if (!user) return;
  const session = await openUserSession(user);
  if (!session) return;
  const run = await unlessFailed(session.run({ content: config.agentMessage }));
  await session.close();
  if (!run) return;
  checkLifecycle(run, { plan: user.plan });
  reconcileBilling(user, run);
  const summary = getJson(config, config.paths.billingSummary, { name: `GET ${config.paths.billingSummary}`, token: user.accessToken() }, { plan: user.plan });
  check(summary, { 'billing summary counts the run on the plan': (r) => r.status === 200 && r.json('runs') === 1 && r.json('plan') === user.plan }, { plan: user.plan });
}
