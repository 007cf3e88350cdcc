export const FILE_BYTES: unique symbol = Symbol('agent-sla.file-bytes');

/** What http.file() returns: a file for a multipart body. */
export class FileData {
  readonly [FILE_BYTES]: Buffer;

  constructor(
    readonly data: string | ArrayBuffer | ArrayBufferView,
    readonly filename: string,
    readonly content_type: string,
  ) {
    this[FILE_BYTES] = toBytes(data);
  }
}

/** http.file(data, [filename], [contentType]) */
export function file(data: unknown, filename?: unknown, contentType?: unknown): FileData {
  if (typeof data !== 'string' && !(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) {
    throw new Error(`invalid type ${describeType(data)}, expected string, []byte or ArrayBuffer`);
  }
  // k6's default name is the time in nanoseconds.
  const name = filename === undefined ? String(BigInt(Date.now()) * 1_000_000n) : String(filename);
  return new FileData(data, name, contentType === undefined ? 'application/octet-stream' : String(contentType));
}

/** The bytes of a string (UTF-8), an ArrayBuffer or a view on one, without copying buffers. */
function toBytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
