import type { ExecutorProgress } from '../execution/context.ts';
import { formatDuration } from '../options/duration.ts';
import type { TestIo } from './run-test.ts';

interface Totals {
  elapsedMs: number;
  vus: number;
  vusMax: number;
  completed: number;
  interrupted: number;
}

const BAR_WIDTH = 40;
const REDRAW_MS = 200;

/**
 * k6's live progress on a terminal: one `running (…), n/m VUs, … iterations` line and a bar per scenario, redrawn
 * in place on stderr. Nothing at all when disabled (-q, or no terminal).
 */
export class ProgressDisplay {
  private timer: NodeJS.Timeout | undefined;
  private drawn = 0;
  private scenarios: Array<{ name: string; progress: ExecutorProgress }> = [];
  private totals: (() => Totals) | undefined;

  constructor(
    private readonly io: TestIo,
    private readonly enabled: boolean,
  ) {}

  /** A one-line note before the scenarios start (initializing VUs, setup). */
  phase(text: string): void {
    if (!this.enabled) return;
    this.draw([`${text}…`]);
  }

  start(scenarios: Array<{ name: string; progress: ExecutorProgress }>, totals: () => Totals): void {
    if (!this.enabled) return;
    this.scenarios = scenarios;
    this.totals = totals;
    this.timer = setInterval(() => this.render(), REDRAW_MS);
    this.timer.unref();
    this.render();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled && this.totals) this.render();
    this.totals = undefined;
    if (this.drawn > 0) this.io.stderr('\n');
    this.drawn = 0;
  }

  private render(): void {
    if (!this.totals) return;
    const totals = this.totals();
    const width = Math.max(...this.scenarios.map((scenario) => scenario.name.length), 7);
    const lines = [
      `running (${formatClock(totals.elapsedMs)}), ${String(totals.vus).padStart(2, '0')}/${String(totals.vusMax).padStart(2, '0')} VUs, ${totals.completed} complete and ${totals.interrupted} interrupted iterations`,
      ...this.scenarios.map(({ name, progress }) => {
        const fraction = Math.max(0, Math.min(1, progress.fraction()));
        const filled = Math.round(fraction * BAR_WIDTH);
        const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${'-'.repeat(BAR_WIDTH - filled)}`;
        return `${name.padEnd(width)} [${bar}] ${progress.status()}`;
      }),
    ];
    this.draw(lines);
  }

  private draw(lines: string[]): void {
    const up = this.drawn > 0 ? `\u001b[${this.drawn}F` : '';
    this.io.stderr(`${up}${lines.map((line) => `\u001b[2K${line}`).join('\n')}\n`);
    this.drawn = lines.length;
  }
}

/** k6's run clock: 0m05.2s. */
function formatClock(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${minutes}m${seconds.toFixed(1).padStart(4, '0')}s`;
}

