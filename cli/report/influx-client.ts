/** A minimal InfluxDB 1.x query client over HTTP: InfluxQL in, series out, epoch milliseconds. */

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface StatementResult {
  series: InfluxSeries[];
}

export class InfluxQueryError extends Error {}

export interface InfluxTarget {
  url: string;
  database: string;
  /** Basic credentials from the URL, if it had any; never printed. */
  authorization?: string;
}

/** Runs `;`-separated statements in one request; a statement error fails the whole call with its message. */
export async function queryInflux(target: InfluxTarget, statements: string[], timeoutMs = 30_000): Promise<StatementResult[]> {
  if (statements.length === 0) return [];
  const query = new URLSearchParams({ db: target.database, epoch: 'ms', q: statements.join(';\n') });
  let response: Response;
  try {
    response = await fetch(`${target.url.replace(/\/+$/, '')}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(target.authorization ? { authorization: target.authorization } : {}) },
      body: query,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new InfluxQueryError(`InfluxDB at ${target.url} did not answer: ${(error as Error).message}`);
  }
  const text = await response.text();
  let body: { error?: string; results?: { statement_id: number; error?: string; series?: InfluxSeries[] }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new InfluxQueryError(`InfluxDB at ${target.url} answered ${response.status} with a non-JSON body`);
  }
  if (body.error) throw new InfluxQueryError(`InfluxDB: ${body.error}`);
  const results = body.results ?? [];
  return statements.map((statement, index) => {
    const result = results.find((entry) => entry.statement_id === index);
    if (result?.error) throw new InfluxQueryError(`InfluxDB: ${result.error} (in: ${statement})`);
    return { series: result?.series ?? [] };
  });
}

/** One row of a series as an object keyed by column. */
export function rows(series: InfluxSeries): Record<string, unknown>[] {
  return series.values.map((row) => Object.fromEntries(series.columns.map((column, index) => [column, row[index]])));
}

/** An InfluxQL string literal. */
export function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An InfluxQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
