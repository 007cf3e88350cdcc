import { checkEngine, checkGo, checkInflux, checkInfluxd, checkNode, checkPort, checkTargetHealth, checkUserK6, type CheckResult } from './doctor-checks.ts';
import { defaultInfluxUrl } from './influx-ping.ts';
import { optionHelpLines, parseCommand, type OptionTable } from './option-table.ts';
import { normalizeTargetUrl } from './target-health.ts';
import { PreflightError } from './preflight-error.ts';
import { DIALECT_NAMES } from '../lib/dialects/index.ts';

export const doctorOptions = {
  target: { type: 'string', value: 'URL', description: 'also check this target: /health answers and names the contract (default: $BASE_URL)' },
  dialect: { type: 'string', value: 'NAME', description: `the target's dialect (${DIALECT_NAMES.join(', ')}; default: $DIALECT or agent-sla): other dialects need only a 2xx at PATH_HEALTH` },
  influx: { type: 'string', value: 'URL', description: `InfluxDB to ping (default ${defaultInfluxUrl}); given, it must answer` },
  json: { type: 'boolean', description: 'print the checks as one JSON object' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

export const defaultTargetPort = 8080;
export const defaultInfluxPort = 8086;

export function doctorHelp(): string {
  return [
    'Usage: agent-sla doctor [options]',
    '',
    "Checks, one line each with the fix for each problem: Node, agent-sla's engine, your own k6 when K6_BIN names one,",
    'Go (to build influxd), the influxd binary (its version and where it came from), an InfluxDB answering,',
    `the target (when --target or BASE_URL is given) and the default ports (${defaultTargetPort} target, ${defaultInfluxPort} InfluxDB).`,
    'Exits 1 when a required check fails; warnings do not.',
    '',
    'Options:',
    ...optionHelpLines(doctorOptions),
  ].join('\n');
}

const marks = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export function formatCheck(check: CheckResult): string {
  const fix = check.fix && check.status !== 'ok' ? ` -> fix: ${check.fix}` : '';
  return `${marks[check.status]}  ${check.name.padEnd(10)} ${check.detail}${fix}`;
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('doctor', argv, doctorOptions);
  if (values.help) {
    console.log(doctorHelp());
    return 0;
  }
  const targetText = (values.target as string | undefined) ?? process.env.BASE_URL;
  const target = targetText === undefined ? undefined : normalizeTargetUrl(targetText);
  if (targetText !== undefined && !target) throw new PreflightError(`--target ${targetText} is not an http(s) URL`);
  const influxText = values.influx as string | undefined;
  const influx = normalizeTargetUrl(influxText ?? defaultInfluxUrl);
  if (!influx) throw new PreflightError(`--influx ${influxText ?? ''} is not an http(s) URL`);

  const userK6 = checkUserK6(process.env);
  const checks: CheckResult[] = [checkNode(), await checkEngine(), ...(userK6 ? [userK6] : []), checkGo(), checkInfluxd(process.env)];
  const influxCheck = await checkInflux(influx, influxText !== undefined);
  checks.push(influxCheck);
  const dialect = (values.dialect as string | undefined) ?? process.env.DIALECT ?? 'agent-sla';
  if (!DIALECT_NAMES.includes(dialect)) throw new PreflightError(`bad --dialect "${dialect}": ${DIALECT_NAMES.join(', ')}`);
  if (target) checks.push(await checkTargetHealth(target, dialect, process.env.PATH_HEALTH || '/health'));
  const targetPort = await checkPort(defaultTargetPort, 'agent-sla target');
  checks.push(targetPort);
  const influxPort = await checkPort(defaultInfluxPort, 'InfluxDB');
  // An InfluxDB answering on its default port is the reason the port is taken, not a problem.
  const influxOnDefault = influxCheck.status === 'ok' && new URL(influx).port === String(defaultInfluxPort);
  checks.push(influxPort.status === 'warn' && influxOnDefault ? { ...influxPort, status: 'ok', detail: `127.0.0.1:${defaultInfluxPort} is InfluxDB's` } : influxPort);

  const failed = checks.some((check) => check.status === 'fail');
  if (values.json) console.log(JSON.stringify({ ok: !failed, checks }));
  else for (const check of checks) console.log(formatCheck(check));
  return failed ? 1 : 0;
}
