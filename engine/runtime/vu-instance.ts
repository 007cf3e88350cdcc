import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { vuMath } from '../modules/seeded-random.ts';
import { moduleLoader, type ModuleLoader } from '../modules/registry.ts';
import { BLOCKING_VARIANT, type AgentSlaHooks, type ScriptConsole, type ScriptFactory, type ScriptInstance } from '../script/vu-scope.ts';
import { runInitFor } from './init-vu.ts';
import { formatConsoleArgs } from './logger.ts';
import { vuGlobal } from './vu-global.ts';
import type { Vu } from './vu.ts';

/** Files read by open(), shared by the VUs of a worker (strings are immutable; binary reads are copied per call). */
const openedFiles = new Map<string, string>();

/** One VU with its own evaluation of the script's module body. */
export class VuInstance {
  private setupData: unknown;
  private setupDataRead = false;

  private constructor(
    readonly vu: Vu,
    readonly script: ScriptInstance,
    private readonly modules: ModuleLoader,
  ) {}

  /** The VU is dropped: its modules close what they hold. */
  dispose(): void {
    this.modules.dispose();
  }

  /** Evaluates the script's init code for this VU (k6's init stage). Throws what the init code throws. */
  static async create(factory: ScriptFactory, vu: Vu): Promise<VuInstance> {
    vu.setStage('init');
    const modules = moduleLoader(vu);
    const math = vuMath(vu);
    const hooks: AgentSlaHooks = { block: callBlocking, math, globalThis: vuGlobal(modules.require('k6/timers'), math) };
    const made = runInitFor(vu, () => factory(modules.require, vu.env, vu.id, scriptConsole(vu), openFile(vu), hooks));
    const script = made instanceof Promise ? await made : made;
    return new VuInstance(vu, script, modules);
  }

  exported(name: string): unknown {
    return this.script.exports[name];
  }

  /** The setup data, parsed once for this VU from the JSON setup() returned (k6 gives each VU its own copy). */
  data(json: string | undefined): unknown {
    if (!this.setupDataRead) {
      this.setupData = json === undefined ? undefined : JSON.parse(json);
      this.setupDataRead = true;
    }
    return this.setupData;
  }
}

function callBlocking(fn: unknown, ...args: unknown[]): Promise<unknown> {
  if (typeof fn !== 'function') return Promise.reject(new TypeError(`${String(fn)} is not a function`));
  const variant = (fn as { [BLOCKING_VARIANT]?: (...a: unknown[]) => Promise<unknown> })[BLOCKING_VARIANT];
  try {
    return variant ? variant(...args) : Promise.resolve((fn as (...a: unknown[]) => unknown)(...args));
  } catch (error) {
    return Promise.reject(error);
  }
}

function scriptConsole(vu: Vu): ScriptConsole {
  return {
    log: (...args) => vu.consoleLog('info', formatConsoleArgs(args)),
    info: (...args) => vu.consoleLog('info', formatConsoleArgs(args)),
    warn: (...args) => vu.consoleLog('warn', formatConsoleArgs(args)),
    error: (...args) => vu.consoleLog('error', formatConsoleArgs(args)),
    debug: (...args) => vu.consoleLog('debug', formatConsoleArgs(args)),
  };
}

function openFile(vu: Vu): (path: string, mode?: string) => string | ArrayBuffer {
  return (path, mode) => {
    if (vu.stage() !== 'init') throw new Error('The "open()" function is only available in the init stage (i.e. the global scope), see https://grafana.com/docs/k6/latest/using-k6/test-lifecycle for more information');
    if (typeof path !== 'string' || path === '') throw new Error('open() needs a file path');
    const file = isAbsolute(path) ? path : resolve(vu.scriptDir, path);
    if (mode === 'b') {
      const bytes = readFileSync(file);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }
    let text = openedFiles.get(file);
    if (text === undefined) {
      text = readFileSync(file, 'utf8');
      openedFiles.set(file, text);
    }
    return text;
  };
}
