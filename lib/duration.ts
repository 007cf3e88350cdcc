/**
 * k6's duration syntax ("500ms", "30s", "1m30s", "2h"; a bare number is seconds), for the k6 side
 * and the CLI alike. Every place that takes a duration (DURATION, --duration, --sla, --window, the
 * profiles' stages) needs time to pass, so a duration is above zero: "0s" is refused like "soon".
 */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when the text is not a duration above zero. */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  let total: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    total = Number(trimmed) * 1_000;
  } else {
    const parts = trimmed.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
    if (!parts || parts.join('') !== trimmed) return undefined;
    total = parts.reduce((sum, part) => {
      const [, value, unit] = /^([\d.]+)([a-z]+)$/.exec(part)!;
      return sum + Number(value) * UNIT_MS[unit!]!;
    }, 0);
  }
  return total > 0 && Number.isFinite(total) ? total : undefined;
}

/** A k6 duration for a number of ms, at least 1ms: k6 refuses "0s" for the durations it bounds. */
export const k6Duration = (ms: number): string => `${Math.max(1, Math.round(ms))}ms`;
