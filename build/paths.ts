import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = join(repoRoot, 'dist');
// AGENT_SLA_TOOLS_DIR moves the tool cache, e.g. to share one influxd build between checkouts.
export const toolsDir = process.env.AGENT_SLA_TOOLS_DIR ?? join(repoRoot, '.tools');
export const toolsBinDir = join(toolsDir, 'bin');
export const provisionedInfluxd = join(toolsBinDir, 'influxd');
export const influxdbModuleDir = join(repoRoot, 'build', 'influxdb');
