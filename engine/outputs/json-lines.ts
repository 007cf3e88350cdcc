/**
 * The two line shapes of k6's `--out json`: a "Metric" line the first time a metric appears, then a "Point" line
 * per sample. Key order follows k6's documentation: type, data, metric.
 */
import type { MetricDefinition, Sample, TagSet } from '../metrics/types.ts';
import { goFloat, goJson, goTime } from './go-json.ts';

export interface Submetric {
  name: string;
  suffix: string;
  tags: Record<string, string>;
}

/** A submetric as k6 builds it from a threshold key's braces: "status:200, method:'GET'" → tags status, method. */
export function parseSubmetric(parent: string, selector: string): Submetric {
  const suffix = selector.trim();
  const tags: Record<string, string> = {};
  for (const pair of suffix.split(',')) {
    if (pair === '') continue;
    const colon = pair.indexOf(':');
    const key = unquote(colon < 0 ? pair : pair.slice(0, colon));
    tags[key] = colon < 0 ? '' : unquote(pair.slice(colon + 1));
  }
  return { name: `${parent}{${suffix}}`, suffix, tags };
}

const unquote = (text: string): string => text.trim().replace(/^["']+|["']+$/g, '');

/** Submetrics with the same tags are one (k6 keeps the first). */
function distinctSubmetrics(parent: string, selectors: readonly string[]): Submetric[] {
  const seen = new Set<string>();
  const result: Submetric[] = [];
  for (const selector of selectors) {
    const submetric = parseSubmetric(parent, selector);
    const key = tagsJson(submetric.tags);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(submetric);
  }
  return result;
}

export function metricLine(metric: MetricDefinition, thresholds: readonly string[], submetricSelectors: readonly string[]): string {
  const submetrics = distinctSubmetrics(metric.name, submetricSelectors);
  const submetricsJson =
    submetrics.length === 0
      ? 'null'
      : `[${submetrics.map((s) => `{"name":${goJson(s.name)},"suffix":${goJson(s.suffix)},"tags":${tagsJson(s.tags)}}`).join(',')}]`;
  return (
    `{"type":"Metric","data":{"name":${goJson(metric.name)},"type":${goJson(metric.type)},"contains":${goJson(metric.contains)},` +
    `"thresholds":${goJson(thresholds)},"submetrics":${submetricsJson}},"metric":${goJson(metric.name)}}`
  );
}

/** Tags as a JSON object, keys sorted. */
export function tagsJson(tags: TagSet): string {
  const keys = Object.keys(tags).sort();
  return `{${keys.map((key) => `${goJson(key)}:${goJson(tags[key])}`).join(',')}}`;
}

/** Point lines, with each distinct tag set's JSON made once. */
export class PointLineWriter {
  private readonly tagsText = new WeakMap<TagSet, string>();

  line(sample: Sample): string {
    let tags = this.tagsText.get(sample.tags);
    if (tags === undefined) {
      tags = tagsJson(sample.tags);
      this.tagsText.set(sample.tags, tags);
    }
    return `{"type":"Point","data":{"time":"${goTime(sample.time)}","value":${goFloat(sample.value)},"tags":${tags}},"metric":${goJson(sample.metric.name)}}`;
  }
}
