/**
 * k6's execution segments: the share [from, to) of the whole test that this instance runs, so that several
 * instances (several pods) together run exactly one test. `--execution-segment 1/4:2/4` with
 * `--execution-segment-sequence 0,1/4,2/4,3/4,1`. Values are fractions (1/4), decimals (0.25) or percents (25%).
 */
export interface ExecutionSegment {
  from: number;
  to: number;
  /** Position of this segment in the sequence and the sequence's length, when a sequence was given. */
  index: number | undefined;
  count: number | undefined;
}

export const WHOLE_TEST: ExecutionSegment = { from: 0, to: 1, index: 0, count: 1 };

export class SegmentError extends Error {}

function parseValue(text: string, what: string): number {
  const trimmed = text.trim();
  let value: number;
  if (/^\d+\/\d+$/.test(trimmed)) {
    const [num, den] = trimmed.split('/').map(Number) as [number, number];
    value = den === 0 ? Number.NaN : num / den;
  } else if (/^\d+(\.\d+)?%$/.test(trimmed)) {
    value = Number(trimmed.slice(0, -1)) / 100;
  } else if (/^\d+(\.\d+)?$/.test(trimmed)) {
    value = Number(trimmed);
  } else {
    value = Number.NaN;
  }
  if (!(value >= 0 && value <= 1)) throw new SegmentError(`${what}: "${text}" is not a fraction between 0 and 1 (1/4, 0.25 or 25%)`);
  return value;
}

const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;

export function parseExecutionSegment(segment: string | undefined, sequence: string | undefined): ExecutionSegment {
  const points = sequence === undefined || sequence.trim() === '' ? undefined : sequence.split(',').map((part) => parseValue(part, '--execution-segment-sequence'));
  if (points) {
    if (points.length < 2 || !near(points[0]!, 0) || !near(points[points.length - 1]!, 1)) throw new SegmentError('--execution-segment-sequence must go from 0 to 1, e.g. 0,1/2,1');
    for (let i = 1; i < points.length; i++) if (!(points[i]! > points[i - 1]!)) throw new SegmentError('--execution-segment-sequence must increase');
  }
  if (segment === undefined || segment.trim() === '') return points ? { ...WHOLE_TEST, index: undefined, count: undefined } : WHOLE_TEST;
  const parts = segment.split(':');
  if (parts.length > 2) throw new SegmentError(`--execution-segment: "${segment}" must be FROM:TO, e.g. 1/4:2/4`);
  const [from, to] = parts.length === 1 ? [0, parseValue(parts[0]!, '--execution-segment')] : [parseValue(parts[0]!, '--execution-segment'), parseValue(parts[1]!, '--execution-segment')];
  if (!(to > from)) throw new SegmentError(`--execution-segment: "${segment}" must end after it starts`);
  if (!points) return { from, to, index: undefined, count: undefined };
  const index = points.findIndex((point, i) => i < points.length - 1 && near(point, from) && near(points[i + 1]!, to));
  if (index < 0) throw new SegmentError(`--execution-segment ${segment} is not one of the segments of --execution-segment-sequence ${sequence}`);
  return { from, to, index, count: points.length - 1 };
}

const roundHalfUp = (value: number): number => Math.floor(value + 0.5 + 1e-9);

/** This segment's share of a whole-test count: the shares of all segments of a sequence add up to the count. */
export function scaleCount(segment: ExecutionSegment, count: number): number {
  return roundHalfUp(count * segment.to) - roundHalfUp(count * segment.from);
}

/** How many of a whole-test count belong to the segments before this one: the offset of this instance's ids. */
export function countBefore(segment: ExecutionSegment, count: number): number {
  return roundHalfUp(count * segment.from);
}

/**
 * A test-wide iteration number for this instance's n-th iteration of a scenario: unique across the instances of a
 * sequence (k6 allows gaps in test-wide numbers).
 */
export function iterationInTest(segment: ExecutionSegment, local: number): number {
  if (segment.count === undefined || segment.index === undefined) {
    const share = segment.to - segment.from;
    const slots = Math.round(1 / share);
    if (near(share * slots, 1) && near(segment.from * slots, Math.round(segment.from * slots))) return local * slots + Math.round(segment.from * slots);
    return local;
  }
  return local * segment.count + segment.index;
}
