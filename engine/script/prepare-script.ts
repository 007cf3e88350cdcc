import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { rewriteIfBlocking } from './rewrite-stage.ts';
import { bundleEntry } from './bundle-entry.ts';
import { composeSourceMap } from './composed-source-map.ts';
import { moduleFactory } from './module-factory.ts';
import { parseModule } from './module-syntax.ts';
import { ScriptError } from './script-error.ts';
import { bundleLookup } from './source-positions.ts';
import type { PreparedScript } from './vu-scope.ts';

export { ScriptError } from './script-error.ts';

/**
 * A k6 script in, the factory the runtime runs per VU out: bundled with its local imports, checked against the
 * engine's modules, its blocking calls made awaitable, and wrapped as a function (see vu-scope.ts). Everything the
 * engine cannot run is a ScriptError here, before any VU starts.
 */
export async function prepareScript(path: string): Promise<PreparedScript> {
  const entry = resolve(path);
  await assertScriptFile(path, entry);
  const directory = dirname(entry);
  const bundle = await bundleEntry(entry);
  const toOriginal = bundleLookup(bundle.map, directory);
  const program = parseModule(bundle.code, toOriginal);
  const rewritten = await rewriteIfBlocking(bundle.code, program, toOriginal);
  const factory = moduleFactory(rewritten.code, rewritten.lookup, rewritten.skipped ? program : undefined);
  const map = composeSourceMap(factory.map, rewritten.lookup, basename(entry));
  return {
    code: `${factory.code}\n`,
    map,
    filename: entry,
    directory,
    imports: bundle.imports,
    exports: factory.exports,
    madeAsync: rewritten.madeAsync,
  };
}

async function assertScriptFile(path: string, entry: string): Promise<void> {
  const found = await stat(entry).catch(() => undefined);
  if (!found) throw new ScriptError(`${path}: no such file`);
  if (!found.isFile()) throw new ScriptError(`${path}: not a file`);
}
