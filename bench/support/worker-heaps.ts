// The live JavaScript heap of the engine's worker threads, measured in this process: the engine runs here (its
// runTest, as `agent-sla exec` would), and every Worker it creates is recorded, so that a bench can take a heap
// snapshot of each (which collects garbage first) and sum what is alive, by kind of object.
// trackWorkers() must run before the engine is imported: it replaces worker_threads' Worker with a subclass that
// records its instances, and makes ES module imports of 'node:worker_threads' see it.
import { syncBuiltinESMExports } from 'node:module';
import workerThreads, { type Worker } from 'node:worker_threads';

const created: Worker[] = [];
let tracking = false;

export function trackWorkers(): Worker[] {
  if (!tracking) {
    tracking = true;
    const Original = workerThreads.Worker;
    class Tracked extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        created.push(this);
        this.once('exit', () => created.splice(created.indexOf(this), 1));
      }
    }
    (workerThreads as { Worker: typeof Original }).Worker = Tracked;
    syncBuiltinESMExports();
  }
  return created;
}

export interface HeapContents {
  /** Bytes of every live object (the sum of self sizes in the snapshot). */
  bytes: number;
  objects: number;
  /** Bytes by kind: "object Foo" (constructor name), "closure name", "string", "code", "array", … */
  byKind: Map<string, number>;
}

/**
 * A heap snapshot of the worker, read as a stream: only the node table and the strings are kept, so a snapshot of
 * hundreds of MB is summed without holding its text.
 */
export async function workerHeap(worker: Worker): Promise<HeapContents> {
  const stream = await worker.getHeapSnapshot();
  stream.setEncoding('utf8');
  let header = '';
  let state: 'header' | 'nodes' | 'between' | 'strings' = 'header';
  const values: number[] = [];
  let number = '';
  let strings = '';
  let tail = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = tail + chunk;
    tail = '';
    while (text.length > 0) {
      if (state === 'header') {
        const at = text.indexOf('"nodes":[');
        if (at < 0) {
          header += text.slice(0, Math.max(0, text.length - 10));
          tail = text.slice(Math.max(0, text.length - 10));
          text = '';
          break;
        }
        header += text.slice(0, at);
        text = text.slice(at + '"nodes":['.length);
        state = 'nodes';
      } else if (state === 'nodes') {
        let i = 0;
        for (; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c >= 48 && c <= 57) number += text[i];
          else {
            if (number !== '') {
              values.push(Number(number));
              number = '';
            }
            if (c === 93) break; // ]
          }
        }
        if (i < text.length) {
          state = 'between';
          text = text.slice(i + 1);
        } else text = '';
      } else if (state === 'between') {
        const at = text.indexOf('"strings":[');
        if (at < 0) {
          tail = text.slice(Math.max(0, text.length - 12));
          text = '';
          break;
        }
        text = text.slice(at + '"strings":'.length);
        state = 'strings';
      } else {
        strings += text;
        text = '';
      }
    }
  }
  const meta = JSON.parse(`${header.replace(/,\s*$/, '')}}`) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } } };
  const names = JSON.parse(strings.replace(/}\s*$/, '').trim()) as string[];
  const fields = meta.snapshot.meta.node_fields;
  const types = meta.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const result: HeapContents = { bytes: 0, objects: 0, byKind: new Map() };
  for (let i = 0; i < values.length; i += fields.length) {
    const size = values[i + sizeAt]!;
    const type = types[values[i + typeAt]!] ?? '?';
    const name = names[values[i + nameAt]!] ?? '';
    const kind = type === 'object' || type === 'closure' || type === 'native' ? `${type} ${name.slice(0, 60)}` : type === 'hidden' || type === 'code' ? `${type} ${name.replace(/\d+/g, 'N').slice(0, 40)}` : type;
    result.bytes += size;
    result.objects++;
    result.byKind.set(kind, (result.byKind.get(kind) ?? 0) + size);
  }
  return result;
}

/** Every tracked worker's heap, summed. */
export async function workersHeap(workers: Worker[]): Promise<HeapContents> {
  const total: HeapContents = { bytes: 0, objects: 0, byKind: new Map() };
  for (const worker of [...workers]) {
    const heap = await workerHeap(worker);
    total.bytes += heap.bytes;
    total.objects += heap.objects;
    for (const [kind, bytes] of heap.byKind) total.byKind.set(kind, (total.byKind.get(kind) ?? 0) + bytes);
  }
  return total;
}
