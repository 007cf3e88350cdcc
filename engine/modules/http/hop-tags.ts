import type { TagSet } from '../../metrics/types.ts';
import type { VuContext } from '../../runtime/vu-context.ts';
import type { K6Error } from './error-codes.ts';

/** What a hop's tags are made of. */
export interface HopFacts {
  method: string;
  /** The hop's URL, credentials masked. */
  url: string;
  /** The http.url template, when the request was made with one. */
  templateName: string | undefined;
  /** 0 when the request failed without a response. */
  status: number;
  proto: string;
  /** The network error, when there was one. */
  error: K6Error | undefined;
  /** 1000 + status for an HTTP error status, else 0. */
  statusErrorCode: number;
  tlsVersion: string;
  remoteIp: string;
  /** The response callback's verdict; undefined when there is no callback. */
  expected: boolean | undefined;
}

/**
 * A hop's tags: the VU's, then params.tags, then the system tags the test enables. When a `name` tag is set (by the
 * script, or by http.url), `url` takes the same value, so that grouped URLs make one series (k6 docs, URL grouping).
 */
export function hopTags(vu: VuContext, userTags: Readonly<Record<string, string>> | undefined, facts: HopFacts): TagSet {
  const tags: Record<string, string> = userTags === undefined ? { ...vu.tags() } : { ...vu.tags(), ...userTags };
  let name = tags.name;
  if (name === undefined && facts.templateName !== undefined && vu.systemTag('name')) name = tags.name = facts.templateName;
  if (name === undefined) {
    if (vu.systemTag('name')) tags.name = facts.url;
    if (vu.systemTag('url')) tags.url = facts.url;
  } else if (vu.systemTag('url')) {
    tags.url = name;
  }
  if (vu.systemTag('method')) tags.method = facts.method;
  if (facts.error !== undefined) {
    if (vu.systemTag('error')) tags.error = facts.error.message;
    if (vu.systemTag('error_code')) tags.error_code = String(facts.error.code);
    if (vu.systemTag('status')) tags.status = '0';
  } else {
    if (vu.systemTag('status')) tags.status = String(facts.status);
    if (facts.statusErrorCode !== 0 && vu.systemTag('error_code')) tags.error_code = String(facts.statusErrorCode);
    if (vu.systemTag('proto')) tags.proto = facts.proto;
    if (facts.tlsVersion !== '' && vu.systemTag('tls_version')) tags.tls_version = facts.tlsVersion;
  }
  if (facts.remoteIp !== '' && vu.systemTag('ip')) tags.ip = facts.remoteIp;
  if (facts.expected !== undefined && vu.systemTag('expected_response')) tags.expected_response = facts.expected ? 'true' : 'false';
  // Frozen, the tag set is interned once for all the hop's samples.
  return Object.freeze(tags);
}
