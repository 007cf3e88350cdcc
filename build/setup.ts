// `npm run setup`: provisions every binary the project runs (k6 and influxd), building each only when needed.
// On failure, one line per tool that could not be provisioned, each naming its fixes.
import { ProvisionError } from './go-build.ts';
import { ensureInfluxd } from './provision-influxd.ts';
import { ensureK6 } from './provision-k6.ts';

interface Ready { version: string; path: string; source: string }

const tools: Array<[name: string, ensure: () => Promise<Ready>, builtFrom: string]> = [
  ['k6', () => ensureK6({ log: (line) => console.log(line) }), 'build/k6'],
  ['InfluxDB', () => ensureInfluxd({ log: (line) => console.log(line) }), 'build/influxdb'],
];

let failed = false;
for (const [name, ensure, builtFrom] of tools) {
  const started = performance.now();
  try {
    const tool = await ensure();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const where = tool.source === 'built' ? `built from ${builtFrom}` : `from ${tool.source}`;
    console.log(`${name} v${tool.version} ready at ${tool.path} (${where}, ${seconds} s)`);
  } catch (error) {
    if (!(error instanceof ProvisionError)) throw error;
    console.error(`setup: ${error.message}`);
    failed = true;
  }
}
if (failed) process.exitCode = 1;
