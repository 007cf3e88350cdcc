import { QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceRef } from './datasource.ts';

/** testid (one run at a time, newest first: ids start with the scenario then a UTC timestamp), scenario, plan. */
export function templateVariables(): QueryVariableBuilder[] {
  const testid = new QueryVariableBuilder('testid')
    .label('test id')
    .datasource(datasourceRef)
    .query('SHOW TAG VALUES WITH KEY = "testid"')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalDesc);
  const allOf = (name: string, label: string) =>
    new QueryVariableBuilder(name)
      .label(label)
      .datasource(datasourceRef)
      .query(`SHOW TAG VALUES WITH KEY = "${name}" WHERE "testid" =~ /^$testid$/`)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*')
      .current({ text: 'All', value: '$__all' });
  return [testid, allOf('scenario', 'scenario'), allOf('plan', 'plan')];
}
