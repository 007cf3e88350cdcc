// `npm run dashboards`: regenerates dashboards/json/*.json from the TypeScript definitions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../build/paths.ts';
import { allDashboards, type NamedDashboard } from './all-dashboards.ts';
import type { SlaOverrides } from '../cli/report/sla-catalog.ts';

export const committedDashboardsDir = join(repoRoot, 'dashboards', 'json');

export function dashboardJson(entry: NamedDashboard): string {
  return `${JSON.stringify(entry.dashboard, null, 2)}\n`;
}

/** Writes every dashboard into dir; returns the paths written. */
export function writeDashboards(dir: string, sla: SlaOverrides = {}): string[] {
  mkdirSync(dir, { recursive: true });
  return allDashboards(sla).map((entry) => {
    const path = join(dir, entry.file);
    writeFileSync(path, dashboardJson(entry));
    return path;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const path of writeDashboards(process.argv[2] ?? committedDashboardsDir)) console.log(`wrote ${path}`);
}
