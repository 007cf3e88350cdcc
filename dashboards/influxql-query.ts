// grafana-foundation-sdk v0.0.21 ships query builders for many datasources but none for InfluxDB, so this is
// the SDK's documented escape hatch: a Dataquery variant of our own with the fields Grafana's InfluxDB
// datasource reads for a raw InfluxQL query (rawQuery, query, resultFormat, alias).
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { datasourceRef } from './datasource.ts';

export interface InfluxQLQuery extends Dataquery {
  refId?: string;
  hide?: boolean;
  datasource: { type: string; uid: string };
  rawQuery: true;
  query: string;
  resultFormat: 'time_series' | 'table';
  alias?: string;
}

export class InfluxQLQueryBuilder implements Builder<Dataquery> {
  private readonly internal: InfluxQLQuery;

  constructor(query: string) {
    this.internal = {
      datasource: datasourceRef,
      rawQuery: true,
      query,
      resultFormat: 'time_series',
      _implementsDataqueryVariant() {},
    };
  }

  build(): InfluxQLQuery {
    return this.internal;
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  /** Series name; Grafana expands $tag_<key> and $col. */
  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }

  table(): this {
    this.internal.resultFormat = 'table';
    return this;
  }
}

/** Shorthand used by every panel. */
export const influxql = (query: string, alias?: string): InfluxQLQueryBuilder => {
  const builder = new InfluxQLQueryBuilder(query);
  return alias ? builder.alias(alias) : builder;
};
