/**
 * The InfluxDB v1 output's settings, consolidated as k6 does: its defaults, then K6_INFLUXDB_* from the
 * environment, then the `--out influxdb=URL` argument (address, database, user:pass, query parameters).
 */
import { parseDuration } from '../options/duration.ts';
import { DEFAULT_TAGS_AS_FIELDS, parseFieldKinds, type FieldKind } from './influxdb-fields.ts';
import { OutputConfigError } from './output.ts';

/** Timestamp precisions of InfluxDB 1.x writes; "m" and "h" are written as seconds, rounded down to the unit. */
export type InfluxPrecision = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';

export interface InfluxConfig {
  /** scheme://host:port plus any path prefix before the database; never credentials. */
  addr: string;
  db: string;
  username: string | undefined;
  password: string | undefined;
  insecure: boolean;
  proxy: string | undefined;
  pushIntervalMs: number;
  concurrentWrites: number;
  precision: InfluxPrecision;
  /** Empty for the database's default retention policy. */
  retention: string;
  tagsAsFields: ReadonlyMap<string, FieldKind>;
}

/** What one source (environment or URL) sets; undefined leaves the earlier value. */
interface Layer {
  addr?: string;
  db?: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  proxy?: string;
  pushIntervalMs?: number;
  concurrentWrites?: number;
  precision?: InfluxPrecision;
  retention?: string;
  tagsAsFields?: string[];
}

const PRECISIONS: Readonly<Record<string, InfluxPrecision>> = { ns: 'ns', n: 'ns', us: 'us', u: 'us', 'µs': 'us', 'μs': 'us', ms: 'ms', s: 's', m: 'm', h: 'h' };

export function influxConfig(argument: string, env: Readonly<Record<string, string>>): InfluxConfig {
  const layers = [fromEnv(env), argument === '' ? {} : fromUrl(argument, 'the influxdb output URL')];
  let tagsAsFields: readonly string[] = DEFAULT_TAGS_AS_FIELDS;
  const merged: Layer = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) Object.assign(merged, { [key]: value });
    if (layer.tagsAsFields && layer.tagsAsFields.length > 0) tagsAsFields = layer.tagsAsFields;
  }
  const concurrentWrites = merged.concurrentWrites ?? 4;
  if (concurrentWrites <= 0) throw new OutputConfigError("influxdb's ConcurrentWrites must be a positive number");
  const pushIntervalMs = merged.pushIntervalMs ?? 1000;
  if (pushIntervalMs <= 0) throw new OutputConfigError("influxdb's PushInterval must be a positive duration");
  return {
    addr: merged.addr ?? 'http://localhost:8086',
    db: merged.db || 'k6',
    username: merged.username,
    password: merged.password,
    insecure: merged.insecure ?? false,
    proxy: merged.proxy,
    pushIntervalMs,
    concurrentWrites,
    precision: merged.precision ?? 'ns',
    retention: merged.retention ?? '',
    tagsAsFields: parseFieldKinds(tagsAsFields),
  };
}

function fromEnv(env: Readonly<Record<string, string>>): Layer {
  // An empty variable counts as unset, as it does in k6.
  const get = (name: string): string | undefined => (env[`K6_INFLUXDB_${name}`] ? env[`K6_INFLUXDB_${name}`] : undefined);
  const layer: Layer = {};
  const addr = get('ADDR');
  if (addr !== undefined) Object.assign(layer, fromUrl(addr, 'K6_INFLUXDB_ADDR', false));
  const insecure = get('INSECURE');
  const pushInterval = get('PUSH_INTERVAL');
  const concurrentWrites = get('CONCURRENT_WRITES');
  const precision = get('PRECISION');
  const tagsAsFields = get('TAGS_AS_FIELDS');
  return {
    ...layer,
    db: get('DB'),
    username: get('USERNAME') ?? layer.username,
    password: get('PASSWORD') ?? layer.password,
    insecure: insecure === undefined ? undefined : parseBool(insecure, 'K6_INFLUXDB_INSECURE'),
    proxy: get('PROXY'),
    pushIntervalMs: pushInterval === undefined ? undefined : parsePushInterval(pushInterval, 'K6_INFLUXDB_PUSH_INTERVAL'),
    concurrentWrites: concurrentWrites === undefined ? undefined : parseInteger(concurrentWrites, 'K6_INFLUXDB_CONCURRENT_WRITES'),
    precision: precision === undefined ? undefined : parsePrecision(precision, 'K6_INFLUXDB_PRECISION'),
    retention: get('RETENTION'),
    tagsAsFields: tagsAsFields?.split(','),
  };
}

/** An InfluxDB URL: the last path segment is the database (when `withDatabase`), what comes before it a prefix. */
function fromUrl(text: string, source: string, withDatabase = true): Layer {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutputConfigError(`${source}: "${redactUrlText(text)}" is not a URL`);
  }
  if (url.protocol === 'udp:') throw new OutputConfigError(`${source}: InfluxDB over UDP is not supported, use http:// or https://`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutputConfigError(`${source}: "${url.protocol}" is not http: or https:`);
  const layer: Layer = {};
  if (url.username) layer.username = decodeURIComponent(url.username);
  if (url.username || url.password) layer.password = decodeURIComponent(url.password);
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const database = withDatabase ? segments.pop() : undefined;
  if (database !== undefined) layer.db = decodeURIComponent(database);
  layer.addr = `${url.protocol}//${url.host}${segments.length > 0 ? `/${segments.join('/')}` : ''}`;
  for (const [key, value] of url.searchParams) applyQueryParameter(layer, key, value, url.searchParams);
  return layer;
}

function applyQueryParameter(layer: Layer, key: string, value: string, all: URLSearchParams): void {
  const source = `influxdb URL parameter ${key}`;
  switch (key) {
    case 'insecure':
      if (value !== '') layer.insecure = parseBool(value, source, ['true', 'false']);
      return;
    case 'precision':
      layer.precision = parsePrecision(value, source);
      return;
    case 'retention':
      layer.retention = value;
      return;
    case 'pushInterval':
      layer.pushIntervalMs = parsePushInterval(value, source);
      return;
    case 'concurrentWrites':
      layer.concurrentWrites = parseInteger(value, source);
      return;
    case 'tagsAsFields':
      layer.tagsAsFields = all.getAll('tagsAsFields');
      return;
    case 'payload_size':
    case 'consistency':
      // UDP payloads and Enterprise write consistency mean nothing to the HTTP write this output makes.
      return;
    default:
      throw new OutputConfigError(`unknown query parameter: ${key}`);
  }
}

const GO_BOOLS: Readonly<Record<string, boolean>> = { 1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false };

function parseBool(text: string, source: string, allowed: readonly string[] = Object.keys(GO_BOOLS)): boolean {
  const value = GO_BOOLS[text];
  if (value === undefined || !allowed.includes(text)) throw new OutputConfigError(`${source}: "${text}" is not true or false`);
  return value;
}

function parseInteger(text: string, source: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new OutputConfigError(`${source}: "${text}" is not a whole number`);
  return Number(text);
}

function parsePushInterval(text: string, source: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new OutputConfigError(`${source}: "${text}" is not a duration (e.g. 1s, 500ms)`);
  return ms;
}

function parsePrecision(text: string, source: string): InfluxPrecision {
  const precision = PRECISIONS[text];
  if (!precision) throw new OutputConfigError(`${source}: "${text}" is not a precision (ns, us, ms, s, m or h)`);
  return precision;
}

/** A URL with its password replaced by ***, for messages. Text that is not a URL loses anything before an @. */
export function redactUrlText(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return text.replace(/\/\/[^/@]*@/, '//***@');
  }
}
