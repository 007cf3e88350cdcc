// TODO(wire): the dashboards builder once the metrics engineer lands it.
export async function dashboardsCommand(argv: string[]): Promise<number> {
  void argv;
  console.error('agent-sla dashboards: not wired yet');
  return 1;
}
