// Attack probes on the live stream (issue 17, items 2 and 4): another origin
// may not subscribe (no CORS answer, WebSocket upgrades refused), and an open
// subscription ends within seconds once the access it was opened with is gone
// (the share removed, the user disabled, the token revoked), over SSE,
// WebSocket and long-poll alike, while other subscribers keep receiving.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { api, BASE, makeUser, sleep, stint, subscribe } from './lib.mjs';

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

/**
 * A long-poll waiting for the message after lastId: resolves to { status,
 * body } once nchan answers (a message, or the end of the channel).
 */
function longPoll(sid, token, lastId) {
  const ctrl = new AbortController();
  const done = fetch(`${BASE}/live/sessions/${sid}?last_event_id=${encodeURIComponent(lastId)}`,
    { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal })
    .then(async (r) => ({ status: r.status, body: await r.text() }), () => ({ status: 0, body: '' }));
  const poll = { answer: null, close: () => ctrl.abort() };
  open.push(poll);
  done.then((a) => { poll.answer = a; });
  return poll;
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

/** The viewer's three open subscriptions (SSE, WebSocket, long-poll), each having received frame 1. */
async function openAll(sid, token, ownerToken) {
  const sse = await listen(sid, { token });
  assert.equal(sse.status, 200);
  const ws = await openSocket(sid, { token });
  assert.equal(ws.status, 101);
  await publish(sid, ownerToken, 1);
  assert.equal((await sse.waitFor(1, 5000)).length, 1, 'the SSE subscriber receives while shared');
  assert.ok(await until(() => ws.messages.length === 1), 'the WebSocket receives while shared');
  const lp = longPoll(sid, token, sse.lastId);
  await sleep(300);
  assert.equal(lp.answer, null, 'the long-poll waits for the next message');
  return { sse, ws, lp };
}

/** All three ended within a few seconds, and none gets what is published next. */
async function assertEnded(sid, subs, ownerToken) {
  const { sse, ws, lp } = subs;
  assert.ok(await until(() => sse.closed), 'the SSE connection is closed within 5 s');
  assert.ok(await until(() => ws.closed), 'the WebSocket is closed within 5 s');
  assert.ok(await until(() => lp.answer !== null), 'the long-poll is answered within 5 s');
  assert.notEqual(lp.answer.status, 200, `the long-poll got no message: ${lp.answer.status} ${lp.answer.body}`);
  await publish(sid, ownerToken, 2);
  await sleep(500);
  assert.deepEqual(sse.messages.map((m) => m.data.data.frame), [1], 'SSE got nothing after the end');
  assert.equal(ws.messages.length, 1, 'the WebSocket got nothing after the end');
  sse.close();
  ws.close();
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

test('removing a share ends the former viewer\'s open subscriptions; the owner\'s stays', async () => {
  const { sid, owner, viewer } = await sharedSession();
  const mine = await listen(sid, { token: owner.token });
  const subs = await openAll(sid, viewer.token, owner.token);
  const shares = (await api('GET', `/api/v1/sessions/${sid}/shares`, { token: owner.token })).body;
  const uid = shares.find((s) => s.email === viewer.email).user_id;
  assert.equal((await api('DELETE', `/api/v1/sessions/${sid}/shares/${uid}`, { token: owner.token })).status, 204);
  await assertEnded(sid, subs, owner.token);
  assert.equal((await listen(sid, { token: viewer.token })).status, 403, 'and may not subscribe again');
  assert.deepEqual((await mine.waitFor(2)).map((m) => m.data.data.frame), [1, 2], 'the owner kept receiving');
  assert.equal(mine.closed, false);
  mine.close();
});

test('disabling a user ends their open subscriptions', async () => {
  const { sid, owner, viewer } = await sharedSession();
  const subs = await openAll(sid, viewer.token, owner.token);
  stint('user', 'disable', viewer.email);
  await assertEnded(sid, subs, owner.token);
});

test('revoking a token ends the subscriptions opened with it', async () => {
  const { sid, owner, viewer } = await sharedSession();
  const made = await api('POST', '/api/v1/tokens', { json: { name: 'attack-live', scope: 'read' }, token: viewer.token });
  assert.equal(made.status, 201, made.text);
  const subs = await openAll(sid, made.body.token, owner.token);
  assert.equal((await api('DELETE', `/api/v1/tokens/${made.body.id}`, { token: viewer.token })).status, 204);
  await assertEnded(sid, subs, owner.token);
});

test('a token revoked by its secret (bin/stint token revoke) ends its subscriptions too', async () => {
  const { sid, owner, viewer } = await sharedSession();
  const subs = await openAll(sid, viewer.token, owner.token);
  stint('token', 'revoke', { input: `${viewer.token}\n` });
  await assertEnded(sid, subs, owner.token);
});

test('the Last-Event-ID header is checked by the handler: nonsense is refused, 0:0 means the oldest', async () => {
  const { sid, owner } = await sharedSession();
  await publish(sid, owner.token, 1);
  await publish(sid, owner.token, 2);
  const bad = await api('GET', `/live/sessions/${sid}`,
    { headers: { accept: 'text/event-stream', 'last-event-id': 'x X-Evil: 1' }, token: owner.token });
  assert.equal(bad.status, 422);
  const all = await listen(sid, { token: owner.token, lastEventId: '0:0' });
  assert.deepEqual((await all.waitFor(2)).map((m) => m.data.data.frame), [1, 2]);
  const rest = await listen(sid, { token: owner.token, lastEventId: all.messages[0].id });
  assert.deepEqual((await rest.waitFor(1)).map((m) => m.data.data.frame), [2]);
  await sleep(200);
  assert.equal(rest.messages.length, 1);
  all.close();
  rest.close();
});
