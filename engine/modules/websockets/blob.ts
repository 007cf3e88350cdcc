export type BlobPart = string | ArrayBuffer | ArrayBufferView | Blob;

/**
 * k6/websockets' Blob: immutable bytes with a MIME type. Its own class rather than Node's, because send() must read
 * the bytes at once, and Node's Blob only gives them through a promise.
 */
export class Blob {
  #bytes: Uint8Array;
  readonly #type: string;

  constructor(parts?: Iterable<BlobPart>, options?: { type?: string }) {
    if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('[options] must be an object');
    this.#type = options?.type === undefined ? '' : String(options.type);
    this.#bytes = parts === undefined ? new Uint8Array(0) : concat(parts);
  }

  /** A Blob over bytes the caller hands over and no longer touches: a received message, without a second copy. */
  static wrapping(bytes: Uint8Array): Blob {
    const blob = new Blob();
    blob.#bytes = bytes;
    return blob;
  }

  /** The bytes, without a copy: for send(). */
  static bytesOf(blob: Blob): Uint8Array {
    return blob.#bytes;
  }

  get size(): number {
    return this.#bytes.byteLength;
  }

  get type(): string {
    return this.#type;
  }

  get [Symbol.toStringTag](): string {
    return 'Blob';
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }

  bytes(): Promise<Uint8Array> {
    return Promise.resolve(this.#bytes.slice());
  }

  text(): Promise<string> {
    return Promise.resolve(Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength).toString('utf8'));
  }

  slice(start = 0, end: number = this.size, contentType = ''): Blob {
    return new Blob([this.#bytes.subarray(relative(start, this.size), relative(end, this.size))], { type: contentType });
  }

  stream(): ReadableStream<Uint8Array> {
    const bytes = this.#bytes.slice();
    return new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.byteLength > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
}

function concat(parts: Iterable<BlobPart>): Uint8Array {
  if (typeof parts === 'string' || typeof (parts as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new TypeError('failed to process [blobParts]: it must be an array');
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (const part of parts) {
    const chunk = bytesOfPart(part);
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function bytesOfPart(part: BlobPart): Uint8Array {
  if (typeof part === 'string') return Buffer.from(part, 'utf8');
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  if (part instanceof Blob) return Blob.bytesOf(part);
  throw new TypeError(`failed to process [blobParts]: unsupported type: ${typeof part}`);
}

/** slice()'s index rule: negative counts from the end, and the result stays within the blob. */
function relative(index: number, size: number): number {
  const integer = Math.trunc(Number(index)) || 0;
  return integer < 0 ? Math.max(size + integer, 0) : Math.min(integer, size);
}
