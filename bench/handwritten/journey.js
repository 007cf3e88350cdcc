// The journey flow written by hand, as lean as a k6 script can be: the baseline for bench/artillery-compare.ts and
// the script of bench/lost-session.ts, run on agent-sla's engine.
// Sign up, log in, open the WebSocket with the token, run one agent, close; one Trend. No library, no validation.
//   agent-sla exec -e BASE_URL=http://127.0.0.1:8080 -e VUS=10 -e ITERATIONS=100 bench/handwritten/journey.js
// With -e BILLING=1 it also reads the run's billing usage and the billing summary, as our journey does, so the
// benchmark can tell the library's cost from the cost of the extra requests.
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import { WebSocket } from 'k6/websockets';

const base = __ENV.BASE_URL;
const agentResponse = new Trend('agent_response_duration', true);

export const options = {
  scenarios: {
    journey: { executor: 'shared-iterations', vus: Number(__ENV.VUS), iterations: Number(__ENV.ITERATIONS), maxDuration: '10m' },
  },
};

const json = { headers: { 'Content-Type': 'application/json' } };
const billing = __ENV.BILLING === '1';

export default function () {
  const email = `hand-${__VU}-${__ITER}-${Date.now()}@load.test`;
  http.post(`${base}/auth/signup`, JSON.stringify({ email, password: 'hand-written-pw', plan: 'pro' }), json);
  const login = http.post(`${base}/auth/login`, JSON.stringify({ email, password: 'hand-written-pw' }), json);
  const token = login.json('access_token');
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, null, { headers: { Authorization: `Bearer ${token}` } });
  let sentAt = 0;
  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'connection_established') {
      sentAt = Date.now();
      ws.send(JSON.stringify({ type: 'user_message', request_id: `${__VU}-${__ITER}`, content: 'hello', mode: 'single' }));
    } else if (frame.type === 'agent_completed') {
      agentResponse.add(Date.now() - sentAt);
      ws.close();
      if (billing) {
        const auth = { headers: { Authorization: `Bearer ${token}` } };
        http.get(`${base}/billing/usage?run_id=${frame.run_id}`, auth);
        http.get(`${base}/billing/summary`, auth);
      }
    }
  };
}
