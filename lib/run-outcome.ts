import { RunFailure, SessionRefused } from './run-failure.ts';

let reported = 0;

/**
 * Awaits a run or a session, turning its typed failure into undefined: the metrics already
 * counted it, so the iteration goes on. The first few failures per VU are logged (never a token);
 * any other error is a bug and is thrown.
 */
export async function unlessFailed<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof RunFailure || error instanceof SessionRefused)) throw error;
    if (reported++ < 3) console.warn(error.message);
    return undefined;
  }
}
