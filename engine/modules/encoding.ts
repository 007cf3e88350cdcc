import type { ModuleDefinition } from '../runtime/vu-context.ts';

type Variant = 'std' | 'rawstd' | 'url' | 'rawurl';

/** k6/encoding: base64 in its four variants (standard or URL alphabet, padded or raw). */
export const encodingModule: ModuleDefinition = {
  name: 'k6/encoding',
  instantiate: () => namespace,
};

function variantOf(encoding: unknown): Variant {
  if (encoding === undefined || encoding === '') return 'std';
  if (encoding === 'std' || encoding === 'rawstd' || encoding === 'url' || encoding === 'rawurl') return encoding;
  throw new Error(`unknown base64 encoding "${String(encoding)}": use std, rawstd, url or rawurl`);
}

function bytesOf(input: unknown): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  throw new Error('b64encode takes a string or an ArrayBuffer');
}

function b64encode(input: unknown, encoding?: unknown): string {
  const variant = variantOf(encoding);
  const bytes = bytesOf(input);
  const url = variant === 'url' || variant === 'rawurl';
  const text = bytes.toString(url ? 'base64url' : 'base64');
  if (variant === 'rawstd') return text.replace(/=+$/, '');
  // Node's base64url is unpadded; k6's "url" variant pads.
  if (variant === 'url') return text.padEnd(Math.ceil(text.length / 4) * 4, '=');
  return text;
}

function b64decode(input: unknown, encoding?: unknown, format?: unknown): ArrayBuffer | string {
  const variant = variantOf(encoding);
  if (typeof input !== 'string') throw new Error('b64decode takes a string');
  const url = variant === 'url' || variant === 'rawurl';
  const alphabet = url ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!alphabet.test(input)) throw new Error(`invalid base64 (${variant}) input`);
  const bytes = Buffer.from(input, url ? 'base64url' : 'base64');
  if (format === 's') return bytes.toString('utf8');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const members = { b64encode, b64decode };
const namespace = Object.freeze({ ...members, default: members });
