/** A small, dependency-free SVG line chart: one or more series over time against a horizontal threshold. */

export interface ChartSeries {
  label: string;
  color: string;
  points: { t: number; v: number }[];
}

export interface ChartSpec {
  title: string;
  series: ChartSeries[];
  /** The SLA bound, drawn dashed; none for a chart without one (goodput). */
  threshold?: { value: number; label: string };
  /** The time axis, epoch ms; default: the first to the last point. */
  domain?: { start: number; end: number };
  /** Spans drawn as shaded bands behind the series (outage windows), epoch ms. */
  shade?: { start: number; end: number; label: string }[];
  /** Formats a y value for the axis. */
  formatY: (value: number) => string;
  width?: number;
  height?: number;
}

export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fixed = (n: number): string => n.toFixed(1);

export function renderChart(spec: ChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 220;
  const pad = { left: 70, right: 16, top: 28, bottom: 34 };
  const all = spec.series.flatMap((series) => series.points);
  const times = all.map((point) => point.t);
  const t0 = spec.domain?.start ?? (times.length ? Math.min(...times) : 0);
  const t1 = spec.domain?.end ?? (times.length ? Math.max(...times) : 1);
  const yMax = Math.max(spec.threshold?.value ?? 0, ...all.map((point) => point.v)) * 1.1 || 1;
  const x = (t: number): number => pad.left + (t1 === t0 ? (width - pad.left - pad.right) / 2 : ((t - t0) / (t1 - t0)) * (width - pad.left - pad.right));
  const y = (v: number): number => height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(spec.title)}">`,
    `<text x="${pad.left}" y="18" class="title">${escapeXml(spec.title)}</text>`,
    ...ticks.map((v) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${fixed(y(v))}" y2="${fixed(y(v))}" class="grid"/><text x="${pad.left - 6}" y="${fixed(y(v) + 4)}" class="axis" text-anchor="end">${escapeXml(spec.formatY(v))}</text>`),
    `<text x="${pad.left}" y="${height - 10}" class="axis">${escapeXml(new Date(t0).toISOString().slice(11, 19))}</text>`,
    `<text x="${width - pad.right}" y="${height - 10}" class="axis" text-anchor="end">${escapeXml(new Date(t1).toISOString().slice(11, 19))} UTC</text>`,
  ];
  for (const band of spec.shade ?? []) {
    const from = x(Math.max(band.start, t0));
    const to = x(Math.min(band.end, t1));
    if (to <= from) continue;
    parts.push(`<rect x="${fixed(from)}" y="${pad.top}" width="${fixed(to - from)}" height="${height - pad.top - pad.bottom}" class="outage"><title>${escapeXml(band.label)}</title></rect>`);
  }
  if (spec.threshold) {
    const at = fixed(y(spec.threshold.value));
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${at}" y2="${at}" class="threshold"/>`,
      `<text x="${width - pad.right}" y="${fixed(y(spec.threshold.value) - 4)}" class="threshold-label" text-anchor="end">${escapeXml(spec.threshold.label)}</text>`,
    );
  }
  spec.series.forEach((series, index) => {
    if (series.points.length === 0) return;
    const path = series.points.map((point) => `${fixed(x(point.t))},${fixed(y(point.v))}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2" class="series"/>`);
    parts.push(...series.points.map((point) => `<circle cx="${fixed(x(point.t))}" cy="${fixed(y(point.v))}" r="2.5" fill="${series.color}"/>`));
    parts.push(`<text x="${pad.left + 8 + index * 90}" y="${pad.top + 12}" fill="${series.color}" class="legend">${escapeXml(series.label)}</text>`);
  });
  if (all.length === 0) parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="axis">no samples</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
