/** A cookie as a server set it, with k6's Response.cookies fields. */
export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  /** Go's MaxAge: 0 when absent, -1 when the cookie is to be deleted now, else seconds. */
  maxAge: number;
  /** ms since the epoch; 0 when absent. */
  expires: number;
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses one Set-Cookie header value; undefined when it has no valid name=value pair (Go skips those). */
export function parseSetCookie(header: string): ResponseCookie | undefined {
  const parts = header.split(';');
  const pair = parts[0]!.trim();
  const equals = pair.indexOf('=');
  if (equals < 0) return undefined;
  const name = pair.slice(0, equals).trim();
  if (!COOKIE_NAME.test(name)) return undefined;
  const cookie: ResponseCookie = {
    name,
    value: unquote(pair.slice(equals + 1).trim()),
    domain: '',
    path: '',
    httpOnly: false,
    secure: false,
    maxAge: 0,
    expires: 0,
  };
  for (let i = 1; i < parts.length; i++) applyAttribute(cookie, parts[i]!.trim());
  return cookie;
}

function applyAttribute(cookie: ResponseCookie, attribute: string): void {
  if (attribute === '') return;
  const equals = attribute.indexOf('=');
  const key = (equals < 0 ? attribute : attribute.slice(0, equals)).trim().toLowerCase();
  const value = equals < 0 ? '' : attribute.slice(equals + 1).trim();
  switch (key) {
    case 'secure':
      cookie.secure = true;
      return;
    case 'httponly':
      cookie.httpOnly = true;
      return;
    case 'domain':
      cookie.domain = value;
      return;
    case 'path':
      cookie.path = value;
      return;
    case 'max-age': {
      if (!/^-?\d+$/.test(value) || (value.length > 1 && value[0] === '0')) return;
      const seconds = Number(value);
      cookie.maxAge = seconds <= 0 ? -1 : seconds;
      return;
    }
    case 'expires': {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) cookie.expires = time;
      return;
    }
  }
}

function unquote(value: string): string {
  return value.length > 1 && value[0] === '"' && value[value.length - 1] === '"' ? value.slice(1, -1) : value;
}
