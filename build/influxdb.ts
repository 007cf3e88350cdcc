// `tsx build/influxdb.ts start|stop|status`: a local InfluxDB 1.x for k6's `--out influxdb=`, Grafana and the report.
// start uses INFLUXD or the influxd `npm run setup` built, building it first when there is none.
// INFLUX_PORT (default 8086) and INFLUX_DATA_DIR (default .data/influxdb) move it.
import { pathToFileURL } from 'node:url';
import { ProvisionError } from './go-build.ts';
import { influxStatus, InfluxServerError, startInflux, stopInflux, type InfluxServerOptions } from './influxdb-server.ts';
import { ensureInfluxd } from './provision-influxd.ts';

export { startInflux, stopInflux, influxStatus } from './influxdb-server.ts';

function optionsFromEnv(env: NodeJS.ProcessEnv): InfluxServerOptions {
  const options: InfluxServerOptions = {};
  if (env.INFLUX_PORT) {
    const port = Number(env.INFLUX_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65533) throw new InfluxServerError(`INFLUX_PORT: "${env.INFLUX_PORT}" must be a port from 1 to 65533`);
    options.port = port;
  }
  if (env.INFLUX_DATA_DIR) options.dataDir = env.INFLUX_DATA_DIR;
  return options;
}

async function main(command: string | undefined): Promise<number> {
  const options = optionsFromEnv(process.env);
  switch (command) {
    case 'start': {
      // Provision (build once) only when nothing answers yet: a running InfluxDB, e.g. compose's, is reused as it is.
      if (!(await influxStatus(options)).answering) {
        const influxd = await ensureInfluxd({ log: (line) => console.log(line) });
        options.influxd = influxd.path;
        console.log(`influxd v${influxd.version} at ${influxd.path} (${influxd.source === 'built' ? 'built from build/influxdb' : 'from INFLUXD'})`);
      }
      const server = await startInflux(options);
      console.log(`influxdb ${server.started ? 'started' : 'already running'} at ${server.url}${server.pid ? ` (pid ${server.pid})` : ''}, data in ${server.dataDir}`);
      return 0;
    }
    case 'stop':
      console.log((await stopInflux(options)) ? 'influxdb stopped' : 'influxdb was not running (no live pidfile)');
      return 0;
    case 'status': {
      const status = await influxStatus(options);
      console.log(`${status.url}: ${status.answering ? 'answering' : 'not answering'}${status.pid ? `, pid ${status.pid}` : ''}`);
      return status.answering ? 0 : 1;
    }
    default:
      console.error('usage: tsx build/influxdb.ts start|stop|status');
      return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv[2]).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof InfluxServerError || error instanceof ProvisionError ? error.message : error);
      process.exitCode = 1;
    },
  );
}
