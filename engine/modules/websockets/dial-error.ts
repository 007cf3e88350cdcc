/**
 * A connection error in the words k6 uses for it (Go's net errors): scripts and reports that read
 * "connection refused" or "no such host" in a WebSocket error must find them as they would on k6.
 */
export function dialError(error: Error): Error {
  const failure = error as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  const where = failure.address === undefined ? '' : ` ${failure.address}${failure.port === undefined ? '' : `:${failure.port}`}`;
  switch (failure.code) {
    case 'ECONNREFUSED':
      return new Error(`dial tcp${where}: connect: connection refused`);
    case 'ECONNRESET':
      return new Error(`read tcp${where}: connection reset by peer`);
    case 'EPIPE':
      return new Error(`write tcp${where}: broken pipe`);
    case 'ETIMEDOUT':
      return new Error(`dial tcp${where}: i/o timeout`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Error(`dial tcp: lookup ${failure.hostname ?? 'host'}: no such host`);
    case 'EHOSTUNREACH':
      return new Error(`dial tcp${where}: connect: no route to host`);
    case 'ENETUNREACH':
      return new Error(`dial tcp${where}: connect: network is unreachable`);
    default:
      return error;
  }
}
