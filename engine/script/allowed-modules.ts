/** The modules a script may import: the runtime registers exactly these. */
export const ALLOWED_MODULES = [
  'k6',
  'k6/http',
  'k6/websockets',
  'k6/timers',
  'k6/metrics',
  'k6/execution',
  'k6/data',
  'k6/encoding',
  'agent-sla/sse',
  'agent-sla/ledger',
] as const;

export type AllowedModule = (typeof ALLOWED_MODULES)[number];

const allowed: ReadonlySet<string> = new Set(ALLOWED_MODULES);

export function isAllowedModule(specifier: string): specifier is AllowedModule {
  return allowed.has(specifier);
}

/** Whether an import names a module rather than a file (`./lib.js`, `/abs/lib.js`, `file:///abs/lib.js`). */
export function isModuleSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('file:');
}

/** Why a script may not import this module, in one line; undefined when it may. */
export function moduleRefusal(specifier: string): string | undefined {
  if (isAllowedModule(specifier)) return undefined;
  if (/^https?:\/\//i.test(specifier)) return `remote modules are not supported: ${specifier}`;
  const provided = ALLOWED_MODULES.join(', ');
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    return `unsupported module "${specifier}": agent-sla's engine provides ${provided}; run this script on k6 itself with --k6 PATH`;
  }
  return `unknown module "${specifier}": agent-sla's engine provides ${provided}; import local files by a relative path such as ./lib.js`;
}
