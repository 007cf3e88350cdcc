import { DISPOSE_MODULE, type ModuleDefinition, type VuContext } from '../../runtime/vu-context.ts';
import { runBatch } from './batch.ts';
import { blockingFunction } from './blocking.ts';
import { CookieJar } from './cookie-jar.ts';
import { expectedStatuses, toResponseCallback } from './expected-statuses.ts';
import { file } from './file-data.ts';
import { HttpClient } from './http-client.ts';
import { INIT_BATCH_ERROR, INIT_REQUEST_ERROR } from './http-errors.ts';
import { urlTemplate } from './http-url.ts';
import type { Response } from './response.ts';

/** k6/http's string constants. */
const CONSTANTS = {
  SSL_3_0: 'ssl3.0',
  TLS_1_0: 'tls1.0',
  TLS_1_1: 'tls1.1',
  TLS_1_2: 'tls1.2',
  TLS_1_3: 'tls1.3',
  OCSP_STATUS_GOOD: 'good',
  OCSP_STATUS_REVOKED: 'revoked',
  OCSP_STATUS_SERVER_FAILED: 'server_failed',
  OCSP_STATUS_UNKNOWN: 'unknown',
  OCSP_REASON_UNSPECIFIED: 'unspecified',
  OCSP_REASON_KEY_COMPROMISE: 'key_compromise',
  OCSP_REASON_CA_COMPROMISE: 'ca_compromise',
  OCSP_REASON_AFFILIATION_CHANGED: 'affiliation_changed',
  OCSP_REASON_SUPERSEDED: 'superseded',
  OCSP_REASON_CESSATION_OF_OPERATION: 'cessation_of_operation',
  OCSP_REASON_CERTIFICATE_HOLD: 'certificate_hold',
  OCSP_REASON_REMOVE_FROM_CRL: 'remove_from_crl',
  OCSP_REASON_PRIVILEGE_WITHDRAWN: 'privilege_withdrawn',
  OCSP_REASON_AA_COMPROMISE: 'aa_compromise',
} as const;

/**
 * Under this key the module instance carries a function that closes the VU's connections: for the worker to call
 * when it drops the VU, so that its kept-alive sockets do not wait for the server or the idle timeout to close them.
 */
export const CLOSE_HTTP_CONNECTIONS: typeof DISPOSE_MODULE = DISPOSE_MODULE;

/** k6/http for one VU: `import http from 'k6/http'` gets `default`, `import { get } from 'k6/http'` the named ones. */
export const httpModule: ModuleDefinition = {
  name: 'k6/http',
  instantiate(vu: VuContext): Record<string, unknown> {
    const client = new HttpClient(vu);
    const method = (name: string, verb: string) =>
      blockingFunction(vu, name, INIT_REQUEST_ERROR, (url: unknown, body?: unknown, params?: unknown): Promise<Response> => client.request(verb, url, body, params));
    const withoutBody = (name: string, verb: string) =>
      blockingFunction(vu, name, INIT_REQUEST_ERROR, (url: unknown, params?: unknown, ...extra: unknown[]): Promise<Response> => {
        if (extra.length > 0 && vu.stage() !== 'init') {
          vu.log('warn', `http.${name} only accepts a url and an optional params argument. ${extra.length} extra argument(s) will be ignored.`);
        }
        return client.request(verb, url, undefined, params);
      });

    // The constants are shared; the one object is both the namespace and its `default`.
    const members: Record<string | symbol, unknown> = Object.assign(Object.create(CONSTANTS) as object, {
      request: blockingFunction(vu, 'request', INIT_REQUEST_ERROR, (verb: unknown, url: unknown, body?: unknown, params?: unknown) => client.request(verb, url, body, params)),
      get: withoutBody('get', 'GET'),
      head: withoutBody('head', 'HEAD'),
      post: method('post', 'POST'),
      put: method('put', 'PUT'),
      patch: method('patch', 'PATCH'),
      del: method('del', 'DELETE'),
      options: method('options', 'OPTIONS'),
      batch: blockingFunction(vu, 'batch', INIT_BATCH_ERROR, (requests?: unknown, ...extra: unknown[]) => runBatch(client, requests, extra.length)),
      asyncRequest: (verb: unknown, url: unknown, body?: unknown, params?: unknown): Promise<Response> => client.request(verb, url, body, params),
      expectedStatuses,
      setResponseCallback: (callback: unknown): void => {
        client.responseCallback = toResponseCallback(callback, 'unsupported argument, expected http.expectedStatuses');
      },
      url: urlTemplate,
      file,
      CookieJar,
      cookieJar: (): CookieJar => client.activeJar(),
    });
    members.default = members;
    members[CLOSE_HTTP_CONNECTIONS] = (): void => client.closeConnections();
    return members;
  },
};
