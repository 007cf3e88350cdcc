import type { MetricsRegistry } from './registry.ts';
import type { MetricDefinition, MetricType, ValueType } from './types.ts';

function metric(name: string, type: MetricType, contains: ValueType = 'default'): MetricDefinition {
  return Object.freeze({ name, type, contains });
}

/** k6's built-in metrics, with the types and value types k6 gives them. */
export function builtinMetrics(): MetricDefinition[] {
  return [
    metric('vus', 'gauge'),
    metric('vus_max', 'gauge'),
    metric('iterations', 'counter'),
    metric('iteration_duration', 'trend', 'time'),
    metric('dropped_iterations', 'counter'),
    metric('checks', 'rate'),
    metric('group_duration', 'trend', 'time'),
    metric('http_reqs', 'counter'),
    metric('http_req_failed', 'rate'),
    metric('http_req_duration', 'trend', 'time'),
    metric('http_req_blocked', 'trend', 'time'),
    metric('http_req_connecting', 'trend', 'time'),
    metric('http_req_tls_handshaking', 'trend', 'time'),
    metric('http_req_sending', 'trend', 'time'),
    metric('http_req_waiting', 'trend', 'time'),
    metric('http_req_receiving', 'trend', 'time'),
    metric('ws_sessions', 'counter'),
    metric('ws_msgs_sent', 'counter'),
    metric('ws_msgs_received', 'counter'),
    metric('ws_ping', 'trend', 'time'),
    metric('ws_session_duration', 'trend', 'time'),
    metric('ws_connecting', 'trend', 'time'),
    metric('grpc_req_duration', 'trend', 'time'),
    metric('data_sent', 'counter', 'data'),
    metric('data_received', 'counter', 'data'),
  ];
}

/**
 * Defines the built-in metrics in a registry and, when the `expected_response` system tag is on, the
 * `http_req_duration{expected_response:true}` submetric k6 always shows. Call it before the script's thresholds are
 * built, so that a threshold on that submetric shares it.
 */
export function defineBuiltinMetrics(registry: MetricsRegistry, systemTags: readonly string[]): void {
  for (const def of builtinMetrics()) registry.define(def);
  if (systemTags.includes('expected_response')) registry.submetric('http_req_duration{expected_response:true}');
}
