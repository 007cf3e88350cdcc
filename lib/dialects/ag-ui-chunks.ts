/**
 * Expands AG-UI's `*_CHUNK` shorthand into the explicit START / CONTENT (ARGS) / END events, as
 * `transformChunks` of @ag-ui/client 1.0.0 does before `verifyEvents` sees a stream. A chunk
 * continues the stream open in its lane (one lane per subagent, undefined for the parent) or
 * opens a new one; an open chunk stream is closed by the next explicit event of its lane, by any
 * run event, and by a chunk that names another id. Pure: no k6 and no Node imports.
 */
import type { AgUiEvent } from './ag-ui-rules.ts';

type Kind = 'text' | 'tool' | 'reasoning';

interface Pending {
  kind: Kind;
  id: unknown;
  /** The opener's tag as sent (it may be null, which the rules then refuse). */
  tag: unknown;
  /** text: role and name; tool: toolCallName and parentMessageId. Continuations must not contradict them. */
  fixed: Record<string, unknown>;
}

export interface Expansion {
  events: AgUiEvent[];
  /** Set when the chunk cannot be expanded; the official pipeline fails the stream there. */
  error?: string;
}

const CLOSES_OWN_LANE = new Set([
  'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_RESULT',
  'STATE_SNAPSHOT', 'STATE_DELTA', 'CUSTOM', 'STEP_STARTED', 'STEP_FINISHED', 'REASONING_START', 'REASONING_MESSAGE_START',
  'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_END', 'REASONING_END',
]);
const CLOSES_ALL_LANES = new Set(['RUN_STARTED', 'RUN_FINISHED', 'RUN_ERROR', 'MESSAGES_SNAPSHOT']);

const CHUNKS: Readonly<Record<string, { kind: Kind; idField: string; start: string; content: string; fixed: readonly string[] }>> = {
  TEXT_MESSAGE_CHUNK: { kind: 'text', idField: 'messageId', start: 'TEXT_MESSAGE_START', content: 'TEXT_MESSAGE_CONTENT', fixed: ['role', 'name'] },
  TOOL_CALL_CHUNK: { kind: 'tool', idField: 'toolCallId', start: 'TOOL_CALL_START', content: 'TOOL_CALL_ARGS', fixed: ['toolCallName', 'parentMessageId'] },
  REASONING_MESSAGE_CHUNK: { kind: 'reasoning', idField: 'messageId', start: 'REASONING_MESSAGE_START', content: 'REASONING_MESSAGE_CONTENT', fixed: [] },
};
const END_OF: Readonly<Record<Kind, [string, string]>> = {
  text: ['TEXT_MESSAGE_END', 'messageId'],
  tool: ['TOOL_CALL_END', 'toolCallId'],
  reasoning: ['REASONING_MESSAGE_END', 'messageId'],
};

class ChunkError extends Error {}

/** `?? undefined`: a null tag sits in the parent's lane. */
const laneOf = (tag: unknown): unknown => tag ?? undefined;
const withTag = (event: AgUiEvent, tag: unknown): AgUiEvent => (tag !== undefined ? { ...event, subagentRunId: tag } : event);

export class ChunkExpander {
  private readonly lanes = new Map<unknown, Pending>();

  expand(event: AgUiEvent): Expansion {
    try {
      return { events: this.expandOrThrow(event) };
    } catch (error) {
      if (error instanceof ChunkError) return { events: [], error: error.message };
      throw error;
    }
  }

  private expandOrThrow(event: AgUiEvent): AgUiEvent[] {
    const type = event.type;
    const chunk = CHUNKS[type];
    if (chunk) return this.chunk(event, chunk);
    if (CLOSES_OWN_LANE.has(type)) return [...this.close(laneOf(event.subagentRunId)), event];
    if (CLOSES_ALL_LANES.has(type)) return [...[...this.lanes.keys()].flatMap((lane) => this.close(lane)), event];
    if ((type === 'SUBAGENT_FINISHED' || type === 'SUBAGENT_ERROR') && event.subagentRunId != null) return [...this.close(event.subagentRunId), event];
    return [event];
  }

  private close(lane: unknown): AgUiEvent[] {
    const pending = this.lanes.get(lane);
    if (!pending) return [];
    this.lanes.delete(lane);
    const [type, idField] = END_OF[pending.kind];
    return [withTag({ type, [idField]: pending.id }, pending.tag)];
  }

  /** The lane a chunk belongs to: the one holding its id, else its tag's, else the only lane of its kind. */
  private laneFor(kind: Kind, id: unknown, tag: unknown, type: string): unknown {
    if (id !== undefined) {
      for (const [lane, pending] of this.lanes) {
        if (pending.kind !== kind || pending.id !== id) continue;
        if (tag !== undefined && tag !== lane) throw new ChunkError(`subagentRunId ${String(tag)} does not match the open stream of ${String(id)}`);
        return lane;
      }
      return tag;
    }
    if (tag !== undefined) return tag;
    if (this.lanes.get(undefined)?.kind === kind) return undefined;
    const candidates = [...this.lanes].filter(([, pending]) => pending.kind === kind);
    if (candidates.length > 1) throw new ChunkError(`${type} names no id and no subagent, but ${candidates.length} streams of its kind are open`);
    return candidates[0]?.[0];
  }

  private chunk(event: AgUiEvent, spec: (typeof CHUNKS)[string]): AgUiEvent[] {
    const id = event[spec.idField];
    const tag = event.subagentRunId;
    const lane = this.laneFor(spec.kind, id, laneOf(tag), event.type);
    const open = this.lanes.get(lane);
    const out: AgUiEvent[] = [];
    let pending: Pending;
    if (open?.kind === spec.kind && (id === undefined || id === open.id)) {
      for (const field of spec.fixed) {
        if (event[field] !== undefined && event[field] !== open.fixed[field]) throw new ChunkError(`${field} ${String(event[field])} contradicts the open stream of ${String(open.id)}`);
      }
      pending = open;
    } else {
      out.push(...this.close(lane));
      if (id === undefined) throw new ChunkError(`the first ${event.type} of a stream must have a ${spec.idField}`);
      if (spec.kind === 'tool' && event.toolCallName === undefined) throw new ChunkError('the first TOOL_CALL_CHUNK of a stream must have a toolCallName');
      const fixed: Record<string, unknown> = {};
      if (spec.kind === 'text') fixed.role = event.role ?? 'assistant';
      if (spec.kind === 'reasoning') fixed.role = 'reasoning';
      for (const field of spec.fixed) if (event[field] !== undefined) fixed[field] = event[field];
      pending = { kind: spec.kind, id, tag, fixed };
      this.lanes.set(lane, pending);
      out.push(withTag({ type: spec.start, [spec.idField]: id, ...fixed }, tag));
    }
    const carries = event.delta !== undefined || event.rawEvent !== undefined;
    // A chunk without a delta still yields an (empty) content event when it carries something else worth passing on.
    if (carries || (out.length === 0 && (event.metadata !== undefined || tag === null))) {
      out.push(withTag({ type: spec.content, [spec.idField]: pending.id, delta: event.delta ?? '' }, tag !== undefined ? tag : pending.tag));
    }
    return out;
  }
}
