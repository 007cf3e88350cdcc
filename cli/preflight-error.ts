/** Exit code when nothing ran (bad option, bad target, no k6…): never 99, which k6 keeps for a failed SLA. */
export const preflightExitCode = 2;

/** A problem found before any load starts, about what was asked or what is missing; printed as one line. */
export class PreflightError extends Error {
  constructor(
    message: string,
    /** The exit code: 2, except where k6 compatibility says otherwise (`agent-sla exec`'s bad options: 104). */
    readonly exitCode = preflightExitCode,
  ) {
    super(message);
  }
}
