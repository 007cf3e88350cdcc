import { readOptions, ConfigError } from "./config.ts";
import { startTarget } from "./server.ts";
import { describeCapacity } from "./agents/agent-slots.ts";

/** CLI: `tsx target/main.ts [--port N] [--host H] [--faults spec] [--dialect name] [--capacity 8x200ms]`. Prints one start line; never a secret. */
async function main(): Promise<void> {
  let options;
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`agent-sla target: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const target = await startTarget(options);
  const faults = target.faults().length > 0 ? target.faults().join(",") : "none";
  const capacity = options.capacity ? ` capacity=${describeCapacity(options.capacity)}` : "";
  process.stdout.write(`agent-sla target listening on ${target.url} dialect=${target.dialect} db=${target.dbKind} faults=${faults}${capacity}\n`);
  const stop = (): void => {
    target.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`agent-sla target: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
