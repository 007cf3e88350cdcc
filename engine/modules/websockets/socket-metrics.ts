import type { TagSet } from '../../metrics/types.ts';
import type { MetricRef, VuContext } from '../../runtime/vu-context.ts';

/** k6's WebSocket metrics, registered once per VU on its first socket. */
export interface SocketMetrics {
  connecting: MetricRef;
  sessions: MetricRef;
  sessionDuration: MetricRef;
  messagesSent: MetricRef;
  messagesReceived: MetricRef;
  ping: MetricRef;
  dataSent: MetricRef;
  dataReceived: MetricRef;
}

/** What the sockets of one VU share: the metrics, registered on the first socket. */
export class VuSockets {
  private registered: SocketMetrics | undefined;

  constructor(readonly vu: VuContext) {}

  get metrics(): SocketMetrics {
    return (this.registered ??= registerSocketMetrics(this.vu));
  }
}

function registerSocketMetrics(vu: VuContext): SocketMetrics {
  return {
    connecting: vu.metric('ws_connecting', 'trend', 'time'),
    sessions: vu.metric('ws_sessions', 'counter'),
    sessionDuration: vu.metric('ws_session_duration', 'trend', 'time'),
    messagesSent: vu.metric('ws_msgs_sent', 'counter'),
    messagesReceived: vu.metric('ws_msgs_received', 'counter'),
    ping: vu.metric('ws_ping', 'trend', 'time'),
    dataSent: vu.metric('data_sent', 'counter', 'data'),
    dataReceived: vu.metric('data_received', 'counter', 'data'),
  };
}

export interface HandshakeOutcome {
  /** The HTTP status of the handshake's answer; undefined when none came (refused, unreachable). */
  status: number | undefined;
  /** The subprotocol the server chose, "" for none. */
  protocol: string;
  remoteAddress: string | undefined;
}

/**
 * The tags of every sample of one socket, as k6 sets them once the handshake is over: the VU's tags when the socket
 * was created, params.tags over them, then the enabled system tags. A `name` in params.tags is also the `url` tag.
 */
export function socketTags(vu: VuContext, vuTags: TagSet, url: string, userTags: Record<string, string>, outcome: HandshakeOutcome): TagSet {
  const tags: Record<string, string> = { ...vuTags, ...userTags };
  if (outcome.remoteAddress !== undefined && vu.systemTag('ip')) tags.ip = outcome.remoteAddress;
  if (outcome.status !== undefined) {
    if (vu.systemTag('status')) tags.status = String(outcome.status);
    if (vu.systemTag('subproto')) tags.subproto = outcome.protocol;
  }
  const name = userTags.name;
  if (name !== undefined) {
    if (vu.systemTag('url')) tags.url = name;
  } else {
    if (vu.systemTag('url')) tags.url = url;
    if (vu.systemTag('name')) tags.name = url;
  }
  return Object.freeze(tags);
}
