import { isIP } from 'node:net';

/** Where a connection really goes. */
export interface ConnectTarget {
  host: string;
  port: number;
}

interface Override {
  host: string;
  port: number | undefined;
}

/**
 * options.hosts, like /etc/hosts: `name` or `name:port` to an address (`1.2.3.4`, `1.2.3.4:8443`, another name).
 * A name may start with `*.` for every subdomain. The Host header and TLS server name stay those of the URL.
 */
export class HostsOverride {
  private readonly exact = new Map<string, Override>();
  private readonly wildcards: Array<{ suffix: string; port: number | undefined; target: Override }> = [];

  constructor(hosts: Readonly<Record<string, string>>) {
    for (const [from, to] of Object.entries(hosts)) {
      const source = splitHostPort(from.toLowerCase());
      const target = splitHostPort(to);
      if (source.host.startsWith('*.')) this.wildcards.push({ suffix: source.host.slice(1), port: source.port, target });
      else this.exact.set(source.port === undefined ? source.host : `${source.host}:${source.port}`, target);
    }
  }

  get empty(): boolean {
    return this.exact.size === 0 && this.wildcards.length === 0;
  }

  /** Where to connect for `hostname:port`; undefined when no override applies. */
  resolve(hostname: string, port: number): ConnectTarget | undefined {
    const host = hostname.toLowerCase();
    const found = this.exact.get(`${host}:${port}`) ?? this.exact.get(host) ?? this.wildcard(host, port);
    return found && { host: found.host, port: found.port ?? port };
  }

  private wildcard(host: string, port: number): Override | undefined {
    let portless: Override | undefined;
    for (const { suffix, port: onlyPort, target } of this.wildcards) {
      if (!host.endsWith(suffix)) continue;
      if (onlyPort === port) return target;
      if (onlyPort === undefined) portless ??= target;
    }
    return portless;
  }
}

function splitHostPort(text: string): Override {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    const port = trimmed.slice(close + 1).startsWith(':') ? Number(trimmed.slice(close + 2)) : undefined;
    return { host: trimmed.slice(1, close), port };
  }
  if (isIP(trimmed) === 6) return { host: trimmed, port: undefined };
  const colon = trimmed.lastIndexOf(':');
  if (colon < 0 || !/^\d+$/.test(trimmed.slice(colon + 1))) return { host: trimmed, port: undefined };
  return { host: trimmed.slice(0, colon), port: Number(trimmed.slice(colon + 1)) };
}
