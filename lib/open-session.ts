import { check } from 'k6';
import { AgentSession } from './agent-session.ts';
import type { User } from './auth.ts';
import type { TokenMode } from './config.ts';
import { unlessFailed } from './run-outcome.ts';

/** The user's session with a valid token; a refusal is a failed check (and undefined), never silence. */
export async function openUserSession(user: User, tokenMode: TokenMode = user.config.tokenMode): Promise<AgentSession | undefined> {
  const session = await unlessFailed(AgentSession.open(user.config, user.accessToken(), { plan: user.plan, tokenMode }));
  check(session, { [`a valid token opens a session (${tokenMode})`]: (s) => s !== undefined }, { plan: user.plan });
  return session;
}
