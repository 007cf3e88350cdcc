import type { MetricType } from '../metrics/types.ts';
import { initializingVu } from '../runtime/init-vu.ts';
import { withTags } from '../runtime/tags.ts';
import type { MetricRef, ModuleDefinition, VuContext } from '../runtime/vu-context.ts';

/**
 * k6/metrics: Counter, Gauge, Rate and Trend, created in the init context and added to in iterations. The classes are
 * shared by every VU (a metric learns its VU when the VU's init code creates it), so a VU costs its metrics only.
 */
abstract class CustomMetric {
  readonly name: string;
  private readonly vu: VuContext;
  private readonly ref: MetricRef;

  constructor(type: MetricType, name: unknown, isTime: unknown) {
    const vu = initializingVu();
    if (!vu || vu.stage() !== 'init') throw new Error('metrics must be declared in the init context');
    if (typeof name !== 'string') throw new Error('a metric needs a name');
    this.vu = vu;
    this.ref = vu.metric(name, type, isTime === true && type === 'trend' ? 'time' : 'default');
    this.name = name;
  }

  add(value: unknown, tags?: Record<string, unknown>): boolean {
    const vu = this.vu;
    if (vu.stage() === 'init') throw new Error('adding to metrics in the init context is not supported');
    const number = toNumber(value, this.ref.type);
    if (number === undefined) {
      vu.log('warn', `${this.name}: ${String(value)} is not a number, the sample is dropped`);
      return false;
    }
    vu.emit(this.ref, number, withTags(vu.tags(), tags));
    return true;
  }
}

class Counter extends CustomMetric {
  constructor(name: unknown, isTime?: unknown) {
    super('counter', name, isTime);
  }
}

class Gauge extends CustomMetric {
  constructor(name: unknown, isTime?: unknown) {
    super('gauge', name, isTime);
  }
}

class Rate extends CustomMetric {
  constructor(name: unknown, isTime?: unknown) {
    super('rate', name, isTime);
  }
}

class Trend extends CustomMetric {
  constructor(name: unknown, isTime?: unknown) {
    super('trend', name, isTime);
  }
}

const members = { Counter, Gauge, Rate, Trend };
const namespace = Object.freeze({ ...members, default: members });

export const metricsModule: ModuleDefinition = {
  name: 'k6/metrics',
  instantiate: () => namespace,
};

function toNumber(value: unknown, type: MetricType): number | undefined {
  if (type === 'rate') return value ? 1 : 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : undefined;
}
