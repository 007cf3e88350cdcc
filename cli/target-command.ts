import { optionHelpLines, parseCommand, type OptionTable } from './option-table.ts';
import { startEmbeddedTarget } from './embedded-target.ts';

export const targetOptions = {
  port: { type: 'string', short: 'p', value: 'N', description: 'port on 127.0.0.1 (default: $TARGET_PORT or 8080; 0 picks a free one)' },
  faults: { type: 'string', value: 'LIST', description: 'faults to inject, e.g. slow-agents:5,drop-tool-completed (default: $TARGET_FAULTS)' },
  dialect: { type: 'string', value: 'NAME', description: 'wire protocol: agent-sla, envelope, openai-realtime or ag-ui (default: $TARGET_DIALECT or agent-sla)' },
  capacity: { type: 'string', value: 'NxT', description: 'a known capacity: N agent slots, each run taking T, the rest queued (FIFO), e.g. 8x200ms or 8x200ms,queue:100 (default: $TARGET_CAPACITY, none)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

export function targetHelp(): string {
  return [
    'Usage: agent-sla target [options]',
    '',
    'The reference target in the foreground, on 127.0.0.1, with the embedded PostgreSQL (or DATABASE_URL). Ctrl-C stops it.',
    'Other settings come from the environment: TARGET_ADMIN_TOKEN, DATABASE_URL, TARGET_AGENT_TIME_SCALE, TARGET_SEED,',
    'and TARGET_AUTH_REFUSAL=http|frame|alternate (how envelope and openai-realtime refuse a bad token).',
    '',
    'Options:',
    ...optionHelpLines(targetOptions),
  ].join('\n');
}

export async function targetCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('target', argv, targetOptions);
  if (values.help) {
    console.log(targetHelp());
    return 0;
  }
  const port = (values.port as string | undefined) ?? process.env.TARGET_PORT ?? '8080';
  const faults = values.faults as string | undefined;
  const dialect = values.dialect as string | undefined;
  const capacity = values.capacity as string | undefined;
  const target = await startEmbeddedTarget({ port, ...(faults !== undefined ? { faults } : {}), ...(dialect !== undefined ? { dialect } : {}), ...(capacity !== undefined ? { capacity } : {}) });
  const faultList = target.faults().length > 0 ? target.faults().join(',') : 'none';
  console.log(`agent-sla target listening on ${target.url} dialect=${target.dialect} db=${target.dbKind} faults=${faultList} (Ctrl-C stops it)`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await target.close();
  return 0;
}
