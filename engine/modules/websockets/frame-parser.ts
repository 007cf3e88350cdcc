/**
 * What the parser reports, in the order the frames arrive. The chunks it parses may be a read buffer the socket
 * reuses: what the sink is given is only valid during the call, except a binary message, which is its own memory.
 */
export interface FrameSink {
  /** A whole message, fragments joined. */
  onMessage(data: Buffer, isBinary: boolean): void;
  onPing(data: Buffer): void;
  onPong(data: Buffer): void;
  /** The server's close frame; 1005 when it had no code. Nothing after it is read. */
  onCloseFrame(code: number, reason: Buffer): void;
  /** A frame RFC 6455 forbids, or one too large: `code` is the close code to answer with. Nothing more is read. */
  onProtocolError(code: number, message: string): void;
}

/** ws's limits, kept as they were: a message of at most 100 MiB, in at most 16,384 fragments. */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
const MAX_FRAGMENTS = 16 * 1024;
/** The longest header a server may send: 2 bytes, then 8 of length; a server frame is never masked. */
const MAX_HEADER_BYTES = 10;
const EMPTY = Buffer.alloc(0);

/**
 * The frames a client receives (RFC 6455 §5), from the socket's chunks however they are split. A text or control
 * frame inside one chunk is handed on as a view of it (the session decodes it at once); a binary message is copied
 * once into memory of its exact size, so that the script's ArrayBuffer or Blob is exactly the message. As ws with
 * skipUTF8Validation, text is not checked for valid UTF-8, and no extension is negotiated here (RSV1 is an error).
 */
export class FrameParser {
  private stopped = false;
  /** The header being read when a chunk ended inside it. */
  private header: Buffer | undefined;
  private headerBytes = 0;
  // The frame whose payload is being read.
  private fin = false;
  private opcode = 0;
  private length = 0;
  private payload: Buffer | undefined;
  private filled = 0;
  // The fragmented message being read: its opcode (0 when none), copies of its fragments and its total length.
  private messageOpcode = 0;
  private fragments: Buffer[] | undefined;
  private fragmentCount = 0;
  private messageLength = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly maxMessageBytes = MAX_MESSAGE_BYTES,
  ) {}

  /** Nothing more is parsed or reported: the connection is being dropped. */
  stop(): void {
    this.stopped = true;
    this.payload = undefined;
    this.fragments = undefined;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    const end = chunk.length;
    while (offset < end && !this.stopped) {
      offset = this.payload === undefined ? this.readFrame(chunk, offset) : this.fillPayload(chunk, offset);
    }
  }

  /** A frame from its header: whole when the chunk holds it, else what the chunk has of it is kept for the next. */
  private readFrame(chunk: Buffer, offset: number): number {
    const available = chunk.length - offset;
    if (this.headerBytes === 0 && available >= 2) {
      const headerLength = headerLengthOf(chunk[offset + 1]!);
      if (available >= headerLength) {
        if (!this.startFrame(chunk, offset)) return chunk.length;
        return this.takePayload(chunk, offset + headerLength);
      }
    }
    return this.gatherHeader(chunk, offset);
  }

  private gatherHeader(chunk: Buffer, offset: number): number {
    const header = (this.header ??= Buffer.allocUnsafe(MAX_HEADER_BYTES));
    let index = offset;
    while (this.headerBytes < 2 && index < chunk.length) header[this.headerBytes++] = chunk[index++]!;
    if (this.headerBytes < 2) return index;
    // As ws, a frame is refused on its first two bytes; a masked one, whose header would not fit, always is.
    const error = this.checkFirstBytes(header[0]!, header[1]!);
    if (error !== undefined) {
      this.fail(1002, error);
      return chunk.length;
    }
    const headerLength = headerLengthOf(header[1]!);
    while (this.headerBytes < headerLength && index < chunk.length) header[this.headerBytes++] = chunk[index++]!;
    if (this.headerBytes < headerLength) return index;
    this.headerBytes = 0;
    if (!this.startFrame(header, 0)) return chunk.length;
    return this.takePayload(chunk, index);
  }

  /** Checks a whole header at `at` and takes its fields; false when it broke the protocol (reported). */
  private startFrame(bytes: Buffer, at: number): boolean {
    const first = bytes[at]!;
    const second = bytes[at + 1]!;
    const error = this.checkFirstBytes(first, second);
    if (error !== undefined) return this.fail(1002, error);
    const opcode = first & 0x0f;
    let length = second & 0x7f;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
    } else if (length === 127) {
      const high = bytes.readUInt32BE(at + 2);
      if (high > 0x1f_ffff) return this.fail(1009, 'Unsupported WebSocket frame: payload length > 2^53 - 1');
      length = high * 0x1_0000_0000 + bytes.readUInt32BE(at + 6);
    }
    if (opcode < 0x8 && length > 0) {
      this.messageLength += length;
      if (this.messageLength > this.maxMessageBytes) return this.fail(1009, 'Max payload size exceeded');
    }
    this.fin = (first & 0x80) !== 0;
    this.opcode = opcode;
    this.length = length;
    if (!this.fin && opcode !== 0 && opcode < 0x8) this.messageOpcode = opcode;
    return true;
  }

  /** RFC 6455 §5.2 and §5.5 on the first two bytes; the message ws gives when they break it. */
  private checkFirstBytes(first: number, second: number): string | undefined {
    if ((first & 0x30) !== 0) return 'RSV2 and RSV3 must be clear';
    if ((first & 0x40) !== 0) return 'RSV1 must be clear';
    const opcode = first & 0x0f;
    if (opcode === 0x0) {
      if (this.messageOpcode === 0) return 'invalid opcode 0';
    } else if (opcode === 0x1 || opcode === 0x2) {
      if (this.messageOpcode !== 0) return `invalid opcode ${opcode}`;
    } else if (opcode >= 0x8 && opcode <= 0xa) {
      if ((first & 0x80) === 0) return 'FIN must be set';
      const length = second & 0x7f;
      if (length > 125 || (opcode === 0x8 && length === 1)) return `invalid payload length ${length}`;
    } else {
      return `invalid opcode ${opcode}`;
    }
    if ((second & 0x80) !== 0) return 'MASK must be clear';
    return undefined;
  }

  /** The payload of the frame just started: a view when the chunk holds all of it, else a buffer to fill. */
  private takePayload(chunk: Buffer, offset: number): number {
    const length = this.length;
    if (length === 0) {
      this.endFrame(EMPTY, true);
      return offset;
    }
    if (chunk.length - offset >= length) {
      this.endFrame(chunk.subarray(offset, offset + length), false);
      return offset + length;
    }
    this.payload = Buffer.allocUnsafeSlow(length);
    this.filled = 0;
    return this.fillPayload(chunk, offset);
  }

  private fillPayload(chunk: Buffer, offset: number): number {
    const payload = this.payload!;
    const count = Math.min(this.length - this.filled, chunk.length - offset);
    chunk.copy(payload, this.filled, offset, offset + count);
    this.filled += count;
    if (this.filled === this.length) {
      this.payload = undefined;
      this.endFrame(payload, true);
    }
    return offset + count;
  }

  /** `owned`: the payload is memory of its own, not a view of the chunk. */
  private endFrame(payload: Buffer, owned: boolean): void {
    const opcode = this.opcode;
    if (opcode >= 0x8) return this.endControlFrame(opcode, payload);
    if (++this.fragmentCount > MAX_FRAGMENTS) {
      this.fail(1008, 'Too many message fragments');
      return;
    }
    if (this.messageOpcode === 0) {
      this.messageLength = 0;
      this.fragmentCount = 0;
      const isBinary = opcode === 0x2;
      this.sink.onMessage(isBinary && !owned ? exactCopy(payload) : payload, isBinary);
      return;
    }
    if (payload.length > 0) (this.fragments ??= []).push(owned ? payload : Buffer.from(payload));
    if (!this.fin) return;
    const message = joined(this.fragments, this.messageLength);
    const isBinary = this.messageOpcode === 0x2;
    this.messageOpcode = 0;
    this.fragments = undefined;
    this.messageLength = 0;
    this.fragmentCount = 0;
    this.sink.onMessage(message, isBinary);
  }

  private endControlFrame(opcode: number, payload: Buffer): void {
    if (opcode === 0x9) return this.sink.onPing(payload);
    if (opcode === 0xa) return this.sink.onPong(payload);
    if (payload.length === 0) {
      this.stop();
      return this.sink.onCloseFrame(1005, EMPTY);
    }
    const code = payload.readUInt16BE(0);
    if (!isValidCloseCode(code)) {
      this.fail(1002, `invalid status code ${code}`);
      return;
    }
    this.stop();
    this.sink.onCloseFrame(code, payload.subarray(2));
  }

  private fail(code: number, message: string): false {
    this.stop();
    this.sink.onProtocolError(code, message);
    return false;
  }
}

/** A copy in memory of its own, not a slice of Node's pool: a received ArrayBuffer is then exactly the message. */
function exactCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

function joined(fragments: Buffer[] | undefined, length: number): Buffer {
  if (fragments === undefined) return EMPTY;
  const message = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for (const fragment of fragments) offset += fragment.copy(message, offset);
  return message;
}

/** The header's length from its second byte: 2, then 2 or 8 bytes of extended length, then 4 of mask if masked. */
function headerLengthOf(second: number): number {
  const length = second & 0x7f;
  return 2 + (length === 126 ? 2 : length === 127 ? 8 : 0) + ((second & 0x80) !== 0 ? 4 : 0);
}

/** The codes a close frame may carry (RFC 6455 §7.4): 1004, 1005 and 1006 are never sent. */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
