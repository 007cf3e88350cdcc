import { parseDurationMs } from '../../lib/duration.ts';
import { parseRate } from '../../lib/sla-catalog.ts';
import { optionHelpLines, type OptionTable, type ParsedCommand } from '../option-table.ts';
import { PreflightError } from '../preflight-error.ts';
import { runOptions } from '../run-options.ts';
import { rateProfile, resolveRunPlan, type RunPlan } from '../run-plan.ts';
import { growthFactor, maxVus, type SearchSettings } from './search.ts';
import { maxCpuShare, maxDroppedShare, maxLagMeanMs, maxLagP99Ms, minSamplesPerRow } from './step-verdict.ts';

const shared = ['target', 'dialect', 'no-health', 'influx', 'sla', 'out-dir', 'plans', 'token-mode', 'testid', 'arrivals'] as const;

/** `agent-sla capacity`'s options: the run options a search shares with `run`, then its own. */
export const capacityOptions = {
  ...Object.fromEntries(shared.map((name) => [name, runOptions[name]])),
  step: { type: 'string', value: 'D', description: "each step's arrival window (default 20s); longer when its SLA rows would get too few samples" },
  precision: { type: 'string', value: 'P', description: 'bisect until the first failing rate is within P of the last passing one (default 5%)' },
  'start-rate': { type: 'string', value: 'R', description: 'sessions per second of the first step (default 1)' },
  'max-rate': { type: 'string', value: 'R', description: 'never offer more sessions per second than R (default 1000)' },
  'min-capacity': { type: 'string', value: 'X', description: 'a CI gate in agent runs per second: exit 99, and a failed JUnit case `capacity`, when the capacity found is below X' },
  budget: { type: 'string', value: 'D', description: 'wall time the whole search may take (default 30m)' },
  workers: { type: 'string', value: 'N', description: "the engine's worker threads (default: one per core)" },
  quiet: { type: 'boolean', short: 'q', description: 'no phases and no line per step: the table and the answer only' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

export interface CapacityPlan {
  /** The run every step is made from (scenario, target, SLAs, testid, reports). */
  run: RunPlan;
  search: SearchSettings;
  /** --min-capacity, agent runs per second. */
  minCapacity: number | undefined;
  workers: number | undefined;
  quiet: boolean;
}

export function capacityHelp(scenarios: string[]): string {
  return [
    'Usage: agent-sla capacity <scenario> [options] [-- <k6 run flags>]',
    '',
    'How much can the backend take before an SLA breaks? Each step offers a fixed rate of sessions (the scenario\'s',
    `iterations) with an arrival-rate executor, whatever the backend does; the rate doubles (×${growthFactor}) until a step breaks`,
    'an SLA, then bisects between the last pass and the first failure. Every step is judged on every SLA, by plan.',
    `A row with fewer than ${minSamplesPerRow} samples is not judged: the step is run again, longer, and never counts as a pass.`,
    'The search stops, saying so, when the generator itself is the limit: dropped iterations above',
    `${maxDroppedShare * 100}% of offered with every SLA held (after one retry with a larger VU pool, at most ${maxVus} VUs), CPU at`,
    `${maxCpuShare * 100}% of the cores the engine may use, or its event loop ${maxLagP99Ms} ms late (p99; ${maxLagMeanMs} ms mean).`,
    '',
    `Scenarios: ${scenarios.join(', ') || '(none built yet: scenarios/*.ts)'}`,
    '',
    'Options:',
    ...optionHelpLines(capacityOptions),
    '',
    'Anything after -- is a `k6 run` flag for every step, e.g. -- -e RUNS_PER_SESSION=1. The reference target takes',
    'TARGET_CAPACITY=8x200ms (8 slots of 200 ms: 40 runs/s) when started here, without --target.',
    'Writes capacity.json and junit.xml to --out-dir (default reports/<testid>/), each step\'s reports in steps/NN/.',
    '',
    'Exit codes: 0 the search ended (and met --min-capacity); 99 the capacity found is below --min-capacity;',
    '2 bad options, no load was sent; other: a step failed to run (as k6: 107 a script error).',
  ].join('\n');
}

function positiveNumber(option: string, text: string | undefined, fallback: number, example: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value > 0)) throw new PreflightError(`bad --${option} "${text}": a number above 0, e.g. ${example}`);
  return value;
}

function durationMs(option: string, text: string | undefined, fallback: string, least: number): number {
  const ms = parseDurationMs(text ?? fallback);
  if (ms === undefined) throw new PreflightError(`bad --${option} "${text}": a duration, e.g. 20s, 1m`);
  if (ms < least) throw new PreflightError(`bad --${option} "${text}": at least ${least / 1000}s`);
  return ms;
}

/** The options read and checked, every problem one line before any load. */
export function resolveCapacityPlan(parsed: ParsedCommand, profiles: readonly string[]): CapacityPlan {
  const values = parsed.values;
  const text = (name: keyof typeof capacityOptions): string | undefined => values[name] as string | undefined;
  const precisionText = text('precision') ?? '5%';
  const precision = parseRate(precisionText);
  if (precision === undefined || precision >= 1) throw new PreflightError(`bad --precision "${precisionText}": a share above 0 and below 100%, e.g. 5% or 0.05`);
  const startRate = positiveNumber('start-rate', text('start-rate'), 1, '2 or 0.5');
  const maxRate = positiveNumber('max-rate', text('max-rate'), 1000, '500');
  if (startRate > maxRate) throw new PreflightError(`--start-rate ${startRate} is above --max-rate ${maxRate}`);
  const minCapacity = text('min-capacity') === undefined ? undefined : positiveNumber('min-capacity', text('min-capacity'), 0, '40 (agent runs/s)');
  const workersText = text('workers');
  if (workersText !== undefined && !/^[1-9]\d*$/.test(workersText)) throw new PreflightError(`bad --workers "${workersText}": a whole number above 0`);
  const search: SearchSettings = {
    startRate,
    maxRate,
    precision,
    stepMs: durationMs('step', text('step'), '20s', 2000),
    budgetMs: durationMs('budget', text('budget'), '30m', 10_000),
  };
  // The steps run the `rate` profile; the run plan checks everything the two commands share.
  const runValues = { ...Object.fromEntries(shared.map((name) => [name, values[name]])), profile: rateProfile, quiet: values.quiet };
  const run = resolveRunPlan('capacity', { ...parsed, values: runValues }, profiles);
  return { run, search, minCapacity, workers: workersText === undefined ? undefined : Number(workersText), quiet: values.quiet === true };
}
