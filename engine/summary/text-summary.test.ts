import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSummaryStdout, textSummary } from './text-summary.ts';
import type { SummaryData, SummaryMetricData } from './summary-types.ts';

const STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
const trend = (contains: 'time' | 'default', values: number[]): SummaryMetricData => ({
  type: 'trend',
  contains,
  values: Object.fromEntries(STATS.map((stat, index) => [stat, values[index]!])),
});

/** The values of k6's "End of test" compact example. */
function docsExample(): SummaryData {
  const durationMs = 6858.6172; // 90 checks at 13.122179/s
  return {
    root_group: {
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: [],
      checks: [
        { name: 'test-api.k6.io is up', path: '::test-api.k6.io is up', id: '1', passes: 45, fails: 0 },
        { name: 'status is 200', path: '::status is 200', id: '2', passes: 45, fails: 0 },
      ],
    },
    options: { summaryTrendStats: STATS, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: true, isStdErrTTY: true, testRunDurationMs: durationMs },
    setup_data: undefined,
    metrics: {
      checks: { type: 'rate', contains: 'default', values: { rate: 1, passes: 90, fails: 0 } },
      custom_waiting_time: trend('default', [152.3555556, 120, 141, 684, 147.2, 148.8]),
      http_req_duration: { ...trend('time', [140.361, 119.081, 140.961, 154.631, 146.881, 148.211]), thresholds: { 'p(95)<1500': { ok: true }, 'p(90)<2000': { ok: true } } },
      'http_req_duration{expected_response:true}': trend('time', [140.361, 119.081, 140.961, 154.631, 146.881, 148.211]),
      http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 45 }, thresholds: { 'rate<0.01': { ok: true } } },
      http_reqs: { type: 'counter', contains: 'default', values: { count: 45, rate: 6.5610897 } },
      http_req_blocked: trend('time', [1, 1, 1, 1, 1, 1]),
      group_duration: trend('time', [1, 1, 1, 1, 1, 1]),
      iteration_duration: trend('time', [152.381, 119.371, 141.271, 684.621, 147.111, 148.391]),
      iterations: { type: 'counter', contains: 'default', values: { count: 45, rate: 6.5610897 } },
      vus: { type: 'gauge', contains: 'default', values: { value: 1, min: 1, max: 1 } },
      vus_max: { type: 'gauge', contains: 'default', values: { value: 1, min: 1, max: 1 } },
      data_received: { type: 'counter', contains: 'data', values: { count: 519_000, rate: 75_671 } },
      data_sent: { type: 'counter', contains: 'data', values: { count: 4925, rate: 718.07 } },
    },
  };
}

/**
 * A metric line: the name, dots up to a column, `: `, the values. k6 sizes that column from the widest indented name
 * of the block written twice, plus three: here `    http_req_duration{expected_response:true}` and its display
 * `  { expected_response:true }`, 4 + 41 + 28 + 3 = 76. (The docs' example is narrower than what k6 prints.)
 */
const row = (shown: string, values: string, column = 76) => `${shown}${'.'.repeat(column - shown.length)}: ${values}`;

test('compact mode prints the docs’ example: thresholds, checks, sections, submetric line, k6’s units', () => {
  const expected = [
    '',
    '  █ THRESHOLDS ',
    '',
    '    http_req_duration',
    "    ✓ 'p(95)<1500' p(95)=148.21ms",
    "    ✓ 'p(90)<2000' p(90)=146.88ms",
    '',
    '    http_req_failed',
    "    ✓ 'rate<0.01' rate=0.00%",
    '',
    '',
    '  █ TOTAL RESULTS ',
    '',
    // checks form their own block: 4 + 2 × 16 (checks_succeeded) + 3 = column 39
    row('    checks_total', '90      13.122179/s', 39),
    row('    checks_succeeded', '100.00% 90 out of 90', 39),
    row('    checks_failed', '0.00%   0 out of 90', 39),
    '',
    '    ✓ test-api.k6.io is up',
    '    ✓ status is 200',
    '',
    '    CUSTOM',
    row('    custom_waiting_time', 'avg=152.355556 min=120      med=141      max=684      p(90)=147.2    p(95)=148.8   '),
    '',
    '    HTTP',
    row('    http_req_duration', 'avg=140.36ms   min=119.08ms med=140.96ms max=154.63ms p(90)=146.88ms p(95)=148.21ms'),
    row('      { expected_response:true }', 'avg=140.36ms   min=119.08ms med=140.96ms max=154.63ms p(90)=146.88ms p(95)=148.21ms'),
    row('    http_req_failed', '0.00%  0 out of 45'),
    row('    http_reqs', '45     6.56109/s'),
    '',
    '    EXECUTION',
    row('    iteration_duration', 'avg=152.38ms   min=119.37ms med=141.27ms max=684.62ms p(90)=147.11ms p(95)=148.39ms'),
    row('    iterations', '45     6.56109/s'),
    row('    vus', '1      min=1       max=1'),
    row('    vus_max', '1      min=1       max=1'),
    '',
    '    NETWORK',
    row('    data_received', '519 kB 76 kB/s'),
    row('    data_sent', '4.9 kB 718 B/s'),
    '',
    '',
  ].join('\n');
  assert.equal(textSummary(docsExample(), { colors: false, mode: 'compact' }), expected);
});

test('full mode adds the HTTP timings; group_duration and checks never get a metric line', () => {
  const full = textSummary(docsExample(), { colors: false, mode: 'full' });
  assert.ok(full.includes(row('    http_req_blocked', 'avg=1ms        min=1ms      med=1ms      max=1ms      p(90)=1ms      p(95)=1ms     ')));
  assert.ok(!textSummary(docsExample(), { colors: false, mode: 'compact' }).includes('http_req_blocked'));
  for (const mode of ['compact', 'full'] as const) {
    const text = textSummary(docsExample(), { colors: false, mode });
    assert.ok(!text.includes('group_duration') && !/ checks\.+:/.test(text), mode);
  }
});

test('colors: k6’s ANSI codes when on, none when off, and the same layout either way', () => {
  const colored = textSummary(docsExample(), { colors: true, mode: 'compact' });
  const plain = textSummary(docsExample(), { colors: false, mode: 'compact' });
  assert.ok(!plain.includes('\x1b'));
  assert.ok(colored.includes('  █ \x1b[1mTHRESHOLDS\x1b[0m \n'));
  assert.ok(colored.includes('    \x1b[32m✓ status is 200\x1b[0m'));
  assert.ok(colored.includes("\x1b[32m✓\x1b[0m \x1b[37m'rate<0.01'\x1b[0m \x1b[37mrate\x1b[0m=\x1b[36m0.00%\x1b[0m"));
  assert.ok(colored.includes('    vus\x1b[2;37m'));
  assert.ok(colored.includes(':\x1b[0m \x1b[36m1\x1b[0m      \x1b[2;36mmin=1\x1b[0m'));
  assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ''), plain);
});

test('failing checks and thresholds are marked ✗ with their figures; a submetric threshold sits under its metric', () => {
  const data = docsExample();
  data.metrics.checks = { type: 'rate', contains: 'default', values: { rate: 0.75, passes: 9, fails: 3 } };
  data.root_group.checks = [
    { name: 'status is 200', path: '::status is 200', id: '2', passes: 8, fails: 1 },
    { name: 'body ok', path: '::body ok', id: '3', passes: 1, fails: 2 },
  ];
  data.metrics['http_req_duration{expected_response:true}']!.thresholds = { 'max < 150': { ok: false } };
  data.metrics.http_reqs!.thresholds = { 'rate>10': { ok: false }, 'count>=45': { ok: true } };
  const text = textSummary(data, { colors: false, mode: 'compact' });
  assert.ok(text.includes(['    http_req_duration', "    ✓ 'p(95)<1500' p(95)=148.21ms", "    ✓ 'p(90)<2000' p(90)=146.88ms", '', '      {expected_response:true}', "      ✗ 'max < 150' max=154.63ms", ''].join('\n')));
  assert.ok(text.includes(['    http_reqs', "    ✗ 'rate>10' rate=6.56109/s", "    ✓ 'count>=45' count=45", ''].join('\n')));
  assert.ok(text.includes(row('    checks_succeeded', '75.00% 9 out of 12', 39)));
  assert.ok(text.includes(row('    checks_failed', '25.00% 3 out of 12', 39)));
  assert.ok(text.includes(['    ✗ status is 200', '      ↳  88% — ✓ 8 / ✗ 1', '    ✗ body ok', '      ↳  33% — ✓ 1 / ✗ 2'].join('\n')));
});

test('a submetric threshold without thresholds on its metric shows its full name', () => {
  const data = docsExample();
  delete data.metrics.http_req_duration!.thresholds;
  data.metrics['http_req_duration{expected_response:true}']!.thresholds = { 'p(95)<200': { ok: true } };
  const text = textSummary(data, { colors: false, mode: 'compact' });
  assert.ok(text.includes(['    http_req_duration{expected_response:true}', "    ✓ 'p(95)<200' p(95)=148.21ms"].join('\n')));
});

test('summaryTrendStats and summaryTimeUnit shape the trend columns; no thresholds, no THRESHOLDS section', () => {
  const data = docsExample();
  for (const metric of Object.values(data.metrics)) delete metric.thresholds;
  data.options.summaryTrendStats = ['med', 'count', 'p(99.9)'];
  data.options.summaryTimeUnit = 's';
  data.metrics = {
    iteration_duration: { type: 'trend', contains: 'time', values: { med: 1500, count: 12, 'p(99.9)': 2345.678 } },
    iterations: { type: 'counter', contains: 'default', values: { count: 12, rate: 1.5 } },
  };
  const text = textSummary(data, { colors: false, mode: 'compact' });
  assert.ok(!text.includes('THRESHOLDS'));
  assert.ok(!text.includes('checks_total'), 'no checks metric, no checks block');
  // widest: 4 + 2 × 18 (iteration_duration) + 3 = column 43
  assert.ok(text.includes(row('    iteration_duration', 'med=1.50s count=12 p(99.9)=2.35s', 43)));
  assert.ok(text.includes(row('    iterations', '12 1.5/s', 43)));
});

test('without handleSummary, stdout gets the summary between a leading newline and two trailing ones', () => {
  const text = textSummary(docsExample(), { colors: false, mode: 'compact' });
  const stdout = defaultSummaryStdout(docsExample(), { colors: false, mode: 'compact' });
  assert.equal(stdout, `\n${text}\n\n`);
  assert.ok(stdout.startsWith('\n\n  █ THRESHOLDS ') && stdout.endsWith('718 B/s\n\n\n\n'));
});
