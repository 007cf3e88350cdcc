#!/usr/bin/env node
// The `agent-sla` bin: loads tsx's ESM hooks into this process, then runs the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
