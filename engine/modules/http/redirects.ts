const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['Authorization', 'Www-Authenticate', 'Cookie', 'Cookie2'];

/** The next hop of a redirect chain, as Go's http.Client makes it. */
export interface RedirectHop {
  url: URL;
  method: string;
  /** false: the body is dropped (301, 302, 303 turn the request into a GET). */
  keepBody: boolean;
}

/** Where a response redirects to; undefined when it does not (not a redirect status, no or a bad Location). */
export function redirectOf(status: number, location: string | undefined, from: URL, method: string): RedirectHop | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (status === 307 || status === 308) return { url, method, keepBody: true };
  return { url, method: method === 'GET' || method === 'HEAD' ? method : 'GET', keepBody: false };
}

/**
 * The headers of a redirected request: the first request's, without credentials when the chain leaves the first
 * host's domain, and with a Referer unless it goes from https to http.
 */
export function redirectHeaders(initial: Readonly<Record<string, string>>, initialHost: string, from: URL, to: URL, keepBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { ...initial };
  const host = to.hostname.toLowerCase();
  if (host !== initialHost && !host.endsWith(`.${initialHost}`)) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  if (!keepBody) {
    delete headers['Content-Type'];
    delete headers['Content-Encoding'];
  }
  if (!(from.protocol === 'https:' && to.protocol === 'http:') && headers.Referer === undefined) {
    const referer = new URL(from.href);
    referer.username = '';
    referer.password = '';
    referer.hash = '';
    headers.Referer = referer.href;
  }
  return headers;
}
