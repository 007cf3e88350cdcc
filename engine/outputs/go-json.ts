/**
 * The text k6 (a Go program) writes for numbers, times and strings in its JSON output, so that files from this
 * engine read like k6's: floats as Go's shortest %g, times as RFC 3339 with nanoseconds in the local zone, and
 * strings with <, > and & escaped.
 */

/** Go's strconv.FormatFloat(value, 'g', -1, 64): exponent form below 1e-4 and from 1e6 on ("1.5e+06", "1e-05"). */
export function goFloat(value: number): string {
  // Go would write NaN or +Inf and break the line as JSON; null keeps the file readable.
  if (!Number.isFinite(value)) return 'null';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  // Within that range JavaScript's own shortest form is already plain decimal, as Go's is.
  return String(value);
}

/**
 * Nanoseconds since the epoch of a time in milliseconds with a fraction. A float of today's epoch milliseconds
 * resolves about a quarter of a microsecond, so the digits below the microsecond would be noise: they are zero.
 */
export function epochNanos(timeMs: number): bigint {
  const wholeMs = Math.floor(timeMs);
  const fractionUs = Math.round((timeMs - wholeMs) * 1000);
  return BigInt(wholeMs) * 1_000_000n + BigInt(fractionUs) * 1000n;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/**
 * Go's time.Time JSON form (RFC 3339 with up to nine fraction digits, trailing zeros dropped) in the zone
 * `offsetMinutes` east of UTC: "2021-02-24T13:37:10.5Z", "2017-05-09T14:34:45.625742514+02:00".
 * Without an offset, the local zone's at that instant: k6 stamps samples with Go's local time.Now().
 */
export function goTime(timeMs: number, offsetMinutes = -new Date(timeMs).getTimezoneOffset()): string {
  const nanos = epochNanos(timeMs);
  const seconds = nanos >= 0n ? nanos / 1_000_000_000n : (nanos - 999_999_999n) / 1_000_000_000n;
  const nanosOfSecond = Number(nanos - seconds * 1_000_000_000n);
  const wall = new Date(Number(seconds) * 1000 + offsetMinutes * 60_000);
  let text =
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1, 2)}-${pad(wall.getUTCDate(), 2)}` +
    `T${pad(wall.getUTCHours(), 2)}:${pad(wall.getUTCMinutes(), 2)}:${pad(wall.getUTCSeconds(), 2)}`;
  if (nanosOfSecond > 0) text += `.${pad(nanosOfSecond, 9).replace(/0+$/, '')}`;
  if (offsetMinutes === 0) return `${text}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${text}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

const GO_ESCAPES: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON text of a value, with the characters Go's HTML-safe encoder escapes escaped too. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => GO_ESCAPES[char] ?? char);
}
