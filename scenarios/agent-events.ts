// agent-events: real WebSocket sessions with real tokens, each running agents one after the other.
// Every run must stream the whole lifecycle, well-formed and in order, within the agent SLA.
import { vuUser } from '../lib/auth.ts';
import { backOff } from '../lib/availability.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { recordPlanBounds } from '../lib/record-plan-bounds.ts';
import { checkLifecycle } from '../lib/run-record.ts';
import { openUserSession } from '../lib/session.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { waitUnless } from '../lib/wait.ts';

const config = loadConfig();
const plan = testPlan(config, 'agent-events', ['auth', 'agent', 'ttft', 'itl', 'sequence', 'runs', 'responses']);
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
  let threadId: string | undefined;
  for (let i = 0; i < config.runsPerSession; i++) {
    // The server may end the session while the user thinks (4401 once the token expires, 4408 when idle): stop
    // here, and the next iteration reconnects with a fresh token instead of finding the socket closed a minute later.
    if (i > 0 && config.thinkTimeMs > 0 && (await waitUnless(config.thinkTimeMs, session.closed))) break;
    const run = await session.run({ content: config.agentMessage, ...(threadId ? { threadId } : {}) });
    if (!run) break;
    checkLifecycle(config.dialect, run.events, { plan: user.plan });
    threadId = run.threadId;
  }
  await session.close();
}
