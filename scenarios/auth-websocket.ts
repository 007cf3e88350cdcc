// auth-websocket: signup → login → JWT → authenticated handshake, in both token forms.
// Missing, tampered, alg:none and expired tokens are refused by the backend; a refresh in the
// middle of a session keeps it working; reconnecting with the same token keeps the thread.
import { check } from 'k6';
import { forgedTokens } from '../lib/bad-tokens.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { recordPlanBounds } from '../lib/record-plan-bounds.ts';
import { expectHandshakeRefused, expectHttpRefused, expectRefreshRefused } from '../lib/refusals.ts';
import { AgentSession, openUserSession } from '../lib/session.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { wait, within } from '../lib/wait.ts';
import { User, vuUser } from '../lib/auth.ts';

const config = loadConfig();
const plan = testPlan(config, 'auth-websocket', ['auth', 'agent', 'sequence', 'runs', 'refusals', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, plan.name, plan.covers);
const CLOSE_TOKEN_EXPIRED = 4401;

export async function setup(): Promise<void> {
  await requireHealthy(config);
  recordPlanBounds(config);
}

async function bothTokenForms(user: User): Promise<void> {
  for (const tokenMode of ['header', 'subprotocol'] as const) {
    const session = await openUserSession(user, tokenMode);
    if (!session) continue;
    await session.run({ content: config.agentMessage });
    await session.close();
  }
}

async function forgedTokensRefused(user: User): Promise<void> {
  const forged = forgedTokens(await user.accessToken());
  const cases: Array<[string, string | undefined]> = [['missing', undefined], ['tampered', forged.tampered], ['alg:none', forged.algNone]];
  for (const [what, token] of cases) {
    await expectHttpRefused(config, token, what);
    await expectHandshakeRefused(config, token, what, config.tokenMode, user.plan);
  }
}

/** Refresh while a session is open; with short-lived tokens, also outlive the old one. */
async function refreshMidSession(user: User): Promise<void> {
  await user.refresh();
  const session = await openUserSession(user);
  if (!session) return;
  const first = await session.run({ content: config.agentMessage });
  const old = await user.refresh();
  // A backend that issues no refresh token is logged in again instead; there is nothing to refuse.
  if (old.refresh !== undefined) await expectRefreshRefused(config, old.refresh);
  const second = first && (await session.run({ content: config.agentMessage, threadId: first.threadId }));
  check(second, { 'the session keeps working after a token refresh': (r) => r !== undefined }, { plan: user.plan });
  if (old.lifetimeMs > config.expiryWaitMaxMs) {
    await session.close();
    return;
  }
  const code = await within(session.closed, old.expiresAtMs - Date.now() + 3000, -1);
  check(code, { 'the backend closes a session with 4401 when its token expires': (c) => c === CLOSE_TOKEN_EXPIRED });
  if (code === -1) await session.close();
  await wait(old.expiresAtMs + 1100 - Date.now());
  await expectHttpRefused(config, old.access, 'expired');
  await expectHandshakeRefused(config, old.access, 'expired', config.tokenMode, user.plan);
}

async function reconnectKeepsThread(user: User): Promise<void> {
  const token = await user.accessToken();
  const { session: first } = await AgentSession.open(config, token, user.plan);
  const run = first && (await first.run({ content: config.agentMessage }));
  await first?.close();
  if (!run) return;
  const { session: again } = await AgentSession.open(config, token, user.plan);
  const next = again && (await again.run({ content: config.agentMessage, threadId: run.threadId }));
  await again?.close();
  check(next, { 'reconnecting with the same token keeps the thread': (r) => r?.threadId === run.threadId }, { plan: user.plan });
}

// Refresh, expiry and forged tokens need users that log in.
if (config.authMode === 'token' || config.authMode === 'none') throw 'bad configuration: auth-websocket needs AUTH_MODE=signup or login';

export default async function (): Promise<void> {
  const user = (await vuUser(config)) as User | undefined;
  if (!user) return;
  await bothTokenForms(user);
  await forgedTokensRefused(user);
  await refreshMidSession(user);
  await reconnectKeepsThread(user);
}
