import { check } from 'k6';
import type { BillingUsageResponse } from './protocol/index.ts';
import type { SessionUser } from './auth.ts';
import type { RunResult } from './session.ts';
import { bodyOf, getJson } from './http.ts';
import { billingReconciled } from './metrics.ts';
import { noteOffendingRun } from './run-record.ts';

/** The Authorization a billing read sends, if the user has a token. */
export async function tokenOf(user: SessionUser): Promise<{ token?: string }> {
  const token = await user.accessToken();
  return token === undefined ? {} : { token };
}

/**
 * Reads the run's billing records and checks the contract: exactly one record, for this run and
 * request, on the user's plan, with the tokens agent_completed reported, at the plan's price.
 * Feeds billing_reconciled; returns what was wrong ('' when nothing).
 */
export async function reconcileBilling(user: SessionUser, run: RunResult): Promise<string> {
  const config = user.config;
  const response = await getJson(config, config.paths.billingUsage, {
    name: `GET ${config.paths.billingUsage}`, ...(await tokenOf(user)), query: `run_id=${encodeURIComponent(run.runId)}`,
  }, { plan: user.plan });
  const records = bodyOf<BillingUsageResponse>(response)?.records;
  const usage = run.usage ?? { input_tokens: Number.NaN, output_tokens: Number.NaN };
  const expectedAmount = (usage.input_tokens + usage.output_tokens) * config.pricesMicrosPerToken[user.plan];
  let problem = '';
  if (response.status !== 200 || !Array.isArray(records)) problem = `usage answered ${response.status}`;
  else if (!run.usage) problem = 'the run reported no usage to bill';
  else if (records.length !== 1) problem = `${records.length} billing records for one run`;
  else {
    const record = records[0]!;
    if (record.run_id !== run.runId || record.request_id !== run.requestId) problem = 'the record names another run';
    else if (record.plan !== user.plan) problem = `billed on plan ${record.plan}, user is on ${user.plan}`;
    else if (record.input_tokens !== usage.input_tokens || record.output_tokens !== usage.output_tokens) problem = 'token counts differ from agent_completed usage';
    else if (record.amount_micros !== expectedAmount) problem = `amount ${record.amount_micros} micros, plan price gives ${expectedAmount}`;
  }
  billingReconciled.add(problem === '', { plan: user.plan });
  if (problem !== '') noteOffendingRun(run.runId, user.plan, `billing: ${problem}`);
  check(response, { 'billing usage answers 200': (r) => r.status === 200 }, { plan: user.plan });
  return problem;
}
