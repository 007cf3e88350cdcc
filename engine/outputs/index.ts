/**
 * The engine's outputs: where every sample goes, besides the end-of-test summary, one `--out` flag each.
 *
 *   json            k6's JSON lines on stdout (`--out json` or `--out json=-`)
 *   json=FILE       the same into FILE, gzipped when FILE ends in ".gz" (json-output.ts)
 *   influxdb[=URL]  InfluxDB 1.x as k6's built-in output writes it: URL http(s)://[user:pass@]host:port/[prefix/]db,
 *                   settings from K6_INFLUXDB_* (influxdb-output.ts, influxdb-config.ts)
 *
 * Each runs on the main thread and gets the samples after aggregation, through Output.addSamples.
 */
import { InfluxDbOutput } from './influxdb-output.ts';
import { JsonOutput } from './json-output.ts';
import { OutputConfigError, type Output, type OutputContext } from './output.ts';

export { OutputConfigError, type Output, type OutputContext } from './output.ts';

const OUTPUT_TYPES = ['influxdb', 'json'] as const;

/** One output from the value of one --out flag: "type" or "type=argument". */
export function createOutput(spec: string, context: OutputContext): Output {
  const equals = spec.indexOf('=');
  const type = (equals < 0 ? spec : spec.slice(0, equals)).trim();
  const argument = equals < 0 ? '' : spec.slice(equals + 1);
  switch (type) {
    case 'json':
      return new JsonOutput(argument, context);
    case 'influxdb':
      return new InfluxDbOutput(argument, context);
    default:
      throw new OutputConfigError(`invalid output type "${type}", available types are: ${OUTPUT_TYPES.join(', ')}`);
  }
}
