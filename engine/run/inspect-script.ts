import { runInThisContext } from 'node:vm';
import { defaultTestOptions } from '../options/defaults.ts';
import { loadSharedArrays, sharedArraysJson } from '../modules/data.ts';
import { markEngine } from '../runtime/engine-marker.ts';
import { MetricTable, RecordingSink, TagInterner } from '../runtime/sample-sink.ts';
import { Vu } from '../runtime/vu.ts';
import type { MetricRef } from '../runtime/vu-context.ts';
import { VuInstance } from '../runtime/vu-instance.ts';
import type { PreparedScript, ScriptFactory } from '../script/vu-scope.ts';

export interface ScriptInspection {
  /** `export const options`, as JSON would carry it. */
  options: unknown;
  /** The exported names whose values are functions. */
  functions: string[];
  /** The custom metrics the init code declares. */
  metrics: MetricRef[];
  /** What the init code logged (console.log in the init code runs here once, as k6 runs it for its options). */
  logs: Array<{ level: string; message: string }>;
  /** The SharedArrays the init code built, as JSON by name, for the workers. */
  sharedArrays: Record<string, string>;
}

/**
 * Evaluates the script's init code once in the main thread, as k6 does before it starts any VU: for its options,
 * its exported functions and the metrics it declares. Throws what the init code throws.
 */
export async function inspectScript(script: PreparedScript, env: Record<string, string>, log: (level: string, message: string) => void): Promise<ScriptInspection> {
  markEngine();
  loadSharedArrays({});
  const factory = runInThisContext(script.code, { filename: script.filename }) as ScriptFactory;
  const sink = new RecordingSink();
  const logs: ScriptInspection['logs'] = [];
  const vu = new Vu({
    id: 0,
    idInTest: 0,
    env: { ...env },
    options: defaultTestOptions(),
    scriptDir: script.directory,
    host: {
      clock: { testStart: Date.now(), executorsStart: Date.now() },
      metrics: new MetricTable(sink),
      tagIds: new TagInterner(sink),
      sink,
      log: (level, message) => {
        logs.push({ level, message });
        log(level, message);
      },
      abortTest: () => {},
      failTest: () => {},
    },
  });
  const instance = await VuInstance.create(factory, vu);
  const exported = instance.script.exports;
  const options = exported.options === undefined ? undefined : JSON.parse(JSON.stringify(exported.options));
  const functions = Object.keys(exported).filter((name) => typeof exported[name] === 'function');
  return { options, functions, metrics: [...sink.metrics.values()], logs, sharedArrays: sharedArraysJson() };
}
