// journey: the whole chain in one iteration, as the demo runs it:
// new user → login → JWT → authenticated WebSocket → agent run → billing for that run.
import { check } from 'k6';
import { iterationUser } from '../lib/auth.ts';
import { reconcileBilling, tokenOf } from '../lib/billing.ts';
import { backOff } from '../lib/availability.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { recordPlanBounds } from '../lib/record-plan-bounds.ts';
import { getJson } from '../lib/http.ts';
import { checkLifecycle } from '../lib/run-record.ts';
import { openUserSession } from '../lib/session.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';

const config = loadConfig();
const plan = testPlan(config, 'journey', ['signup', 'auth', 'agent', 'ttft', 'itl', 'sequence', 'runs', ...(config.billing ? (['billing'] as const) : []), 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, plan.name, plan.covers);

export async function setup(): Promise<void> {
  await requireHealthy(config);
  recordPlanBounds(config);
}

export default async function (): Promise<void> {
  await backOff(config);
  const user = await iterationUser(config);
  if (!user) return;
  const session = await openUserSession(user);
  if (!session) return;
  const run = await session.run({ content: config.agentMessage });
  await session.close();
  if (!run) return;
  checkLifecycle(config.dialect, run.events, { plan: user.plan });
  if (!config.billing) return;
  await reconcileBilling(user, run);
  if (config.authMode !== 'signup') return; // an existing user has older runs on its summary
  const summary = await getJson(config, config.paths.billingSummary, { name: `GET ${config.paths.billingSummary}`, ...(await tokenOf(user)) }, { plan: user.plan });
  check(summary, { 'billing summary counts the run on the plan': (r) => r.status === 200 && r.json('runs') === 1 && r.json('plan') === user.plan }, { plan: user.plan });
}
