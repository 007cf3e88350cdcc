/**
 * The k6 arguments and environment that stream one run to InfluxDB 1.x with bounded series cardinality.
 * Why these settings: docs/metrics.md.
 */

/** Tags k6 would otherwise index: per-VU, per-iteration and per-URL values, plus free-text errors. Kept as fields. */
export const influxTagsAsFields = ['vu:int', 'iter:int', 'url', 'error'] as const;

export const defaultInfluxDatabase = 'k6';

export interface InfluxOutput {
  /** Append to `k6 run` before the script path. */
  args: string[];
  /** Merge into k6's environment. */
  env: Record<string, string>;
}

/**
 * `url` is InfluxDB's base URL (`http://127.0.0.1:8086`); a path names the database (`…/k6`), `k6` otherwise.
 * Credentials, if the URL has any, go to K6_INFLUXDB_USERNAME/PASSWORD rather than the command line.
 */
export function influxOutputArgs(url: string, testid: string): InfluxOutput {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`influx URL ${parsed.protocol}//… must be http or https`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, '')) || defaultInfluxDatabase;
  const env: Record<string, string> = {
    K6_INFLUXDB_TAGS_AS_FIELDS: influxTagsAsFields.join(','),
    K6_INFLUXDB_PUSH_INTERVAL: '1s',
    K6_INFLUXDB_CONCURRENT_WRITES: '4',
  };
  if (parsed.username) env.K6_INFLUXDB_USERNAME = decodeURIComponent(parsed.username);
  if (parsed.password) env.K6_INFLUXDB_PASSWORD = decodeURIComponent(parsed.password);
  const base = `${parsed.protocol}//${parsed.host}`;
  return {
    args: ['--out', `influxdb=${base}/${encodeURIComponent(database)}`, '--tag', `testid=${testid}`],
    env,
  };
}
