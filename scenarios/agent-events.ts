// agent-events: real WebSocket sessions with real tokens, each running agents one after the other.
// Every run must stream the whole lifecycle, well-formed and in order, within the agent SLA.
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { openUserSession } from '../lib/open-session.ts';
import { checkLifecycle } from '../lib/run-checks.ts';
import { unlessFailed } from '../lib/run-outcome.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { vuUser } from '../lib/vu-user.ts';
import { waitUnless } from '../lib/wait.ts';

const config = loadConfig();
const plan = testPlan(config, 'agent-events', ['auth', 'agent', 'sequence', 'runs', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, 'agent-events', plan.rows);

export function setup(): void {
  requireHealthy(config);
}

export default async function (): Promise<void> {
  const user = vuUser(config);
  const session = await openUserSession(user);
  if (!session) return;
  let threadId: string | undefined;
  for (let i = 0; i < config.runsPerSession; i++) {
    // The server may end the session while the user thinks (4401 once the token expires, 4408 when idle): stop
    // here, and the next iteration reconnects with a fresh token instead of finding the socket closed a minute later.
    if (i > 0 && config.thinkTimeMs > 0 && (await waitUnless(config.thinkTimeMs, session.closed))) break;
    const run = await unlessFailed(session.run({ content: config.agentMessage, ...(threadId ? { threadId } : {}) }));
    if (!run) break;
    checkLifecycle(run, { plan: user.plan });
    threadId = run.threadId;
  }
  await session.close();
}
