import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { ThresholdResult } from '../metrics/thresholds.ts';
import type { LedgerSnapshot } from '../modules/ledger.ts';
import type { TestOptions } from '../options/test-options.ts';
import type { Level } from '../runtime/logger.ts';
import type { SummaryBreakdown } from '../summary/breakdown.ts';
import { buildSummaryData } from '../summary/summary-data.ts';
import { writeSummaryOutputs } from '../summary/summary-outputs.ts';
import { textSummary } from '../summary/text-summary.ts';
import type { RunConfig } from './run-config.ts';
import type { TestIo } from './run-test.ts';
import type { SampleIntake } from './sample-intake.ts';
import { legacySummaryExport } from './summary-export.ts';
import type { WorkerPool } from './worker-pool.ts';

export interface EndOfTest {
  config: RunConfig;
  io: TestIo;
  registry: MetricsRegistry;
  results: readonly ThresholdResult[];
  intake: SampleIntake;
  breakdown: SummaryBreakdown;
  options: TestOptions;
  durationMs: number;
  workers: WorkerPool;
  ledger: LedgerSnapshot;
  setupData: unknown;
  hasHandleSummary: boolean;
  say(level: Level, message: string, fields?: Record<string, string>): void;
}

/**
 * The end-of-test summary: handleSummary(data) when the script exports it (what it returns is written where it
 * says), k6's text summary on stdout otherwise; --summary-export writes k6's old JSON export besides. A
 * handleSummary that throws is reported, and the default summary is printed instead, as k6 does.
 */
export async function endOfTest(end: EndOfTest): Promise<void> {
  const data = buildSummaryData({
    registry: end.registry,
    thresholds: end.results,
    checks: end.intake.checks(),
    groups: end.intake.groups(),
    options: end.options,
    testRunDurationMs: end.durationMs,
    isStdOutTTY: end.io.stdoutIsTTY,
    isStdErrTTY: end.io.stderrIsTTY,
    noColor: end.config.noColor,
    setupData: end.setupData,
    breakdown: end.breakdown,
  });
  if (end.config.summaryExport) {
    const file = resolve(end.config.cwd, end.config.summaryExport);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(legacySummaryExport(data), null, 2)}\n`);
  }
  if (end.config.noSummary) return;
  const printDefault = (): void => end.io.stdout(`\n${textSummary(data, { colors: end.io.stdoutIsTTY && !end.config.noColor, mode: end.config.summaryMode })}\n\n`);
  if (!end.hasHandleSummary) {
    printDefault();
    return;
  }
  const outcome = await end.workers.lifecycle('summary', JSON.stringify(data), end.ledger);
  if (!outcome.ok) {
    end.say('error', `handleSummary() failed with error "${outcome.error ?? 'unknown'}", falling back to the default summary`);
    printDefault();
    return;
  }
  if (!outcome.summary) {
    printDefault();
    return;
  }
  try {
    await writeSummaryOutputs(outcome.summary, { stdout: (text) => end.io.stdout(text), stderr: (text) => end.io.stderr(text), cwd: end.config.cwd });
  } catch (error) {
    end.say('error', `could not write handleSummary()'s output: ${error instanceof Error ? error.message : String(error)}`);
  }
}
