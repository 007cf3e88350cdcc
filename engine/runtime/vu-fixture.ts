import { defaultTestOptions } from '../options/defaults.ts';
import type { TestOptions } from '../options/test-options.ts';
import { MetricTable, RecordingSink, TagInterner } from './sample-sink.ts';
import { Vu, type LogLevel } from './vu.ts';

export interface StandaloneVu {
  vu: Vu;
  sink: RecordingSink;
  logs: Array<{ level: LogLevel; message: string }>;
  aborted: string[];
}

/**
 * A real VU outside a worker, its samples kept in memory: for the modules' own tests. It is the same Vu class the
 * workers run; only the sink differs.
 */
export function standaloneVu(overrides: { id?: number; env?: Record<string, string>; options?: Partial<TestOptions>; scriptDir?: string } = {}): StandaloneVu {
  const sink = new RecordingSink();
  const logs: StandaloneVu['logs'] = [];
  const aborted: string[] = [];
  const id = overrides.id ?? 1;
  const vu = new Vu({
    id,
    idInTest: id,
    env: overrides.env ?? {},
    options: { ...defaultTestOptions(), ...overrides.options },
    scriptDir: overrides.scriptDir ?? process.cwd(),
    host: {
      clock: { testStart: Date.now(), executorsStart: Date.now() },
      metrics: new MetricTable(sink),
      tagIds: new TagInterner(sink),
      sink,
      log: (level, message) => logs.push({ level, message }),
      abortTest: (reason) => aborted.push(reason),
      failTest: (reason) => aborted.push(`fail: ${reason}`),
    },
  });
  vu.setStage('iteration');
  return { vu, sink, logs, aborted };
}
