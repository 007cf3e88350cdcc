/** Close codes a script may send (RFC 6455 7.4, the WebSocket standard's close() steps). */
export function checkClientClose(code: number, reason: string): void {
  if (code !== 0 && code !== 1000 && !(code >= 3000 && code <= 4999)) {
    throw new Error(`InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither`);
  }
  if (Buffer.byteLength(reason, 'utf8') > 123) {
    throw new Error(`SyntaxError: Failed to execute 'close' on 'WebSocket': The message must not be greater than 123 bytes`);
  }
}

/** The codes k6 treats as an expected end: any other one in the peer's close frame is also reported as an error. */
export function isExpectedClose(code: number): boolean {
  return code === 1000 || code === 1001;
}

const CODE_NAMES: Record<number, string> = {
  1000: 'normal',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status',
  1006: 'abnormal closure',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension missing',
  1011: 'internal server error',
  1012: 'service restart',
  1013: 'try again later',
  1015: 'TLS handshake',
};

/** The error message of an unexpected close frame: `websocket: close 1011 (internal server error): oops`. */
export function describeClose(code: number, reason: string): string {
  const name = CODE_NAMES[code];
  return `websocket: close ${code}${name ? ` (${name})` : ''}${reason ? `: ${reason}` : ''}`;
}
