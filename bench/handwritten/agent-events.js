// The agent-events flow written by hand, as lean as a k6 script can be: the baseline for bench/agent-cpu.ts and
// bench/vu-memory.ts, run on the same engine as our bundle. Each VU signs up and logs in once; each iteration opens
// the WebSocket with the token, runs RUNS_PER_SESSION agents one after the other on it (the second on the first one's
// thread, THINK_TIME_MS apart, as our bundle's THINK_TIME_MS), timing each to the top agent's agent_completed, then
// closes. One Trend, no library, no validation: the same requests and socket traffic as dist/agent-events.js.
//   agent-sla exec -e BASE_URL=http://127.0.0.1:8080 -e VUS=10 -e ITERATIONS=100 bench/handwritten/agent-events.js
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import { WebSocket } from 'k6/websockets';
import { setTimeout } from 'k6/timers';

const base = __ENV.BASE_URL;
const runsPerSession = Number(__ENV.RUNS_PER_SESSION || 2);
const thinkTimeMs = Number(__ENV.THINK_TIME_MS || 0);
const agentResponse = new Trend('agent_response_duration', true);

export const options = {
  scenarios: {
    'agent-events': { executor: 'shared-iterations', vus: Number(__ENV.VUS), iterations: Number(__ENV.ITERATIONS), maxDuration: '10m' },
  },
};

const json = { headers: { 'Content-Type': 'application/json' } };
let token;

function logIn() {
  const email = `hand-${__VU}-${Date.now()}@load.test`;
  http.post(`${base}/auth/signup`, JSON.stringify({ email, password: 'hand-written-pw', plan: 'pro' }), json);
  const login = http.post(`${base}/auth/login`, JSON.stringify({ email, password: 'hand-written-pw' }), json);
  return login.json('access_token');
}

export default function () {
  token ??= logIn();
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, null, { headers: { Authorization: `Bearer ${token}` } });
  let sentAt = 0;
  let runs = 0;
  let topAgent;
  let threadId;
  const send = () => {
    sentAt = Date.now();
    topAgent = undefined;
    const message = { type: 'user_message', request_id: `${__VU}-${__ITER}-${runs}`, content: 'hello', mode: 'single' };
    if (threadId) message.thread_id = threadId;
    ws.send(JSON.stringify(message));
  };
  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'connection_established') send();
    else if (frame.type === 'agent_started') topAgent ??= frame.agent;
    else if (frame.type === 'agent_completed' && frame.agent === topAgent) {
      agentResponse.add(Date.now() - sentAt);
      threadId = frame.thread_id;
      if (++runs >= runsPerSession) ws.close();
      else if (thinkTimeMs > 0) setTimeout(send, thinkTimeMs);
      else send();
    }
  };
}
