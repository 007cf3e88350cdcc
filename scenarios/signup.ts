// signup: concurrent registrations, each followed by its first login, within the signup SLA;
// the new user's token is accepted and carries the plan it signed up for.
import { check } from 'k6';
import { newUser } from '../lib/auth.ts';
import { loadConfig } from '../lib/config.ts';
import { requireHealthy } from '../lib/health.ts';
import { getJson } from '../lib/http.ts';
import { summaryHandler } from '../lib/summary/handle-summary.ts';
import { testPlan } from '../lib/test-options.ts';
import { iterationPlan } from '../lib/vu-user.ts';

const config = loadConfig();
const plan = testPlan(config, 'signup', ['signup', 'auth', 'responses']);
export const options = plan.options;
export const handleSummary = summaryHandler(config, 'signup', plan.rows);

export function setup(): void {
  requireHealthy(config);
}

export default function (): void {
  const user = newUser(config, iterationPlan(config));
  if (!user) return;
  const me = getJson(config, config.paths.me, { name: `GET ${config.paths.me}`, token: user.accessToken() }, { plan: user.plan });
  check(me, { 'the new token is accepted and names the plan': (r) => r.status === 200 && r.json('plan') === user.plan }, { plan: user.plan });
}
