import { check } from 'k6';
import exec from 'k6/execution';
import { PLANS, type Plan } from './protocol/index.ts';
import type { Config, PlanMix } from './config.ts';
import type { Frame, IssuedTokens } from './dialects/dialect.ts';
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
  refresh: string | undefined;
  /** Infinity when the backend did not say how long the token lives. */
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

function tokensFrom(issued: IssuedTokens | undefined, startedAt: number): Tokens | undefined {
  if (!issued) return undefined;
  const lifetimeMs = issued.expiresInS === undefined ? Infinity : issued.expiresInS * 1000;
  return { access: issued.access, refresh: issued.refresh, expiresAtMs: startedAt + lifetimeMs, lifetimeMs };
}

/** POST signup in the dialect's form; the tokens when the answer already logs the user in, else true/false. */
async function signUp(config: Config, credentials: Credentials): Promise<Tokens | boolean> {
  const tags = { plan: credentials.plan };
  const dialect = config.dialect;
  const startedAt = Date.now();
  const response = await postJson(config, config.paths.signup, dialect.signupBody(credentials), { name: `POST ${config.paths.signup}` }, tags);
  const body = bodyOf<Frame>(response);
  const accepted = check(response, { [dialect.signupCheck]: (r) => dialect.signupAccepted(r.status, body, credentials.plan) }, tags);
  return accepted && (tokensFrom(dialect.tokensFrom(body), startedAt) ?? true);
}

/** POST login, timed as auth_duration; undefined when refused. */
export async function logIn(config: Config, credentials: Credentials): Promise<Tokens | undefined> {
  const tags = { plan: credentials.plan };
  const startedAt = Date.now();
  const response = await postJson(config, config.paths.login, { email: credentials.email, password: credentials.password }, { name: `POST ${config.paths.login}` }, tags);
  const tokens = response.status === 200 ? tokensFrom(config.dialect.tokensFrom(bodyOf<Frame>(response)), startedAt) : undefined;
  if (check(response, { 'login answers 200 with tokens': () => tokens !== undefined }, tags)) {
    authDuration.add(Date.now() - startedAt, { ...tags, name: `POST ${config.paths.login}` });
  }
  return tokens;
}

/** POST refresh; undefined when refused (a refresh token works once). */
async function refreshTokens(config: Config, tokens: Tokens, plan: Plan): Promise<Tokens | undefined> {
  if (tokens.refresh === undefined) return undefined;
  const startedAt = Date.now();
  const response = await postJson(config, config.paths.refresh, { refresh_token: tokens.refresh }, { name: `POST ${config.paths.refresh}` }, { plan });
  return response.status === 200 ? tokensFrom(config.dialect.tokensFrom(bodyOf<Frame>(response)), startedAt) : undefined;
}

/** Who a VU is to the backend: a plan (for the per-plan breakdowns) and, unless AUTH_MODE=none, a token. */
export interface SessionUser {
  readonly config: Config;
  readonly plan: Plan;
  accessToken(): Promise<string | undefined>;
}

/** A logged-in user whose access token is refreshed before it expires. */
export class User implements SessionUser {
  constructor(
    readonly config: Config,
    readonly credentials: Credentials,
    private tokens: Tokens,
  ) {}

  get plan(): Plan {
    return this.credentials.plan;
  }

  /** A valid access token: reused while it has more than min(60 s, a quarter of its life) left. */
  async accessToken(): Promise<string> {
    const margin = Math.min(60_000, this.tokens.lifetimeMs / 4);
    if (this.tokens.expiresAtMs - Date.now() <= margin) await this.refresh();
    return this.tokens.access;
  }

  /** Rotates the tokens; falls back to a fresh login when there is no refresh token or it is refused. Returns the old pair. */
  async refresh(): Promise<Tokens> {
    const old = this.tokens;
    const next = (await refreshTokens(this.config, old, this.plan)) ?? (await logIn(this.config, this.credentials));
    if (!next) throw new Error(`could not renew the access token of a ${this.plan} user`);
    this.tokens = next;
    return old;
  }
}

/** A VU with a fixed token (AUTH_MODE=token) or none (AUTH_MODE=none). */
class StaticUser implements SessionUser {
  constructor(
    readonly config: Config,
    readonly plan: Plan,
    private readonly token: string | undefined,
  ) {}
  async accessToken(): Promise<string | undefined> {
    return this.token;
  }
}

/** Signup plus first login, timed together as signup_duration (PROTOCOL.md's signup SLA). */
export async function newUser(config: Config, plan: Plan): Promise<User | undefined> {
  const credentials = newCredentials(plan);
  const startedAt = Date.now();
  const signedUp = await signUp(config, credentials);
  if (signedUp === false) return undefined;
  const tokens = signedUp === true ? await logIn(config, credentials) : signedUp;
  if (!tokens) return undefined;
  signupDuration.add(Date.now() - startedAt, { plan });
  return new User(config, credentials, tokens);
}

/** The plan of the n-th user (0-based): any sum(weights) consecutive users follow the mix exactly. */
export function planFor(mix: PlanMix, n: number): Plan {
  let slot = n % mix.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [plan, weight] of mix) {
    if (slot < weight) return plan;
    slot -= weight;
  }
  return mix[0]![0];
}

/** The plan of this iteration: iterations across all VUs follow the PLANS mix exactly. */
export function iterationPlan(config: Config): Plan {
  return planFor(config.plans, exec.scenario.iterationInTest);
}

/** The user AUTH_MODE gives this VU: an existing user logged in, a token round-robin by VU, or no token. */
async function configuredUser(config: Config, plan: Plan): Promise<SessionUser | undefined> {
  const vu = exec.vu.idInTest - 1;
  switch (config.authMode) {
    case 'login': {
      const record = config.users[vu % config.users.length]!;
      const ownPlan = PLANS.includes(record.plan as Plan) ? (record.plan as Plan) : plan;
      const credentials = { email: record.email, password: record.password, plan: ownPlan };
      const tokens = await logIn(config, credentials);
      return tokens && new User(config, credentials, tokens);
    }
    case 'token':
      return new StaticUser(config, plan, config.tokens[vu % config.tokens.length]);
    case 'none':
      return new StaticUser(config, plan, undefined);
    case 'signup':
      return newUser(config, plan);
  }
}

const users: Partial<Record<Plan, SessionUser>> = {};

let warned = false;

/**
 * This VU's user on the iteration's plan, made the first time and kept for later iterations, so
 * tokens are reused (and refreshed) rather than logged in again. Users are never shared between
 * VUs, because refresh tokens rotate and would refuse each other. Undefined when the backend
 * refused or could not be reached: the failed checks and agent_errors count it, and the iteration ends.
 */
export async function vuUser(config: Config): Promise<SessionUser | undefined> {
  const plan = iterationPlan(config);
  const known = users[plan];
  if (known) return known;
  const user = await configuredUser(config, plan);
  if (!user && !warned) {
    warned = true;
    console.warn(`VU ${exec.vu.idInTest}: could not ${config.authMode === 'login' ? 'log in' : 'sign up and log in'} a ${plan} user`);
  }
  if (user) users[plan] = user;
  return user;
}

/** A new user each iteration where AUTH_MODE=signup (journey, signup), else this VU's user. */
export function iterationUser(config: Config): Promise<SessionUser | undefined> {
  return config.authMode === 'signup' ? newUser(config, iterationPlan(config)) : vuUser(config);
}

/** GET me with the token; the status, for refusal checks. */
export async function meStatus(config: Config, token: string | undefined, expect?: number[]): Promise<number> {
  const options = { name: `GET ${config.paths.me}`, ...(token !== undefined ? { token } : {}), ...(expect ? { expect } : {}) };
  return (await getJson(config, config.paths.me, options)).status;
}
