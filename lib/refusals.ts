import { check } from 'k6';
import type { Config, TokenMode } from './config.ts';
import { meStatus } from './auth.ts';
import { postJson } from './http.ts';
import { authRefusalOk } from './metrics.ts';
import { AgentSession } from './session.ts';
import type { Plan } from './protocol/index.ts';

/**
 * Negative auth checks. Each passes only when the backend itself refused: a handshake that
 * opens a session, or an HTTP answer other than 401, counts as a failure in auth_refusal_ok.
 */
export async function expectHandshakeRefused(config: Config, token: string | undefined, what: string, tokenMode: TokenMode, plan: Plan): Promise<boolean> {
  const { session } = await AgentSession.open(config, token, plan, tokenMode);
  await session?.close();
  const refused = session === undefined;
  authRefusalOk.add(refused);
  return check(refused, { [`${what} token refused at the WebSocket handshake (${tokenMode})`]: (r) => r });
}

export async function expectHttpRefused(config: Config, token: string | undefined, what: string): Promise<boolean> {
  const status = await meStatus(config, token, [401]);
  authRefusalOk.add(status === 401);
  return check(status, { [`${what} token refused by GET me with 401`]: (s) => s === 401 });
}

/** A refresh token works once: after rotation the old one must be refused. */
export async function expectRefreshRefused(config: Config, refreshToken: string): Promise<boolean> {
  const response = await postJson(config, config.paths.refresh, { refresh_token: refreshToken }, { name: `POST ${config.paths.refresh}`, expect: [401] });
  authRefusalOk.add(response.status === 401);
  return check(response, { 'a used refresh token is refused with 401': (r) => r.status === 401 });
}
