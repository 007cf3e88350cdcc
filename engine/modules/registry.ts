import { DISPOSE_MODULE, type ModuleDefinition, type VuContext } from '../runtime/vu-context.ts';
import { dataModule } from './data.ts';
import { httpModule } from './http/http-module.ts';
import { sseModule } from './sse/index.ts';
import { timersModule } from './timers/index.ts';
import { websocketsModule } from './websockets/index.ts';
import { encodingModule } from './encoding.ts';
import { executionModule } from './execution.ts';
import { k6CoreModule } from './k6-core.ts';
import { ledgerModule } from './ledger.ts';
import { metricsModule } from './metrics.ts';

/** Every module a script may import, by specifier. engine/script/allowed-modules.ts lists the same names. */
export const MODULES: ReadonlyMap<string, ModuleDefinition> = new Map(
  [k6CoreModule, httpModule, websocketsModule, timersModule, sseModule, metricsModule, executionModule, dataModule, encodingModule, ledgerModule].map((module) => [module.name, module]),
);

export interface ModuleLoader {
  require(specifier: string): Record<string, unknown>;
  /** Closes what the VU's modules hold (pooled connections), for a VU that is dropped. */
  dispose(): void;
}

/** A VU's `require`: each module instantiated for the VU the first time the VU asks for it. */
export function moduleLoader(vu: VuContext, modules: ReadonlyMap<string, ModuleDefinition> = MODULES): ModuleLoader {
  const loaded = new Map<string, Record<string, unknown>>();
  const dispose = (): void => {
    for (const instance of loaded.values()) (instance as { [DISPOSE_MODULE]?: () => void })[DISPOSE_MODULE]?.();
  };
  const require = (specifier: string): Record<string, unknown> => {
    const known = loaded.get(specifier);
    if (known) return known;
    const definition = modules.get(specifier);
    if (!definition) throw new Error(`unknown module "${specifier}": agent-sla's engine provides ${[...modules.keys()].join(', ')}`);
    const instance = definition.instantiate(vu);
    loaded.set(specifier, instance);
    return instance;
  };
  return { require, dispose };
}
