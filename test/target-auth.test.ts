import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { getJson, newUser, postJson, spawnTarget, type SpawnedTarget, type TestUser } from './support/target.ts';
import { connect } from './support/target-socket.ts';

const SECRET = randomBytes(32).toString('hex');
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('target auth', { timeout: 120_000 }, () => {
  let target: SpawnedTarget;
  let user: TestUser;
  const bad: Record<string, string> = {};

  before(async () => {
    target = await spawnTarget({ env: { TARGET_JWT_SECRET: SECRET } });
    user = await newUser(target.url, 'pro');
    const now = Math.floor(Date.now() / 1000);
    bad.algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: user.userId, plan: 'pro', iat: now, exp: now + 600, jti: 'x' })}.`;
    bad.expired = await new SignJWT({ plan: 'pro' }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.userId)
      .setIssuedAt(now - 600).setExpirationTime(now - 60).setJti('e').sign(new TextEncoder().encode(SECRET));
    bad.wrongKey = await new SignJWT({ plan: 'pro' }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.userId)
      .setIssuedAt().setExpirationTime('10m').setJti('w').sign(randomBytes(32));
    const [header, , signature] = user.accessToken.split('.');
    bad.tampered = `${header}.${b64({ sub: user.userId, plan: 'enterprise', iat: now, exp: now + 600, jti: 't' })}.${signature}`;
  });
  after(() => target?.stop());

  it('signs up, logs in and answers /auth/me with the plan', async () => {
    const me = await getJson(`${target.url}/auth/me`, user.accessToken);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { user_id: user.userId, email: user.email, plan: 'pro' });
    const again = await postJson(`${target.url}/auth/signup`, { email: user.email, password: 'another-password' });
    assert.equal(again.status, 409);
    const wrong = await postJson(`${target.url}/auth/login`, { email: user.email, password: 'wrong-password' });
    assert.equal(wrong.status, 401);
    assert.ok(!JSON.stringify(wrong.body).includes('wrong-password'));
  });

  it('rotates refresh tokens: the old one stops working', async () => {
    const first = await postJson(`${target.url}/auth/refresh`, { refresh_token: user.refreshToken });
    assert.equal(first.status, 200);
    assert.equal(first.body.token_type, 'Bearer');
    assert.equal((await getJson(`${target.url}/auth/me`, first.body.access_token)).status, 200);
    const reused = await postJson(`${target.url}/auth/refresh`, { refresh_token: user.refreshToken });
    assert.equal(reused.status, 401);
    const next = await postJson(`${target.url}/auth/refresh`, { refresh_token: first.body.refresh_token });
    assert.equal(next.status, 200);
  });

  for (const kind of ['algNone', 'expired', 'wrongKey', 'tampered']) {
    it(`refuses a ${kind} token on /auth/me and on the WebSocket handshake, in both forms`, async () => {
      const me = await getJson(`${target.url}/auth/me`, bad[kind]);
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'unauthorized');
      assert.deepEqual(await connect(target.wsUrl, bad[kind], 'header'), { ok: false, status: 401 });
      assert.deepEqual(await connect(target.wsUrl, bad[kind], 'subprotocol'), { ok: false, status: 401 });
    });
  }

  it('refuses a handshake with no token, and still accepts a good one', async () => {
    assert.deepEqual(await connect(target.wsUrl, undefined), { ok: false, status: 401 });
    const good = await connect(target.wsUrl, user.accessToken);
    assert.equal(good.ok, true);
    if (good.ok) good.socket.close();
  });

  it('closes a session with 4401 when its token expires, and an idle one with 4408', async () => {
    const shortLived = await spawnTarget({ env: { TARGET_ACCESS_TTL_S: '1', TARGET_IDLE_TIMEOUT_MS: '60000' } });
    const idle = await spawnTarget({ env: { TARGET_IDLE_TIMEOUT_MS: '300' } });
    try {
      const a = await newUser(shortLived.url);
      const expiring = await connect(shortLived.wsUrl, a.accessToken);
      assert.ok(expiring.ok);
      if (expiring.ok) assert.equal((await expiring.socket.closed).code, 4401);
      const b = await newUser(idle.url);
      const quiet = await connect(idle.wsUrl, b.accessToken);
      assert.ok(quiet.ok);
      if (quiet.ok) assert.equal((await quiet.socket.closed).code, 4408);
    } finally {
      await shortLived.stop();
      await idle.stop();
    }
  });
});

describe('target auth with RS256', { timeout: 60_000 }, () => {
  it('publishes a JWKS and accepts its own RS256 tokens', async () => {
    const target = await spawnTarget({ env: { TARGET_JWT_ALG: 'RS256' } });
    try {
      const jwks = await getJson(`${target.url}/.well-known/jwks.json`);
      assert.equal(jwks.status, 200);
      assert.equal(jwks.body.keys[0].kty, 'RSA');
      const user = await newUser(target.url);
      assert.equal((await getJson(`${target.url}/auth/me`, user.accessToken)).status, 200);
      const [, payload, signature] = user.accessToken.split('.');
      const hsForged = `${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}.${signature}`;
      assert.equal((await getJson(`${target.url}/auth/me`, hsForged)).status, 401);
    } finally {
      await target.stop();
    }
  });
});
