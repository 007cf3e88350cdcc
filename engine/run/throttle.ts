/** Runs fn at most once per interval: at once when it has been quiet that long, else when the interval is over. */
export class Throttle {
  private timer: NodeJS.Timeout | undefined;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly fn: () => void,
  ) {}

  request(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.last = performance.now();
      this.fn();
    }, Math.max(0, this.last + this.intervalMs - performance.now()));
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
