import { dashboardsCommand } from './dashboards-command.ts';
import { demoCommand } from './demo-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { k8sCommand } from './k8s-command.ts';
import { reportCommand } from './report-command.ts';
import { runCommand } from './run-command.ts';
import { targetCommand } from './target-command.ts';
import { PreflightError, preflightExitCode } from './preflight-error.ts';
import { DIALECT_NAMES } from '../lib/dialects/index.ts';

type Command = (argv: string[]) => Promise<number>;

export const commands: Record<string, { run: Command; summary: string }> = {
  run: { run: runCommand, summary: 'run a scenario with k6 and judge it against the SLAs (exit 99: an SLA failed)' },
  demo: { run: demoCommand, summary: 'what `npm start` does: the journey smoke run against the embedded target' },
  target: { run: targetCommand, summary: 'start the reference target in the foreground (Ctrl-C stops it)' },
  doctor: { run: doctorCommand, summary: 'check k6, Go, InfluxDB, the target and the ports, with a fix for each problem' },
  report: { run: reportCommand, summary: 'build the report of a past run from InfluxDB (--testid)' },
  dashboards: { run: dashboardsCommand, summary: 'write the Grafana dashboards and provisioning files (--out DIR)' },
  k8s: { run: k8sCommand, summary: 'write a k6-operator TestRun manifest to run a scenario on many pods (--scenario NAME)' },
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;
  return [
    'Usage: agent-sla <command> [options]',
    '',
    'Load and SLA validation for real-time AI agent backends, on k6.',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`),
    '',
    'Your own backend: `agent-sla run <scenario> --target URL --dialect NAME`, NAME one of',
    `${DIALECT_NAMES.join(', ')}; users come from AUTH_MODE (signup, login with USERS_FILE, token with TOKEN or`,
    'TOKENS_FILE, none), and HEALTH_CHECK=off (or --no-health) skips the health check. docs/dialects.md has the details.',
    '',
    'Run `agent-sla <command> --help` for its options.',
    'Exit codes: 0 every SLA held; 99 an SLA failed (k6 thresholds); 2 bad configuration, nothing ran; other: k6 or an error.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(mainHelp());
    return name === undefined ? preflightExitCode : 0;
  }
  const command = commands[name];
  try {
    if (!command) throw new PreflightError(`unknown command "${name}"; commands: ${Object.keys(commands).join(', ')}`);
    return await command.run(rest);
  } catch (error) {
    if (error instanceof PreflightError) {
      console.error(`agent-sla: ${error.message}`);
      return preflightExitCode;
    }
    console.error(`agent-sla: ${(error as Error).message}`);
    return 1;
  }
}
