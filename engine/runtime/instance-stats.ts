/**
 * What k6/execution's `instance` reports: counts the main thread keeps for the whole instance, sent to every
 * worker as they change (a worker knows only its own VUs).
 */
export interface InstanceStats {
  iterationsCompleted: number;
  iterationsInterrupted: number;
  vusActive: number;
  vusInitialized: number;
}

/** The counts, and when the test started (ms since the epoch), for k6/execution's currentTestRunDuration. */
export const instanceStats: InstanceStats & { testStart: number } = { iterationsCompleted: 0, iterationsInterrupted: 0, vusActive: 0, vusInitialized: 0, testStart: Date.now() };

export function updateInstanceStats(next: InstanceStats): void {
  Object.assign(instanceStats, next);
}
