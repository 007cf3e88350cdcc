import * as esbuild from 'esbuild';
import { basename, dirname, extname, join } from 'node:path';
import { k6ModulesPlugin } from './k6-modules-plugin.ts';
import { ScriptError } from './script-error.ts';

export interface Bundle {
  /** One ES module: the script and its local imports, with the engine's modules left as imports. */
  code: string;
  /** esbuild's source map of `code`, its sources relative to the entry's directory. */
  map: string;
  /** The engine modules the script's files import, sorted. */
  imports: string[];
}

/**
 * Bundles a script with its local imports (ES modules and CommonJS files), as k6 resolves them. Every import that is
 * not a file must be one of the engine's modules; anything else is a ScriptError at that import.
 */
export async function bundleEntry(entry: string): Promise<Bundle> {
  const imported = new Set<string>();
  const directory = dirname(entry);
  let result: esbuild.BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      // Never written: it only places the source map's paths relative to the entry's directory.
      outfile: join(directory, `${basename(entry, extname(entry))}.agent-sla-bundle.js`),
      sourcemap: 'external',
      sourcesContent: false,
      charset: 'utf8',
      logLevel: 'silent',
      plugins: [k6ModulesPlugin(imported)],
    });
  } catch (error) {
    throw scriptErrorFromBuild(error);
  }
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  if (!code || !map) throw new Error('esbuild produced no bundle');
  return { code: code.text, map: map.text, imports: [...imported].sort() };
}

function scriptErrorFromBuild(error: unknown): Error {
  const failure = error as Partial<esbuild.BuildFailure>;
  const first = failure.errors?.[0];
  if (!first) return error instanceof Error ? error : new Error(String(error));
  const location = first.location;
  if (!location) return new ScriptError(first.text);
  return new ScriptError(first.text, { file: location.file, line: location.line, column: characterColumn(location) + 1 });
}

/** esbuild counts columns in UTF-8 bytes; editors count characters. */
function characterColumn(location: esbuild.Location): number {
  return Buffer.from(location.lineText).subarray(0, location.column).toString().length;
}
