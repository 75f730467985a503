// Attack probes on the live stream (issue 17, item 2): another origin may not
// subscribe (no CORS answer, WebSocket upgrades refused).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { api, BASE, makeUser, sleep, subscribe } from './lib.mjs';

const FOREIGN = 'http://127.0.0.1:1';
const WS_BASE = BASE.replace('http', 'ws');
const open = [];   // what a test opened: closed after it, passed or failed

afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

/** subscribe(), remembered for closing. */
async function listen(sid, opts) {
  const sub = await subscribe(sid, opts);
  open.push(sub);
  return sub;
}

/** A pose frame published in session sid as the user with token. */
async function publish(sid, token, frame) {
  const r = await api('POST', `/api/v1/sessions/${sid}/live`, {
    json: { type: 'pose_update', data: { timestamp: frame, frame, keypoints: [{ x: 1, y: 2, confidence: 0.5 }] } }, token,
  });
  assert.equal(r.status, 202, r.text);
}

/** Polls cond() every 50 ms until it is true or ms passed; returns its last value. */
async function until(cond, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(50);
  return cond();
}

/**
 * A ws+meta.nchan WebSocket on the session: resolves to { status (101, or the
 * refusal's status), messages (their data), closed, close() }.
 */
function openSocket(sid, { token, origin } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (origin) headers.origin = origin;
  const ws = new WebSocket(`${WS_BASE}/live/sessions/${sid}`, 'ws+meta.nchan', { headers });
  const sock = { status: 0, messages: [], closed: false, headers: {}, close: () => ws.terminate() };
  open.push(sock);
  ws.on('message', (m) => {
    const text = String(m);
    sock.messages.push(JSON.parse(text.slice(text.indexOf('\n\n') + 2)));
  });
  ws.on('close', () => { sock.closed = true; });
  ws.on('error', () => { sock.closed = true; });
  return new Promise((resolve) => {
    ws.on('upgrade', (res) => { sock.status = res.statusCode; sock.headers = res.headers; });
    ws.on('open', () => resolve(sock));
    ws.on('unexpected-response', (req, res) => {
      sock.status = res.statusCode;
      sock.headers = res.headers;
      sock.closed = true;
      res.resume();
      resolve(sock);
    });
    setTimeout(() => resolve(sock), 5000);
  });
}

/** A session of a new coach, shared with a new analyst as viewer. */
async function sharedSession() {
  const owner = makeUser('coach');
  const viewer = makeUser('analyst');
  const s = await api('POST', '/api/v1/sessions', { json: { title: 'attack-live' }, token: owner.token });
  assert.equal(s.status, 201, s.text);
  const sh = await api('POST', `/api/v1/sessions/${s.body.id}/shares`,
    { json: { email: viewer.email, role: 'viewer' }, token: owner.token });
  assert.equal(sh.status, 200, sh.text);
  return { sid: s.body.id, owner, viewer };
}

test('a foreign Origin gets no CORS answer and no stream, on SSE, long-poll and WebSocket', async () => {
  const { sid, owner } = await sharedSession();
  for (const accept of ['text/event-stream', '*/*']) {
    const r = await fetch(`${BASE}/live/sessions/${sid}`,
      { headers: { accept, origin: FOREIGN, authorization: `Bearer ${owner.token}` } });
    const body = r.status === 200 ? '(a stream)' : await r.text();
    if (r.status === 200) await r.body.cancel();
    assert.equal(r.status, 403, `${accept}: ${r.status} ${body}`);
    assert.equal(r.headers.get('access-control-allow-origin'), null, accept);
    assert.equal(r.headers.get('access-control-allow-credentials'), null, accept);
  }
  const ws = await openSocket(sid, { token: owner.token, origin: FOREIGN });
  assert.equal(ws.status, 403, 'a WebSocket upgrade from another origin is refused');
  ws.close();
  for (const origin of ['null', 'http://127.0.0.1', `${BASE}.evil.example`, BASE.replace('127.0.0.1', 'localhost')]) {
    const r = await fetch(`${BASE}/live/sessions/${sid}`, { headers: { origin, authorization: `Bearer ${owner.token}` } });
    if (r.status === 200) await r.body.cancel();
    assert.equal(r.status, 403, origin);
  }
});

test('the public origin itself, and a request without Origin, still subscribe', async () => {
  const { sid, owner } = await sharedSession();
  const ctrl = new AbortController();
  open.push({ close: () => ctrl.abort() });
  const r = await fetch(`${BASE}/live/sessions/${sid}`, {
    headers: { accept: 'text/event-stream', origin: BASE, authorization: `Bearer ${owner.token}` }, signal: ctrl.signal,
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('access-control-allow-origin'), BASE, 'only the public origin is named');
  ctrl.abort();
  const ws = await openSocket(sid, { token: owner.token, origin: BASE });
  assert.equal(ws.status, 101);
  const sse = await listen(sid, { token: owner.token });
  await publish(sid, owner.token, 7);
  assert.equal((await sse.waitFor(1)).length, 1);
  assert.ok(await until(() => ws.messages.length === 1));
  assert.equal(ws.messages[0].seq, sse.messages[0].data.seq);
  sse.close();
  ws.close();
});
