import { randomBytes } from 'node:crypto';

/** `<scenario>-<yyyymmdd-hhmmss>-<rand>` in UTC: sortable, unique per run, safe as a directory name and an InfluxDB tag. */
export function newTestId(scenario: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `${scenario}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export function isValidTestId(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(text);
}
