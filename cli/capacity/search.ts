import { minSamplesPerRow, type StepResult } from './step-verdict.ts';

export interface SearchSettings {
  /** Sessions per second of the first step. */
  startRate: number;
  /** No step above this rate; reaching it with every SLA held ends the search. */
  maxRate: number;
  /** Bisect until the lowest failing rate is within this share above the highest passing one (0.05: 5 %). */
  precision: number;
  /** Length of a step's arrival window, ms; longer when its rows would get too few samples. */
  stepMs: number;
  /** Wall time the whole search may take, ms. */
  budgetMs: number;
}

/** Each step offers this many times the rate of the last passing one until one fails. */
export const growthFactor = 2;
/** Steps the search runs at most, whatever else bounds it. */
export const maxSteps = 40;
/** A step without enough samples is run again at most this many times, each twice as long. */
const maxRepeats = 2;
/** A step is never longer than this many times --step. */
const maxLengthFactor = 4;
/** Below the first rate, halve at most this many times before saying the capacity is below the last one. */
const maxHalvings = 6;
/** The VU pool holds this many times the sessions the rate keeps in flight (rate × session length). */
const poolHeadroom = 4;
export const maxVus = 2000;
/** Session length assumed before any step measured one, s. */
const firstSessionGuessS = 2;

export type StopReason = 'precision' | 'max_rate' | 'budget' | 'generator_limited' | 'not_measured' | 'below_floor' | 'error' | 'interrupted' | 'max_steps';

export interface SearchOutcome {
  steps: StepResult[];
  /** The highest rate at which every SLA held; undefined when none did. */
  passRate: number | undefined;
  /** The lowest rate at which an SLA broke; undefined when none did. */
  failRate: number | undefined;
  stop: StopReason;
  /** The step that ended the search, when one did (generator limit, error, not measured). */
  stoppedBy?: StepResult;
}

/** Runs one step at this rate, length and VU pool; `attempt` is 1 unless the step is a repeat. */
export type StepRunner = (rate: number, durationMs: number, vus: number, attempt: number) => Promise<StepResult>;

/** Rates are kept to three significant figures, so a step's rate reads as it was offered. */
export const roundRate = (rate: number): number => Number(rate.toPrecision(3));

export function vusFor(rate: number, sessionS: number | undefined): number {
  const inFlight = rate * Math.max(0.25, sessionS ?? firstSessionGuessS);
  return Math.min(maxVus, Math.ceil(inFlight * poolHeadroom) + 10);
}

/** Samples of the sparsest row per session, from a step that had sessions; undefined before any. */
function sparsestRowPerSession(step: StepResult): number | undefined {
  const sessions = step.achievedRate * (step.durationMs / 1000);
  if (!(sessions > 0)) return undefined;
  const counts = step.slas.flatMap((sla) => [sla.count, ...Object.values(sla.breakdown.scenario).map((row) => row.count), ...Object.values(sla.breakdown.plan).map((row) => row.count)]);
  const positive = counts.filter((count) => count > 0);
  return positive.length > 0 ? Math.min(...positive) / sessions : undefined;
}

/**
 * Open-model capacity search: raise the offered rate geometrically until a step breaks an SLA, then bisect between
 * the last pass and the first failure (geometric midpoint) until they are within `precision`. A step without enough
 * samples is repeated longer and never counts as a pass; a step the generator could not offer stops the search.
 */
export class CapacitySearch {
  private readonly steps: StepResult[] = [];
  private passRate: number | undefined;
  private failRate: number | undefined;
  private sessionS: number | undefined;
  private perSession: number | undefined;
  private readonly deadline: number;

  constructor(
    private readonly settings: SearchSettings,
    private readonly runStep: StepRunner,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.deadline = now() + settings.budgetMs;
  }

  /**
   * What a step taught: how many samples a session gives, and how long sessions last, from the last step whose SLAs
   * held (an overloaded step's long sessions would size every later pool for overload).
   */
  learn(step: StepResult): void {
    if (step.sessionS !== undefined && (step.verdict === 'pass' || this.sessionS === undefined)) this.sessionS = step.sessionS;
    this.perSession = sparsestRowPerSession(step) ?? this.perSession;
  }

  async run(): Promise<SearchOutcome> {
    const { startRate, maxRate, precision } = this.settings;
    let rate = Math.min(startRate, maxRate);
    let halvings = 0;
    while (this.steps.length < maxSteps) {
      const step = await this.measure(rate);
      if (typeof step === 'string') return this.outcome(step);
      if (step.verdict === 'generator_limited') return this.outcome('generator_limited', step);
      if (step.verdict === 'aborted') return this.outcome(this.now() >= this.deadline ? 'budget' : 'interrupted', step);
      if (step.verdict === 'error') return this.outcome('error', step);
      if (step.verdict === 'pass') this.passRate = Math.max(this.passRate ?? 0, rate);
      else if (step.verdict === 'fail') this.failRate = Math.min(this.failRate ?? Infinity, rate);
      else if (this.failRate !== undefined) return this.outcome('not_measured', step);

      if (this.failRate === undefined) {
        // Rising: nothing broke yet. A step not measured even when longer is skipped: a pass above it covers it.
        if (rate >= maxRate) return this.outcome('max_rate');
        rate = roundRate(Math.min(maxRate, rate * growthFactor));
      } else if (this.passRate === undefined) {
        // The first rates already broke an SLA: go down until one holds.
        if (++halvings > maxHalvings) return this.outcome('below_floor');
        rate = roundRate(this.failRate / growthFactor);
      } else {
        if (this.failRate / this.passRate - 1 <= precision) return this.outcome('precision');
        const next = roundRate(Math.sqrt(this.passRate * this.failRate));
        // Rounding can land on a bound when they are three significant figures apart.
        if (next <= this.passRate || next >= this.failRate) return this.outcome('precision');
        rate = next;
      }
    }
    return this.outcome('max_steps');
  }

  /** One rate, repeated longer while it has too few samples; a StopReason when the budget cannot fit it. */
  private async measure(rate: number): Promise<StepResult | StopReason> {
    let durationMs = this.lengthFor(rate);
    let vus = vusFor(rate, this.sessionS);
    let poolRetried = false;
    for (let attempt = 1; ; attempt++) {
      if (this.now() + durationMs + this.overheadMs() > this.deadline) return 'budget';
      const step = await this.runStep(rate, durationMs, vus, attempt);
      this.steps.push(step);
      this.learn(step);
      if (step.verdict === 'not_measured' && attempt <= maxRepeats && this.steps.length < maxSteps) {
        durationMs = Math.min(this.settings.stepMs * maxLengthFactor, Math.max(durationMs * 2, this.lengthFor(rate)));
        continue;
      }
      // A pool too small while every SLA held: once more with one sized from this step's sessions.
      const poolOnly = step.verdict === 'generator_limited' && step.generatorLimits.every((limit) => limit.kind === 'vu_pool');
      if (poolOnly && !poolRetried && vus < maxVus && this.steps.length < maxSteps) {
        poolRetried = true;
        vus = Math.max(vusFor(rate, this.sessionS), Math.min(maxVus, vus * 2));
        continue;
      }
      return step;
    }
  }

  /** --step, or longer so that the sparsest row gets its samples (a quarter more, for the spread), at most 4 × --step. */
  private lengthFor(rate: number): number {
    const base = this.settings.stepMs;
    if (this.perSession === undefined) return base;
    const needS = (minSamplesPerRow * 1.25) / (this.perSession * rate);
    return Math.round(Math.min(base * maxLengthFactor, Math.max(base, needS * 1000)));
  }

  /** Wall time a step costs beyond its arrival window (engine start, VU init, drain, summary), from the last one. */
  private overheadMs(): number {
    const last = this.steps.at(-1);
    return last ? Math.max(0, last.wallMs - last.durationMs) : 5_000;
  }

  private outcome(stop: StopReason, stoppedBy?: StepResult): SearchOutcome {
    return { steps: this.steps, passRate: this.passRate, failRate: this.failRate, stop, ...(stoppedBy ? { stoppedBy } : {}) };
  }
}
