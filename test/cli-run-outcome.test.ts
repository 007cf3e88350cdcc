import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { judgedExitCode, reportPaths, slaFailedExitCode } from '../cli/run-outcome.ts';

/** The exit code of a single run, from k6's code and the sla-summary.json handleSummary wrote. */
function judged(k6Code: number, summary: object | undefined): number {
  const dir = mkdtempSync(join(tmpdir(), 'agent-sla-outcome-'));
  try {
    if (summary) writeFileSync(join(dir, 'sla-summary.json'), JSON.stringify(summary));
    return judgedExitCode(k6Code, reportPaths(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the CLI judges a single run as its summary does', () => {
  it('k6 exit 0 with "passed": false (nothing measured) is an SLA failure, 99', () => {
    assert.equal(judged(0, { passed: false, slas: [] }), slaFailedExitCode);
  });

  it('k6 exit 0 with "passed": true stays 0; k6 failures and missing summaries keep their code', () => {
    assert.equal(judged(0, { passed: true, slas: [] }), 0);
    assert.equal(judged(0, undefined), 0);
    assert.equal(judged(99, { passed: false }), 99);
    assert.equal(judged(107, undefined), 107);
  });
});
