import type { SharedArray as SharedArrayType } from 'k6/data';

declare function require(name: string): unknown;

// Required, not imported: only the login and token auth modes read files, so no other VU loads k6/data.
const { SharedArray } = require('k6/data') as { SharedArray: typeof SharedArrayType };

/** An existing user of the backend under test (AUTH_MODE=login). */
export interface UserRecord {
  email: string;
  password: string;
  plan?: string;
}

/** k6's init-context file reader; it throws when the file cannot be read. */
declare function open(path: string): string;

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

/** CSV with a header line naming email and password (plan optional), or a JSON array of {email, password, plan?}. */
export function parseUsers(text: string): UserRecord[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const list = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(list)) throw new CredentialsError('is not a JSON array');
    return list.map((entry, i) => {
      const record = entry as Partial<UserRecord> | null;
      if (typeof record?.email !== 'string' || typeof record.password !== 'string') throw new CredentialsError(`entry ${i + 1} needs email and password`);
      return { email: record.email, password: record.password, ...(typeof record.plan === 'string' ? { plan: record.plan } : {}) };
    });
  }
  const [header = '', ...lines] = trimmed.split(/\r?\n/);
  const columns = header.split(',').map((name) => name.trim().toLowerCase());
  const email = columns.indexOf('email');
  const password = columns.indexOf('password');
  const plan = columns.indexOf('plan');
  if (email < 0 || password < 0) throw new CredentialsError('needs a header line naming the email and password columns');
  return lines.filter((line) => line.trim() !== '').map((line) => {
    const cells = line.split(',').map((cell) => cell.trim());
    const record: UserRecord = { email: cells[email] ?? '', password: cells[password] ?? '' };
    if (plan >= 0 && cells[plan]) record.plan = cells[plan];
    return record;
  });
}

function read(name: string, path: string): string {
  try {
    return open(path);
  } catch {
    throw new CredentialsError(`${name}="${path}" cannot be read`);
  }
}

/** Read once in the init context and shared by every VU (k6 SharedArray); no secret is ever printed. */
export function loadUsers(path: string): readonly UserRecord[] {
  return new SharedArray('agent-sla users', () => {
    let users: UserRecord[];
    try {
      users = parseUsers(read('USERS_FILE', path));
    } catch (error) {
      if (error instanceof CredentialsError && error.message.startsWith('USERS_FILE')) throw error;
      throw new CredentialsError(`USERS_FILE="${path}" ${error instanceof CredentialsError ? error.message : 'is not valid JSON'}`);
    }
    if (users.length === 0) throw new CredentialsError(`USERS_FILE="${path}" holds no users`);
    return users;
  }) as unknown as readonly UserRecord[];
}

export function loadTokens(token: string, path: string): readonly string[] {
  if (path === '') return [token];
  return new SharedArray('agent-sla tokens', () => {
    const tokens = read('TOKENS_FILE', path).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    if (tokens.length === 0) throw new CredentialsError(`TOKENS_FILE="${path}" holds no tokens`);
    return tokens;
  }) as unknown as readonly string[];
}
