import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../build/paths.ts';
import { writeDashboards } from '../dashboards/write-dashboards.ts';
import { optionHelpLines, parseCommand, type OptionTable } from './option-table.ts';
import { PreflightError } from './preflight-error.ts';
import { parseSlaSpec, slaOptionHelp } from './sla-spec.ts';

export const dashboardsOptions = {
  out: { type: 'string', value: 'DIR', description: 'where to write json/ and provisioning/ (required)' },
  sla: {
    type: 'string',
    value: 'LIST',
    description: `draw these bounds instead of the defaults: ${slaOptionHelp}`,
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

const provisioningSource = join(repoRoot, 'dashboards', 'provisioning');

export function dashboardsHelp(): string {
  return [
    'Usage: agent-sla dashboards --out DIR [--sla LIST]',
    '',
    'Writes the Grafana dashboards (SLA overview, agent events, WebSocket and auth, billing, load) as JSON into',
    'DIR/json/, and Grafana provisioning files for the InfluxDB datasource (uid agent-sla-influxdb, database k6)',
    'and the dashboards into DIR/provisioning/. docker-compose.yml mounts the same files from dashboards/.',
    '',
    'Options:',
    ...optionHelpLines(dashboardsOptions),
  ].join('\n');
}

function copyTree(from: string, to: string): string[] {
  mkdirSync(to, { recursive: true });
  return readdirSync(from, { withFileTypes: true }).flatMap((entry) => {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) return copyTree(source, target);
    copyFileSync(source, target);
    return [target];
  });
}

export async function dashboardsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('dashboards', argv, dashboardsOptions);
  if (values.help) {
    console.log(dashboardsHelp());
    return 0;
  }
  if (positionals.length > 0) throw new PreflightError(`unexpected argument ${positionals[0]} (see agent-sla dashboards --help)`);
  if (typeof values.out !== 'string' || values.out === '') throw new PreflightError('--out DIR is required (see agent-sla dashboards --help)');
  const sla = typeof values.sla === 'string' ? parseSlaSpec(values.sla) : {};
  const out = resolve(values.out);
  const written = [...writeDashboards(join(out, 'json'), sla), ...copyTree(provisioningSource, join(out, 'provisioning'))];
  for (const path of written) console.log(`wrote ${path}`);
  console.log(`point the dashboards provider's options.path at ${join(out, 'json')} (it says /var/lib/grafana/dashboards/agent-sla)`);
  return 0;
}
