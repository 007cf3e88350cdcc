// TODO(wire): runReport from cli/report once the metrics engineer lands it.
export async function reportCommand(argv: string[]): Promise<number> {
  void argv;
  console.error('agent-sla report: not wired yet');
  return 1;
}
