// Processor for journey.yml. BASE_URL is the target's HTTP base; ARTILLERY_RUN_TIMEOUT_MS bounds a run.
'use strict';

const base = process.env.BASE_URL;
const runTimeoutMs = Number(process.env.ARTILLERY_RUN_TIMEOUT_MS || 60000);
let sequence = 0;

async function postJson(path, body) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

function signUpAndLogIn(wsArgs, context, done) {
  const email = `artillery-${process.pid}-${++sequence}-${Date.now()}@load.test`;
  const password = 'artillery-pw';
  postJson('/auth/signup', { email, password, plan: 'pro' })
    .then(() => postJson('/auth/login', { email, password }))
    .then((login) => {
      if (login.status !== 200) throw new Error(`login answered ${login.status}`);
      wsArgs.options = { ...wsArgs.options, headers: { Authorization: `Bearer ${login.body.access_token}` } };
      done();
    })
    .catch(done);
}

function runOneAgent(context, events, done) {
  const socket = context.ws;
  const sentAt = Date.now();
  const timer = setTimeout(() => {
    events.emit('counter', 'agent_runs_timed_out', 1);
    done();
  }, runTimeoutMs);
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type !== 'agent_completed') return;
    clearTimeout(timer);
    events.emit('histogram', 'agent_response_duration', Date.now() - sentAt);
    events.emit('counter', 'agent_runs_completed', 1);
    done();
  });
  socket.send(JSON.stringify({ type: 'user_message', request_id: `artillery-${process.pid}-${++sequence}`, content: 'hello', mode: 'single' }));
}

module.exports = { signUpAndLogIn, runOneAgent };
