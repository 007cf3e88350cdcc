import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { allDashboards } from '../dashboards/all-dashboards.ts';
import { datasourceUid } from '../dashboards/datasource.ts';
import { committedDashboardsDir, dashboardJson } from '../dashboards/write-dashboards.ts';

test('the committed dashboards/json is exactly what `npm run dashboards` generates', () => {
  const generated = allDashboards();
  assert.deepEqual(readdirSync(committedDashboardsDir).filter((f) => f.endsWith('.json')).sort(), generated.map((d) => d.file).sort());
  for (const entry of generated) {
    assert.equal(readFileSync(join(committedDashboardsDir, entry.file), 'utf8'), dashboardJson(entry), `${entry.file} is stale: run npm run dashboards`);
  }
});

test('each dashboard has a unique uid, the testid/scenario/plan variables, and panels on the provisioned datasource', () => {
  const dashboards = allDashboards().map((entry) => entry.dashboard);
  assert.equal(new Set(dashboards.map((d) => d.uid)).size, dashboards.length);
  for (const dashboard of dashboards) {
    assert.deepEqual(dashboard.templating?.list?.map((v) => v.name), ['testid', 'scenario', 'plan'], dashboard.title);
    for (const panel of dashboard.panels ?? []) {
      const p = panel as { title?: string; gridPos?: { x: number; w: number }; targets?: { datasource?: { uid?: string }; query?: string }[] };
      assert.ok(p.targets && p.targets.length > 0, `${dashboard.title} / ${p.title} has queries`);
      assert.ok(p.gridPos && p.gridPos.x + p.gridPos.w <= 24, `${p.title} fits the grid`);
      for (const target of p.targets) {
        assert.equal(target.datasource?.uid, datasourceUid);
        assert.match(target.query ?? '', /\$timeFilter/, `${p.title}: every query is bounded by the dashboard time range`);
        assert.match(target.query ?? '', /"testid" =~ \/\^\$testid\$\//, `${p.title}: every query is scoped to one run`);
      }
    }
  }
});
