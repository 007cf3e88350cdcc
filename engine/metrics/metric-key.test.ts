import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMetricKey } from './metric-key.ts';

test('a plain name is a metric key without submetric', () => {
  assert.deepEqual(parseMetricKey('http_req_duration'), { metricName: 'http_req_duration' });
});

test('a submetric key gives its tags, trimmed of whitespace and quotes, and its trimmed suffix', () => {
  assert.deepEqual(parseMetricKey('http_req_duration{expected_response:true}'), {
    metricName: 'http_req_duration',
    submetric: { suffix: 'expected_response:true', tags: { expected_response: 'true' } },
  });
  assert.deepEqual(parseMetricKey(`http_reqs{ status: "200" , 'name':'login page' }`), {
    metricName: 'http_reqs',
    submetric: { suffix: `status: "200" , 'name':'login page'`, tags: { status: '200', name: 'login page' } },
  });
  assert.deepEqual(parseMetricKey('checks{url:http://x:80/a}').submetric?.tags, { url: 'http://x:80/a' }, 'only the first colon splits');
});

test('malformed keys are refused with k6’s messages', () => {
  assert.throws(() => parseMetricKey('http_reqs{status:200'), /parsing metric name failed, metric "http_reqs\{status:200" has unmatched opening\/close curly brace/);
  assert.throws(() => parseMetricKey('http_reqs}status:200{'), /closing curly brace appears before opening one/);
  assert.throws(() => parseMetricKey('http_reqs{status:200}x'), /lacks a closing curly brace in its last position/);
  assert.throws(() => parseMetricKey('http_reqs{status}'), /metric "status" tag expression is malformed/);
  assert.throws(() => parseMetricKey('http_reqs{status:}'), /tag expression is malformed/);
  assert.throws(() => parseMetricKey('http_reqs{}'), /metric "" tag expression is malformed/);
  assert.throws(() => parseMetricKey('http_reqs{a:1,}'), /tag expression is malformed/);
});
