// orchestration: supervisor → triage → data → actions, handoffs in order with one context,
// the supervisor's completion within the orchestration SLA.
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { openUserSession } from '../lib/open-session.ts';
import { checkHandoffs } from '../lib/run-checks.ts';
import { unlessFailed } from '../lib/run-outcome.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { vuUser } from '../lib/vu-user.ts';

const config = loadConfig();
const plan = testPlan(config, 'orchestration', ['auth', 'orchestration', 'sequence', 'runs', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, 'orchestration', plan.rows);

export function setup(): void {
  requireHealthy(config);
}

export default async function (): Promise<void> {
  const user = vuUser(config);
  const session = await openUserSession(user);
  if (!session) return;
  const run = await unlessFailed(session.run({ content: config.agentMessage, mode: 'orchestration' }));
  await session.close();
  if (run) checkHandoffs(run, { plan: user.plan });
}
