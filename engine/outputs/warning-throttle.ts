/**
 * Keeps a failing output from flooding the console: a warning of one kind is said at once, then at most once
 * per interval, with a count of the ones held back in between.
 */
export class WarningThrottle {
  private readonly lastSaid = new Map<string, number>();
  private readonly heldBack = new Map<string, number>();

  constructor(
    private readonly warn: (line: string) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  say(kind: string, line: string): void {
    const last = this.lastSaid.get(kind);
    const time = this.now();
    if (last !== undefined && time - last < this.intervalMs) {
      this.heldBack.set(kind, (this.heldBack.get(kind) ?? 0) + 1);
      return;
    }
    const held = this.heldBack.get(kind) ?? 0;
    this.heldBack.delete(kind);
    this.lastSaid.set(kind, time);
    this.warn(held > 0 ? `${line} (${held} more like it since the last one)` : line);
  }

  /** Marks a kind as said now without saying it, so that the next one waits an interval. */
  note(kind: string): void {
    this.lastSaid.set(kind, this.now());
  }

  /** Forgets a kind, so that its next warning is said at once. */
  reset(kind: string): void {
    this.lastSaid.delete(kind);
    this.heldBack.delete(kind);
  }
}
