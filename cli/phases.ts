import cliProgress from 'cli-progress';

export interface Phases {
  /** Runs one phase, showing it while it runs and how long it took once it is done. */
  run<T>(name: string, work: () => Promise<T>, doneText?: (result: T) => string): Promise<T>;
  /** Prints one line of status (stderr), kept above the bar on a terminal. */
  note(line: string): void;
  /** Takes the bar off the screen, e.g. before a child process draws its own progress. */
  pause(): void;
  stop(): void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The phases before the load (provisioning, building, starting the target, health): on a terminal a
 * cli-progress bar counts them, with each finished phase kept as a line above it; on a pipe (CI)
 * one line per finished phase; `quiet` prints nothing.
 */
export function startPhases(total: number, options: { quiet?: boolean } = {}): Phases {
  if (options.quiet) {
    return { run: (_name, work) => work(), note: () => {}, pause: () => {}, stop: () => {} };
  }
  if (!process.stderr.isTTY) {
    return {
      async run(name, work, doneText) {
        const started = performance.now();
        const result = await work();
        process.stderr.write(`✓ ${doneText?.(result) ?? name} (${seconds(performance.now() - started)})\n`);
        return result;
      },
      note: (line) => void process.stderr.write(`${line}\n`),
      pause: () => {},
      stop: () => {},
    };
  }
  let multibar: cliProgress.MultiBar | undefined;
  let bar: cliProgress.SingleBar | undefined;
  let finished = 0;
  const show = (name: string): void => {
    if (!multibar) {
      multibar = new cliProgress.MultiBar(
        { format: 'agent-sla [{bar}] {value}/{total} {phase} {duration}s', stream: process.stderr, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar = multibar.create(total, finished, { phase: name });
    }
    bar?.update(finished, { phase: `${name}…` });
  };
  const hide = (): void => {
    // log() only buffers until the next redraw: flush it, or the finished phases vanish with the bar.
    multibar?.update();
    multibar?.stop();
    multibar = undefined;
    bar = undefined;
  };
  const note = (line: string): void => {
    if (multibar) multibar.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  };
  return {
    async run(name, work, doneText) {
      const started = performance.now();
      show(name);
      try {
        const result = await work();
        finished++;
        note(`✓ ${doneText?.(result) ?? name} (${seconds(performance.now() - started)})`);
        return result;
      } catch (error) {
        hide();
        throw error;
      }
    },
    note,
    pause: hide,
    stop: hide,
  };
}
