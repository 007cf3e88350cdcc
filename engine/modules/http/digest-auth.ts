import { createHash, randomBytes } from 'node:crypto';

/** Credentials for params.auth 'digest', from the URL. */
export interface DigestCredentials {
  username: string;
  password: string;
}

/**
 * The Authorization header answering a `WWW-Authenticate: Digest …` challenge (RFC 7616: MD5, SHA-256, their -sess
 * variants, qop auth or none). Undefined when the challenge is not one this can answer.
 */
export function digestAuthorization(challenge: string, credentials: DigestCredentials, method: string, uri: string): string | undefined {
  if (!/^digest\s/i.test(challenge)) return undefined;
  const fields = parseChallenge(challenge.slice(7));
  const realm = fields.realm ?? '';
  const nonce = fields.nonce;
  if (nonce === undefined) return undefined;
  const algorithm = (fields.algorithm ?? 'MD5').toUpperCase();
  const hashName = algorithm.startsWith('SHA-256') ? 'sha256' : algorithm.startsWith('MD5') ? 'md5' : undefined;
  if (hashName === undefined) return undefined;
  const hash = (text: string): string => createHash(hashName).update(text).digest('hex');
  const qops = (fields.qop ?? '').split(',').map((qop) => qop.trim());
  const qop = qops.includes('auth') ? 'auth' : undefined;
  if (fields.qop !== undefined && qop === undefined) return undefined;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  let ha1 = hash(`${credentials.username}:${realm}:${credentials.password}`);
  if (algorithm.endsWith('-SESS')) ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = hash(`${method}:${uri}`);
  const response = qop ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`);
  let header = `Digest username="${credentials.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=${fields.algorithm ?? 'MD5'}`;
  if (qop) header += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  if (fields.opaque !== undefined) header += `, opaque="${fields.opaque}"`;
  return header;
}

function parseChallenge(text: string): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  const pattern = /([A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const match of text.matchAll(pattern)) fields[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? '';
  return fields;
}
