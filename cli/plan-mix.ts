import { PreflightError } from './preflight-error.ts';

export const plans = ['free', 'pro', 'enterprise'] as const;

/** `pro:3,enterprise:1` → weights per plan; one-line error otherwise. */
export function parsePlanMix(text: string): Partial<Record<(typeof plans)[number], number>> {
  const mix: Partial<Record<(typeof plans)[number], number>> = {};
  for (const item of text.split(',').map((part) => part.trim())) {
    const [plan, weight] = item.split(':');
    if (!plans.includes(plan as (typeof plans)[number])) {
      throw new PreflightError(`bad --plans: unknown plan "${plan ?? ''}"; plans are ${plans.join(', ')} (e.g. pro:3,enterprise:1)`);
    }
    const value = weight === undefined ? 1 : Number(weight);
    if (!Number.isInteger(value) || value <= 0) {
      throw new PreflightError(`bad --plans: weight "${weight ?? ''}" for ${plan} is not a positive whole number`);
    }
    mix[plan as (typeof plans)[number]] = value;
  }
  return mix;
}
