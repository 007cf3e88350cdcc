// auth-websocket: signup → login → JWT → authenticated handshake, in both token forms.
// Missing, tampered, alg:none and expired tokens are refused by the backend; a refresh in the
// middle of a session keeps it working; reconnecting with the same token keeps the thread.
import { check } from 'k6';
import { AgentSession } from '../lib/agent-session.ts';
import { forgedTokens } from '../lib/bad-tokens.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { openUserSession } from '../lib/open-session.ts';
import { expectHandshakeRefused, expectHttpRefused, expectRefreshRefused } from '../lib/refusals.ts';
import { unlessFailed } from '../lib/run-outcome.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { vuUser } from '../lib/vu-user.ts';
import { wait, within } from '../lib/wait.ts';
import type { User } from '../lib/auth.ts';

const config = loadConfig();
const plan = testPlan(config, 'auth-websocket', ['auth', 'agent', 'sequence', 'runs', 'refusals', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, 'auth-websocket', plan.rows);
const CLOSE_TOKEN_EXPIRED = 4401;

export function setup(): void {
  requireHealthy(config);
}

async function bothTokenForms(user: User): Promise<void> {
  for (const tokenMode of ['header', 'subprotocol'] as const) {
    const session = await openUserSession(user, tokenMode);
    if (!session) continue;
    await unlessFailed(session.run({ content: config.agentMessage }));
    await session.close();
  }
}

async function forgedTokensRefused(user: User): Promise<void> {
  const forged = forgedTokens(user.accessToken());
  const cases: Array<[string, string | undefined]> = [['missing', undefined], ['tampered', forged.tampered], ['alg:none', forged.algNone]];
  for (const [what, token] of cases) {
    expectHttpRefused(config, token, what);
    await expectHandshakeRefused(config, token, what, config.tokenMode, user.plan);
  }
}

/** Refresh while a session is open; with short-lived tokens, also outlive the old one. */
async function refreshMidSession(user: User): Promise<void> {
  user.refresh();
  const session = await openUserSession(user);
  if (!session) return;
  const first = await unlessFailed(session.run({ content: config.agentMessage }));
  const old = user.refresh();
  expectRefreshRefused(config, old.refresh);
  const second = first && (await unlessFailed(session.run({ content: config.agentMessage, threadId: first.threadId })));
  check(second, { 'the session keeps working after a token refresh': (r) => r !== undefined }, { plan: user.plan });
  if (old.lifetimeMs > config.expiryWaitMaxMs) {
    await session.close();
    return;
  }
  const code = await within(session.closed, old.expiresAtMs - Date.now() + 3000, -1);
  check(code, { 'the backend closes a session with 4401 when its token expires': (c) => c === CLOSE_TOKEN_EXPIRED });
  if (code === -1) await session.close();
  await wait(old.expiresAtMs + 1100 - Date.now());
  expectHttpRefused(config, old.access, 'expired');
  await expectHandshakeRefused(config, old.access, 'expired', config.tokenMode, user.plan);
}

async function reconnectKeepsThread(user: User): Promise<void> {
  const token = user.accessToken();
  const first = await unlessFailed(AgentSession.open(config, token, { plan: user.plan }));
  const run = first && (await unlessFailed(first.run({ content: config.agentMessage })));
  await first?.close();
  if (!run) return;
  const again = await unlessFailed(AgentSession.open(config, token, { plan: user.plan }));
  const next = again && (await unlessFailed(again.run({ content: config.agentMessage, threadId: run.threadId })));
  await again?.close();
  check(next, { 'reconnecting with the same token keeps the thread': (r) => r?.threadId === run.threadId }, { plan: user.plan });
}

export default async function (): Promise<void> {
  const user = vuUser(config);
  await bothTokenForms(user);
  await forgedTokensRefused(user);
  await refreshMidSession(user);
  await reconnectKeepsThread(user);
}
