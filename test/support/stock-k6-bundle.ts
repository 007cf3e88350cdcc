import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildOptions } from '../../build/bundle.ts';
import { repoRoot } from '../../build/paths.ts';

const bundled = new Map<string, Promise<string>>();

/**
 * A scenario bundled as a stock k6 would run it. The library tells agent-sla's engine from k6 only by the
 * AGENT_SLA_ENGINE global (lib/engine.ts); defined away here, the bundle takes every stock-k6 fallback (SSE runs
 * as one buffered request, no ledger) while the engine runs it. Built once per test process, outside dist/.
 */
export function stockK6BundlePath(name: string): Promise<string> {
  let path = bundled.get(name);
  if (!path) {
    path = buildStockK6Bundle(name);
    bundled.set(name, path);
  }
  return path;
}

async function buildStockK6Bundle(name: string): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), 'agent-sla-stock-k6-'));
  const source = join(repoRoot, 'scenarios', `${name}.ts`);
  await esbuild.build({
    ...esbuildOptions([{ name, source, output: join(outdir, `${name}.js`) }]),
    entryPoints: { [name]: source },
    outdir,
    define: { AGENT_SLA_ENGINE: 'undefined' },
  });
  return join(outdir, `${name}.js`);
}
