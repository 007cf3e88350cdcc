import exec from 'k6/execution';
import type { Plan } from './protocol/index.ts';
import { newUser, type User } from './auth.ts';
import { planFor, type Config } from './config.ts';

const users: Partial<Record<Plan, User>> = {};

/** The plan of this iteration: iterations across all VUs follow the PLANS mix exactly. */
export function iterationPlan(config: Config): Plan {
  return planFor(config.plans, exec.scenario.iterationInTest);
}

/**
 * This VU's user on the iteration's plan, signed up the first time and kept for later
 * iterations, so tokens are reused (and refreshed) rather than logged in again. Users are
 * never shared between VUs, because refresh tokens rotate and would refuse each other.
 */
export function vuUser(config: Config): User {
  const plan = iterationPlan(config);
  const known = users[plan];
  if (known) return known;
  const user = newUser(config, plan);
  if (!user) throw new Error(`VU ${exec.vu.idInTest}: could not sign up and log in a ${plan} user`);
  users[plan] = user;
  return user;
}
