import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, parseThresholdExpression, ThresholdError } from './threshold-expression.ts';

test('every aggregation and operator of k6’s grammar parses, with or without whitespace', () => {
  const cases: Array<[string, string, number | undefined, string, number]> = [
    ['p(95)<500', 'p', 95, '<', 500],
    ['p(99.9) <= 1.5', 'p', 99.9, '<=', 1.5],
    ['avg>200', 'avg', undefined, '>', 200],
    ['  min >= 0 ', 'min', undefined, '>=', 0],
    ['max==1e3', 'max', undefined, '==', 1000],
    ['med===10', 'med', undefined, '===', 10],
    ['count!=0', 'count', undefined, '!=', 0],
    ['rate<0.01', 'rate', undefined, '<', 0.01],
    ['value < -1', 'value', undefined, '<', -1],
    ['p(0)<.5', 'p', 0, '<', 0.5],
    ['p(100)<5.', 'p', 100, '<', 5],
  ];
  for (const [source, method, percentile, operator, value] of cases) {
    const parsed = parseThresholdExpression(source);
    assert.deepEqual(parsed, { source, method, percentile, operator, value }, source);
  }
});

test('malformed expressions are refused with k6’s messages', () => {
  const refuse = (source: string, message: RegExp) => assert.throws(() => parseThresholdExpression(source), (error: unknown) => error instanceof ThresholdError && error.exitCode === 104 && message.test(error.message), source);
  refuse('p(95)', /^failed parsing threshold expression "p\(95\)"; reason: malformed threshold expression$/);
  refuse('p(95) =< 200', /left hand side; reason: failed parsing method from expression/);
  refuse('mean<200', /^failed parsing threshold expression's "mean<200" left hand side; reason: failed parsing method from expression$/);
  refuse('p(abc)<200', /left hand side; reason: malformed percentile value; reason: strconv.ParseFloat: parsing "abc": invalid syntax/);
  refuse('p( 95 )<200', /malformed percentile value/);
  refuse('p(101)<200', /a percentile is between 0 and 100/);
  refuse('p(95)<200ms', /^failed parsing threshold expresion's "p\(95\)<200ms" right hand side; reason: strconv.ParseFloat: parsing "200ms": invalid syntax$/);
  refuse('rate<', /right hand side/);
  refuse('Avg<1', /failed parsing method/);
});

test('comparisons: each operator accepts what it should and refuses the rest', () => {
  assert.ok(compare(1, '<', 2) && !compare(2, '<', 2));
  assert.ok(compare(2, '<=', 2) && !compare(3, '<=', 2));
  assert.ok(compare(3, '>', 2) && !compare(2, '>', 2));
  assert.ok(compare(2, '>=', 2) && !compare(1, '>=', 2));
  assert.ok(compare(2, '==', 2) && !compare(2.5, '==', 2));
  assert.ok(compare(2, '===', 2) && !compare(2.5, '===', 2));
  assert.ok(compare(2.5, '!=', 2) && !compare(2, '!=', 2));
});
