import { check } from 'k6';
import type { Plan, SignupResponse, TokenResponse } from './protocol/index.ts';
import type { Config } from './config.ts';
import { bodyOf, getJson, postJson } from './http.ts';
import { authDuration, signupDuration } from './metrics.ts';

/** A user's secrets live only here and in memory; nothing in lib prints them. */
export interface Credentials {
  email: string;
  password: string;
  plan: Plan;
}

export interface Tokens {
  access: string;
  refresh: string;
  expiresAtMs: number;
  lifetimeMs: number;
}

const randomText = (length: number): string => {
  let text = '';
  while (text.length < length) text += Math.random().toString(36).slice(2);
  return text.slice(0, length);
};

export function newCredentials(plan: Plan): Credentials {
  return { email: `agent-sla-${Date.now().toString(36)}-${randomText(10)}@load.test`, password: `pw-${randomText(20)}`, plan };
}

function tokensFrom(body: TokenResponse | undefined, startedAt: number): Tokens | undefined {
  if (!body || typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') return undefined;
  const lifetimeMs = (Number(body.expires_in) || 0) * 1000;
  return { access: body.access_token, refresh: body.refresh_token, expiresAtMs: startedAt + lifetimeMs, lifetimeMs };
}

/** POST signup; true when the backend created the user. */
export function signUp(config: Config, credentials: Credentials): boolean {
  const tags = { plan: credentials.plan };
  const response = postJson(config, config.paths.signup, credentials, { name: `POST ${config.paths.signup}` }, tags);
  const created = bodyOf<SignupResponse>(response);
  return check(response, { 'signup answers 201 with the plan': (r) => r.status === 201 && created?.plan === credentials.plan }, tags);
}

/** POST login, timed as auth_duration; undefined when refused. */
export function logIn(config: Config, credentials: Credentials): Tokens | undefined {
  const tags = { plan: credentials.plan };
  const startedAt = Date.now();
  const response = postJson(config, config.paths.login, { email: credentials.email, password: credentials.password }, { name: `POST ${config.paths.login}` }, tags);
  const tokens = response.status === 200 ? tokensFrom(bodyOf<TokenResponse>(response), startedAt) : undefined;
  if (check(response, { 'login answers 200 with tokens': () => tokens !== undefined }, tags)) {
    authDuration.add(Date.now() - startedAt, { ...tags, name: `POST ${config.paths.login}` });
  }
  return tokens;
}

/** POST refresh; undefined when refused (a refresh token works once). */
export function refreshTokens(config: Config, tokens: Tokens, plan: Plan): Tokens | undefined {
  const startedAt = Date.now();
  const response = postJson(config, config.paths.refresh, { refresh_token: tokens.refresh }, { name: `POST ${config.paths.refresh}` }, { plan });
  return response.status === 200 ? tokensFrom(bodyOf<TokenResponse>(response), startedAt) : undefined;
}

/** A signed-up, logged-in user whose access token is refreshed before it expires. */
export class User {
  constructor(
    readonly config: Config,
    readonly credentials: Credentials,
    private tokens: Tokens,
  ) {}

  get plan(): Plan {
    return this.credentials.plan;
  }

  /** Milliseconds the current access token has left. */
  tokenLifeLeftMs(): number {
    return this.tokens.expiresAtMs - Date.now();
  }

  get tokenLifetimeMs(): number {
    return this.tokens.lifetimeMs;
  }

  /** A valid access token: reused while it has more than min(60 s, a quarter of its life) left. */
  accessToken(): string {
    const margin = Math.min(60_000, this.tokens.lifetimeMs / 4);
    if (this.tokenLifeLeftMs() <= margin) this.refresh();
    return this.tokens.access;
  }

  /** Rotates the tokens; falls back to a fresh login when the refresh token is refused. Returns the old pair. */
  refresh(): Tokens {
    const old = this.tokens;
    const next = refreshTokens(this.config, old, this.plan) ?? logIn(this.config, this.credentials);
    if (!next) throw new Error(`could not renew the access token of a ${this.plan} user`);
    this.tokens = next;
    return old;
  }
}

/** Signup plus first login, timed together as signup_duration (PROTOCOL.md's signup SLA). */
export function newUser(config: Config, plan: Plan): User | undefined {
  const credentials = newCredentials(plan);
  const startedAt = Date.now();
  if (!signUp(config, credentials)) return undefined;
  const tokens = logIn(config, credentials);
  if (!tokens) return undefined;
  signupDuration.add(Date.now() - startedAt, { plan });
  return new User(config, credentials, tokens);
}

/** GET me with the token; the status, for refusal checks. */
export function meStatus(config: Config, token: string | undefined, expect?: number[]): number {
  const options = { name: `GET ${config.paths.me}`, ...(token !== undefined ? { token } : {}), ...(expect ? { expect } : {}) };
  return getJson(config, config.paths.me, options).status;
}
