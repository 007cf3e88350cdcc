/**
 * A worked example: a dialect for a backend of your own, in one file. This one speaks a plain
 * JSON stream: `{"type": "start"}`, `{"type": "tool", "id", "phase": "begin" | "end"}`,
 * `{"type": "token", "text"}`, `{"type": "done", "usage"}` or `{"type": "failed", "reason"}`.
 * The reference target does not speak it, so for the test (test/dialect-example.test.ts) it
 * reuses the envelope's auth and messages and translates the envelope's frames the same way a
 * real backend's would be. Copy it, change the decoding, and add a loader for it to LOADERS in ../index.ts.
 */
import { envelope } from '../envelope.ts';
import { field, type Dialect, type Frame, type RunTracker } from '../dialect.ts';
import { LifecycleRules, type LifecycleEvent, type LifecycleKind } from '../lifecycle.ts';

/** Frame type → lifecycle. Anything else is ignored. */
const KINDS: Readonly<Record<string, LifecycleKind>> = {
  agent_started: 'agent_started',
  tool_executing: 'tool_start',
  tool_completed: 'tool_end',
  partial_result: 'text_delta',
  agent_completed: 'agent_finished',
  agent_error: 'run_error',
};

class PlainRun implements RunTracker {
  // The shared rules: agents nest, tools pair, exactly one terminal event. Add your own beside them.
  private readonly rules = new LifecycleRules({ firstEvent: 'agent_started', firstEventName: 'agent_started' });
  private first: unknown;
  readonly runId = '';
  readonly threadId = undefined;

  accept(frame: Frame): LifecycleEvent | undefined {
    const type = String(frame.type);
    let kind = KINDS[type];
    if (kind === undefined) return undefined;
    const agent = field(frame, 'agent_name') ?? field(frame, 'agent');
    if (this.rules.count === 0) this.first = agent;
    // The run ends when the agent that started it completes.
    if (kind === 'agent_finished' && agent === this.first) kind = 'run_completed';
    const key = field(frame, 'tool_call_id') ?? field(frame, 'execution_id') ?? field(frame, 'tool_name');
    const event: LifecycleEvent = { kind, type, agent, key };
    this.rules.push(event);
    return event;
  }

  finish() {
    return this.rules.finish();
  }
}

export const plainJson: Dialect = {
  ...envelope,
  name: 'plain-json',
  startRun: () => new PlainRun(),
  lifecycleCheck: { name: 'run streams started and completed', kinds: ['agent_started', 'run_completed'] },
};
