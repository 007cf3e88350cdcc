import type { TagSet } from '../../metrics/types.ts';
import type { MetricRef, VuContext } from '../../runtime/vu-context.ts';
import type { Timings } from './response.ts';

/** The built-in metrics an HTTP request feeds, with k6's names and types. */
export interface HttpMetrics {
  reqs: MetricRef;
  duration: MetricRef;
  blocked: MetricRef;
  connecting: MetricRef;
  tlsHandshaking: MetricRef;
  sending: MetricRef;
  waiting: MetricRef;
  receiving: MetricRef;
  failed: MetricRef;
  dataSent: MetricRef;
  dataReceived: MetricRef;
}

export function registerHttpMetrics(vu: VuContext): HttpMetrics {
  return {
    reqs: vu.metric('http_reqs', 'counter'),
    duration: vu.metric('http_req_duration', 'trend', 'time'),
    blocked: vu.metric('http_req_blocked', 'trend', 'time'),
    connecting: vu.metric('http_req_connecting', 'trend', 'time'),
    tlsHandshaking: vu.metric('http_req_tls_handshaking', 'trend', 'time'),
    sending: vu.metric('http_req_sending', 'trend', 'time'),
    waiting: vu.metric('http_req_waiting', 'trend', 'time'),
    receiving: vu.metric('http_req_receiving', 'trend', 'time'),
    failed: vu.metric('http_req_failed', 'rate'),
    dataSent: vu.metric('data_sent', 'counter', 'data'),
    dataReceived: vu.metric('data_received', 'counter', 'data'),
  };
}

/** What one hop measured, for its samples. */
export interface HopMeasurement {
  tags: TagSet;
  timings: Timings;
  /** undefined when there is no response callback: then k6 emits no http_req_failed. */
  failed: boolean | undefined;
  bytesSent: number;
  bytesReceived: number;
  /** ms since the epoch, when the hop ended: k6 stamps every sample of a request with its end. */
  time: number;
}

/**
 * One hop's samples, in k6's order. data_sent and data_received carry the VU's tags only, as k6's per-connection
 * byte counts do (not the request's url, status, …), so they add no series per URL.
 */
export function emitHop(vu: VuContext, metrics: HttpMetrics, hop: HopMeasurement): void {
  const { tags, timings, time } = hop;
  vu.emit(metrics.reqs, 1, tags, time);
  vu.emit(metrics.duration, timings.duration, tags, time);
  vu.emit(metrics.blocked, timings.blocked, tags, time);
  vu.emit(metrics.connecting, timings.connecting, tags, time);
  vu.emit(metrics.tlsHandshaking, timings.tls_handshaking, tags, time);
  vu.emit(metrics.sending, timings.sending, tags, time);
  vu.emit(metrics.waiting, timings.waiting, tags, time);
  vu.emit(metrics.receiving, timings.receiving, tags, time);
  if (hop.failed !== undefined) vu.emit(metrics.failed, hop.failed ? 1 : 0, tags, time);
  const vuTags = vu.tags();
  if (hop.bytesSent > 0) vu.emit(metrics.dataSent, hop.bytesSent, vuTags, time);
  if (hop.bytesReceived > 0) vu.emit(metrics.dataReceived, hop.bytesReceived, vuTags, time);
}
