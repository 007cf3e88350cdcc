// agent-billing: users on paid plans run agents; each completed run has exactly one billing
// record, at the plan's price, even when the same request_id is sent again.
import { check } from 'k6';
import { reconcileBilling } from '../lib/billing.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { openUserSession } from '../lib/open-session.ts';
import { unlessFailed } from '../lib/run-outcome.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { vuUser } from '../lib/vu-user.ts';

const config = loadConfig({ plans: 'pro:3,enterprise:1' });
const plan = testPlan(config, 'agent-billing', ['auth', 'agent', 'sequence', 'runs', 'billing', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, 'agent-billing', plan.rows);

export function setup(): void {
  requireHealthy(config);
}

export default async function (): Promise<void> {
  const user = vuUser(config);
  const session = await openUserSession(user);
  if (!session) return;
  const run = await unlessFailed(session.run({ content: config.agentMessage }));
  // The same request_id again: the backend replays the first run and must not bill it twice.
  const replay = run && (await unlessFailed(session.run({ content: config.agentMessage, requestId: run.requestId })));
  await session.close();
  if (!run) return;
  check(replay, { 'a repeated request_id replays the same run': (r) => r?.runId === run.runId }, { plan: user.plan });
  const problem = reconcileBilling(user, run);
  if (problem !== '') console.warn(`billing not reconciled for a ${user.plan} run: ${problem}`);
}
