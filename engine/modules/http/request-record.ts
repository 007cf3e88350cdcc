/** A cookie the request sent, as Response.request.cookies lists it. */
export interface RequestCookie {
  name: string;
  value: string;
  replace: boolean;
}

/**
 * Response.request: what was sent. The header arrays, the body string and the cookie lists are built only when a
 * script reads them, since most never do.
 */
export class RequestRecord {
  readonly method: string;
  readonly url: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #body: string | Buffer | undefined;
  /** The Cookie header sent: the script's own, params.cookies and the jar's. */
  readonly #cookieHeader: string;

  constructor(method: string, url: string, headers: Readonly<Record<string, string>>, body: string | Buffer | undefined, cookieHeader: string) {
    this.method = method;
    this.url = url;
    this.#headers = headers;
    this.#body = body;
    this.#cookieHeader = cookieHeader;
  }

  /** `{ Name: [value] }`, names canonical. */
  get headers(): Record<string, string[]> {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(this.#headers)) headers[name] = [value];
    if (this.#cookieHeader !== '') headers.Cookie = [this.#cookieHeader];
    return headers;
  }

  get body(): string {
    const body = this.#body;
    return body === undefined ? '' : typeof body === 'string' ? body : body.toString('utf8');
  }

  get cookies(): Record<string, RequestCookie[]> {
    const cookies: Record<string, RequestCookie[]> = {};
    for (const pair of this.#cookieHeader.split(';')) {
      const equals = pair.indexOf('=');
      if (equals < 0) continue;
      const name = pair.slice(0, equals).trim();
      (cookies[name] ??= []).push({ name, value: pair.slice(equals + 1).trim(), replace: false });
    }
    return cookies;
  }

  toJSON(): Record<string, unknown> {
    return { method: this.method, url: this.url, headers: this.headers, body: this.body, cookies: this.cookies };
  }
}
