import { randomBytes } from 'node:crypto';

let state = randomBytes(4).readUInt32LE(0) || 0x9e3779b9;

/**
 * The masking key of the next frame the client sends (RFC 6455 §5.3), as an unsigned 32-bit number whose low byte
 * is the key's first byte. ws draws it from the crypto RNG for every frame, which is a measurable share of a load
 * generator's time; the key only guards intermediaries against crafted bytes, so a fast generator seeded from
 * crypto (xorshift32) serves, as in most load tools.
 */
export function nextMaskKey(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
}

/** The same key, written into ws's mask buffer: its `generateMask` option. */
export function fastMask(mask: Buffer): void {
  mask.writeUInt32LE(nextMaskKey(), 0);
}
