import type { VuLease } from '../execution/context.ts';
import { InitError, type WorkerPool } from './worker-pool.ts';

interface PooledVu extends VuLease {
  readonly id: number;
  readonly worker: number;
  state: 'idle' | 'leased' | 'retired';
}

/**
 * The instance's VUs, as the main thread keeps them: which worker hosts each, and whether an executor holds it.
 * VUs are spread over the workers in turn, so that a ramp of VUs spreads its load. An interrupted VU is retired
 * (its iteration may have left anything behind); it is evaluated afresh before it is lent again.
 */
export class VuPool {
  private readonly vus: PooledVu[] = [];
  private readonly idle: PooledVu[] = [];
  private leasedCount = 0;
  /** Told when the number of leased VUs changes, and whether it grew. */
  onChange: (grew: boolean) => void = () => {};

  constructor(
    private readonly workers: WorkerPool,
    /** Added to an instance VU id to make it unique across the instances of a distributed test. */
    private readonly idInTestOffset: number,
    /** The most VUs this instance may ever have. */
    private readonly maxVus: number,
  ) {}

  get initialized(): number {
    return this.vus.length;
  }

  get leased(): number {
    return this.leasedCount;
  }

  workerOf(vu: VuLease): number {
    return (vu as PooledVu).worker;
  }

  /** Initializes `count` more VUs, in parallel on every worker. Throws InitError when the init code throws. */
  async grow(count: number): Promise<PooledVu[]> {
    const made: PooledVu[] = [];
    const byWorker = new Map<number, Array<{ id: number; idInTest: number }>>();
    for (let i = 0; i < count; i++) {
      const id = this.vus.length + made.length + 1;
      const vu: PooledVu = { id, worker: (id - 1) % this.workers.size, state: 'idle' };
      made.push(vu);
      let list = byWorker.get(vu.worker);
      if (!list) byWorker.set(vu.worker, (list = []));
      list.push({ id, idInTest: id + this.idInTestOffset });
    }
    this.vus.push(...made);
    await Promise.all([...byWorker].map(([worker, specs]) => this.workers.createVus(worker, specs)));
    return made;
  }

  async initialize(count: number): Promise<void> {
    this.idle.push(...(await this.grow(count)));
  }

  /** An idle VU; a new one if none is idle (the plan should have reserved enough). */
  async lease(): Promise<VuLease> {
    const vu = this.idle.shift() ?? (await this.grow(1))[0]!;
    vu.state = 'leased';
    this.leasedCount++;
    this.onChange(true);
    return vu;
  }

  /** One more VU for an arrival rate that ran out of idle ones: undefined past maxVUs or if its init fails. */
  async leaseUnplanned(): Promise<VuLease | undefined> {
    if (this.vus.length >= this.maxVus) return undefined;
    try {
      const [vu] = await this.grow(1);
      vu!.state = 'leased';
      this.leasedCount++;
      this.onChange(true);
      return vu;
    } catch (error) {
      if (error instanceof InitError) return undefined;
      throw error;
    }
  }

  retire(vu: VuLease): void {
    (vu as PooledVu).state = 'retired';
  }

  async release(lease: VuLease): Promise<void> {
    const vu = lease as PooledVu;
    this.leasedCount--;
    this.onChange(false);
    if (vu.state === 'retired') await this.workers.createVus(vu.worker, [{ id: vu.id, idInTest: vu.id + this.idInTestOffset }]);
    vu.state = 'idle';
    this.idle.push(vu);
  }
}
