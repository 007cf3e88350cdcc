import { defaultInfluxDatabase } from '../influx-output.ts';
import { withoutCredentials } from '../url-credentials.ts';
import type { StepResult } from './step-verdict.ts';

/** The measurement one point per step goes to, beside the engine's: what the report's capacity chart reads. */
export const capacityStepMeasurement = 'capacity_step';

const tagValue = (text: string): string => text.replace(/[,= \\]/g, (c) => `\\${c}`);
const stringField = (text: string): string => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** One step as an InfluxDB line: tagged like the engine's points (testid, step), with the search's own figures. */
export function stepPoint(testid: string, step: StepResult, atMs: number): string {
  const fields = [
    `offered_rate=${step.offeredRate}`,
    `achieved_rate=${step.achievedRate}`,
    `duration_s=${step.durationMs / 1000}`,
    `dropped=${step.dropped}i`,
    `passed=${step.verdict === 'pass'}`,
    `generator_limited=${step.verdict === 'generator_limited'}`,
    `verdict=${stringField(step.verdict)}`,
    `attempt=${step.attempt}i`,
  ];
  return `${capacityStepMeasurement},testid=${tagValue(testid)},step=${step.index} ${fields.join(',')} ${Math.round(atMs)}`;
}

/**
 * Writes one step's point. The search goes on if InfluxDB refuses it: the steps' own metrics are already there, and
 * capacity.json has every figure; the warning says what the report will miss.
 */
export async function writeStepPoint(influxUrl: string, testid: string, step: StepResult, warn: (line: string) => void): Promise<void> {
  const parsed = new URL(influxUrl);
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, '')) || defaultInfluxDatabase;
  const { headers } = withoutCredentials(influxUrl);
  const url = `${parsed.protocol}//${parsed.host}/write?${new URLSearchParams({ db: database, precision: 'ms' })}`;
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: stepPoint(testid, step, Date.now()), signal: AbortSignal.timeout(5_000) });
    if (!response.ok) warn(`InfluxDB refused step ${step.index}'s capacity point (${response.status}): the report will not chart that step`);
  } catch (error) {
    warn(`InfluxDB did not take step ${step.index}'s capacity point (${(error as Error).message}): the report will not chart that step`);
  }
}
