import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CapacityAnswer } from './capacity-answer.ts';
import { rateText } from './capacity-text.ts';
import type { SearchSettings } from './search.ts';
import type { StepResult } from './step-verdict.ts';

export const CAPACITY_SCHEMA = 'agent-sla/capacity/1';

export interface CapacityRun {
  testid: string;
  scenario: string;
  target: string;
  embeddedTarget: boolean;
  dialect: string;
  arrivals: string;
  settings: SearchSettings & { growthFactor: number; minSamplesPerRow: number };
  warmup: StepResult | undefined;
  steps: StepResult[];
  answer: CapacityAnswer;
  /** --min-capacity, agent runs per second. */
  minCapacity: number | undefined;
  outDir: string;
}

const round = (value: number | undefined, digits = 3): number | null => (value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits)));

function stepJson(step: StepResult, outDir: string): Record<string, unknown> {
  return {
    step: step.index,
    attempt: step.attempt,
    offered_rate: step.offeredRate,
    achieved_rate: round(step.achievedRate),
    duration_s: step.durationMs / 1000,
    vus: step.vus,
    dropped_iterations: step.dropped,
    dropped_share: round(step.droppedShare, 4),
    session_s: round(step.sessionS),
    runs_per_session: round(step.runsPerSession),
    verdict: step.verdict,
    broken: step.broken.map((row) => ({ sla: row.id, name: row.name, part: row.part || null, p95: row.p95, rate: row.rate, bound_ms: row.boundMs, min_rate: row.minRate, count: row.count })),
    too_few_samples: step.tooFew,
    generator: {
      cpu_share: round(step.load.cpuShare),
      cores: step.load.cores,
      event_loop_lag_p99_ms: round(step.load.lagP99Ms, 1),
      event_loop_lag_mean_ms: round(step.load.lagMeanMs, 1),
      limits: step.generatorLimits,
    },
    slas: step.slas.map((sla) => ({
      id: sla.id, name: sla.name, kind: sla.kind, threshold: sla.threshold, bound_ms: sla.bound_ms, min_rate: sla.min_rate,
      count: sla.count, p95: sla.p95, p99: sla.p99, rate: sla.rate, status: sla.status, breakdown: sla.breakdown,
    })),
    exit_code: step.exitCode,
    wall_s: round(step.wallMs / 1000, 1),
    reports: relative(outDir, join(step.summaryFile, '..')),
  };
}

/** Whether the capacity found meets --min-capacity; undefined without the gate. */
export function meetsMinimum(run: Pick<CapacityRun, 'answer' | 'minCapacity'>): boolean | undefined {
  if (run.minCapacity === undefined) return undefined;
  return run.answer.runsPerS !== undefined && run.answer.runsPerS >= run.minCapacity;
}

export function capacityJson(run: CapacityRun): Record<string, unknown> {
  const { answer } = run;
  const met = meetsMinimum(run);
  return {
    schema: CAPACITY_SCHEMA,
    testid: run.testid,
    scenario: run.scenario,
    target: run.target,
    embedded_target: run.embeddedTarget,
    dialect: run.dialect,
    settings: {
      step_s: run.settings.stepMs / 1000, precision: run.settings.precision, growth_factor: run.settings.growthFactor, start_rate: run.settings.startRate,
      max_rate: run.settings.maxRate, budget_s: run.settings.budgetMs / 1000, arrivals: run.arrivals, min_samples_per_row: run.settings.minSamplesPerRow,
    },
    capacity: {
      sessions_per_s: answer.sessionsPerS ?? null,
      runs_per_s: round(answer.runsPerS),
      concurrency: round(answer.concurrency, 1),
      at_least: answer.atLeast,
      first_failing_rate: answer.failRate ?? null,
    },
    bottleneck: answer.bottleneck
      ? { sla: answer.bottleneck.id, name: answer.bottleneck.name, part: answer.bottleneck.part || null, kind: answer.bottleneck.kind, p95: answer.bottleneck.p95, rate: answer.bottleneck.rate, bound_ms: answer.bottleneck.boundMs, min_rate: answer.bottleneck.minRate, offered_rate: answer.bottleneck.offeredRate }
      : null,
    generator_limited: answer.generatorLimited !== undefined,
    generator_limit: answer.generatorLimited ? { offered_rate: answer.generatorLimited.offeredRate, limits: answer.generatorLimited.limits } : null,
    stop: answer.stop,
    min_capacity: run.minCapacity === undefined ? null : { runs_per_s: run.minCapacity, met },
    warmup: run.warmup ? stepJson(run.warmup, run.outDir) : null,
    steps: run.steps.map((step) => stepJson(step, run.outDir)),
  };
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One JUnit case, `capacity`: failed, with both figures, when the capacity found is below --min-capacity. */
export function capacityJunit(run: CapacityRun, answerText: string): string {
  const met = meetsMinimum(run);
  const found = run.answer.runsPerS === undefined ? 'no agent run held every SLA' : `${rateText(run.answer.runsPerS)} agent runs/s`;
  const failure = met === false ? `capacity ${found} is below --min-capacity ${rateText(run.minCapacity!)} agent runs/s` : undefined;
  const seconds = (run.steps.reduce((sum, step) => sum + step.wallMs, run.warmup?.wallMs ?? 0) / 1000).toFixed(3);
  const body = failure
    ? `    <testcase classname="agent-sla.capacity.${escapeXml(run.scenario)}" name="capacity" time="${seconds}">\n      <failure type="capacity" message="${escapeXml(failure)}"/>\n      <system-out>${escapeXml(answerText)}</system-out>\n    </testcase>`
    : `    <testcase classname="agent-sla.capacity.${escapeXml(run.scenario)}" name="capacity" time="${seconds}">\n      <system-out>${escapeXml(answerText)}</system-out>\n    </testcase>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="agent-sla" tests="1" failures="${failure ? 1 : 0}" time="${seconds}">`,
    `  <testsuite name="agent-sla.capacity.${escapeXml(run.scenario)}" tests="1" failures="${failure ? 1 : 0}" errors="0" skipped="0" time="${seconds}">`,
    body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeCapacityFiles(run: CapacityRun, answerText: string): { json: string; junit: string } {
  mkdirSync(run.outDir, { recursive: true });
  const files = { json: join(run.outDir, 'capacity.json'), junit: join(run.outDir, 'junit.xml') };
  writeFileSync(files.json, `${JSON.stringify(capacityJson(run), null, 2)}\n`);
  writeFileSync(files.junit, capacityJunit(run, answerText));
  return files;
}
