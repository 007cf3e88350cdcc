import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How busy the load generator was over one step, measured in this process (the engine runs in it). */
export interface GeneratorLoad {
  /**
   * CPU time of this process (main thread, VU workers, an embedded target) over the step's busiest stretch, as a share
   * of the cores the engine can use: min(cores, workers). 1 means every one of them was busy all the time.
   */
  cpuShare: number;
  /** Event-loop delay of the main thread, where the engine's scheduler starts every arrival: p99 and mean, ms. */
  lagP99Ms: number;
  lagMeanMs: number;
  /** Cores the share is counted against. */
  cores: number;
}

const sampleEveryMs = 500;

interface Sample {
  cpuMs: number;
  wallMs: number;
  lagP99Ms: number;
  lagMeanMs: number;
}

/**
 * Samples CPU and event-loop delay every half second while a step runs. A step is more than its arrivals (VU init,
 * setup, the drain, the summary), so the figures are those of its busiest stretch as long as the arrival window
 * (`windowMs`): VU init is a short burst, and idle seconds around the load do not dilute a saturated window.
 */
export class GeneratorLoadMeter {
  private readonly samples: Sample[] = [];
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private timer: NodeJS.Timeout | undefined;
  private lastCpu = process.cpuUsage();
  private lastWall = performance.now();

  constructor(private readonly workers: number | undefined) {}

  start(): void {
    this.histogram.enable();
    this.lastCpu = process.cpuUsage();
    this.lastWall = performance.now();
    this.timer = setInterval(() => this.sample(), sampleEveryMs);
  }

  stop(windowMs: number): GeneratorLoad {
    clearInterval(this.timer);
    this.sample();
    this.histogram.disable();
    const cores = Math.max(1, Math.min(availableParallelism(), this.workers ?? availableParallelism()));
    const window = busiestWindow(this.samples, windowMs);
    const wallMs = window.reduce((sum, sample) => sum + sample.wallMs, 0);
    const cpuMs = window.reduce((sum, sample) => sum + sample.cpuMs, 0);
    return {
      cpuShare: wallMs > 0 ? cpuMs / (wallMs * cores) : 0,
      lagP99Ms: percentile(window.map((sample) => sample.lagP99Ms), 0.5),
      lagMeanMs: window.length > 0 ? window.reduce((sum, sample) => sum + sample.lagMeanMs, 0) / window.length : 0,
      cores,
    };
  }

  private sample(): void {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = performance.now();
    // The histogram records how late a 10 ms timer fired; its resolution is not lag.
    const lag = (ns: number): number => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - 10) : 0);
    this.samples.push({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: now - this.lastWall, lagP99Ms: lag(this.histogram.percentile(99)), lagMeanMs: lag(this.histogram.mean) });
    this.histogram.reset();
    this.lastCpu = process.cpuUsage();
    this.lastWall = now;
  }
}

/** The consecutive samples covering windowMs with the most CPU time; all of them when the step was shorter. */
function busiestWindow(samples: Sample[], windowMs: number): Sample[] {
  const size = Math.max(1, Math.round(windowMs / sampleEveryMs));
  if (samples.length <= size) return samples;
  let best = 0;
  let bestCpu = -1;
  for (let start = 0; start + size <= samples.length; start++) {
    const cpu = samples.slice(start, start + size).reduce((sum, sample) => sum + sample.cpuMs, 0);
    if (cpu > bestCpu) {
      bestCpu = cpu;
      best = start;
    }
  }
  return samples.slice(best, best + size);
}

/** The median of the half-second p99s: one long pause (a GC, the summary) does not make a whole step late. */
function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
