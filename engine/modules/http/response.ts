import { needsHtmlMessage } from './http-errors.ts';
import { selectJson } from './json-selector.ts';
import type { RequestRecord } from './request-record.ts';
import type { ResponseCookie } from './set-cookie.ts';

/** Response.timings, in milliseconds. */
export interface Timings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

const ZERO_TIMINGS: Readonly<Timings> = Object.freeze({ blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 });

/** The engine does not ask for stapled OCSP answers, so every response carries k6's empty OCSP record. */
const NO_OCSP = Object.freeze({ produced_at: 0, this_update: 0, next_update: 0, revocation_reason: '', revoked_at: 0, status: '' });

const NO_JSON = Symbol('not parsed');

/** k6's http.Response. For a redirected request, it describes the last response. */
export class Response {
  remote_ip = '';
  remote_port = 0;
  url: string;
  status = 0;
  status_text = '';
  proto = '';
  headers: Record<string, string> = {};
  cookies: Record<string, ResponseCookie[]> = {};
  body: string | ArrayBuffer | null = null;
  timings: Timings = ZERO_TIMINGS;
  tls_version = '';
  tls_cipher_suite = '';
  ocsp = NO_OCSP;
  error = '';
  error_code = 0;
  request: RequestRecord;
  #json: unknown = NO_JSON;

  constructor(url: string, request: RequestRecord) {
    this.url = url;
    this.request = request;
  }

  /** The body parsed as JSON (cached), or the part a gjson-style selector picks (undefined when absent). */
  json(selector?: unknown): unknown {
    if (this.body === null) throw new Error("the body is null so we can't transform it to JSON - this likely was because of a request error getting the response");
    if (selector === undefined) {
      if (this.#json === NO_JSON) this.#json = parseJson(this.bodyText());
      return this.#json;
    }
    if (this.#json === NO_JSON) {
      try {
        this.#json = JSON.parse(this.bodyText());
      } catch {
        return undefined;
      }
    }
    return selectJson(this.#json, String(selector));
  }

  html(): never {
    throw new Error(needsHtmlMessage('html'));
  }

  clickLink(): never {
    throw new Error(needsHtmlMessage('clickLink'));
  }

  submitForm(): never {
    throw new Error(needsHtmlMessage('submitForm'));
  }

  private bodyText(): string {
    return typeof this.body === 'string' ? this.body : Buffer.from(this.body!).toString('utf8');
  }
}

/** JSON.parse with k6's error message: where the error is, as a line and a character. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    let line = 1;
    let character = 0;
    for (let i = 0; i < text.length && i <= offset; i++) {
      if (text[i] === '\n') {
        line++;
        character = 0;
      }
      character++;
    }
    throw new Error(`cannot parse json due to an error at line ${line}, character ${character} , error: ${message}`);
  }
}
