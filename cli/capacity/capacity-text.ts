import { formatMs, formatRate } from '../../lib/format.ts';
import type { SlaResult } from '../../lib/summary/model.ts';
import type { CapacityAnswer } from './capacity-answer.ts';
import type { StopReason } from './search.ts';
import type { BrokenRow, StepResult } from './step-verdict.ts';

/** 8, 12.5, 0.125: three significant figures, no trailing zeros. */
export const rateText = (rate: number): string => String(Number(rate.toPrecision(3)));

const percent = (share: number): string => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

/** A bound as people say it: 300 ms, 30 s, 1.5 s. */
export const boundText = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toPrecision(3))} s`);

const minRateText = (minRate: number | null): string => (minRate === null || minRate >= 1 ? 'exact' : `≥ ${Number((minRate * 100).toFixed(4))}%`);

/** "agent response p95 (30 s)", "agent response [plan:enterprise] p95 (15 s)", "agent runs completed (≥ 99%)". */
export function rowText(row: BrokenRow): string {
  const name = `${row.name}${row.part ? ` [${row.part}]` : ''}`;
  return row.kind === 'latency' ? `${name} p95 (${boundText(row.boundMs ?? 0)})` : `${name} (${minRateText(row.minRate)})`;
}

/** "agent response p95 1.21 s (1 s)", "agent runs completed 93.50% (≥ 99%)". */
const measuredText = (row: BrokenRow): string => {
  const name = `${row.name}${row.part ? ` [${row.part}]` : ''}`;
  return row.kind === 'latency' ? `${name} p95 ${formatMs(row.p95)} (${boundText(row.boundMs ?? 0)})` : `${name} ${formatRate(row.rate)} (${minRateText(row.minRate)})`;
};

/** The latency SLA whose p95 came nearest its bound, for a passing step's line. */
function nearestBound(slas: readonly SlaResult[]): string | undefined {
  const latencies = slas.filter((sla) => sla.kind === 'latency' && sla.p95 !== null && sla.bound_ms !== null);
  const nearest = latencies.sort((a, b) => b.p95! / b.bound_ms! - a.p95! / a.bound_ms!)[0];
  return nearest ? `${nearest.name} p95 ${formatMs(nearest.p95)} of ${boundText(nearest.bound_ms!)}` : undefined;
}

export function verdictText(step: StepResult): string {
  switch (step.verdict) {
    case 'pass': {
      const nearest = nearestBound(step.slas);
      return `pass${nearest ? `; nearest its bound: ${nearest}` : ''}`;
    }
    case 'fail':
      return `FAIL: ${step.broken.slice(0, 3).map(measuredText).join(', ')}${step.broken.length > 3 ? ` and ${step.broken.length - 3} more` : ''}`;
    case 'not_measured':
      return `not measured: too few samples (under 20) in ${step.tooFew.slice(0, 3).join(', ')}${step.tooFew.length > 3 ? ', …' : ''}`;
    case 'generator_limited':
      return `generator limited: ${step.generatorLimits.map((limit) => limit.text).join('; ')}`;
    case 'aborted':
      return 'stopped before its end';
    case 'error':
      return `the engine exited ${step.exitCode} (see ${step.logFile})`;
  }
}

/** The live line printed as each step ends. */
export function stepLine(step: StepResult, label = `step ${step.index}`): string {
  const retry = step.attempt > 1 ? ` (again, #${step.attempt})` : '';
  return `${label}${retry}: ${rateText(step.offeredRate)} sessions/s for ${Math.round(step.durationMs / 1000)} s, ${step.vus} VUs: ` +
    `achieved ${rateText(step.achievedRate)}/s, dropped ${percent(step.droppedShare)}, CPU ${percent(step.load.cpuShare)}, lag ${Math.round(step.load.lagP99Ms)} ms → ${verdictText(step)}`;
}

const shortVerdict = (step: StepResult): string => {
  switch (step.verdict) {
    case 'fail':
      return `FAIL ${step.broken.map((row) => `${row.id}${row.part ? `[${row.part}]` : ''}`).join(', ')}`;
    case 'not_measured':
      return 'not measured';
    case 'generator_limited':
      return `generator limited (${step.generatorLimits.map((limit) => limit.kind).join(', ')})`;
    default:
      return step.verdict;
  }
};

/** Every step: offered and achieved rate, each SLA's p95 (or rate) with ✗ where it broke, and the verdict. */
export function stepTable(steps: readonly StepResult[]): string[] {
  const slaIds = [...new Map(steps.flatMap((step) => step.slas.map((sla) => [sla.id, sla] as const))).values()];
  const header = ['step', 'offered/s', 'achieved/s', 'VUs', 'dropped', ...slaIds.map((sla) => (sla.kind === 'latency' ? `${sla.id} p95` : sla.id)), 'verdict'];
  const rows = steps.map((step) => [
    `${step.index}${step.attempt > 1 ? `#${step.attempt}` : ''}`, rateText(step.offeredRate), rateText(step.achievedRate), String(step.vus), percent(step.droppedShare),
    ...slaIds.map(({ id }) => {
      const sla = step.slas.find((entry) => entry.id === id);
      if (!sla) return '';
      const figure = sla.kind === 'latency' ? formatMs(sla.p95) : formatRate(sla.rate);
      return sla.ok ? figure : `${figure} ✗`;
    }),
    shortVerdict(step),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const legend = slaIds.map((sla) => `${sla.id}: ${sla.name} ${sla.kind === 'latency' ? `p95 < ${boundText(sla.bound_ms ?? 0)}` : minRateText(sla.min_rate)}`);
  return [line(header), ...rows.map(line), `SLAs: ${legend.join('; ')}; ✗ broke it (a plan's own row may break alone: see the verdict)`];
}

const stopText: Readonly<Record<StopReason, string>> = {
  precision: 'within the precision',
  max_rate: 'reached --max-rate',
  budget: 'the --budget ran out',
  generator_limited: 'the generator was the limit',
  not_measured: 'a step had too few samples even when longer',
  below_floor: 'every rate tried broke an SLA',
  error: 'a step failed to run',
  interrupted: 'interrupted',
  max_steps: 'too many steps',
};

/** `capacity: 42 sessions/s (84 agent runs/s, 310 concurrent sessions); first to break: agent response p95 (30 s)`. */
export function answerLine(answer: CapacityAnswer): string {
  const figures = [
    ...(answer.runsPerS !== undefined ? [`${rateText(answer.runsPerS)} agent runs/s`] : []),
    ...(answer.concurrency !== undefined ? [`${Math.round(answer.concurrency)} concurrent sessions`] : []),
  ];
  const rate = answer.sessionsPerS !== undefined
    ? `${answer.atLeast ? 'at least ' : ''}${rateText(answer.sessionsPerS)} sessions/s${figures.length > 0 ? ` (${figures.join(', ')})` : ''}`
    : answer.failRate !== undefined ? `below ${rateText(answer.failRate)} sessions/s` : 'not found';
  const causes = [
    ...(answer.bottleneck ? [`first to break: ${rowText(answer.bottleneck)} at ${rateText(answer.bottleneck.offeredRate)} sessions/s`] : []),
    ...(answer.generatorLimited
      ? [`the generator could not offer ${rateText(answer.generatorLimited.offeredRate)} sessions/s (${answer.generatorLimited.limits.map((limit) => limit.text).join('; ')}), so the backend was not the limit up to there`]
      : []),
  ];
  return `capacity: ${rate}; ${causes.length > 0 ? causes.join('; ') : `no SLA broke (${stopText[answer.stop]})`}`;
}

export const stopLine = (answer: CapacityAnswer): string => `search ended: ${stopText[answer.stop]}`;
