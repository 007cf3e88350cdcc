import type { Plan } from "../../lib/protocol/index.ts";

/**
 * Concurrent runs per user, capped by plan across all of the user's sockets.
 * A run over the cap closes the socket with 4429 before anything is written.
 */
export class RunLimiter {
  private readonly running = new Map<string, number>();

  constructor(private readonly limits: Readonly<Record<Plan, number>>) {}

  tryAcquire(userId: string, plan: Plan): boolean {
    const now = this.running.get(userId) ?? 0;
    if (now >= this.limits[plan]) return false;
    this.running.set(userId, now + 1);
    return true;
  }

  release(userId: string): void {
    const now = this.running.get(userId) ?? 0;
    if (now <= 1) this.running.delete(userId);
    else this.running.set(userId, now - 1);
  }

  /** Runs in flight in this process, for /admin/stats. */
  total(): number {
    let sum = 0;
    for (const n of this.running.values()) sum += n;
    return sum;
  }
}
