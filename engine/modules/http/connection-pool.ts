import http from 'node:http';
import https from 'node:https';
import type { VuContext } from '../../runtime/vu-context.ts';

/** A pooled connection idle this long is closed, so that a VU that stopped requesting does not keep sockets open. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * A VU's connections, as k6 keeps them: its own keep-alive pool, made on the first request. options.noConnectionReuse
 * turns keep-alive off; options.noVUConnectionReuse starts a fresh pool for each iteration.
 */
export class ConnectionPool {
  private plain: http.Agent | undefined;
  private secure: https.Agent | undefined;
  private iteration = Number.NaN;

  constructor(private readonly vu: VuContext) {}

  agent(tls: boolean): http.Agent {
    if (this.vu.options.noVUConnectionReuse) {
      const iteration = this.vu.execution.iterationInInstance;
      if (iteration !== this.iteration) {
        this.close();
        this.iteration = iteration;
      }
    }
    return tls ? (this.secure ??= new https.Agent(this.agentOptions(true))) : (this.plain ??= new http.Agent(this.agentOptions(false)));
  }

  /** Closes every connection of the pool; the next request opens new ones. */
  close(): void {
    this.plain?.destroy();
    this.secure?.destroy();
    this.plain = undefined;
    this.secure = undefined;
  }

  private agentOptions(tls: boolean): https.AgentOptions {
    const options = this.vu.options;
    const agentOptions: https.AgentOptions = { keepAlive: !options.noConnectionReuse, scheduling: 'lifo', timeout: IDLE_TIMEOUT_MS };
    if (tls) agentOptions.rejectUnauthorized = !options.insecureSkipTLSVerify;
    return agentOptions;
  }
}
