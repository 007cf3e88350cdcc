import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toolsDir } from '../../build/paths.ts';

export const artilleryVersion = '2.0.34';
const prefix = join(toolsDir, 'artillery');
const binary = join(prefix, 'node_modules', '.bin', 'artillery');

/** Artillery from npm into .tools/artillery, once, without the Playwright browsers it would otherwise download. */
export function ensureArtillery(): string {
  const installed = join(prefix, 'node_modules', 'artillery', 'package.json');
  if (existsSync(binary) && existsSync(installed)) {
    const { version } = JSON.parse(execFileSync('node', ['-p', `JSON.stringify(require(${JSON.stringify(installed)}))`], { encoding: 'utf8' })) as { version: string };
    if (version === artilleryVersion) return binary;
  }
  mkdirSync(prefix, { recursive: true });
  console.log(`installing artillery@${artilleryVersion} into ${prefix} (once)…`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `artillery@${artilleryVersion}`], {
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    timeout: 15 * 60_000,
  });
  return binary;
}
