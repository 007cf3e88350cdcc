/**
 * Samples as InfluxDB line protocol, the way k6's InfluxDB v1 output writes them: the metric name as the
 * measurement, the sample's tags as tags except those configured as fields, one float field `value`, and the
 * time in the configured precision.
 */
import { escape } from '@influxdata/influxdb-client';
import type { Sample, TagSet } from '../metrics/types.ts';
import type { InfluxPrecision } from './influxdb-config.ts';
import { fieldValue, type FieldKind } from './influxdb-fields.ts';
import { epochNanos } from './go-json.ts';

/** What the write request's `precision` parameter says; minutes and hours go as seconds. */
export type WritePrecision = 'ns' | 'us' | 'ms' | 's';

export function writePrecisionOf(precision: InfluxPrecision): WritePrecision {
  return precision === 'm' || precision === 'h' ? 's' : precision;
}

const NANOS_PER: Readonly<Record<InfluxPrecision, bigint>> = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const WRITE_UNITS_PER: Readonly<Record<InfluxPrecision, bigint>> = { ns: 1n, us: 1n, ms: 1n, s: 1n, m: 60n, h: 3600n };

/** A sample's time as the integer the line carries, truncated to the precision like k6's client does. */
export function timestampOf(timeMs: number, precision: InfluxPrecision): bigint {
  return (epochNanos(timeMs) / NANOS_PER[precision]) * WRITE_UNITS_PER[precision];
}

/**
 * Tag keys and values escaped for a line. Line protocol cannot end a tag with a backslash (it would escape the
 * separator after it), so one more backslash keeps such a line parseable.
 */
function escapeTagPart(text: string): string {
  const escaped = escape.tag(text);
  const trailing = /\\+$/.exec(escaped)?.[0].length ?? 0;
  return trailing % 2 === 1 ? `${escaped}\\` : escaped;
}

interface SeriesText {
  /** measurement,tag=value,… */
  series: string;
  /** ,field=value,… for the tags written as fields (empty when none). */
  fields: string;
}

export class LineEncoder {
  private readonly byMetric = new Map<string, WeakMap<TagSet, SeriesText>>();
  /** "series time" → the next time that may be free for it, for this batch and the one before. */
  private taken = new Map<string, bigint>();
  private takenBefore = new Map<string, bigint>();

  constructor(
    private readonly tagsAsFields: ReadonlyMap<string, FieldKind>,
    private readonly precision: InfluxPrecision,
  ) {}

  /**
   * The lines of a batch. At nanosecond precision two samples of one series must not share a timestamp, or
   * InfluxDB keeps only the last: the float times the engine carries are coarser than k6's nanoseconds, so a
   * sample whose time is taken moves on to the next free nanosecond.
   */
  encode(samples: readonly Sample[]): string[] {
    this.takenBefore = this.taken;
    this.taken = new Map();
    const lines: string[] = [];
    for (const sample of samples) {
      // InfluxDB stores no NaN or infinity; k6's client would fail the whole batch on one.
      if (!Number.isFinite(sample.value)) continue;
      const text = this.seriesText(sample.metric.name, sample.tags);
      let time = timestampOf(sample.time, this.precision);
      if (this.precision === 'ns') time = this.freeTime(text.series, time);
      lines.push(`${text.series} value=${sample.value}${text.fields} ${time}`);
    }
    return lines;
  }

  private freeTime(series: string, wanted: bigint): bigint {
    let time = wanted;
    for (let hops = 0; hops < 10_000; hops++) {
      const next = this.taken.get(`${series} ${time}`) ?? this.takenBefore.get(`${series} ${time}`);
      if (next === undefined) break;
      time = next;
    }
    this.taken.set(`${series} ${time}`, time + 1n);
    // The wanted time points past this one, so that the next sample wanting it needs one hop, not many.
    if (time !== wanted) this.taken.set(`${series} ${wanted}`, time + 1n);
    return time;
  }

  private seriesText(metric: string, tags: TagSet): SeriesText {
    let byTags = this.byMetric.get(metric);
    if (!byTags) {
      byTags = new WeakMap();
      this.byMetric.set(metric, byTags);
    }
    let text = byTags.get(tags);
    if (!text) {
      text = this.buildSeriesText(metric, tags);
      byTags.set(tags, text);
    }
    return text;
  }

  private buildSeriesText(metric: string, tags: TagSet): SeriesText {
    let series = escape.measurement(metric);
    let fields = '';
    for (const key of Object.keys(tags).sort()) {
      const value = tags[key] ?? '';
      const kind = this.tagsAsFields.get(key);
      if (kind !== undefined) {
        // The sample's own value wins over a tag of the same name, as in k6.
        if (key !== 'value' && key !== '') fields += `,${escapeTagPart(key)}=${fieldValue(kind, value)}`;
      } else if (key !== '' && value !== '') {
        // Line protocol has no empty tag values; InfluxDB would refuse the whole line.
        series += `,${escapeTagPart(key)}=${escapeTagPart(value)}`;
      }
    }
    return { series, fields };
  }
}
