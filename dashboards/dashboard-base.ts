import { DashboardBuilder, DashboardCursorSync } from '@grafana/grafana-foundation-sdk/dashboard';
import { templateVariables } from './variables.ts';

/** What every agent-sla dashboard shares: tags, a live-run refresh, the last 30 minutes, the three variables. */
export function baseDashboard(uid: string, title: string): DashboardBuilder {
  const dashboard = new DashboardBuilder(title)
    .uid(uid)
    .tags(['agent-sla', 'k6'])
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .editable();
  for (const variable of templateVariables()) dashboard.withVariable(variable);
  return dashboard;
}
