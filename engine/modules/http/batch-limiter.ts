/**
 * How many requests of one http.batch() run at once: at most `total` (options.batch) and at most `perHost`
 * (options.batchPerHost) to one host. 0 means no limit. Waiters are served in order, skipping those whose host is full.
 */
export class BatchLimiter {
  private running = 0;
  private readonly perHostRunning = new Map<string, number>();
  private readonly waiting: Array<{ host: string; start: () => void }> = [];

  constructor(
    private readonly total: number,
    private readonly perHost: number,
  ) {}

  acquire(host: string): Promise<void> {
    if (this.fits(host)) {
      this.take(host);
      return Promise.resolve();
    }
    return new Promise((start) => this.waiting.push({ host, start }));
  }

  release(host: string): void {
    this.running--;
    const count = (this.perHostRunning.get(host) ?? 1) - 1;
    if (count === 0) this.perHostRunning.delete(host);
    else this.perHostRunning.set(host, count);
    for (let i = 0; i < this.waiting.length; i++) {
      const waiter = this.waiting[i]!;
      if (!this.fits(waiter.host)) continue;
      this.waiting.splice(i, 1);
      this.take(waiter.host);
      waiter.start();
      return;
    }
  }

  private fits(host: string): boolean {
    if (this.total > 0 && this.running >= this.total) return false;
    return this.perHost <= 0 || (this.perHostRunning.get(host) ?? 0) < this.perHost;
  }

  private take(host: string): void {
    this.running++;
    this.perHostRunning.set(host, (this.perHostRunning.get(host) ?? 0) + 1);
  }
}
