import { PreflightError, preflightExitCode } from './preflight-error.ts';
import { DIALECT_NAMES } from '../lib/dialects/index.ts';

type Command = (argv: string[]) => Promise<number>;

/** Each command's module is loaded only when that command runs, so that `exec` does not load the report's code. */
export const commands: Record<string, { run: Command; summary: string }> = {
  run: { run: async (argv) => (await import('./run-command.ts')).runCommand(argv), summary: "run a scenario on agent-sla's engine and judge it against the SLAs (exit 99: an SLA failed)" },
  exec: { run: async (argv) => (await import('./exec-command.ts')).execCommand(argv), summary: "run any k6 script on agent-sla's engine, with `k6 run`'s flags and exit codes" },
  demo: { run: async (argv) => (await import('./demo-command.ts')).demoCommand(argv), summary: 'what `npm start` does: the journey smoke run against the embedded target' },
  target: { run: async (argv) => (await import('./target-command.ts')).targetCommand(argv), summary: 'start the reference target in the foreground (Ctrl-C stops it)' },
  doctor: { run: async (argv) => (await import('./doctor-command.ts')).doctorCommand(argv), summary: 'check Node, InfluxDB, the target and the ports, with a fix for each problem' },
  report: { run: async (argv) => (await import('./report-command.ts')).reportCommand(argv), summary: 'build the report of a past run from InfluxDB (--testid)' },
  dashboards: { run: async (argv) => (await import('./dashboards-command.ts')).dashboardsCommand(argv), summary: 'write the Grafana dashboards and provisioning files (--out DIR)' },
  k8s: { run: async (argv) => (await import('./k8s-command.ts')).k8sCommand(argv), summary: 'write a Kubernetes Indexed Job that runs a scenario on many pods (--scenario NAME)' },
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
      return error.exitCode;
    }
    console.error(`agent-sla: ${(error as Error).message}`);
    return 1;
  }
}
