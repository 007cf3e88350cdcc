// orchestration: a supervisor hands the work to nested agents (supervisor → triage → data → actions
// in agent-sla, where the validator checks the handoffs and their one context), and the supervisor's
// completion comes within the orchestration SLA. Measured only in dialects whose agents nest.
import { vuUser } from '../lib/auth.ts';
import { backOff } from '../lib/availability.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { recordPlanBounds } from '../lib/record-plan-bounds.ts';
import { openUserSession } from '../lib/session.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';

const config = loadConfig();
const plan = testPlan(config, 'orchestration', [...(config.dialect.nestedAgents ? (['orchestration'] as const) : []), 'auth', 'sequence', 'runs', 'responses']);
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
  await session.run({ content: config.agentMessage, mode: config.dialect.nestedAgents ? 'orchestration' : 'single' });
  await session.close();
}
