import { open } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface SummaryOutputIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Relative paths are resolved from here. */
  cwd: string;
}

/**
 * Writes what handleSummary() returned, as k6 does: each key is `stdout`, `stderr` or a file path (relative to cwd,
 * overwritten; a missing directory is not created, that output fails); each value is a string or an ArrayBuffer
 * (a typed array is taken as its bytes). null or undefined writes nothing. Anything but an object with such values
 * is refused before anything is written. Outputs that fail do not stop the others; their errors are reported
 * together, in k6's words, once all were tried.
 */
export async function writeSummaryOutputs(result: unknown, io: SummaryOutputIo): Promise<void> {
  if (result === null || result === undefined) return;
  if (typeof result !== 'object' || Array.isArray(result) || ArrayBuffer.isView(result) || result instanceof ArrayBuffer) {
    throw new Error('handleSummary() should return a map with string keys');
  }

  const outputs: Array<[string, Uint8Array]> = Object.entries(result).map(([key, value]) => [key, toBytes(key, value)]);
  const errors: string[] = [];
  for (const [key, bytes] of outputs) {
    if (key === 'stdout' || key === 'stderr') {
      io[key](new TextDecoder().decode(bytes));
      continue;
    }
    try {
      const file = await open(resolve(io.cwd, key), 'w', 0o666);
      try {
        await file.writeFile(bytes);
      } catch (error) {
        errors.push(`error saving summary to '${key}': ${messageOf(error)}`);
      } finally {
        await file.close();
      }
    } catch (error) {
      errors.push(`could not open '${key}': ${messageOf(error)}`);
    }
  }
  if (errors.length > 0) throw new Error(['Could not save some summary information:', ...errors.map((error) => `\t- ${error}`)].join('\n'));
}

function toBytes(key: string, value: unknown): Uint8Array {
  if (typeof value === 'string') return new TextEncoder().encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new Error(`error handling summary object ${key}: invalid type ${type}, it needs to be a string or ArrayBuffer`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
