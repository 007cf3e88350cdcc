import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePath, runK6, type K6Result } from './k6.ts';

/** sla-summary.json as the library writes it (docs/sla-summary-schema.md). */
export interface SlaSummaryFile {
  schema: string;
  scenario: string;
  profile: string;
  passed: boolean;
  iterations: number;
  slas: Array<{
    id: string; name: string; metric: string; threshold: string; ok: boolean; status: string; count: number; p95: number | null; p99: number | null; rate: number | null;
    min_rate: number | null;
    breakdown: { scenario: Record<string, { ok: boolean; status: string; count: number }>; plan: Record<string, { ok: boolean; status: string; count: number }> };
  }>;
  checks: Array<{ name: string; passes: number; fails: number }>;
}

export interface ScenarioRun extends K6Result {
  junit: string;
  json: SlaSummaryFile | undefined;
  markdown: string;
  dir: string;
}

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Runs a bundled scenario on agent-sla's engine against `baseUrl`, its reports in a fresh directory (removed
 * afterwards unless keep is set). Short by default: the smoke profile, 2 VUs, few iterations. `script` runs another
 * bundle of the scenario than dist/<name>.js.
 */
export async function runScenario(
  name: string, baseUrl: string, env: Record<string, string> = {}, options: { args?: string[]; keep?: boolean; script?: string } = {},
): Promise<ScenarioRun> {
  const dir = mkdtempSync(join(tmpdir(), `sla-${name}-`));
  try {
    const result = await runK6(options.script ?? bundlePath(name), {
      env: { BASE_URL: baseUrl, SUMMARY_DIR: dir, PROFILE: 'smoke', ITERATIONS: '4', VUS: '2', ...env },
      args: options.args ?? [],
      timeoutMs: 180_000,
    });
    const text = read(join(dir, 'sla-summary.json'));
    return { ...result, dir, junit: read(join(dir, 'junit.xml')), markdown: read(join(dir, 'sla-summary.md')), json: text ? (JSON.parse(text) as SlaSummaryFile) : undefined };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The JUnit testcases as name → failure message (undefined when passed). */
export function junitCases(xml: string): Map<string, string | undefined> {
  const cases = new Map<string, string | undefined>();
  const unescape = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  for (const match of xml.matchAll(/<testcase classname="[^"]*" name="([^"]*)"(\/>|>\s*<failure type="sla" message="([^"]*)"\/>)/g)) {
    cases.set(unescape(match[1]!), match[3] === undefined ? undefined : unescape(match[3]));
  }
  return cases;
}

export const tail = (run: K6Result): string => `exit ${run.code}\nstdout:\n${run.stdout.slice(-2500)}\nstderr:\n${run.stderr.slice(-2500)}`;
