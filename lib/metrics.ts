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
