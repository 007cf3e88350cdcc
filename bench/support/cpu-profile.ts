// Where a run's CPU goes, from either of two samplers, summed the same way:
//  - V8's own profiler (node --cpu-prof; every worker thread writes its own .cpuprofile). Exact JavaScript stacks,
//    but it samples wall time per thread: time a thread spends blocked in a native call (a lock in postMessage) or
//    descheduled on a busy machine is charged to whatever was on its stack.
//  - Linux perf (perf record -g on node --perf-basic-prof): on-CPU samples only, every thread of the process (V8's
//    background compiler and GC threads included) and the kernel's share (connect, read, epoll).
// Frames are mapped to their TypeScript sources (the engine's worker bundle has an inline source map, the prepared
// script has one too, see registerPreparedScript), and each sample is charged to the nearest frame of our own code
// on its stack (engine/, lib/, scenarios/, bench/): node's, ws's and V8's work lands on the engine or library
// function that asked for it. categoryOf() then says what the work was for.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Frame {
  /** "function file:line", in the original source where a source map says. */
  name: string;
  /** The frame's file (normalised), '' for native code. */
  file: string;
}

export type ThreadRole = 'main' | 'vu' | 'loader' | 'background';

export interface ProfileSummary {
  /** Sampled time, µs (idle left out). */
  totalUs: number;
  /** µs by what the work is for (categoryOf). */
  category: Map<string, number>;
  /** µs by owner, the nearest frame of ours, "function file:line". */
  owner: Map<string, number>;
  /** The same by the owner's file. */
  ownerByFile: Map<string, number>;
  /** µs by thread. */
  byThread: Map<string, number>;
  /** µs of self time by frame. */
  self: Map<string, number>;
  /** µs of inclusive time by frame, once per sample even when recursive. */
  inclusive: Map<string, number>;
  /** Within each category: µs by nearest function of ours, and by the frame on top of the stack. */
  categoryOwner: Map<string, Map<string, number>>;
  categorySelf: Map<string, Map<string, number>>;
}

const emptySummary = (): ProfileSummary => ({ totalUs: 0, category: new Map(), owner: new Map(), ownerByFile: new Map(), byThread: new Map(), self: new Map(), inclusive: new Map(), categoryOwner: new Map(), categorySelf: new Map() });
const add = (map: Map<string, number>, key: string, us: number): void => void map.set(key, (map.get(key) ?? 0) + us);

// Files and source maps ---------------------------------------------------------------------------------------------

/**
 * A file as the tables name it: relative to whichever tree ran (the working tree, a bench's frozen copy under the
 * temporary directory, the engine's worker bundle in .tools/engine), packages from their node_modules folder.
 */
export const normalise = (path: string): string => {
  const file = path.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) return file.slice(modules);
  return file.replace(/^.*\/agent-sla-bench-[^/]+\//, '').replace(/^\/work\/main\//, '').replace(/^(\.\.\/)+/, '').replace(/^\.tools\/engine\//, '');
};

const maps = new Map<string, SourceMap | undefined>();

/**
 * A script the engine ran: its frames carry the script's file name but positions in the prepared factory
 * (engine/script/prepare-script.ts), so they are mapped through the factory's own source map, which leads to the
 * script's TypeScript sources. Prepare the same file the run used, before it changes.
 */
export async function registerPreparedScript(path: string, root = fileURLToPath(new URL('../..', import.meta.url))): Promise<void> {
  const { prepareScript } = (await import(join(root, 'engine', 'script', 'prepare-script.ts'))) as typeof import('../../engine/script/prepare-script.ts');
  const prepared = await prepareScript(path);
  const inline = /\/\/# sourceMappingURL=data:[^,]*,(\S+)\s*$/.exec(prepared.code)?.[1];
  const map = inline ? new SourceMap(JSON.parse(Buffer.from(inline, 'base64').toString('utf8'))) : undefined;
  maps.set(prepared.filename, map);
  maps.set(`file://${prepared.filename}`, map);
}

/** The source map of a bundle (inline, as the engine's worker bundle has, or a .map file beside it), if any. */
function sourceMapOf(url: string): SourceMap | undefined {
  if (maps.has(url)) return maps.get(url);
  let map: SourceMap | undefined;
  try {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    if ((path.endsWith('.js') || path.endsWith('.cjs')) && existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const comment = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      if (comment?.startsWith('data:')) map = new SourceMap(JSON.parse(Buffer.from(comment.slice(comment.indexOf(',') + 1), 'base64').toString('utf8')));
      else if (comment && existsSync(join(dirname(path), comment))) map = new SourceMap(JSON.parse(readFileSync(join(dirname(path), comment), 'utf8')));
    }
  } catch {
    map = undefined;
  }
  maps.set(url, map);
  return map;
}

/** A JavaScript frame at url, 0-based line and column, as "function file:line" in its original source. */
export function jsFrame(functionName: string, url: string, line: number, column: number): Frame {
  const map = url ? sourceMapOf(url) : undefined;
  const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
  const fn = functionName || '(anonymous)';
  if (entry?.originalSource) {
    const source = entry.originalSource.replace(/^file:\/\//, '');
    const file = normalise(source.startsWith('/') ? source : join(dirname(url.replace(/^file:\/\//, '')), source));
    return { name: `${fn} ${file}:${(entry.originalLine ?? 0) + 1}`, file };
  }
  const file = url ? normalise(url) : '';
  return { name: file ? `${fn} ${file}:${line + 1}` : fn, file };
}

// Attribution ---------------------------------------------------------------------------------------------------

const ours = /^(engine|lib|scenarios|bench|cli|target)\//;

/** The nearest frame of ours (stack from the sample's frame to the root), else the outermost frame below the root. */
function ownerOf(stack: Frame[]): Frame {
  for (const frame of stack) if (ours.test(frame.file)) return frame;
  const outermost = stack.filter((frame) => frame.name !== '(root)').at(-1) ?? stack[0] ?? { name: '?', file: '' };
  return { name: `(no frame of ours) ${outermost.name}`, file: `(no frame of ours) ${outermost.file || outermost.name.split(' ')[0]}` };
}

/**
 * What a sample's work is for. `stack` runs from the sample's frame to the root; `owner` is the nearest frame of ours.
 * The rules are tried in order, so a metric sample emitted while a frame is handled counts as samples.
 * `native` is what perf says of the native frames above the first JavaScript frame, when it says something decisive.
 */
export function categoryOf(role: ThreadRole, stack: Frame[], owner: Frame, native?: string): string {
  const leaf = stack[0]?.name ?? '';
  const has = (pattern: RegExp): boolean => stack.some((frame) => pattern.test(frame.name));
  const thread = role === 'vu' ? 'VU threads' : role === 'main' ? 'main thread' : 'background';
  if (role === 'background') return native ?? 'V8 and libuv background threads: other';
  if (leaf === '(garbage collector)' || native === 'gc') return `${thread}: garbage collection (on the thread)`;
  if (native === 'compile') return `${thread}: V8 parsing and compiling on the thread`;
  if (role === 'loader') return 'start-up: tsx module loader thread';
  if (role === 'main') {
    if (has(/ engine\/script\/|node_modules\/(esbuild|acorn|@babel)\//)) return 'main thread: preparing the script (esbuild, parse, rewrite, source map)';
    if (has(/ engine\/run\/inspect-script/)) return 'main thread: inspecting the script (init once for the options)';
    if (has(/ engine\/run\/(sample-intake|worker-pool)|engine\/metrics\/|messageport/)) return 'main thread: sample intake, metrics, thresholds';
    if (has(/ engine\/(summary|outputs)\/|end-of-test/)) return 'main thread: end-of-test summary';
    if (has(/esm\/|modules\/cjs|node_modules\/tsx\/|compileForInternalLoader|cli\/agent-sla\.js/)) return 'main thread: loading modules (tsx, ESM)';
    if (has(/ engine\/run\/worker-bundle|node:internal\/worker|^Worker /)) return 'main thread: starting worker threads';
    if (native) return `main thread: ${native}`;
    return `main thread: other (${owner.file || leaf})`;
  }
  if (leaf === '(program)') return 'VU threads: (program) — V8 and native work outside JavaScript';
  // By the nearest frame of ours: a sample's cost where it is made, whatever the VU was doing.
  if (/^engine\/(modules\/metrics|runtime\/(sample-sink|sample-batcher|tags))\.ts$/.test(owner.file) || /^emit engine\/runtime\/vu\.ts/.test(owner.name)) return 'VU threads: samples (metric.add, vu.emit, tag sets, batching)';
  if (owner.file === 'engine/runtime/worker-main.ts' && (stack[0]?.name === 'postMessage' || has(/^postMessage /) || native === 'worker messages (native)')) return 'VU threads: messages to the main thread (postMessage: sample batches, iteration ends)';
  if (/^(lib|scenarios|bench)\//.test(owner.file)) {
    if (/^(JSON\.parse|parse) /.test(leaf) || leaf === 'JSON.parse' || leaf === 'parse' || native === 'json') return 'VU threads: library — JSON.parse';
    return 'VU threads: library JavaScript (lib/, scenarios/, bench/handwritten)';
  }
  if (has(/^(SocketSession|WebSocket2?|checkedUrl|parseSocketRequest|endHandshake|socketTags|onResponse|onOpen) engine\/modules\/websockets\/|^afterConnect node:net|^internalConnect|^lookupAndConnect|^onSocketNT node:_http_client|^socketOnData node:_http_client|node:net:1326/)) return 'VU threads: WebSocket open (TCP connect, HTTP upgrade, handshake)';
  if (has(/^(sendClose|close|onClose|onAbort|finish|countBytes) engine\/modules\/websockets\/|^endReadableNT|^socketOnEnd|^socketOnClose|^emitCloseNT|^Writable\.destroy|^Socket\._destroy|^afterShutdown|^_destroy/)) return 'VU threads: WebSocket close';
  if (has(/^send engine\/modules\/websockets\/|^sendFrame node_modules\/ws/)) return 'VU threads: WebSocket send';
  if (has(/ engine\/modules\/websockets\/|node_modules\/ws\/lib\/(receiver|websocket)\.js/)) return 'VU threads: WebSocket frames received (ws parsing, engine dispatch)';
  if (has(/ engine\/modules\/http\/|node:_http_client|node:_http_outgoing|node:_http_agent/)) return 'VU threads: HTTP requests';
  if (has(/ engine\/modules\/timers\/|^listOnTimeout|^processTimers/)) return 'VU threads: timers';
  if (has(/ engine\/(runtime|execution)\//)) return 'VU threads: VU and iteration machinery (event loop, promises, iteration ends)';
  if (native) return `VU threads: ${native}`;
  return `VU threads: other (${owner.file.replace(/^\(no frame of ours\) /, '') || leaf})`;
}

function accumulate(summary: ProfileSummary, role: ThreadRole, thread: string, stack: Frame[], us: number, native?: string): void {
  const owner = ownerOf(stack);
  summary.totalUs += us;
  add(summary.byThread, thread, us);
  const category = categoryOf(role, stack, owner, native);
  add(summary.category, category, us);
  const within = (map: Map<string, Map<string, number>>): Map<string, number> => map.get(category) ?? map.set(category, new Map()).get(category)!;
  add(within(summary.categoryOwner), owner.name, us);
  add(within(summary.categorySelf), stack[0]?.name ?? '?', us);
  add(summary.owner, owner.name, us);
  add(summary.ownerByFile, owner.file, us);
  add(summary.self, stack[0]?.name ?? '?', us);
  const seen = new Set<string>();
  for (const frame of stack) {
    if (seen.has(frame.name)) continue;
    seen.add(frame.name);
    add(summary.inclusive, frame.name, us);
  }
}

// V8's .cpuprofile ---------------------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const nodeFrame = (node: ProfileNode): Frame => {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  return url ? jsFrame(functionName, url, lineNumber, columnNumber) : { name: functionName || '(anonymous)', file: '' };
};

/** Sums .cpuprofile files (one per thread); `(idle)` is left out. */
export function summariseProfiles(files: string[]): ProfileSummary {
  const summary = emptySummary();
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const frames = new Map(profile.nodes.map((node) => [node.id, nodeFrame(node)]));
    // A sample lasts until the next one.
    const time = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) time.set(profile.samples[i]!, (time.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
    const role: ThreadRole = /\.\d+\.0\.\d+\.cpuprofile$/.test(file) ? 'main'
      : [...frames.values()].some((frame) => /^engine\/runtime\/(worker-host|worker-main|vu)\.ts/.test(frame.file)) ? 'vu' : 'loader';
    const thread = file.replace(/^.*\//, '');
    for (const [id, us] of time) {
      if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
      const stack: Frame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(frames.get(at)!);
      accumulate(summary, role, thread, stack, us);
    }
  }
  return summary;
}

// Linux perf --------------------------------------------------------------------------------------------------------

/** perf's native frames above the first JavaScript frame, in one word when they decide the category. */
function nativeCategory(native: Array<{ sym: string; dso: string }>, hasJs: boolean, role: ThreadRole): string | undefined {
  const syms = native.map((frame) => frame.sym).join(' | ');
  if (/Heap::|Scavenger|MarkCompact|MinorMarkSweep|GCTracer|Sweeper|Evacuat|IncrementalMarking|ConcurrentMarking|MemoryAllocator|Unmapper/.test(syms)) {
    return role === 'background' ? 'V8 background threads: garbage collection (concurrent, parallel)' : 'gc';
  }
  if (/compiler::|Compiler::|Maglev|Turbofan|Pipeline|OptimizingCompile|BytecodeGenerator|Parser::|Scanner::|PreParser/.test(syms)) {
    return role === 'background' ? 'V8 background threads: JIT compilation (TurboFan, Maglev)' : 'compile';
  }
  if (role === 'background') return `V8 and libuv background threads: other (${native[0]?.sym.slice(0, 50) ?? '?'})`;
  if (/JsonParse|JsonStringif/.test(native[0]?.sym ?? '')) return 'json';
  if (hasJs) return undefined;
  const syscall = native.find((frame) => /^__x64_sys_|^__do_sys_|^ksys_/.test(frame.sym))?.sym.replace(/^(__x64_sys_|__do_sys_|ksys_)/, '');
  if (/epoll/.test(syms)) return 'event loop: polling (epoll)';
  if (syscall) return `kernel: ${syscall} (no JavaScript on the stack)`;
  if (native[0]?.dso.includes('kernel')) return /page_fault/.test(syms) ? 'kernel: page faults' : 'kernel: other';
  if (/MessagePort|ValueSerializer|ValueDeserializer/.test(syms)) return 'worker messages (native)';
  return `native, no JavaScript on the stack (${(native[0]?.sym ?? '?').replace(/\(.*$/, '').slice(0, 50)})`;
}

/** A perf-map JavaScript function ("JS:*name file:///x.js:12:5"), else undefined. */
function perfJsFrame(sym: string): Frame | undefined {
  const match = /^(?:JS|Script|LazyCompile|Function|RegExp):[~*^+-]?(\S*) (\S+?):(\d+):(\d+)$/.exec(sym);
  return match ? jsFrame(match[1]!, match[2]!, Number(match[3]) - 1, Number(match[4]) - 1) : undefined;
}

/** A native frame's name in the tables: V8's builtins as "Builtin:Name", the kernel's marked. */
function nativeFrame(frame: { sym: string; dso: string }): Frame {
  if (frame.dso.includes('kernel')) return { name: `[kernel] ${frame.sym}`, file: '' };
  const builtin = /^Builtins_(\S+)$/.exec(frame.sym);
  return { name: builtin ? `Builtin:${builtin[1]}` : frame.sym.replace(/\(.*$/, '').slice(0, 80), file: '' };
}

/** Sums a perf.data file of one node process (perf record -g, node --perf-basic-prof). frequency: samples per second. */
export function summarisePerf(dataFile: string, frequency: number): ProfileSummary {
  const text = execFileSync('perf', ['script', '-i', dataFile, '-F', 'comm,pid,tid,ip,sym,dso'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  type Sample = { comm: string; pid: number; tid: number; frames: Array<{ sym: string; dso: string }> };
  const samples: Sample[] = [];
  let current: Sample | undefined;
  for (const line of text.split('\n')) {
    const head = /^\s*(\S+)\s+(\d+)\/(\d+)\s*$/.exec(line);
    if (head) {
      samples.push((current = { comm: head[1]!, pid: Number(head[2]), tid: Number(head[3]), frames: [] }));
      continue;
    }
    const frame = /^\s+[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$/.exec(line);
    if (frame && current) current.frames.push({ sym: frame[1]!, dso: frame[2]! });
  }
  const pid = samples.find((sample) => sample.comm === 'node')?.pid;
  const roles = new Map<number, ThreadRole>();
  for (const sample of samples) {
    if (sample.pid !== pid) continue;
    if (sample.tid === pid) roles.set(sample.tid, 'main');
    else if (sample.frames.some((frame) => /worker-[0-9a-f]+\.cjs/.test(frame.sym))) roles.set(sample.tid, 'vu');
    else if (!roles.has(sample.tid)) roles.set(sample.tid, 'background');
  }
  // tsx's module loader runs in a worker thread too: it has JavaScript frames, none of the engine's worker bundle.
  for (const sample of samples) {
    if (roles.get(sample.tid) === 'background' && sample.frames.some((frame) => /node_modules\/tsx\//.test(frame.sym))) roles.set(sample.tid, 'loader');
  }
  const summary = emptySummary();
  const us = 1e6 / frequency;
  for (const sample of samples) {
    if (sample.pid !== pid) {
      add(summary.category, `other processes (${sample.comm})`, us);
      summary.totalUs += us;
      continue;
    }
    const role = roles.get(sample.tid) ?? 'background';
    // The stack: the sample's own frame, then the JavaScript functions below it (native frames between two
    // JavaScript calls, node's C++ and V8's entry builtins, are left out). The native frames above the first
    // JavaScript function decide categories such as garbage collection and compilation.
    const js: Frame[] = [];
    const native: Array<{ sym: string; dso: string }> = [];
    for (const frame of sample.frames) {
      const mapped = perfJsFrame(frame.sym);
      if (mapped) js.push(mapped);
      else if (js.length === 0) native.push(frame);
    }
    const stack = native[0] ? [nativeFrame(native[0]), ...js] : js;
    accumulate(summary, role, `${role} ${sample.tid}`, stack, us, nativeCategory(native, js.length > 0, role));
  }
  return summary;
}

// Tables -------------------------------------------------------------------------------------------------------------

/** a − b per key, ÷ divisor. */
export function difference(a: Map<string, number>, b: Map<string, number>, divisor = 1): Map<string, number> {
  const result = new Map<string, number>();
  for (const key of new Set([...a.keys(), ...b.keys()])) result.set(key, ((a.get(key) ?? 0) - (b.get(key) ?? 0)) / divisor);
  return result;
}

export const top = (map: Map<string, number>, count: number): Array<[string, number]> => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
