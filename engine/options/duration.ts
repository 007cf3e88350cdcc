/**
 * k6's durations: Go's syntax ("1h30m", "1.5s", "300ms", "20us", "10ns") plus days ("2d"); a string without a unit
 * is seconds, a JSON number is milliseconds. Returns milliseconds, or undefined when the value is not a duration.
 */
const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let sign = 1;
  let at = 0;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    at = 1;
  }
  if (text.slice(at) === '0') return 0;
  let total = 0;
  let parts = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    at = PART.lastIndex;
    parts++;
  }
  if (parts === 0 || sign < 0) return undefined;
  return total;
}

/** A duration as k6 prints one (Go's time.Duration String): "300ms", "1s", "1m30s", "1h0m0s", "1.5µs". */
export function formatDuration(ms: number): string {
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
