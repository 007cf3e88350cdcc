export type FailureKind = 'connect' | 'status' | 'timeout' | 'malformed' | 'network';

/**
 * Why a stream failed. The message starts with the kind, the method and the URL:
 * "status error: POST http://… answered 503 Service Unavailable: \"overloaded\"".
 */
export class StreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The HTTP status when a response arrived, else 0. */
    readonly status: number,
    message: string,
  ) {
    super(`${kind} error: ${message}`);
  }
}

const ERRNO_MEANINGS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'i/o timeout',
};

/** A socket error in words: Node's message, and what its errno means when Node does not say it. */
export function describeNetworkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const meaning = code === undefined ? undefined : ERRNO_MEANINGS[code];
  return meaning ? `${error.message} (${meaning})` : error.message;
}

/** A response body's start, quoted much as Go's %q does. */
export function quoted(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('utf8'))
    .replace(/\\u00([0-9a-f]{2})/g, '\\x$1')
    .replace(/\u007f/g, '\\x7f');
}
