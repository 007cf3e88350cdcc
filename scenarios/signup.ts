// signup: concurrent registrations, each followed by its first login, within the signup SLA;
// the new user's token is accepted and carries the plan it signed up for.
import { check } from 'k6';
import { iterationUser } from '../lib/auth.ts';
import { backOff } from '../lib/availability.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { recordPlanBounds } from '../lib/record-plan-bounds.ts';
import { getJson } from '../lib/http.ts';
import { tokenOf } from '../lib/billing.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';

const config = loadConfig();
const plan = testPlan(config, 'signup', ['signup', 'auth', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, plan.name, plan.covers);

export async function setup(): Promise<void> {
  await requireHealthy(config);
  recordPlanBounds(config);
}

export default async function (): Promise<void> {
  await backOff(config);
  const user = await iterationUser(config);
  if (!user) return;
  const me = await getJson(config, config.paths.me, { name: `GET ${config.paths.me}`, ...(await tokenOf(user)) }, { plan: user.plan });
  check(me, { 'the new token is accepted and names the plan': (r) => r.status === 200 && r.json('plan') === user.plan }, { plan: user.plan });
}
