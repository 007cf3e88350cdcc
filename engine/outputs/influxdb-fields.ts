/**
 * K6_INFLUXDB_TAGS_AS_FIELDS: tags written as InfluxDB fields instead of tags, each `name` (a string field) or
 * `name:int|float|bool|string`. A value that does not parse as its type is written as a string, as k6 does.
 */
import { escape } from '@influxdata/influxdb-client';
import { OutputConfigError } from './output.ts';

export type FieldKind = 'string' | 'int' | 'float' | 'bool';

const KINDS: readonly FieldKind[] = ['string', 'int', 'float', 'bool'];

/** k6's default: the per-VU, per-iteration and per-URL values that would otherwise each make a series. */
export const DEFAULT_TAGS_AS_FIELDS: readonly string[] = ['vu', 'iter', 'url'];

export function parseFieldKinds(entries: readonly string[]): ReadonlyMap<string, FieldKind> {
  const kinds = new Map<string, FieldKind>();
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const kind = colon < 0 || entry.slice(colon + 1) === '' ? 'string' : entry.slice(colon + 1);
    if (kinds.has(name)) throw new OutputConfigError(`a tag name (${name}) shows up more than once in InfluxDB field type configurations`);
    if (!(KINDS as readonly string[]).includes(kind)) throw new OutputConfigError(`an invalid type (${kind}) is specified for an InfluxDB field (${name})`);
    kinds.set(name, kind as FieldKind);
  }
  return kinds;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A tag value as a line-protocol field value of its configured kind, or as a string when it is not one. */
export function fieldValue(kind: FieldKind, text: string): string {
  switch (kind) {
    case 'int':
      if (INTEGER.test(text)) {
        const value = BigInt(text);
        if (value >= INT64_MIN && value <= INT64_MAX) return `${value}i`;
      }
      break;
    case 'float':
      if (DECIMAL.test(text)) {
        const value = Number(text);
        if (Number.isFinite(value)) return String(value);
      }
      break;
    case 'bool':
      if (TRUE_WORDS.has(text)) return 'true';
      if (FALSE_WORDS.has(text)) return 'false';
      break;
    case 'string':
      break;
  }
  return escape.quoted(text);
}
