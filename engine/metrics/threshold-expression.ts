import type { MetricType } from './types.ts';

/** A threshold problem found before the test starts; k6 exits with code 104 (invalid config) for it. */
export class ThresholdError extends Error {
  override name = 'ThresholdError';
  readonly exitCode = 104;
}

export type AggregationMethod = 'value' | 'count' | 'rate' | 'avg' | 'min' | 'med' | 'max' | 'p';
export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** `aggregation operator number`, e.g. `p(99.9) < 250`: whitespace around the operator is allowed. */
export interface ThresholdExpression {
  source: string;
  method: AggregationMethod;
  /** For `p(N)`: N, from 0 to 100. */
  percentile: number | undefined;
  operator: ThresholdOperator;
  value: number;
}

/** Which aggregations each metric type has, in the order k6 lists them in its error message. */
export const AGGREGATIONS_BY_TYPE: Readonly<Record<MetricType, readonly AggregationMethod[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

// Longer operators sharing a first character come first, so `<=` is not read as `<` followed by `=5`.
const OPERATORS: readonly ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const NAMED_METHODS = new Set<string>(['value', 'count', 'rate', 'avg', 'min', 'med', 'max']);

export function parseThresholdExpression(source: string): ThresholdExpression {
  const split = splitAtOperator(source);
  if (!split) throw new ThresholdError(`failed parsing threshold expression "${source}"; reason: malformed threshold expression`);
  const [left, operator, right] = split;

  let method: AggregationMethod;
  let percentile: number | undefined;
  if (NAMED_METHODS.has(left)) {
    method = left as AggregationMethod;
  } else if (left.startsWith('p(') && left.endsWith(')')) {
    method = 'p';
    percentile = parseGoFloat(left.slice(2, -1), (reason) => leftSideError(source, `malformed percentile value; reason: ${reason}`));
    if (!(percentile >= 0 && percentile <= 100)) throw leftSideError(source, 'malformed percentile value; reason: a percentile is between 0 and 100');
  } else {
    throw leftSideError(source, 'failed parsing method from expression');
  }

  // "expresion" is k6's spelling in this one message; kept so that the messages match k6's.
  const value = parseGoFloat(right, (reason) => new ThresholdError(`failed parsing threshold expresion's "${source}" right hand side; reason: ${reason}`));
  return { source, method, percentile, operator, value };
}

/** The comparison, on numbers (k6 treats `==` and `===` alike). */
export function compare(observed: number, operator: ThresholdOperator, value: number): boolean {
  switch (operator) {
    case '<':
      return observed < value;
    case '<=':
      return observed <= value;
    case '>':
      return observed > value;
    case '>=':
      return observed >= value;
    case '==':
    case '===':
      return observed === value;
    case '!=':
      return observed !== value;
  }
}

function splitAtOperator(source: string): [string, ThresholdOperator, string] | undefined {
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    if (at !== -1) return [source.slice(0, at).trim(), operator, source.slice(at + operator.length).trim()];
  }
  return undefined;
}

function leftSideError(source: string, reason: string): ThresholdError {
  return new ThresholdError(`failed parsing threshold expression's "${source}" left hand side; reason: ${reason}`);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(inf|infinity|nan)$/i;

/** A number as Go's strconv.ParseFloat reads it (decimal, exponent, inf, nan), with its error wording. */
function parseGoFloat(text: string, fail: (reason: string) => ThresholdError): number {
  if (DECIMAL.test(text)) return Number(text);
  if (SPECIAL.test(text)) {
    if (/nan/i.test(text)) return Number.NaN;
    return text.startsWith('-') ? -Infinity : Infinity;
  }
  throw fail(`strconv.ParseFloat: parsing "${text}": invalid syntax`);
}
