import { defineBuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { Thresholds } from '../metrics/thresholds.ts';
import { consolidateOptions, OptionsError } from '../options/consolidate.ts';
import type { TestOptions } from '../options/test-options.ts';
import type { Level } from '../runtime/logger.ts';
import { prepareScript, ScriptError } from '../script/prepare-script.ts';
import { originalStackTrace } from '../script/stack-trace.ts';
import type { PreparedScript } from '../script/vu-scope.ts';
import { ExitCode } from './exit-codes.ts';
import { inspectScript, type ScriptInspection } from './inspect-script.ts';
import type { RunConfig } from './run-config.ts';

export type Say = (level: Level, message: string, fields?: Record<string, string>) => void;

/** A test ready to run: its script, what its init code declared, its options, metrics and thresholds. */
export interface LoadedTest {
  script: PreparedScript;
  inspection: ScriptInspection;
  options: TestOptions;
  registry: MetricsRegistry;
  /** Undefined with --no-thresholds. */
  thresholds: Thresholds | undefined;
}

/**
 * Everything before any VU exists, as k6 does it: the script prepared (107 if it cannot load), its init code run once
 * for its options (107, or 108 for test.abort()), the options consolidated and checked, the thresholds checked against
 * the metrics the script declares (104). A number is the exit code of a test that stops here.
 */
export async function loadTest(config: RunConfig, say: Say): Promise<LoadedTest | number> {
  let script: PreparedScript;
  try {
    script = await prepareScript(config.scriptPath);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    say('error', error.message);
    return ExitCode.scriptException;
  }

  let inspection: ScriptInspection;
  try {
    inspection = await inspectScript(script, config.env, (level, message) => say(level as Level, message, { source: 'console' }));
  } catch (error) {
    if (error instanceof Error && error.name === 'TestAbort') {
      say('error', error.message);
      return ExitCode.scriptAborted;
    }
    say('error', originalStackTrace(describeError(error), script), { hint: 'script exception' });
    return ExitCode.scriptException;
  }

  try {
    const { options, warnings } = consolidateOptions(inspection.options, config.overrides);
    for (const warning of warnings) say('warn', warning);
    for (const [name, scenario] of Object.entries(options.scenarios)) {
      if (!inspection.functions.includes(scenario.exec)) throw new OptionsError([`executor ${name}: function '${scenario.exec}' not found in exports`]);
    }
    const registry = new MetricsRegistry();
    defineBuiltinMetrics(registry, options.systemTags);
    for (const metric of inspection.metrics) registry.define({ name: metric.name, type: metric.type, contains: metric.contains });
    const thresholds = config.noThresholds ? undefined : new Thresholds(options.thresholds, registry);
    for (const warning of thresholds?.warnings ?? []) say('warn', warning);
    return { script, inspection, options, registry, thresholds };
  } catch (error) {
    if (error instanceof OptionsError) for (const problem of error.problems) say('error', problem);
    else say('error', describeError(error));
    return ExitCode.invalidConfig;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
