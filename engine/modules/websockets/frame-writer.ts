import { nextMaskKey } from './frame-mask.ts';

export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

/**
 * The frames a client sends (RFC 6455 §5.2): one final frame per message, masked, header and payload in a single
 * buffer so that each frame is one socket write. The payload is copied (or encoded) straight into that buffer and
 * masked in place: a client may not mask the caller's own bytes.
 */

/** A frame whose payload is a string, encoded as UTF-8; `byteLength` is the string's, known to the caller. */
export function stringFrame(opcode: number, text: string, byteLength: number): Buffer {
  const frame = frameFor(opcode, byteLength);
  const start = frame.length - byteLength;
  if (byteLength > 0) frame.write(text, start, byteLength, 'utf8');
  maskPayload(frame, start);
  return frame;
}

/** A frame whose payload is bytes. */
export function bytesFrame(opcode: number, bytes: Uint8Array): Buffer {
  const frame = frameFor(opcode, bytes.byteLength);
  const start = frame.length - bytes.byteLength;
  frame.set(bytes, start);
  maskPayload(frame, start);
  return frame;
}

/**
 * A close frame: the code (big-endian) then the reason, or no payload at all when there is no code (1005 is never
 * sent: it means "no code"). The reason is already checked to fit (at most 123 bytes).
 */
export function closeFrame(code: number | undefined, reason: string | Uint8Array): Buffer {
  if (code === undefined || code === 1005) return frameFor(OPCODE_CLOSE, 0);
  const reasonLength = typeof reason === 'string' ? Buffer.byteLength(reason, 'utf8') : reason.byteLength;
  const frame = frameFor(OPCODE_CLOSE, 2 + reasonLength);
  const start = frame.length - 2 - reasonLength;
  frame.writeUInt16BE(code, start);
  if (typeof reason === 'string') frame.write(reason, start + 2, reasonLength, 'utf8');
  else frame.set(reason, start + 2);
  maskPayload(frame, start);
  return frame;
}

/** A buffer holding the header of a final, masked frame of that payload length, the payload still to be written. */
function frameFor(opcode: number, length: number): Buffer {
  const extended = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const frame = Buffer.allocUnsafe(2 + extended + 4 + length);
  frame[0] = 0x80 | opcode;
  if (extended === 0) {
    frame[1] = 0x80 | length;
  } else if (extended === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.writeUInt32LE(nextMaskKey(), 2 + extended);
  return frame;
}

/** XORs the payload, from `start` to the end, with the 4 key bytes just before it. */
function maskPayload(frame: Buffer, start: number): void {
  const m0 = frame[start - 4]!;
  const m1 = frame[start - 3]!;
  const m2 = frame[start - 2]!;
  const m3 = frame[start - 1]!;
  const end = frame.length;
  let index = start;
  for (const last = end - 3; index < last; index += 4) {
    frame[index] = frame[index]! ^ m0;
    frame[index + 1] = frame[index + 1]! ^ m1;
    frame[index + 2] = frame[index + 2]! ^ m2;
    frame[index + 3] = frame[index + 3]! ^ m3;
  }
  const tail = end - index;
  if (tail > 0) frame[index] = frame[index]! ^ m0;
  if (tail > 1) frame[index + 1] = frame[index + 1]! ^ m1;
  if (tail > 2) frame[index + 2] = frame[index + 2]! ^ m2;
}
