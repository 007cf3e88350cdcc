/**
 * What http.expectedStatuses() returns: the only response callback k6 accepts. Responses whose status matches are
 * "expected" (tag expected_response:true, http_req_failed 0).
 */
export class ExpectedStatuses {
  constructor(
    private readonly exact: readonly number[],
    private readonly ranges: ReadonlyArray<readonly [number, number]>,
  ) {
    Object.freeze(this);
  }

  match(status: number): boolean {
    for (const value of this.exact) if (value === status) return true;
    for (const [min, max] of this.ranges) if (min <= status && status <= max) return true;
    return false;
  }
}

/** k6's default: 200 to 399. */
export const DEFAULT_EXPECTED_STATUSES = new ExpectedStatuses([], [[200, 399]]);

/** A response callback: expected statuses, or null for none (no expected_response tag, no http_req_failed). */
export type ResponseCallback = ExpectedStatuses | null;

/** http.expectedStatuses(200, {min: 300, max: 399}, …) */
export function expectedStatuses(...statuses: unknown[]): ExpectedStatuses {
  if (statuses.length === 0) throw new Error('no arguments');
  const exact: number[] = [];
  const ranges: Array<[number, number]> = [];
  statuses.forEach((status, index) => {
    if (Number.isInteger(status)) {
      exact.push(status as number);
      return;
    }
    if (typeof status !== 'object' || status === null || !('min' in status) || !('max' in status)) {
      throw new Error(`argument number ${index + 1} to expectedStatuses was neither an integer nor an object like {min:100, max:329}`);
    }
    const { min, max } = status as { min: unknown; max: unknown };
    if (!Number.isInteger(min) || !Number.isInteger(max)) throw new Error(`both min and max need to be integers for argument number ${index + 1}`);
    ranges.push([min as number, max as number]);
  });
  return new ExpectedStatuses(exact, ranges);
}

/** A callback given to setResponseCallback or params.responseCallback; throws for anything k6 refuses. */
export function toResponseCallback(value: unknown, refusal: string): ResponseCallback {
  if (value === null || value === undefined) return null;
  if (value instanceof ExpectedStatuses) return value;
  throw new Error(refusal);
}
