import type { IncomingMessage, ServerResponse } from "node:http";
import type { TargetContext } from "../context.ts";
import { authenticate, checkCredentials, createUser, issueTokens } from "../http/auth-routes.ts";
import { HttpError, readJsonObject, sendJson } from "../http/respond.ts";
import type { RouteHandler } from "./types.ts";

let registrations = 0;

/**
 * `POST /auth/register {email, password, name?, plan?}` → 201. Every other
 * answer already carries the tokens, as the spec allows, so a client is tested
 * on both. A missing or bad field is 422 here, not the contract's 400.
 */
async function register(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonObject(req, ctx.options.maxBodyBytes);
  const name = typeof body.name === "string" ? body.name.slice(0, 200) : undefined;
  let created;
  try {
    created = await createUser(ctx, body);
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) throw new HttpError(422, "validation_error", error.message);
    throw error;
  }
  const user = { id: created.user_id, email: created.email, plan: created.plan, ...(name !== undefined ? { name } : {}) };
  const withTokens = registrations++ % 2 === 1;
  sendJson(res, 201, withTokens ? { user, ...(await issueTokens(ctx, user.id, user.plan)) } : { user });
}

async function login(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const user = await checkCredentials(ctx, req);
  sendJson(res, 200, { ...(await issueTokens(ctx, user.id, user.plan)), user });
}

async function me(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const user = await authenticate(ctx, req);
  sendJson(res, 200, { id: user.user_id, ...user });
}

/** The auth of DIALECTS.md §1; the contract's /auth/signup and /auth/refresh keep working beside it. */
export const ACCOUNT_ROUTES: Readonly<Record<string, RouteHandler>> = {
  "POST /auth/register": register,
  "POST /auth/login": login,
  "GET /auth/me": me,
};
