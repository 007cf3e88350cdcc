import { Counter, Rate, Trend } from 'k6/metrics';

/**
 * Every custom metric, by the names the dashboards and reports read. Tags set on them:
 * plan, event_type, close_code, reason, name (and k6's own scenario). ws_session_duration
 * is k6/websockets' own built-in Trend, so it is not redefined here.
 */
export const signupDuration = new Trend('signup_duration', true);
export const authDuration = new Trend('auth_duration', true);
export const agentTimeToFirstEvent = new Trend('agent_time_to_first_event', true);
export const agentResponseDuration = new Trend('agent_response_duration', true);
export const orchestrationDuration = new Trend('orchestration_duration', true);
export const agentEventLatency = new Trend('agent_event_latency', true);

export const agentEventSequenceOk = new Rate('agent_event_sequence_ok');
export const billingReconciled = new Rate('billing_reconciled');
export const authRefusalOk = new Rate('auth_refusal_ok');
export const agentRunOk = new Rate('agent_run_ok');

export const wsCloseCodes = new Counter('ws_close_codes');
export const agentRunsCompleted = new Counter('agent_runs_completed');
export const agentRunsFailed = new Counter('agent_runs_failed');
/** Streaming, where a dialect streams text: the user message → the first text delta, and the gaps between deltas. */
export const agentTimeToFirstToken = new Trend('agent_time_to_first_token', true);
export const agentInterTokenLatency = new Trend('agent_inter_token_latency', true);
/** Output tokens per second of a completed run, where the backend reports usage (output tokens ÷ response time). */
export const agentOutputTokensPerSecond = new Trend('agent_output_tokens_per_second');
/** Completed, well-formed runs that met every latency SLA set; its rate per second is the goodput. */
export const agentGoodputRuns = new Counter('agent_goodput_runs');
/** Errors by kind (refused, reset, timeout, dns, network, http_5xx, ws_close_<code>, protocol), tagged `kind`. */
export const agentErrors = new Counter('agent_errors');
/** AG-UI runs read as one buffered response (a stock k6, without agent-sla/sse): their events carry no receive time of their own. */
export const agentStreamsBuffered = new Counter('agent_streams_buffered');
/** Frames of a run that the dialect ignores (an envelope type it does not know), counted, not failed. */
export const agentFramesIgnored = new Counter('agent_frames_ignored');
