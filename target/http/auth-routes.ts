import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MeResponse, Plan, SignupResponse, TokenResponse } from "../../lib/protocol/index.ts";
import { sleep, type TargetContext } from "../context.ts";
import { hashPassword, checkPassword } from "../auth/passwords.ts";
import { bearer, hashRefreshToken, newRefreshToken } from "../auth/tokens.ts";
import { HttpError, readJsonObject, requireString, sendJson } from "./respond.ts";

const REFRESH_TTL_S = 7 * 24 * 3600;
const PLANS = new Set<unknown>(["free", "pro", "enterprise"]);

interface UserRow { id: string; email: string; plan: Plan; password_hash: string }

function readEmail(body: Record<string, unknown>): string {
  const email = requireString(body, "email", 254, 3).toLowerCase();
  const at = email.indexOf("@");
  if (at < 1 || at === email.length - 1 || email.includes(" ")) throw new HttpError(400, "bad_request", "email is not an address");
  return email;
}

export async function issueTokens(ctx: TargetContext, userId: string, plan: Plan): Promise<TokenResponse> {
  const refresh = newRefreshToken();
  await ctx.db.query(
    "INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))",
    [refresh.hash, userId, REFRESH_TTL_S],
  );
  const access = await ctx.tokens.issue(userId, plan);
  return { access_token: access, refresh_token: refresh.token, token_type: "Bearer", expires_in: ctx.tokens.ttlS };
}

/** Validates a signup body and inserts the user; 400 for bad input, 409 when the email is taken. */
export async function createUser(ctx: TargetContext, body: Record<string, unknown>): Promise<SignupResponse> {
  if (ctx.faults.slowAuthMs > 0) await sleep(ctx.faults.slowAuthMs);
  const email = readEmail(body);
  const password = requireString(body, "password", 128, 8);
  const plan = body.plan ?? "free";
  if (!PLANS.has(plan)) throw new HttpError(400, "bad_request", "plan must be free, pro or enterprise");
  const hash = await hashPassword(password, ctx.options.bcryptCost);
  const id = randomUUID();
  const { rows } = await ctx.db.query<{ id: string }>(
    "INSERT INTO users (id, email, password_hash, plan) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id",
    [id, email, hash, plan],
  );
  if (rows.length === 0) throw new HttpError(409, "email_taken", "email is already registered");
  return { user_id: id, email, plan: plan as Plan };
}

export async function signup(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonObject(req, ctx.options.maxBodyBytes);
  sendJson(res, 201, await createUser(ctx, body));
}

/** The user whose email and password the body carries, or 401. */
export async function checkCredentials(ctx: TargetContext, req: IncomingMessage): Promise<{ id: string; email: string; plan: Plan }> {
  const body = await readJsonObject(req, ctx.options.maxBodyBytes);
  if (ctx.faults.slowAuthMs > 0) await sleep(ctx.faults.slowAuthMs);
  const email = readEmail(body);
  const password = requireString(body, "password", 128);
  const { rows } = await ctx.db.query<UserRow>("SELECT id, email, plan, password_hash FROM users WHERE email = $1", [email]);
  const user = rows[0];
  if (!user || !(await checkPassword(password, user.password_hash))) {
    throw new HttpError(401, "invalid_credentials", "email or password is wrong");
  }
  return { id: user.id, email: user.email, plan: user.plan };
}

export async function login(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const user = await checkCredentials(ctx, req);
  sendJson(res, 200, await issueTokens(ctx, user.id, user.plan));
}

export async function refresh(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonObject(req, ctx.options.maxBodyBytes);
  const token = requireString(body, "refresh_token", 512);
  // Rotation: the UPDATE both checks and revokes, so a token works once even under concurrent use.
  const { rows } = await ctx.db.query<{ user_id: string; plan: Plan }>(
    `UPDATE refresh_tokens r SET revoked = true FROM users u
     WHERE r.token_hash = $1 AND NOT r.revoked AND r.expires_at > now() AND u.id = r.user_id
     RETURNING r.user_id, u.plan`,
    [hashRefreshToken(token)],
  );
  const row = rows[0];
  if (!row) throw new HttpError(401, "invalid_refresh_token", "refresh token is invalid, expired or already used");
  sendJson(res, 200, await issueTokens(ctx, row.user_id, row.plan));
}

/** The caller's user row, or 401. */
export async function authenticate(ctx: TargetContext, req: IncomingMessage): Promise<MeResponse> {
  const claims = await ctx.tokens.verify(bearer(req.headers.authorization));
  if (!claims) throw new HttpError(401, "unauthorized", "missing or invalid access token");
  const { rows } = await ctx.db.query<{ id: string; email: string; plan: Plan }>(
    "SELECT id, email, plan FROM users WHERE id = $1",
    [claims.sub],
  );
  const user = rows[0];
  if (!user) throw new HttpError(401, "unauthorized", "user no longer exists");
  return { user_id: user.id, email: user.email, plan: user.plan };
}

export async function me(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  sendJson(res, 200, await authenticate(ctx, req));
}
