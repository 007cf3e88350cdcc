import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transformChunks, verifyEvents } from '@ag-ui/client';
import type { BaseEvent } from '@ag-ui/core';
import { from } from 'rxjs';
import { ChunkExpander } from '../lib/dialects/ag-ui-chunks.ts';
import { AgUiRules, type AgUiEvent } from '../lib/dialects/ag-ui-rules.ts';
import { intBetween, seededRandom, type Random } from '../target/agents/prng.ts';

// transformChunks warns on stderr about chunk shapes it tolerates; the verdict is what is compared.
process.env.SUPPRESS_TRANSFORMATION_WARNINGS = 'true';

type Event = AgUiEvent;
// The target's seeded PRNG (mulberry32): the same streams on every run.
const prng = seededRandom;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = intBetween;

// ---- Well-formed streams, in every shape the tracker must read ----

function textMessage(random: Random, id: string, tag?: string): Event[] {
  const extra = tag !== undefined ? { subagentRunId: tag } : {};
  const deltas = Array.from({ length: between(random, 1, 3) }, (_, i) => `w${i} `);
  if (random() < 0.4) return deltas.map((delta, i) => ({ type: 'TEXT_MESSAGE_CHUNK', ...(i === 0 || random() < 0.5 ? { messageId: id } : {}), ...(i === 0 ? { role: 'assistant' } : {}), delta, ...extra }));
  return [
    { type: 'TEXT_MESSAGE_START', messageId: id, role: 'assistant', ...extra },
    ...deltas.map((delta) => ({ type: 'TEXT_MESSAGE_CONTENT', messageId: id, delta, ...extra })),
    { type: 'TEXT_MESSAGE_END', messageId: id, ...extra },
  ];
}

function toolCall(random: Random, id: string, tag?: string): Event[] {
  const extra = tag !== undefined ? { subagentRunId: tag } : {};
  const result: Event = { type: 'TOOL_CALL_RESULT', messageId: `${id}.result`, toolCallId: id, content: '{"ok":true}', role: 'tool', ...extra };
  if (random() < 0.4) {
    return [
      { type: 'TOOL_CALL_CHUNK', toolCallId: id, toolCallName: 'lookup', delta: '{"q":', ...extra },
      { type: 'TOOL_CALL_CHUNK', ...(random() < 0.5 ? { toolCallId: id } : {}), delta: '1}', ...extra },
      result,
    ];
  }
  return [
    { type: 'TOOL_CALL_START', toolCallId: id, toolCallName: 'lookup', ...extra },
    { type: 'TOOL_CALL_ARGS', toolCallId: id, delta: '{"q":1}', ...extra },
    { type: 'TOOL_CALL_END', toolCallId: id, ...extra },
    ...(random() < 0.7 ? [result] : []),
  ];
}

function reasoning(random: Random, id: string): Event[] {
  if (random() < 0.5) return [{ type: 'REASONING_MESSAGE_CHUNK', messageId: id, delta: 'hmm' }];
  return [
    { type: 'REASONING_START', messageId: id },
    { type: 'REASONING_MESSAGE_START', messageId: id, role: 'reasoning' },
    { type: 'REASONING_MESSAGE_CONTENT', messageId: id, delta: 'hmm' },
    { type: 'REASONING_MESSAGE_END', messageId: id },
    { type: 'REASONING_END', messageId: id },
  ];
}

/** An agent's work: a step around tools, text and sometimes a nested step, reasoning, state or a subagent. */
function step(random: Random, name: string, depth: number, ids: () => string, tag?: string): Event[] {
  const extra = tag !== undefined ? { subagentRunId: tag } : {};
  const body: Event[] = [];
  for (let i = between(random, 1, 4); i > 0; i--) {
    const choice = random();
    if (choice < 0.3) body.push(...toolCall(random, ids(), tag));
    else if (choice < 0.6) body.push(...textMessage(random, ids(), tag));
    else if (choice < 0.7 && depth < 2) body.push(...step(random, `${name}.${i}`, depth + 1, ids, tag));
    else if (choice < 0.78 && tag === undefined) body.push(...reasoning(random, ids()));
    else if (choice < 0.86) body.push(pick(random, [{ type: 'STATE_SNAPSHOT', snapshot: { n: i } }, { type: 'STATE_DELTA', delta: [] }, { type: 'CUSTOM', name: 'note', value: i }, { type: 'RAW', event: {} }]));
    else if (tag === undefined && depth < 2) {
      const sub = `sub-${ids()}`;
      body.push({ type: 'SUBAGENT_STARTED', subagentRunId: sub, name: 'helper' }, ...step(random, name, depth + 1, ids, sub), { type: 'SUBAGENT_FINISHED', subagentRunId: sub });
    }
  }
  return [{ type: 'STEP_STARTED', stepName: name, ...extra }, ...body, { type: 'STEP_FINISHED', stepName: name, ...extra }];
}

function validRun(random: Random, ids: () => string): Event[] {
  const threadId = 'thread-1';
  const runId = ids();
  const events: Event[] = [{ type: 'RUN_STARTED', threadId, runId }];
  for (let i = between(random, 1, 2); i > 0; i--) events.push(...step(random, pick(random, ['supervisor', 'triage', 'data']), 0, ids));
  if (random() < 0.3) events.push(...textMessage(random, ids()));
  if (random() < 0.85) events.push({ type: 'RUN_FINISHED', threadId, runId, usage: [{ provider: 'p', model: 'm', inputTokens: 10, outputTokens: 5 }] });
  else events.push({ type: 'RUN_ERROR', message: 'boom', code: 'internal' });
  return events;
}

// ---- Mutations: each breaks a stream in one way a backend might ----

const clone = (events: Event[]): Event[] => events.map((e) => ({ ...e }));
const at = (random: Random, events: Event[]): number => Math.floor(random() * events.length);

const MUTATIONS: Record<string, (random: Random, events: Event[]) => Event[]> = {
  reorder(random, events) {
    const i = at(random, events);
    const j = at(random, events);
    [events[i], events[j]] = [events[j]!, events[i]!];
    return events;
  },
  swapNeighbours(random, events) {
    const i = Math.max(0, at(random, events) - 1);
    if (i + 1 < events.length) [events[i], events[i + 1]] = [events[i + 1]!, events[i]!];
    return events;
  },
  drop(random, events) {
    events.splice(at(random, events), 1);
    return events;
  },
  duplicate(random, events) {
    const i = at(random, events);
    events.splice(i, 0, { ...events[i]! });
    return events;
  },
  unclosed(random, events) {
    return events.slice(0, Math.max(1, at(random, events)));
  },
  extraRunStarted(random, events) {
    events.splice(between(random, 1, events.length), 0, { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'again' });
    return events;
  },
  afterFinished(random, events) {
    events.push(pick(random, [{ type: 'TEXT_MESSAGE_START', messageId: 'late', role: 'assistant' }, { type: 'STEP_STARTED', stepName: 'late' }, { type: 'CUSTOM', name: 'late', value: 1 }]));
    return events;
  },
  secondTerminal(random, events) {
    events.push(pick(random, [{ type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'x' }, { type: 'RUN_ERROR', message: 'late' }]));
    return events;
  },
  errorMidRun(random, events) {
    events.splice(between(random, 1, events.length - 1), 0, { type: 'RUN_ERROR', message: 'mid' });
    return events;
  },
  secondRun(random, events) {
    let n = 100;
    return [...events, ...validRun(random, () => `r2-${n++}`)];
  },
  noTerminal(_random, events) {
    return events.filter((e) => e.type !== 'RUN_FINISHED' && e.type !== 'RUN_ERROR');
  },
  retag(random, events) {
    const i = at(random, events);
    events[i] = { ...events[i]!, subagentRunId: pick(random, ['sub-x', 'sub-y', null, undefined]) };
    if (events[i]!.subagentRunId === undefined) delete events[i]!.subagentRunId;
    return events;
  },
  renameId(random, events) {
    const i = at(random, events);
    const event = { ...events[i]! };
    for (const field of ['messageId', 'toolCallId', 'stepName', 'subagentRunId']) if (field in event) event[field] = `${String(event[field])}-renamed`;
    events[i] = event;
    return events;
  },
  stripChunkId(random, events) {
    const chunks = events.map((e, i) => [e, i] as const).filter(([e]) => e.type.endsWith('_CHUNK'));
    if (chunks.length === 0) return events;
    const [event, i] = pick(random, chunks);
    const stripped = { ...event };
    delete stripped.messageId;
    delete stripped.toolCallId;
    if (random() < 0.5) delete stripped.toolCallName;
    events[i] = stripped;
    return events;
  },
  firstNotRunStarted(random, events) {
    return events.slice(between(random, 1, Math.min(3, events.length - 1)));
  },
  nullOptional(random, events) {
    const i = at(random, events);
    events[i] = { ...events[i]!, ...pick(random, [{ parentMessageId: null }, { outcome: null }, { outcome: { type: 'weird' } }, { code: null }]) };
    return events;
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

// ---- The two verdicts ----

function officialVerdict(events: Event[]): { ok: boolean; error?: string } {
  let failure: string | undefined;
  from(events as unknown as BaseEvent[])
    .pipe(transformChunks(), verifyEvents())
    .subscribe({ error: (error: unknown) => { failure = error instanceof Error ? error.message : String(error); } });
  return failure === undefined ? { ok: true } : { ok: false, error: failure };
}

function ourVerdict(events: Event[], exactlyOneTerminal: boolean) {
  const expander = new ChunkExpander();
  const rules = new AgUiRules({ exactlyOneTerminal });
  for (const event of events) {
    const expansion = expander.expand(event);
    if (expansion.error !== undefined) rules.reject(event.type, expansion.error);
    for (const expanded of expansion.events) rules.push(expanded);
  }
  return rules.finish();
}

/** The load-test rule, stated independently of the validator: one terminal, last. */
function endsWithExactlyOneTerminal(events: Event[]): boolean {
  const terminals = events.filter((e) => e.type === 'RUN_FINISHED' || e.type === 'RUN_ERROR').length;
  const last = events.at(-1)?.type;
  return terminals === 1 && (last === 'RUN_FINISHED' || last === 'RUN_ERROR');
}

interface Case { seed: number; mutation: string; events: Event[] }

function generate(count: number): Case[] {
  const cases: Case[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const random = prng(seed);
    let n = 0;
    const ids = (): string => `id${n++}`;
    let events = validRun(random, ids);
    // A third of the streams stay valid; the rest get one to three mutations.
    const mutations: string[] = [];
    if (seed % 3 !== 0) {
      for (let k = between(random, 1, 3); k > 0; k--) {
        const name = pick(random, MUTATION_NAMES);
        mutations.push(name);
        events = MUTATIONS[name]!(random, clone(events));
      }
    }
    cases.push({ seed, mutation: mutations.join('+') || 'none', events });
  }
  return cases;
}

describe('AG-UI rules agree with @ag-ui/client verifyEvents (after transformChunks)', () => {
  const cases = generate(3000);

  it('gives the same verdict as the official rules on every generated stream', () => {
    const disagreements: string[] = [];
    let officialRejects = 0;
    for (const c of cases) {
      const official = officialVerdict(c.events);
      const ours = ourVerdict(c.events, false);
      if (!official.ok) officialRejects++;
      if (official.ok !== ours.ok) {
        disagreements.push(`seed ${c.seed} (${c.mutation}): official ${official.ok ? 'accepts' : `rejects: ${official.error}`}; ours ${ours.ok ? 'accepts' : `rejects: ${ours.violations.join('; ')}`}`);
      }
    }
    assert.deepEqual(disagreements.slice(0, 5), []);
    // Both directions are exercised in bulk, or agreement would prove little.
    assert.ok(officialRejects > 1000, `official rejects ${officialRejects} of ${cases.length}`);
    assert.ok(cases.length - officialRejects > 1000, `official accepts ${cases.length - officialRejects} of ${cases.length}`);
  });

  it('adds exactly one rule on top, "one RUN_FINISHED or RUN_ERROR ends the stream", and says where it decided', () => {
    let onlyOurRule = 0;
    let bothReject = 0;
    let bothAccept = 0;
    const wrong: string[] = [];
    for (const c of cases) {
      const official = officialVerdict(c.events).ok;
      const full = ourVerdict(c.events, true);
      const terminalRule = endsWithExactlyOneTerminal(c.events);
      if (full.ok !== (official && terminalRule)) wrong.push(`seed ${c.seed} (${c.mutation}): ours ${full.ok}, official ${official}, one terminal ${terminalRule}`);
      if (official && !terminalRule) {
        onlyOurRule++;
        // The verdict differs from the official one here, and only because of the terminal rule.
        const reasons = full.violations.filter((v) => !/RUN_FINISHED or RUN_ERROR|RUN_FINISHED \/ RUN_ERROR events|after the terminal event|^no events$/.test(v));
        if (reasons.length > 0) wrong.push(`seed ${c.seed}: official accepts, ours also says ${reasons.join('; ')}`);
      } else if (!official) bothReject++;
      else bothAccept++;
    }
    assert.deepEqual(wrong.slice(0, 5), []);
    // Streams the official rules accept but a load test must not: a second run, no terminal, a cut stream.
    assert.ok(onlyOurRule >= 100, `only the terminal rule rejected ${onlyOurRule} streams`);
    assert.ok(bothAccept >= 1000 && bothReject >= 1000, `accept ${bothAccept}, reject ${bothReject}`);
  });

  it('counts a stream that never terminates, and an empty one, against the load-test rule only', () => {
    const unfinished: Event[] = [{ type: 'RUN_STARTED', threadId: 't', runId: 'r' }, { type: 'TEXT_MESSAGE_CHUNK', messageId: 'm', delta: 'hi' }];
    assert.equal(officialVerdict(unfinished).ok, true);
    assert.equal(ourVerdict(unfinished, false).ok, true);
    assert.deepEqual(ourVerdict(unfinished, true).violations, ['the stream ended without RUN_FINISHED or RUN_ERROR']);
    assert.equal(officialVerdict([]).ok, true);
    assert.deepEqual(ourVerdict([], true).violations, ['no events']);
  });
});
