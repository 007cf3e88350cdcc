import { MIN_OUTAGE_MS, TRANSPORT_KINDS } from '../../lib/outage-rules.ts';
import { numberOrUndefined, queryInflux, rows, type InfluxTarget, type StatementResult } from './influx-client.ts';
import { testidFilter, type RunRange } from './run-range.ts';

export interface OutageWindow {
  /** Epoch ms: the first transport error after the backend last answered. */
  start: number;
  /** Epoch ms: the first answer after it (or the last error, if the run ended while it was down). */
  end: number;
  durationMs: number;
  /** The transport error kinds seen in it. */
  kinds: string[];
}

/** The backend's availability over the run, found in InfluxDB the way handleSummary finds it from the VUs. */
export interface RunAvailability {
  errors: number;
  /** agent_errors by its `kind` tag. */
  errorsByKind: Record<string, number>;
  windows: OutageWindow[];
  /** The share of the run outside outage windows, 0..1. */
  availability: number;
}

const BIN_MS = 1000;
const transport = `"kind" =~ /^(${TRANSPORT_KINDS.join('|')})$/`;
/** The backend answered: an HTTP status or a WebSocket handshake status, other than a gateway's "down" (502, 503, 504). k6 tags a refused dial with status 0 or none. */
const answered = `"status" =~ /^[1-9]/ AND "status" !~ /^50[234]$/`;
const ANSWERS = '"http_reqs", "ws_sessions"';

type Bin = { start: number; down: boolean };

/** Times (epoch ms) a statement returned, one per series: a selector without GROUP BY returns the point's own time. */
const timesOf = (result: StatementResult | undefined): number[] =>
  (result?.series ?? []).flatMap((series) => rows(series).map((row) => numberOrUndefined(row.time))).filter((t): t is number => t !== undefined);

const countsByStart = (result: StatementResult | undefined): Map<number, number> => {
  const counts = new Map<number, number>();
  for (const series of result?.series ?? []) {
    for (const row of rows(series)) {
      const start = numberOrUndefined(row.time);
      if (start !== undefined) counts.set(start, (counts.get(start) ?? 0) + (numberOrUndefined(row.n) ?? 0));
    }
  }
  return counts;
};

/** Runs of 1 s bins with transport errors and no answer, with only empty bins between them: candidate outages. */
function downRuns(errors: Map<number, number>, answers: Map<number, number>): Array<{ first: number; last: number }> {
  const bins: Bin[] = [...new Set([...errors.keys(), ...answers.keys()])].sort((a, b) => a - b)
    .map((start) => ({ start, down: (answers.get(start) ?? 0) === 0 }));
  const runs: Array<{ first: number; last: number }> = [];
  let open: { first: number; last: number } | undefined;
  for (const bin of bins) {
    if (!bin.down) open = undefined;
    else if (open) open.last = bin.start;
    else runs.push((open = { first: bin.start, last: bin.start }));
  }
  return runs;
}

/**
 * Outage windows from InfluxDB, in three batches of aggregates (no raw points leave the database):
 * 1. transport errors and answers per 1 s bin, and errors by kind;
 * 2. around each run of bins with errors and no answer: the last answer before it, the first answer after it, its last error;
 * 3. the first transport error after that last answer (the window's start), and the kinds in the window.
 * A window is kept when it lasted at least MIN_OUTAGE_MS, as in handleSummary.
 */
export async function outagesOf(target: InfluxTarget, testid: string, range: RunRange): Promise<RunAvailability> {
  const inRun = `${testidFilter(testid)} AND time >= ${range.start}ms AND time <= ${range.end}ms`;
  const [byKind, errorBins, answerBins] = await queryInflux(target, [
    `SELECT SUM("value") AS n FROM "agent_errors" WHERE ${inRun} GROUP BY "kind"`,
    `SELECT COUNT("value") AS n FROM "agent_errors" WHERE ${inRun} AND ${transport} GROUP BY time(${BIN_MS}ms) fill(none)`,
    `SELECT COUNT("value") AS n FROM ${ANSWERS} WHERE ${inRun} AND ${answered} GROUP BY time(${BIN_MS}ms) fill(none)`,
  ]);
  const errorsByKind: Record<string, number> = {};
  for (const series of byKind?.series ?? []) {
    const kind = series.tags?.kind;
    const n = numberOrUndefined(rows(series)[0]?.n);
    if (kind && n) errorsByKind[kind] = n;
  }
  const errors = Object.values(errorsByKind).reduce((sum, n) => sum + n, 0);
  const runs = downRuns(countsByStart(errorBins), countsByStart(answerBins));

  const edges = await queryInflux(target, runs.flatMap((run) => [
    `SELECT LAST("value") FROM ${ANSWERS} WHERE ${inRun} AND ${answered} AND time < ${run.first}ms`,
    `SELECT FIRST("value") FROM ${ANSWERS} WHERE ${inRun} AND ${answered} AND time >= ${run.last + BIN_MS}ms`,
    `SELECT LAST("value") FROM "agent_errors" WHERE ${inRun} AND ${transport} AND time < ${run.last + BIN_MS}ms`,
  ]));
  const spans = runs.map((run, index) => {
    const lastAnswer = Math.max(range.start - 1, ...timesOf(edges[index * 3]));
    const nextAnswers = timesOf(edges[index * 3 + 1]);
    const lastError = Math.max(run.last, ...timesOf(edges[index * 3 + 2]));
    return { after: lastAnswer, end: nextAnswers.length > 0 ? Math.min(...nextAnswers) : lastError };
  });
  const firsts = await queryInflux(target, spans.flatMap((span) => [
    `SELECT FIRST("value") FROM "agent_errors" WHERE ${inRun} AND ${transport} AND time > ${span.after}ms`,
    `SELECT COUNT("value") AS n FROM "agent_errors" WHERE ${inRun} AND ${transport} AND time > ${span.after}ms AND time <= ${span.end}ms GROUP BY "kind"`,
  ]));
  const windows = spans.flatMap((span, index): OutageWindow[] => {
    const start = Math.min(...timesOf(firsts[index * 2]));
    if (!Number.isFinite(start) || span.end - start < MIN_OUTAGE_MS) return [];
    const kinds = (firsts[index * 2 + 1]?.series ?? []).map((series) => series.tags?.kind ?? '').filter(Boolean).sort();
    return [{ start, end: span.end, durationMs: span.end - start, kinds }];
  });
  const runMs = Math.max(range.end - range.start, 1);
  const downMs = windows.reduce((sum, window) => sum + window.durationMs, 0);
  return { errors, errorsByKind, windows, availability: Math.max(0, 1 - downMs / runMs) };
}
