import zlib from 'node:zlib';
import { DECOMPRESSION_ERROR, type K6Error } from './error-codes.ts';

/** The content codings k6 knows, for params.compression and for response bodies. */
export type Coding = 'gzip' | 'deflate' | 'zstd' | 'br';
const CODINGS: readonly Coding[] = ['gzip', 'deflate', 'zstd', 'br'];

/** zstd is in node:zlib from Node 22.15 on; on older Node it is refused with a clear message. */
type ZstdZlib = {
  zstdCompressSync?: (data: Buffer) => Buffer;
  zstdDecompress?: (data: Buffer, callback: (error: Error | null, result: Buffer) => void) => void;
};
const zstd = zlib as unknown as ZstdZlib;

/** params.compression: "gzip", "br", or a comma-separated stack of them. Throws k6's error for an unknown one. */
export function parseCompression(value: unknown): Coding[] {
  const text = String(value).trim();
  if (text === '') return [];
  return text.split(',').map((part) => {
    const coding = part.trim() as Coding;
    if (!CODINGS.includes(coding)) throw new Error(`unknown compression algorithm ${coding}, supported algorithms are [${CODINGS.join(' ')}]`);
    if (coding === 'zstd' && !zstd.zstdCompressSync) throw new Error(`compression algorithm zstd needs Node 22.15 or later; this is Node ${process.versions.node}`);
    return coding;
  });
}

/** Compresses a request body with each coding in turn; the Content-Encoding value lists them in that order. */
export function compressBody(data: string | Buffer, codings: readonly Coding[]): { data: Buffer; encoding: string } {
  let bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (const coding of codings) {
    if (coding === 'gzip') bytes = zlib.gzipSync(bytes);
    else if (coding === 'deflate') bytes = zlib.deflateSync(bytes);
    else if (coding === 'br') bytes = zlib.brotliCompressSync(bytes);
    else bytes = zstd.zstdCompressSync!(bytes);
  }
  return { data: bytes, encoding: codings.join(', ') };
}

type Decoder = (data: Buffer, callback: (error: Error | null, result: Buffer) => void) => void;
const DECODERS: Readonly<Record<string, Decoder | undefined>> = {
  gzip: zlib.gunzip,
  deflate: zlib.inflate,
  br: zlib.brotliDecompress,
  zstd: zstd.zstdDecompress,
};

/** Whether a Content-Encoding value names a coding this engine decodes. */
export function decodable(contentEncoding: string): boolean {
  return contentEncoding.split(',').some((coding) => DECODERS[coding.trim()] !== undefined);
}

/**
 * A response body decoded as its Content-Encoding says, last coding first; codings k6 does not know are left alone.
 * Runs off the event loop (zlib's thread pool), so a large body does not stall the worker's other VUs.
 */
export async function decodeBody(body: Buffer, contentEncoding: string): Promise<Buffer | K6Error> {
  const codings = contentEncoding.split(',');
  let bytes = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const decoder = DECODERS[codings[i]!.trim()];
    if (!decoder) continue;
    try {
      bytes = await new Promise<Buffer>((resolve, reject) => decoder(bytes, (error, result) => (error ? reject(error) : resolve(result))));
    } catch (error) {
      return { code: DECOMPRESSION_ERROR, message: `error decompressing response body (${(error as Error).message})` };
    }
  }
  return bytes;
}
