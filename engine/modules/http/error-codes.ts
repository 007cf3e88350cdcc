/** An error as k6 reports it on a response and in the `error`/`error_code` tags (k6 docs, "Error codes"). */
export interface K6Error {
  readonly code: number;
  readonly message: string;
}

export const GENERIC_ERROR = 1000;
export const INVALID_URL_ERROR = 1020;
export const REQUEST_TIMEOUT: K6Error = Object.freeze({ code: 1050, message: 'request timeout' });
export const DECOMPRESSION_ERROR = 1701;

const NO_SUCH_HOST: K6Error = Object.freeze({ code: 1101, message: 'lookup: no such host' });
const CONNECTION_REFUSED: K6Error = Object.freeze({ code: 1212, message: 'dial: connection refused' });
const DIAL_TIMEOUT: K6Error = Object.freeze({ code: 1211, message: 'dial: i/o timeout' });
/** The server closed the connection without an answer: Go reports the end of the stream. */
const SERVER_CLOSED: K6Error = Object.freeze({ code: GENERIC_ERROR, message: 'EOF' });
const UNKNOWN_AUTHORITY: K6Error = Object.freeze({ code: 1310, message: 'x509: unknown authority' });
const HOSTNAME_MISMATCH: K6Error = Object.freeze({ code: 1311, message: "x509: certificate doesn't match hostname" });

const UNKNOWN_AUTHORITY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

interface SystemError extends Error {
  code?: string;
  errno?: number;
  syscall?: string;
}

/** The k6 error code and message for an error Node gave while making a request. */
export function classifyNetworkError(error: Error): K6Error {
  const { code, errno, syscall } = error as SystemError;
  if (code === undefined) return { code: GENERIC_ERROR, message: error.message };
  switch (code) {
    case 'ECONNREFUSED':
      return CONNECTION_REFUSED;
    case 'ENOTFOUND':
      return NO_SUCH_HOST;
    case 'ETIMEDOUT':
      return syscall === 'connect' ? DIAL_TIMEOUT : { code: 1200, message: error.message };
    case 'EPIPE':
      return { code: 1201, message: `${syscall ?? 'write'}: broken pipe` };
    case 'ECONNRESET':
      return syscall ? { code: 1220, message: `${syscall}: connection reset by peer` } : SERVER_CLOSED;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return HOSTNAME_MISMATCH;
  }
  if (UNKNOWN_AUTHORITY_CODES.has(code)) return UNKNOWN_AUTHORITY;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_') || code === 'EPROTO') {
    return { code: 1300, message: error.message };
  }
  if (syscall === 'getaddrinfo') return { code: 1100, message: `lookup: ${error.message}` };
  if (syscall === 'connect' && errno !== undefined) {
    return { code: 1213, message: `dial: unknown errno ${Math.abs(errno)} error with msg \`${code}\`` };
  }
  if ((syscall === 'read' || syscall === 'write') && errno !== undefined) {
    return { code: 1202, message: `${syscall}: unknown errno \`${Math.abs(errno)}\` on ${process.platform} with message \`${code}\`` };
  }
  return { code: GENERIC_ERROR, message: error.message };
}

/** k6 gives an HTTP error status its own code: 1000 + the status (1404, 1503, …). */
export function statusErrorCode(status: number): number {
  return status >= 400 ? 1000 + status : 0;
}
