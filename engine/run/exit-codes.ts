/** k6's exit codes, which agent-sla's engine returns for the same reasons. */
export const ExitCode = {
  ok: 0,
  /** A threshold failed (at the end, or with abortOnFail during the test). */
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  /** Bad options: scenarios, thresholds, flags. */
  invalidConfig: 104,
  /** SIGINT or SIGTERM. */
  externalAbort: 105,
  /** An exception in the init code, in setup() or in teardown(), or a script that cannot load. */
  scriptException: 107,
  /** The script called test.abort(). */
  scriptAborted: 108,
  /** The script called test.fail(). */
  markedAsFailed: 110,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
