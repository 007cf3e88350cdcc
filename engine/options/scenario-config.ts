import { parseDuration } from './duration.ts';
import type { ScenarioOptions, Stage } from './test-options.ts';

/** k6 refuses a constant-vus or arrival-rate duration, or a maxDuration, shorter than this. */
const MIN_DURATION_MS = 1000;
const DEFAULT_GRACEFUL_STOP_MS = 30_000;
const SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;

export const EXECUTORS = ['shared-iterations', 'per-vu-iterations', 'constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate'] as const;

type Raw = Record<string, unknown>;

/**
 * One scenario of `options.scenarios`, with k6's defaults filled in and k6's checks made. Problems are collected,
 * in k6's words, rather than thrown one at a time, so that the user sees all of them at once.
 */
export function scenarioConfig(name: string, raw: unknown, problems: string[]): ScenarioOptions | undefined {
  const say = (problem: string): void => void problems.push(`scenario ${name}: ${problem}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    say('must be an object');
    return undefined;
  }
  const config = raw as Raw;
  if (!SCENARIO_NAME.test(name)) say('the scenario name should contain only numbers, latin letters, underscores, and dashes');
  const executor = config.executor;
  if (typeof executor !== 'string' || executor === '') {
    say('missing or empty executor field');
    return undefined;
  }
  if (executor === 'externally-controlled') {
    say('the externally-controlled executor is not supported by agent-sla\'s engine');
    return undefined;
  }
  if (!(EXECUTORS as readonly string[]).includes(executor)) {
    say(`unknown executor type "${executor}"`);
    return undefined;
  }
  const read = new Reader(config, say);
  const common = {
    exec: read.string('exec', 'default'),
    startTimeMs: read.duration('startTime', 0),
    gracefulStopMs: read.duration('gracefulStop', DEFAULT_GRACEFUL_STOP_MS),
    env: read.stringMap('env'),
    tags: read.stringMap('tags'),
  };
  if (config.exec === '') say('exec value cannot be empty');
  switch (executor as ScenarioOptions['executor']) {
    case 'shared-iterations':
    case 'per-vu-iterations': {
      const vus = read.integer('vus', 1);
      const iterations = read.integer('iterations', 1);
      const maxDurationMs = read.duration('maxDuration', 600_000);
      if (vus <= 0) say('the number of VUs must be more than 0');
      if (executor === 'shared-iterations' && iterations < vus) say(`the number of iterations (${iterations}) can't be less than the number of VUs (${vus})`);
      if (executor === 'per-vu-iterations' && iterations <= 0) say('the number of iterations must be more than 0');
      if (maxDurationMs < MIN_DURATION_MS) say(`the maxDuration must be at least 1s, but is ${String(config.maxDuration)}`);
      read.only(['vus', 'iterations', 'maxDuration']);
      return { ...common, executor: executor as 'shared-iterations', vus, iterations, maxDurationMs };
    }
    case 'constant-vus': {
      const vus = read.integer('vus', 1);
      const durationMs = read.duration('duration', undefined);
      if (vus <= 0) say('the number of VUs must be more than 0');
      if (config.duration === undefined) say('the duration is unspecified');
      else if (durationMs < MIN_DURATION_MS) say(`the duration must be at least 1s, but is ${String(config.duration)}`);
      read.only(['vus', 'duration']);
      return { ...common, executor: 'constant-vus', vus, durationMs };
    }
    case 'ramping-vus': {
      const startVUs = read.integer('startVUs', 1);
      const stages = read.stages();
      const gracefulRampDownMs = read.duration('gracefulRampDown', DEFAULT_GRACEFUL_STOP_MS);
      if (startVUs < 0) say("the number of start VUs can't be negative");
      if (Math.max(startVUs, ...stages.map((stage) => stage.target)) <= 0) say("either startVUs or one of the stages' target values must be greater than 0");
      read.only(['startVUs', 'stages', 'gracefulRampDown']);
      return { ...common, executor: 'ramping-vus', startVUs, stages, gracefulRampDownMs };
    }
    case 'constant-arrival-rate': {
      const rate = read.integer('rate', 0);
      const timeUnitMs = read.duration('timeUnit', 1000);
      const durationMs = read.duration('duration', undefined);
      const [preAllocatedVUs, maxVUs] = read.vuPool();
      if (config.rate === undefined) say("the iteration rate isn't specified");
      else if (rate <= 0) say('the iteration rate must be more than 0');
      if (timeUnitMs <= 0) say('the timeUnit must be more than 0');
      if (config.duration === undefined) say('the duration is unspecified');
      else if (durationMs < MIN_DURATION_MS) say(`the duration must be at least 1s, but is ${String(config.duration)}`);
      read.only(['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs']);
      return { ...common, executor: 'constant-arrival-rate', rate, timeUnitMs, durationMs, preAllocatedVUs, maxVUs };
    }
    case 'ramping-arrival-rate': {
      const startRate = read.integer('startRate', 0);
      const timeUnitMs = read.duration('timeUnit', 1000);
      const stages = read.stages();
      const [preAllocatedVUs, maxVUs] = read.vuPool();
      if (startRate < 0) say("the startRate value can't be negative");
      if (timeUnitMs <= 0) say('the timeUnit must be more than 0');
      read.only(['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs']);
      return { ...common, executor: 'ramping-arrival-rate', startRate, timeUnitMs, stages, preAllocatedVUs, maxVUs };
    }
  }
}

const COMMON_FIELDS = ['executor', 'exec', 'startTime', 'gracefulStop', 'env', 'tags', 'options'];

/** Reads a scenario's fields, reporting each that has the wrong type, as k6's strict JSON decoding does. */
class Reader {
  constructor(
    private readonly config: Raw,
    private readonly say: (problem: string) => void,
  ) {}

  integer(field: string, fallback: number): number {
    const value = this.config[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.say(`${field} must be an integer, not ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  }

  duration(field: string, fallback: number | undefined): number {
    const value = this.config[field];
    if (value === undefined || value === null) return fallback ?? 0;
    const ms = parseDuration(value);
    if (ms === undefined) {
      this.say(`${field}: ${JSON.stringify(value)} is not a valid duration`);
      return fallback ?? 0;
    }
    return ms;
  }

  string(field: string, fallback: string): string {
    const value = this.config[field];
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'string') {
      this.say(`${field} must be a string`);
      return fallback;
    }
    return value;
  }

  stringMap(field: string): Record<string, string> {
    const value = this.config[field];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.say(`${field} must be an object of strings`);
      return {};
    }
    const map: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value as Raw)) {
      if (typeof entry !== 'string') this.say(`${field}.${key} must be a string`);
      else map[key] = entry;
    }
    return map;
  }

  stages(): Stage[] {
    const value = this.config.stages;
    if (!Array.isArray(value) || value.length === 0) {
      this.say('at least one stage has to be specified');
      return [];
    }
    return value.map((stage: unknown, index) => {
      const number = index + 1;
      const entry = (typeof stage === 'object' && stage !== null ? stage : {}) as Raw;
      const durationMs = parseDuration(entry.duration);
      if (entry.duration === undefined) this.say(`stage ${number} doesn't have a duration`);
      else if (durationMs === undefined) this.say(`stage ${number}: ${JSON.stringify(entry.duration)} is not a valid duration`);
      const target = entry.target;
      if (target === undefined) this.say(`stage ${number} doesn't have a target`);
      else if (typeof target !== 'number' || !Number.isInteger(target)) this.say(`stage ${number}: target must be an integer`);
      else if (target < 0) this.say(`the target for stage ${number} can't be negative`);
      return { durationMs: durationMs ?? 0, target: typeof target === 'number' && target > 0 ? Math.trunc(target) : 0 };
    });
  }

  vuPool(): [number, number] {
    if (this.config.preAllocatedVUs === undefined) this.say("the number of preAllocatedVUs isn't specified");
    const preAllocated = this.integer('preAllocatedVUs', 0);
    if (preAllocated < 0) this.say("the number of preAllocatedVUs can't be negative");
    const max = this.config.maxVUs === undefined ? preAllocated : this.integer('maxVUs', preAllocated);
    if (max < preAllocated) this.say("maxVUs can't be less than preAllocatedVUs");
    return [preAllocated, max];
  }

  /** k6 decodes scenarios strictly: an unknown field is an error, not a silent typo. */
  only(fields: string[]): void {
    for (const field of Object.keys(this.config)) {
      if (!COMMON_FIELDS.includes(field) && !fields.includes(field)) this.say(`unknown field "${field}" for executor ${String(this.config.executor)}`);
    }
  }
}
