// `npm run setup`: provisions every binary the project runs (influxd, for the InfluxDB tests and `npm run
// influx:start`), building it only when needed. The load itself runs on agent-sla's engine, which needs nothing.
// On failure, one line per tool that could not be provisioned, each naming its fixes.
import { ProvisionError } from './go-build.ts';
import { ensureInfluxd } from './provision-influxd.ts';

interface Ready { version: string; path: string; source: string }

const tools: Array<[name: string, ensure: () => Promise<Ready>, builtFrom: string]> = [
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
