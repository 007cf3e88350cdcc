import { randomBytes, randomUUID, createHash } from "node:crypto";
import { SignJWT, jwtVerify, generateKeyPair, exportJWK, type JWK, type CryptoKey, type KeyObject } from "jose";
import type { Plan } from "../../lib/protocol/index.ts";

export interface AccessClaims {
  sub: string;
  plan: Plan;
  exp: number;
}

/** Issues and verifies access tokens; only the configured algorithm is accepted, so `alg: none` never is. */
export interface TokenService {
  readonly alg: "HS256" | "RS256";
  readonly ttlS: number;
  issue(userId: string, plan: Plan): Promise<string>;
  /** The claims, or undefined for a missing, expired, tampered, wrong-key or wrong-alg token. */
  verify(token: string | undefined): Promise<AccessClaims | undefined>;
  /** Public keys for RS256; undefined for HS256. */
  jwks(): { keys: JWK[] } | undefined;
}

export async function createTokenService(alg: "HS256" | "RS256", ttlS: number, secret?: string): Promise<TokenService> {
  let signKey: Uint8Array | CryptoKey | KeyObject;
  let verifyKey: Uint8Array | CryptoKey | KeyObject;
  let publicJwk: JWK | undefined;
  const kid = randomUUID();
  if (alg === "HS256") {
    signKey = verifyKey = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  } else {
    const pair = await generateKeyPair("RS256", { extractable: true });
    signKey = pair.privateKey;
    verifyKey = pair.publicKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" };
  }
  return {
    alg,
    ttlS,
    issue(userId, plan) {
      return new SignJWT({ plan })
        .setProtectedHeader({ alg, typ: "JWT", kid })
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(`${ttlS}s`)
        .setJti(randomUUID())
        .sign(signKey);
    },
    async verify(token) {
      if (!token) return undefined;
      try {
        const { payload } = await jwtVerify(token, verifyKey, { algorithms: [alg] });
        const plan = payload.plan;
        if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return undefined;
        if (plan !== "free" && plan !== "pro" && plan !== "enterprise") return undefined;
        return { sub: payload.sub, plan, exp: payload.exp };
      } catch {
        return undefined;
      }
    },
    jwks: () => (publicJwk ? { keys: [publicJwk] } : undefined),
  };
}

/** Opaque refresh token; only its hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function bearer(header: string | undefined): string | undefined {
  if (!header || !header.startsWith("Bearer ")) return undefined;
  const token = header.slice(7).trim();
  return token === "" ? undefined : token;
}
