/**
 * A metric key as thresholds (and the summary) name metrics: `http_req_duration` or a submetric
 * `http_req_duration{status:200,name:login}`. Tag keys and values are trimmed of whitespace, then of quotes
 * (`{ status: "200" }` is status=200); the submetric's suffix is the text between the braces, trimmed.
 */
export interface MetricKey {
  metricName: string;
  submetric?: { suffix: string; tags: Record<string, string> };
}

export class MetricKeyError extends Error {
  override name = 'MetricKeyError';
}

export function parseMetricKey(key: string): MetricKey {
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  if (open === -1 && close === -1) return { metricName: key };
  if (open === -1 || close === -1) throw malformed(`metric "${key}" has unmatched opening/close curly brace`);
  if (close < open) throw malformed(`metric "${key}" closing curly brace appears before opening one`);
  if (close !== key.length - 1) throw malformed(`metric "${key}" lacks a closing curly brace in its last position`);

  const inner = key.slice(open + 1, close);
  const tags: Record<string, string> = {};
  for (const fragment of inner.split(',')) {
    const colon = fragment.indexOf(':');
    if (colon === -1 || colon === fragment.length - 1) throw malformed(`metric "${fragment}" tag expression is malformed`);
    tags[unquote(fragment.slice(0, colon))] = unquote(fragment.slice(colon + 1));
  }
  return { metricName: key.slice(0, open), submetric: { suffix: inner.trim(), tags } };
}

function malformed(detail: string): MetricKeyError {
  return new MetricKeyError(`parsing metric name failed, ${detail}`);
}

function unquote(text: string): string {
  return text.trim().replace(/^["']+|["']+$/g, '');
}
