import type { Dialect } from './dialect.ts';

declare function require(name: string): unknown;

/**
 * Every dialect by the name `DIALECT` / `--dialect` takes; the first is the default. Each is
 * loaded on first use: a `require` makes esbuild wrap the module so it is only evaluated when
 * asked for, and a VU then builds the classes and tables of its one dialect, not of all four.
 */
const LOADERS: Readonly<Record<string, () => Dialect>> = {
  'agent-sla': () => (require('./agent-sla.ts') as typeof import('./agent-sla.ts')).agentSla,
  envelope: () => (require('./envelope.ts') as typeof import('./envelope.ts')).envelope,
  'openai-realtime': () => (require('./openai-realtime.ts') as typeof import('./openai-realtime.ts')).openaiRealtime,
  'ag-ui': () => (require('./ag-ui.ts') as typeof import('./ag-ui.ts')).agUi,
};

export const DIALECT_NAMES = Object.keys(LOADERS);

/** The dialect of that name (one of DIALECT_NAMES). Only in k6: the Node side reads DIALECT_NAMES alone. */
export function loadDialect(name: string): Dialect {
  const load = LOADERS[name];
  if (!load) throw new Error(`unknown dialect "${name}"`);
  return load();
}
