import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { slaCatalog, type RateSla, type SlaOverrides } from '../cli/report/sla-catalog.ts';
import type { SlaId } from '../lib/sla-catalog.ts';
import { agentEventsDashboard } from './agent-events.ts';
import { billingDashboard } from './billing.ts';
import { loadDashboard } from './load.ts';
import { slaOverviewDashboard } from './sla-overview.ts';
import { websocketAuthDashboard } from './websocket-auth.ts';

export interface NamedDashboard {
  /** File name under dashboards/json (and `agent-sla dashboards --out DIR`). */
  file: string;
  dashboard: Dashboard;
}

/** Every agent-sla dashboard as Grafana JSON models; SLA bounds default to PROTOCOL.md's. */
export function allDashboards(sla: SlaOverrides = {}): NamedDashboard[] {
  const slas = slaCatalog(sla);
  const rate = (key: SlaId): RateSla => slas.find((entry): entry is RateSla => entry.key === key && entry.kind === 'rate')!;
  return [
    { file: 'sla-overview.json', dashboard: slaOverviewDashboard(slas).build() },
    { file: 'agent-events.json', dashboard: agentEventsDashboard(rate('runs')).build() },
    { file: 'websocket-auth.json', dashboard: websocketAuthDashboard().build() },
    { file: 'billing.json', dashboard: billingDashboard(rate('billing')).build() },
    { file: 'load.json', dashboard: loadDashboard().build() },
  ];
}
