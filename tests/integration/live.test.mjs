// Live sessions through nginx nchan: every change reaches subscribers, in
// order, over SSE and WebSocket; resuming gets exactly what was missed; after
// nchan loses its buffer the timeline fills the gap; nothing is lost while
// nchan is away; only those with access may listen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { api, createSession, makeUser, stint, subscribe, sleep, tokenFor, BASE, ADMIN_TOKEN, PREFIX } from './lib.mjs';

const frame = (i) => ({ timestamp: i / 30, frame: i, keypoints: [{ x: 0.5, y: 0.25, confidence: 0.9, name: 'nose' }] });

async function poseBurst(sid, from, count, per = 250) {
  for (let i = from; i < from + count; i += per) {
    const frames = Array.from({ length: Math.min(per, from + count - i) }, (_, k) => frame(i + k));
    const r = await api('POST', `/api/v1/sessions/${sid}/live`, { json: { type: 'pose_update', data: { frames } } });
    assert.equal(r.status, 202, r.text);
  }
}

const seqs = (messages) => messages.map((m) => m.data.seq);
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('an SSE subscriber receives a burst of 1,000 messages complete and in order', async () => {
  const s = await createSession({ kind: 'training' });
  const sub = await subscribe(s.id);
  assert.equal(sub.status, 200);
  await poseBurst(s.id, 0, 1000);
  const got = await sub.waitFor(1000);
  sub.close();
  assert.equal(got.length, 1000);
  assert.deepEqual(seqs(got), range(1, 1000));
  assert.ok(got.every((m) => m.event === 'pose_updated' && m.data.type === 'pose_updated' && m.data.session_id === s.id));
  assert.deepEqual(got.map((m) => m.data.data.frame), range(0, 999));
});

test('a WebSocket subscriber receives the same burst complete and in order', async () => {
  const s = await createSession({ kind: 'training' });
  const ws = new WebSocket(`${BASE.replace('http', 'ws')}/live/sessions/${s.id}`, 'ws+meta.nchan', {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const got = [];
  ws.on('message', (buf) => {
    const text = buf.toString();
    const body = text.slice(text.indexOf('\n\n') + 2);  // ws+meta.nchan: id and content-type lines, a blank line, the data
    got.push(JSON.parse(body));
  });
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  await poseBurst(s.id, 0, 1000);
  for (let i = 0; i < 100 && got.length < 1000; i++) await sleep(100);
  ws.close();
  assert.equal(got.length, 1000);
  assert.deepEqual(got.map((m) => m.seq), range(1, 1000));
});

test('a subscriber away for 5 s resumes with exactly the missed messages', async () => {
  const s = await createSession();
  const first = await subscribe(s.id);
  await poseBurst(s.id, 0, 20);
  await first.waitFor(20);
  first.close();
  await poseBurst(s.id, 20, 30);
  await sleep(5000);
  const again = await subscribe(s.id, { lastEventId: first.lastId });
  await poseBurst(s.id, 50, 5);
  const got = await again.waitFor(35);
  again.close();
  assert.deepEqual(seqs(got), range(21, 55));
});

test('the last_event_id query parameter is validated and forwarded', async () => {
  const s = await createSession();
  assert.equal((await api('GET', `/live/sessions/${s.id}?last_event_id=1%0d%0aX-Evil:1`)).status, 422);
  const first = await subscribe(s.id);
  await poseBurst(s.id, 0, 3);
  await first.waitFor(3);
  first.close();
  const id = first.messages[0].id;
  const again = await subscribe(s.id, { query: `?last_event_id=${encodeURIComponent(id)}` });
  const got = await again.waitFor(2, 3000);
  again.close();
  assert.deepEqual(seqs(got), [2, 3]);
});

test('after nginx reloads (nchan buffer wiped) the timeline fills the gap', async () => {
  const s = await createSession();
  const sub = await subscribe(s.id);
  await poseBurst(s.id, 0, 10);
  await sub.waitFor(10);
  sub.close();
  const lastSeen = 10;
  await poseBurst(s.id, 10, 15);  // missed by the subscriber
  stint('reload');
  await sleep(1500);
  const again = await subscribe(s.id, { lastEventId: sub.lastId });
  await poseBurst(s.id, 25, 1);
  const live = await again.waitFor(1, 5000);
  again.close();
  const newest = live.at(-1).data.seq;
  assert.equal(newest, 26);
  // what the page's script does on a gap: fetch the stored messages after the last seq it saw
  const tl = await api('GET', `/api/v1/sessions/${s.id}/timeline?after_seq=${lastSeen}&limit=1000`);
  assert.equal(tl.status, 200);
  assert.deepEqual(tl.body.messages.map((m) => m.seq), range(11, 26));
  assert.equal(tl.body.last_seq, 26);
  const page = await api('GET', `/api/v1/sessions/${s.id}/timeline?after_seq=5&limit=3`);
  assert.deepEqual(page.body.messages.map((m) => m.seq), [6, 7, 8]);
});

test('while nchan is unreachable writes succeed and are delivered once it is back', async () => {
  const s = await createSession();
  const sub = await subscribe(s.id);
  const sock = path.join(PREFIX, 'run', 'nchan-pub.sock');
  renameSync(sock, `${sock}.away`);
  try {
    const r = await api('POST', `/api/v1/sessions/${s.id}/events`, {
      json: Array.from({ length: 20 }, (_, i) => ({ t_sec: i, event_type: 'pass', actor_team: 'A', actor_number: 7 })) });
    assert.equal(r.status, 201);
    assert.equal((await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { status: 'live' } })).status, 200);
    await sleep(1500);
    assert.equal(sub.messages.length, 0, 'nothing reached nchan');
    const stored = (await api('GET', `/api/v1/sessions/${s.id}/timeline`)).body.messages;
    assert.deepEqual(stored.map((m) => m.type), ['event_added', 'rollup_updated', 'session_updated']);
  } finally {
    renameSync(`${sock}.away`, sock);
  }
  const got = await sub.waitFor(3, 8000);
  sub.close();
  assert.deepEqual(got.map((m) => m.event), ['event_added', 'rollup_updated', 'session_updated']);
  assert.equal(got[0].data.data.events.length, 20);
  assert.equal(got[2].data.data.status, 'live');
});

test('only those who may view a session may listen', async () => {
  const owner = makeUser('coach');
  const other = makeUser('coach');
  const created = await api('POST', '/api/v1/sessions', { json: { title: 'private' }, token: owner.token });
  const id = created.body.id;
  assert.equal((await subscribe(id, { token: other.token })).status, 403);
  assert.equal((await subscribe(id, { token: null })).status, 401);
  assert.equal((await subscribe('00000000-0000-4000-8000-000000000000')).status, 404);
  const mine = await subscribe(id, { token: owner.token });
  assert.equal(mine.status, 200);
  mine.close();
});

test('live updates from devices: session, climb and pose, validated', async () => {
  const s = await createSession({ kind: 'climb' });
  const sub = await subscribe(s.id);
  const post = (json) => api('POST', `/api/v1/sessions/${s.id}/live`, { json });
  assert.equal((await post({ type: 'session_update', data: { status: 'started' } })).status, 202);
  assert.equal((await post({ type: 'climb_update', data: { holds: [{ id: 'h1', type: 'start', status: 'completed', time: '2026-11-22T10:00:00Z' }, { id: 'h2', type: 'normal', status: 'untouched' }] } })).status, 202);
  assert.equal((await post({ type: 'climb_update', data: { holds: [{ id: 'h2', status: 'completed', time: '2026-11-22T10:00:09Z' }, { id: 'top', type: 'finish', status: 'untouched' }] } })).status, 202);
  const got = await sub.waitFor(3);
  sub.close();
  assert.deepEqual(got.map((m) => m.event), ['session_updated', 'climb_updated', 'climb_updated']);
  assert.equal(got[0].data.data.status, 'live');
  assert.deepEqual(got[2].data.data.holds.map((h) => [h.id, h.type, h.status]),
    [['h1', 'start', 'completed'], ['h2', 'normal', 'completed'], ['top', 'finish', 'untouched']]);
  const stored = (await api('GET', `/api/v1/sessions/${s.id}`)).body;
  assert.equal(stored.status, 'live');
  assert.ok(stored.starts_at);
  assert.equal(stored.data.holds.length, 3);

  for (const [json, field] of [
    [{ type: 'teleport', data: {} }, 'type'],
    [{ type: 'climb_update', data: { holds: [{ id: 'h1', status: 'flying' }] } }, 'data.holds[0].status'],
    [{ type: 'climb_update', data: { holds: [] } }, 'data.holds'],
    [{ type: 'pose_update', data: { timestamp: 1, frame: 1 } }, 'data.frames[0].keypoints'],
    [{ type: 'pose_update', data: { timestamp: 1, frame: -1, keypoints: [{ x: 1, y: 1, confidence: 2 }] } }, 'data.frames[0].frame'],
    [{ type: 'session_update', data: { status: 'paused' } }, 'status'],
    [{ type: 'session_update' }, 'data'],
  ]) {
    const r = await post(json);
    assert.equal(r.status, 422, JSON.stringify(json));
    assert.ok(Object.keys(r.body.error.fields).some((k) => k.endsWith(field)), `${field} in ${JSON.stringify(r.body.error.fields)}`);
  }
});

test('a new subscriber without a message id starts at now, not at the buffered history', async () => {
  const s = await createSession();
  await poseBurst(s.id, 0, 5);
  const sub = await subscribe(s.id);
  await poseBurst(s.id, 5, 2);
  const got = await sub.waitFor(2, 3000);
  await sleep(300);
  sub.close();
  assert.deepEqual(seqs(got), [6, 7]);
  const all = await subscribe(s.id, { lastEventId: '0:0' });  // asked for the oldest: the whole buffer
  assert.deepEqual(seqs(await all.waitFor(7, 3000)), range(1, 7));
  all.close();
});

/** A WebSocket on the session's live address; collects the messages (parsed) and how it closed. */
async function socket(sid, token = ADMIN_TOKEN, path = `/live/sessions/${sid}`) {
  const ws = new WebSocket(`${BASE.replace('http', 'ws')}${path}`, { headers: { authorization: `Bearer ${token}` } });
  ws.got = [];
  ws.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve([code, reason.toString()])));
  ws.on('message', (buf) => ws.got.push(JSON.parse(buf.toString())));
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  return ws;
}

test('a WebSocket client sends updates over the socket it listens on: stored and broadcast once, in order', async () => {
  const s = await createSession({ kind: 'climb' });
  const sender = await socket(s.id);
  const listener = await socket(s.id);
  sender.send(JSON.stringify({ type: 'session_update', data: { status: 'started' } }));
  for (let i = 0; i < 60; i++) sender.send(JSON.stringify({ type: 'pose_update', data: frame(i) }));
  sender.send(JSON.stringify({ type: 'climb_update', data: { holds: [{ id: 'h1', type: 'start', status: 'completed', time: '2026-11-22T10:00:00Z' }] } }));
  for (let i = 0; i < 100 && (listener.got.length < 62 || sender.got.length < 62); i++) await sleep(100);
  await sleep(300);
  for (const ws of [listener, sender]) {
    assert.equal(ws.got.length, 62, 'each message once');
    assert.deepEqual(ws.got.map((m) => m.seq), range(1, 62));
    assert.deepEqual(ws.got.slice(1, 61).map((m) => m.data.frame), range(0, 59));
  }
  assert.equal(listener.got[0].type, 'session_updated');
  assert.equal(listener.got[61].type, 'climb_updated');
  const tl = await api('GET', `/api/v1/sessions/${s.id}/timeline`);
  assert.deepEqual(tl.body.messages.map((m) => m.seq), range(1, 62));
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}`)).body.status, 'live');
  sender.close();
  listener.close();
});

test('a frame a viewer or a read-only token sends, or one that is not valid, is refused: the socket closes (1008), nothing is stored', async () => {
  const owner = makeUser('coach');
  const viewer = makeUser('coach');
  const created = await api('POST', '/api/v1/sessions', { json: { title: 'viewed', kind: 'climb' }, token: owner.token });
  const sid = created.body.id;
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: viewer.email, role: 'viewer' }, token: owner.token })).status, 200);
  const seen = await socket(sid, viewer.token);
  seen.send(JSON.stringify({ type: 'pose_update', data: frame(1) }));
  assert.equal((await seen.closed)[0], 1008);
  const readOnly = await socket(sid, tokenFor(owner.email, 'read'));  // the owner, with a read-only token
  readOnly.send(JSON.stringify({ type: 'pose_update', data: frame(1) }));
  assert.equal((await readOnly.closed)[0], 1008);
  const bad = await socket(sid, owner.token);
  bad.send(JSON.stringify({ type: 'pose_update', data: { timestamp: 1, frame: -1, keypoints: [] } }));
  assert.equal((await bad.closed)[0], 1008);
  const junk = await socket(sid, owner.token);
  junk.send('not json');
  assert.equal((await junk.closed)[0], 1008);
  assert.equal((await api('GET', `/api/v1/sessions/${sid}/timeline`, { token: owner.token })).body.last_seq, 0);
  // the frames' address is not reachable from outside nginx's publisher socket
  const direct = await api('POST', `/live/sessions/${sid}/frames`, { json: { type: 'pose_update', data: frame(1) }, token: owner.token });
  assert.equal(direct.status, 404);
});
