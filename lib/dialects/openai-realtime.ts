/**
 * `openai-realtime`: the OpenAI Realtime API over WebSocket (DIALECTS.md §2). A run is one
 * conversation.item.create + response.create, answered by response.created … response.done.
 * The response is the run's one agent; function calls are its tools, paired by call_id.
 */
import { bearerTokens, field, usageFrom, type Dialect, type Frame, type RunTracker } from './dialect.ts';
import { LifecycleRules, type LifecycleEvent } from './lifecycle.ts';

const responseIdOf = (frame: Frame): unknown => frame.response_id ?? (frame.response as Frame | undefined)?.id;

/** Events of the session or the conversation, not of a response: allowed at any time. */
const isSessionEvent = (type: string): boolean =>
  type.startsWith('session.') || type.startsWith('conversation.') || type.startsWith('input_audio_buffer.') || type === 'rate_limits.updated';

class RealtimeRun implements RunTracker {
  private readonly rules = new LifecycleRules({ firstEvent: 'agent_started', firstEventName: 'response.created' });
  private response: unknown;
  private readonly itemsAdded = new Set<unknown>();
  private readonly itemsDone = new Set<unknown>();

  get runId(): string {
    return typeof this.response === 'string' ? this.response : '';
  }
  readonly threadId = undefined;

  accept(frame: Frame): LifecycleEvent | undefined {
    const type = String(frame.type);
    if (isSessionEvent(type)) return undefined;
    if (type === 'error') return this.push({ kind: 'run_error', type, error: String(field(frame, 'message') ?? (frame.error as Frame | undefined)?.message ?? 'error') });
    if (!type.startsWith('response.')) return { kind: 'ignorable', type };
    const id = responseIdOf(frame);
    if (type === 'response.created') this.response ??= id;
    const event = this.decode(type, frame);
    const v = this.rules.violations;
    if (id === undefined) v.at(this.rules.count + 1, event, 'no response id');
    else if (this.response === undefined) v.at(this.rules.count + 1, event, 'before response.created');
    event.runId = id;
    this.checkItems(event, frame);
    // Output items, content parts and argument deltas are structure, not lifecycle: checked, not counted.
    return event.kind === 'ignorable' ? undefined : this.push(event);
  }

  finish() {
    return this.rules.finish();
  }

  private decode(type: string, frame: Frame): LifecycleEvent {
    const item = frame.item as Frame | undefined;
    switch (type) {
      case 'response.created':
        return { kind: 'agent_started', type, agent: responseIdOf(frame) };
      case 'response.done': {
        const response = (frame.response ?? {}) as Frame;
        if (response.status !== 'completed') return { kind: 'run_error', type, agent: response.id, error: `response ${String(response.status)}` };
        const event: LifecycleEvent = { kind: 'run_completed', type, agent: response.id };
        const usage = usageFrom(response.usage);
        if (usage) event.usage = usage;
        return event;
      }
      case 'response.output_item.added':
        return item?.type === 'function_call' ? { kind: 'tool_start', type, key: item.call_id } : { kind: 'ignorable', type };
      case 'response.function_call_arguments.done':
        return { kind: 'tool_end', type, key: frame.call_id };
      case 'response.output_text.delta':
      case 'response.text.delta':
        return { kind: 'text_delta', type, text: typeof frame.delta === 'string' ? frame.delta : '' };
      default:
        return { kind: 'ignorable', type };
    }
  }

  private push(event: LifecycleEvent): LifecycleEvent {
    if (event.type === 'response.done' && event.kind === 'run_completed') {
      for (const added of this.itemsAdded) if (!this.itemsDone.has(added)) this.rules.violations.at(this.rules.count + 1, event, `item ${String(added)} never done`);
    }
    this.rules.push(event);
    return event;
  }

  /** Output items are added before their deltas and parts, and done once. */
  private checkItems(event: LifecycleEvent, frame: Frame): void {
    const n = this.rules.count + 1;
    const v = this.rules.violations;
    const itemId = frame.item_id ?? (frame.item as Frame | undefined)?.id;
    if (event.type === 'response.output_item.added') this.itemsAdded.add(itemId);
    else if (event.type === 'response.output_item.done') {
      if (!this.itemsAdded.has(itemId)) v.at(n, event, `item ${String(itemId)} done before it was added`);
      this.itemsDone.add(itemId);
    } else if (itemId !== undefined && event.type !== 'response.done') {
      if (!this.itemsAdded.has(itemId)) v.at(n, event, `item ${String(itemId)} used before it was added`);
      else if (this.itemsDone.has(itemId)) v.at(n, event, `item ${String(itemId)} used after it was done`);
    }
  }
}

export const openaiRealtime: Dialect = {
  name: 'openai-realtime',
  nestedAgents: false,
  billing: false,
  defaultAuthMode: 'token',
  defaultPaths: { signup: '/auth/signup', login: '/auth/login', refresh: '/auth/refresh', me: '/auth/me', ws: '/v1/realtime?model=gpt-realtime' },
  healthContract: false,
  signupBody: (c) => ({ email: c.email, password: c.password, plan: c.plan }),
  signupAccepted: (status) => status === 200 || status === 201,
  signupCheck: 'signup answers 200 or 201',
  tokensFrom: bearerTokens,
  tokenSubprotocols: (key) => ['realtime', `openai-insecure-api-key.${key}`],
  tokenQueryParam: 'api_key',
  sessionFrame(frame) {
    if (frame.type === 'session.created') return 'ready';
    if (frame.type === 'error') return 'refused';
    return undefined;
  },
  userMessage(run) {
    const item = { type: 'message', role: 'user', content: [{ type: 'input_text', text: run.content }] };
    return [JSON.stringify({ type: 'conversation.item.create', item }), JSON.stringify({ type: 'response.create' })];
  },
  startRun: () => new RealtimeRun(),
  lifecycleCheck: { name: 'run streams response.created and response.done', kinds: ['agent_started', 'run_completed'] },
};
