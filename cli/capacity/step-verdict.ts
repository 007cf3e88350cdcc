import type { BreakdownResult, SlaResult } from '../../lib/summary/model.ts';
import type { GeneratorLoad } from './generator-load.ts';
import type { StepOutcome, StepRequest } from './step-run.ts';

/**
 * The fewest samples a row (an SLA, or one of its plans) needs for its verdict to count: below 20, a p95 is the
 * largest value or an interpolation towards it, and one slow sample decides the step.
 */
export const minSamplesPerRow = 20;
/** Dropped iterations above this share of the offered ones: the rate was not offered. */
export const maxDroppedShare = 0.01;
/** CPU of the engine's threads, as a share of the cores it may use, from which it cannot keep up. */
export const maxCpuShare = 0.9;
/** Event-loop delay of the main thread (typical half-second p99, ms) from which arrivals start late. */
export const maxLagP99Ms = 100;
/** Mean event-loop delay, ms, from which the scheduler is behind most of the time. */
export const maxLagMeanMs = 30;

export type StepVerdict = 'pass' | 'fail' | 'not_measured' | 'generator_limited' | 'aborted' | 'error';

/** Why the generator, not the backend, was the limit. `vu_pool` alone may be lifted by a larger pool. */
export interface GeneratorLimit {
  kind: 'cpu' | 'event_loop' | 'vu_pool';
  text: string;
}

/** One row that broke its SLA: the SLA as a whole or one plan's or scenario's part of it. */
export interface BrokenRow {
  id: string;
  name: string;
  /** '' for the SLA as a whole, else 'plan:pro' or 'scenario:journey'. */
  part: string;
  kind: 'latency' | 'rate';
  count: number;
  p95: number | null;
  rate: number | null;
  boundMs: number | null;
  minRate: number | null;
  /** How far past its bound, relative: 0.2 is a p95 20 % over, or a fifth of the error budget over. */
  excess: number;
}

export interface StepResult {
  index: number;
  attempt: number;
  offeredRate: number;
  durationMs: number;
  vus: number;
  /** Iterations that started (completed) per second of the arrival window. */
  achievedRate: number;
  dropped: number;
  droppedShare: number;
  /** Mean session (iteration) length, s; undefined when none completed. */
  sessionS: number | undefined;
  /** Agent runs per session, measured; undefined for a scenario that runs no agent. */
  runsPerSession: number | undefined;
  verdict: StepVerdict;
  broken: BrokenRow[];
  generatorLimits: GeneratorLimit[];
  /** Rows with too few samples to judge, as "agent response [plan:free] (7)". */
  tooFew: string[];
  slas: SlaResult[];
  load: GeneratorLoad;
  exitCode: number;
  wallMs: number;
  /** sla-summary.json of the step, for the SLA figures; undefined when the engine wrote none. */
  summaryFile: string;
  logFile: string;
}

/** The judged rows of an SLA: itself, then each scenario's and each plan's part. */
function rowsOf(sla: SlaResult): { part: string; row: SlaResult | BreakdownResult }[] {
  return [
    { part: '', row: sla },
    ...Object.entries(sla.breakdown.scenario).map(([name, row]) => ({ part: `scenario:${name}`, row })),
    ...Object.entries(sla.breakdown.plan).map(([name, row]) => ({ part: `plan:${name}`, row })),
  ];
}

const rowStatus = (part: string, row: SlaResult | BreakdownResult): string => (part === '' ? (row as SlaResult).overall_status : row.status);

function brokenRow(sla: SlaResult, part: string, row: SlaResult | BreakdownResult): BrokenRow {
  const boundMs = row.bound_ms ?? sla.bound_ms;
  const minRate = row.min_rate ?? sla.min_rate;
  const excess = sla.kind === 'latency'
    ? (row.p95 ?? 0) / Math.max(1, boundMs ?? 1) - 1
    : ((minRate ?? 1) - (row.rate ?? 0)) / Math.max(0.001, 1 - (minRate ?? 1));
  return { id: sla.id, name: sla.name, part, kind: sla.kind, count: row.count, p95: row.p95, rate: row.rate, boundMs, minRate, excess };
}

/** A row that failed with too few samples still counts when its SLA is exact: one wrong stream is a wrong stream. */
const countsWithFewSamples = (sla: SlaResult, row: SlaResult | BreakdownResult): boolean => sla.kind === 'rate' && (row.min_rate ?? sla.min_rate) === 1;

function generatorLimits(request: StepRequest, outcome: StepOutcome, droppedShare: number, slaBroken: boolean): GeneratorLimit[] {
  const limits: GeneratorLimit[] = [];
  const load = outcome.load;
  if (load.cpuShare >= maxCpuShare) {
    limits.push({ kind: 'cpu', text: `CPU ${Math.round(load.cpuShare * 100)}% of the ${load.cores} core${load.cores === 1 ? '' : 's'} the engine may use` });
  }
  if (load.lagP99Ms >= maxLagP99Ms || load.lagMeanMs >= maxLagMeanMs) {
    limits.push({ kind: 'event_loop', text: `the scheduler's event loop ran ${Math.round(load.lagP99Ms)} ms late (p99; mean ${Math.round(load.lagMeanMs)} ms)` });
  }
  // Every VU is initialised before the arrivals (no VU is added mid-step), so an iteration is dropped only when all
  // of them are busy. With an SLA broken, the backend kept them busy; with every SLA held, the pool was too small.
  if (droppedShare > maxDroppedShare && !slaBroken) {
    limits.push({ kind: 'vu_pool', text: `${outcome.engine.dropped} iterations dropped (${(droppedShare * 100).toFixed(1)}% of offered): all ${request.vus} VUs were busy` });
  }
  return limits;
}

/** One step judged: the backend's verdict on every SLA row, unless the generator could not offer the rate. */
export function judgeStep(request: StepRequest, attempt: number, outcome: StepOutcome, aborted: boolean): StepResult {
  const summary = outcome.summary;
  const slas = summary?.slas ?? [];
  const durationS = request.durationMs / 1000;
  const offered = request.rate * durationS;
  const droppedShare = offered > 0 ? outcome.engine.dropped / offered : 0;
  const iterations = summary?.iterations ?? outcome.engine.iterations;
  const broken: BrokenRow[] = [];
  const tooFew: string[] = [];
  for (const sla of slas) {
    const wholeCount = sla.count;
    for (const { part, row } of rowsOf(sla)) {
      const status = rowStatus(part, row);
      // An SLA this backend never measures (no sample in a step of many sessions) is left out, not waited for.
      if (row.count === 0 && wholeCount === 0 && iterations >= minSamplesPerRow) continue;
      const enough = row.count >= minSamplesPerRow;
      if (status === 'fail' && (enough || countsWithFewSamples(sla, row))) broken.push(brokenRow(sla, part, row));
      else if (!enough) tooFew.push(`${sla.name}${part ? ` [${part}]` : ''} (${row.count})`);
    }
  }
  const result: StepResult = {
    index: request.index,
    attempt,
    offeredRate: request.rate,
    durationMs: request.durationMs,
    vus: request.vus,
    achievedRate: outcome.engine.iterations / durationS,
    dropped: outcome.engine.dropped,
    droppedShare,
    sessionS: outcome.engine.meanIterationMs === undefined ? undefined : outcome.engine.meanIterationMs / 1000,
    runsPerSession: summary && summary.completed_per_s !== null && iterations > 0 ? (summary.runs.completed + summary.runs.failed) / iterations : undefined,
    verdict: 'pass',
    broken: broken.sort((a, b) => b.excess - a.excess),
    generatorLimits: [],
    tooFew,
    slas,
    load: outcome.load,
    exitCode: outcome.exitCode,
    wallMs: outcome.wallMs,
    summaryFile: `${request.dir}/sla-summary.json`,
    logFile: outcome.logFile,
  };
  if (aborted) return { ...result, verdict: 'aborted' };
  if ((outcome.exitCode !== 0 && outcome.exitCode !== 99) || !summary) return { ...result, verdict: 'error' };
  result.generatorLimits = generatorLimits(request, outcome, droppedShare, broken.length > 0);
  if (result.generatorLimits.length > 0) return { ...result, verdict: 'generator_limited' };
  if (broken.length > 0) return { ...result, verdict: 'fail' };
  return { ...result, verdict: tooFew.length > 0 || iterations === 0 ? 'not_measured' : 'pass' };
}
