const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

/**
 * A k6 duration in milliseconds: a number is milliseconds, a string is Go's duration syntax ("90s", "1m30s",
 * "1.5h", "250ms") with k6's extra "d" for days. Undefined for anything else.
 */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1;
    text = text.slice(1);
  }
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return sign * total;
}

/** A duration as Go prints one (time.Duration's String): "300ms", "1s", "1m30s", "1h0m0s", "1.5µs". */
export function formatGoDuration(ms: number): string {
  const negative = ms < 0;
  const nanos = Math.round(Math.abs(ms) * 1e6);
  let text: string;
  if (nanos === 0) text = '0s';
  else if (nanos < 1e3) text = `${nanos}ns`;
  else if (nanos < 1e6) text = `${trimmed(nanos / 1e3)}µs`;
  else if (nanos < 1e9) text = `${trimmed(nanos / 1e6)}ms`;
  else {
    const hours = Math.floor(nanos / 3.6e12);
    const minutes = Math.floor((nanos % 3.6e12) / 6e10);
    const seconds = `${trimmed((nanos % 6e10) / 1e9)}s`;
    text = hours > 0 ? `${hours}h${minutes}m${seconds}` : minutes > 0 ? `${minutes}m${seconds}` : seconds;
  }
  return negative ? `-${text}` : text;
}

function trimmed(value: number): string {
  return String(Number(value.toFixed(9)));
}
