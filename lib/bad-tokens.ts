import encoding from 'k6/encoding';

/**
 * Tokens a backend must refuse, made from a real one without its key: the payload re-signed
 * by nobody (plan changed, signature kept) and the same payload with `alg: none`.
 */
export function forgedTokens(valid: string): { tampered: string; algNone: string } {
  const [header, payload, signature] = valid.split('.');
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(encoding.b64decode(payload ?? '', 'rawurl', 's')) as Record<string, unknown>;
  } catch {
    claims = {};
  }
  const forged = encoding.b64encode(JSON.stringify({ ...claims, plan: claims.plan === 'enterprise' ? 'free' : 'enterprise' }), 'rawurl');
  const none = encoding.b64encode(JSON.stringify({ alg: 'none', typ: 'JWT' }), 'rawurl');
  return { tampered: `${header}.${forged}.${signature}`, algNone: `${none}.${payload}.` };
}
