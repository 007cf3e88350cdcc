import { GENERIC_ERROR, INVALID_URL_ERROR } from './error-codes.ts';
import { HttpUrl, cleanUrl } from './http-url.ts';
import { PlanError } from './plan-error.ts';

/** The URL a script asked for, in the forms a request needs. */
export interface RequestTarget {
  /** The URL to request, credentials removed. */
  url: URL;
  /** As the script gave it. */
  text: string;
  /** Credentials masked, for the url and name tags. */
  tagUrl: string;
  /** The http.url template, when it differs from the URL. */
  templateName: string | undefined;
  /** Credentials from the URL, still percent-encoded. */
  username: string;
  password: string;
}

/** Reads a URL argument: a string, an http.url`…`, or a URL object. Throws PlanError with k6's code when k6 refuses it. */
export function parseTarget(value: unknown): RequestTarget {
  let text: string;
  let name: string | undefined;
  if (typeof value === 'string') text = value;
  else if (value instanceof HttpUrl) {
    text = value.url;
    name = value.name;
  } else if (value instanceof URL) text = value.href;
  else throw new PlanError(`invalid URL: '#${String(value)}'`, INVALID_URL_ERROR);
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    // Go parses a URL without a scheme as a path, and then has no protocol to send it with.
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) throw new PlanError('unsupported protocol scheme ""', GENERIC_ERROR);
    throw new PlanError(`invalid URL: parse "${text}": ${(error as Error).message}`, INVALID_URL_ERROR);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PlanError(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`, GENERIC_ERROR);
  const { username, password } = url;
  if (username !== '' || password !== '') {
    url.username = '';
    url.password = '';
  }
  const tagUrl = cleanUrl(text);
  return { url, text, tagUrl, templateName: name !== undefined && name !== '' && name !== tagUrl ? name : undefined, username, password };
}
