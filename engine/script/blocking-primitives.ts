/** k6/http's functions that block the VU until the response is in (asyncRequest returns a promise instead). */
export const BLOCKING_HTTP_FUNCTIONS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'del', 'patch', 'head', 'options', 'request', 'batch']);

/** The engine modules whose members can block a VU. */
export type PrimitiveModule = 'k6' | 'k6/http';

export function isPrimitiveModule(specifier: string): specifier is PrimitiveModule {
  return specifier === 'k6' || specifier === 'k6/http';
}

/**
 * What a member of k6 or k6/http is to the rewrite: a blocking call (`sleep`, `http.get`, …, named as messages name
 * it), `group` (blocking when its callback is), or undefined for everything else.
 */
export function primitiveOf(module: PrimitiveModule, member: string): string | undefined {
  if (module === 'k6') return member === 'sleep' || member === 'group' ? member : undefined;
  return BLOCKING_HTTP_FUNCTIONS.has(member) ? `http.${member}` : undefined;
}

/** A primitive that blocks by itself, whatever its arguments. */
export function blocksByItself(primitive: string | undefined): boolean {
  return primitive !== undefined && primitive !== 'group';
}
