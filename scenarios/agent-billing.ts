// agent-billing: users on paid plans run agents; each completed run has exactly one billing
// record, at the plan's price, even when the same request_id is sent again.
import { check } from 'k6';
import { vuUser } from '../lib/auth.ts';
import { reconcileBilling } from '../lib/billing.ts';
import { backOff } from '../lib/availability.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { recordPlanBounds } from '../lib/record-plan-bounds.ts';
import { openUserSession } from '../lib/session.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';

const config = loadConfig({ plans: 'pro:3,enterprise:1' });
const plan = testPlan(config, 'agent-billing', ['auth', 'agent', 'ttft', 'itl', 'sequence', 'runs', ...(config.billing ? (['billing'] as const) : []), 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, plan.name, plan.covers);

export async function setup(): Promise<void> {
  await requireHealthy(config);
  recordPlanBounds(config);
}

export default async function (): Promise<void> {
  await backOff(config);
  const user = await vuUser(config);
  const session = user && (await openUserSession(user));
  if (!user || !session) return;
  const run = await session.run({ content: config.agentMessage });
  // The same request_id again: the backend replays the first run and must not bill it twice.
  const replay = run && config.billing ? await session.run({ content: config.agentMessage, requestId: run.requestId }) : undefined;
  await session.close();
  if (!run || !config.billing) return;
  check(replay, { 'a repeated request_id replays the same run': (r) => r?.runId === run.runId }, { plan: user.plan });
  const problem = await reconcileBilling(user, run);
  if (problem !== '') console.warn(`billing not reconciled for a ${user.plan} run: ${problem}`);
}
