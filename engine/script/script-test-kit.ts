import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { BLOCKING_VARIANT, type AgentSlaHooks, type PreparedScript, type ScriptFactory, type ScriptInstance } from './vu-scope.ts';

/** Shared by the tests of engine/script: real files, real factories, and small real stand-ins for the engine's modules. */

export interface ScriptFiles {
  dir: string;
  path(name: string): string;
  cleanup(): Promise<void>;
}

export async function writeScriptFiles(files: Record<string, string>): Promise<ScriptFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-sla-script-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return { dir, path: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function compileFactory(code: string, filename = 'factory.js'): ScriptFactory {
  return vm.runInThisContext(code, { filename }) as ScriptFactory;
}

/** A gate the test opens: blocking variants wait on it, so that a test sees who is waiting without timing anything. */
export class Gate {
  private readonly waiters: Array<() => void> = [];
  private opened = false;

  wait(): Promise<void> {
    if (this.opened) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get waiting(): number {
    return this.waiters.length;
  }

  open(): void {
    this.opened = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

export interface TestModules {
  require(specifier: string): Record<string, unknown>;
  /** What the script did, in order: `sleep 1`, `GET http://…`, `group g start`, … */
  log: string[];
}

/**
 * One VU's modules. The blocking functions throw when called synchronously (as the engine's do) and carry an
 * asynchronous variant; `gate`, when given, holds every variant until it opens.
 */
export function testModules(gate?: Gate): TestModules {
  const log: string[] = [];
  const pause = async (): Promise<void> => {
    if (gate) await gate.wait();
    else await new Promise((resolve) => setImmediate(resolve));
  };
  const blocking = (name: string, variant: (...args: never[]) => Promise<unknown>) =>
    Object.assign(
      () => {
        throw new Error(`${name} was called without the rewrite`);
      },
      { [BLOCKING_VARIANT]: variant },
    );
  const request = (method: string) =>
    blocking(`http.${method}`, async (url: string) => {
      log.push(`${method.toUpperCase()} ${url}`);
      await pause();
      return { status: 200, url, body: JSON.stringify({ url }), json: () => ({ url }) };
    });
  const sleep = blocking('sleep', async (seconds: number) => {
    log.push(`sleep ${seconds}`);
    await pause();
  });
  const group = (name: string, fn: () => unknown): unknown => {
    log.push(`group ${name} start`);
    const result = fn();
    if (result instanceof Promise) return result.then((value) => (log.push(`group ${name} end`), value));
    log.push(`group ${name} end`);
    return result;
  };
  const check = (value: unknown, sets: Record<string, (value: unknown) => unknown>): boolean =>
    Object.entries(sets).every(([name, predicate]) => {
      const ok = Boolean(predicate(value));
      log.push(`check ${name} ${ok}`);
      return ok;
    });
  const http = { get: request('get'), post: request('post'), del: request('delete'), batch: request('batch'), asyncRequest: async (method: string, url: string) => ({ status: 200, method, url }) };
  const timers = { setTimeout, clearTimeout, setInterval, clearInterval };
  const modules: Record<string, Record<string, unknown>> = {
    k6: { sleep, group, check, default: { sleep, group, check } },
    'k6/http': { ...http, default: http },
    'k6/timers': { ...timers, default: timers },
    'k6/metrics': { Counter: class {}, default: {} },
  };
  return {
    log,
    require(specifier) {
      const module = modules[specifier];
      if (!module) throw new Error(`unknown module "${specifier}"`);
      return module;
    },
  };
}

export const testHooks: AgentSlaHooks = {
  block(fn, ...args) {
    const variant = (fn as { [BLOCKING_VARIANT]?: (...args: unknown[]) => Promise<unknown> })[BLOCKING_VARIANT];
    if (typeof variant !== 'function') throw new Error('block() got a function without an asynchronous variant');
    return variant(...args);
  },
  math: Math,
  globalThis,
};

export interface Instantiated {
  instance: ScriptInstance;
  modules: TestModules;
  printed: string[];
}

/** One VU's instance of a prepared script. */
export async function instantiate(prepared: PreparedScript | ScriptFactory, options: { vu?: number; env?: Record<string, string>; gate?: Gate; hooks?: AgentSlaHooks } = {}): Promise<Instantiated> {
  const factory = typeof prepared === 'function' ? prepared : compileFactory(prepared.code, prepared.filename);
  const modules = testModules(options.gate);
  const printed: string[] = [];
  const print = (...args: unknown[]): void => void printed.push(args.map(String).join(' '));
  const console = { log: print, info: print, warn: print, error: print, debug: print };
  const open = (path: string): string => `contents of ${path}`;
  const instance = await factory(modules.require, options.env ?? {}, options.vu ?? 1, console, open, options.hooks ?? testHooks);
  return { instance, modules, printed };
}
