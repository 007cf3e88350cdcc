import type { Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { isModuleSpecifier, moduleRefusal } from './allowed-modules.ts';

/**
 * An esbuild plugin that leaves the engine's modules to the runtime, records them, and refuses every other module
 * that is not a file: esbuild then reports the refusal at the import, with its file, line and column.
 */
export function k6ModulesPlugin(imported: Set<string>): Plugin {
  return {
    name: 'agent-sla-k6-modules',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path.startsWith('file:')) return { path: fileURLToPath(args.path) };
        if (!isModuleSpecifier(args.path)) return undefined;
        const refusal = moduleRefusal(args.path);
        if (refusal) return { errors: [{ text: refusal }] };
        if (args.kind === 'dynamic-import') {
          return { errors: [{ text: `import() of "${args.path}" is not supported: import it with a static import statement` }] };
        }
        imported.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
}
