import { Blob } from './blob.ts';

/** A received frame as the script gets it: a string for text, a Blob or an ArrayBuffer for binary (binaryType). */
export function incomingData(data: Buffer, isBinary: boolean, binaryType: 'blob' | 'arraybuffer'): string | Blob | ArrayBuffer {
  if (!isBinary) return data.toString('utf8');
  if (binaryType === 'arraybuffer') return exactArrayBuffer(data);
  return Blob.wrapping(new Uint8Array(data));
}

/** An ArrayBuffer holding exactly the frame's bytes: the Buffer's own one when it is not a slice of a larger one. */
function exactArrayBuffer(data: Buffer): ArrayBuffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) return data.buffer;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}
