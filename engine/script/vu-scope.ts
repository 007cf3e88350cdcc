/**
 * The contract between a prepared script and the VU runtime.
 *
 * engine/script turns a k6 script (an ES module) into the source of one function expression, the *factory*:
 *
 *   (function (require, __ENV, __VU, console, open, __agentSla) { … })
 *
 * A worker compiles that source once, and calls the factory once per VU. Each call evaluates the module body afresh,
 * so every VU has its own module state while all VUs of a worker share the compiled code. The factory returns a
 * ScriptInstance (or a promise of one, when the module uses top-level await).
 *
 * Inside, `import x from 'k6/http'` reads `require('k6/http')`; `__ITER` is a binding the runtime sets through
 * setIteration(); module-level `this` is undefined, as in an ES module.
 */
export interface VuScope {
  /** Returns a k6 module's namespace object for this VU: `{ default, ...named }`. Throws for an unknown module. */
  require(specifier: string): Record<string, unknown>;
  /** `__ENV` */
  env: Record<string, string>;
  /** `__VU` */
  vu: number;
  console: ScriptConsole;
  /** k6's `open(path, mode)`: in the init stage only; 'b' gives an ArrayBuffer. */
  open(path: string, mode?: string): string | ArrayBuffer;
  /** Reserved for the blocking-call rewrite: the runtime helpers it calls. */
  __agentSla: AgentSlaHooks;
}

export interface ScriptConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

/**
 * What code produced by the blocking-call rewrite calls at run time. A blocking k6 call `http.get(url)` that the
 * pass found becomes `(await __agentSla.block(http.get, url))`: block() calls the function's asynchronous variant
 * (BLOCKING_VARIANT) and returns its promise, so only this VU waits.
 */
export interface AgentSlaHooks {
  block(fn: unknown, ...args: unknown[]): Promise<unknown>;
  /** The VU's own Math (random() follows k6's randomSeed for this VU): the factory binds `Math` to it. */
  math: Math;
  /**
   * The VU's own `globalThis`: in k6 every VU is a runtime of its own, so what one VU writes there no other sees. It
   * reads through to the real global object, with the k6 timers and Math in place of Node's and Node's APIs hidden.
   */
  globalThis: object;
}

/** The property under which a blocking k6 function carries its asynchronous variant. */
export const BLOCKING_VARIANT: unique symbol = Symbol.for('agent-sla.blocking-variant');

export interface ScriptInstance {
  /** The module's exports, read live (getters): `default`, `options`, `setup`, `teardown`, `handleSummary`, … */
  exports: Record<string, unknown>;
  /** Sets `__ITER` for the iteration about to run. */
  setIteration(iteration: number): void;
}

export type ScriptFactory = (
  require: VuScope['require'],
  env: VuScope['env'],
  vu: VuScope['vu'],
  console: VuScope['console'],
  open: VuScope['open'],
  agentSla: VuScope['__agentSla'],
) => ScriptInstance | Promise<ScriptInstance>;

/** What engine/script hands the runtime: the factory's source, and what the script imports and exports. */
export interface PreparedScript {
  /** The factory's source: one function expression, evaluated once per worker. */
  code: string;
  /**
   * The source map from `code` to the script's own files, as JSON. Kept beside the code rather than inline: V8 would
   * otherwise hold and scan it in every worker, and it is needed only to explain an exception.
   */
  map: string;
  /** A file name for stack traces. */
  filename: string;
  /** The directory that `open()` resolves relative paths against. */
  directory: string;
  /** Every module the script imports statically (`k6/http`, …), checked before any VU starts. */
  imports: string[];
  /** The names the module exports. */
  exports: string[];
  /** Functions the blocking-call rewrite made asynchronous, by name, for `--verbose` and tests. */
  madeAsync: string[];
}
