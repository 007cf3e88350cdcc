/**
 * WHERE clauses shared by every panel. Variables are regex-matched so "All" (allValue `.*`) and multi-select
 * both work; `.*` also matches a series without that tag, which keeps k6's own metrics (no `plan` tag) visible.
 */
export const runFilter = `"testid" =~ /^$testid$/ AND "scenario" =~ /^$scenario$/`;

/** k6's vus and vus_max belong to the whole run: they carry the run's tags (testid) but no scenario. */
export const testidFilter = `"testid" =~ /^$testid$/`;

/** For the contract's metrics, which the library tags with the user's plan. */
export const planFilter = `${runFilter} AND "plan" =~ /^$plan$/`;

/** `SELECT … FROM "metric" WHERE <filter> AND $timeFilter GROUP BY time($__interval)<, tags> fill(none)`. */
export function overTime(select: string, metric: string, options: { plan?: boolean; scenario?: boolean; groupBy?: string[]; interval?: string } = {}): string {
  const filter = options.scenario === false ? testidFilter : options.plan === false ? runFilter : planFilter;
  const tags = (options.groupBy ?? []).map((tag) => `, "${tag}"`).join('');
  return `SELECT ${select} FROM "${metric}" WHERE ${filter} AND $timeFilter GROUP BY time(${options.interval ?? '$__interval'})${tags} fill(none)`;
}

/** One number for the whole selected range. */
export function whole(select: string, metric: string, options: { plan?: boolean } = {}): string {
  return `SELECT ${select} FROM "${metric}" WHERE ${options.plan === false ? runFilter : planFilter} AND $timeFilter`;
}
