// TODO(wire): replace with cli/influx-output.ts from the metrics engineer.
export function influxK6Args(url: string, testid: string): { args: string[]; env: Record<string, string> } {
  void testid;
  return { args: ['--out', `influxdb=${url}/k6`], env: {} };
}
