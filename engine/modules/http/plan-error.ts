/** A request k6 refuses before sending it; `code` is its error code (0 when k6 gives none). */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}
