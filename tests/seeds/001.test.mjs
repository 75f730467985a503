// seeds/001.test.mjs: seed 001 (ProjectClimb, ../shared/seeds/001_*.txt) as its own clients would
// use Stint, their base URL Stint's (docs/compat.md, "Seed 001"). The seed's documented calls and
// messages, in its order, with its payloads:
//   1. the WebSocket consumer: ws://.../ws/session-live/{session_id}/, "Broadcasts updates to all
//      connected clients in the same session"
//   2. its message types over that socket: session_update, climb_update, pose_update
//   3. send_fake_session_data --session-id <uuid> --duration 60: the frames its task sends
//      (session_update started with start_time, climb_update, pose_update, the climb completed,
//      session_update completed with end_time)
//   4. the Climb Data Format {"climb": {"holds", "startTime", "endTime", "status": "started"}, "pose": []}
//   5. "Connect from Client": onmessage's switch on session_updated / climb_updated
//      (updateClimbDisplay(data.climb)) / pose_updated (updatePoseDisplay(data.pose))
//   6-10. GET /api/sessions/, POST /api/sessions/, GET /api/sessions/{id}/, PUT /api/sessions/{id}/,
//      DELETE /api/sessions/{id}/
//   11-12. GET /api/session-recordings/, POST /api/session-recordings/
//   13. ws://.../ws/session/{session_id}/: the session's replay
//   14. Troubleshooting: "Session not found", "Permission denied: ensure user is authenticated"
// The clients are plain WebSocket clients (the ws package; no Stint code), with a token (scripts) or
// a signed-in browser's cookie and Origin (the Vue client served by Stint).
//
// Run against a stack: bin/stint test seeds/001
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

import { api, makeUser, sleep, startSpooler, stopSpooler, BASE, Browser, PREFIX } from '../integration/lib.mjs';

const WS = BASE.replace(/^http/, 'ws');
const fx = {};

// The seed's climb, as its fake-data task builds it.
const climb = () => ({
  holds: [
    { id: '17', type: 'start', status: 'completed', time: '2025-01-01T12:00:02.000Z' },
    { id: '91', type: 'start', status: 'completed', time: '2025-01-01T12:00:23.000Z' },
    { id: '6', type: 'normal', status: 'completed', time: '2025-01-01T12:00:33.000Z' },
    { id: '101', type: 'normal', status: 'completed', time: '2025-01-01T12:00:43.000Z' },
    { id: '55', type: 'normal', status: 'completed', time: '2025-01-01T12:00:53.000Z' },
    { id: '133', type: 'normal', status: 'untouched', time: null },
    { id: '89', type: 'normal', status: 'untouched', time: null },
    { id: '41', type: 'normal', status: 'untouched', time: null },
    { id: '72', type: 'finish', status: 'untouched', time: null },
    { id: '11', type: 'finish', status: 'untouched', time: null },
  ],
  startTime: '2025-10-19T17:44:37.187Z',
  endTime: null,
  status: 'started',
});

/** Python's datetime.now().isoformat(): no zone, microseconds. */
const pyNow = () => new Date().toISOString().replace('Z', '000');

/**
 * A plain WebSocket client on path, as the seed's `new WebSocket(url)`: collects what onmessage
 * gets (JSON.parse(event.data)) and how the socket closed; resolves once open, or with the HTTP
 * status of a refused handshake.
 */
async function connect(path, { token = fx.coach?.token, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  const ws = new WebSocket(`${WS}${path}`, { headers: h });
  ws.got = [];
  ws.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (event) => ws.got.push(JSON.parse(event.toString())));
  const status = await new Promise((resolve, reject) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (req, res) => resolve(res.statusCode));
    ws.once('error', reject);
  });
  ws.status = status;
  return ws;
}

/** Waits until each socket got n messages (or ms passed). */
async function received(sockets, n, ms = 10000) {
  const end = Date.now() + ms;
  while (sockets.some((s) => s.got.length < n) && Date.now() < end) await sleep(50);
  await sleep(200);  // and no more than that
}

/** What the seed's client does with a message (its onmessage switch). */
function client(data) {
  switch (data.type) {
    case 'session_updated': return ['session', data.status];
    case 'climb_updated': return ['climb', data.climb];     // updateClimbDisplay(data.climb)
    case 'pose_updated': return ['pose', data.pose];        // updatePoseDisplay(data.pose)
    default: return ['other', data.type];
  }
}

test('before: a climber (coach) with a climbing session, shared with a viewer', async () => {
  fx.coach = makeUser('coach');
  fx.viewer = makeUser('coach');
  const r = await api('POST', '/api/v1/sessions', { token: fx.coach.token, json: { title: 'Wall 2, route 7', kind: 'climb' } });
  assert.equal(r.status, 201, r.text);
  fx.id = r.body.id;
  const share = await api('POST', `/api/v1/sessions/${fx.id}/shares`, { token: fx.coach.token, json: { email: fx.viewer.email, role: 'viewer' } });
  assert.equal(share.status, 200, share.text);
});

test('1 and 2. the consumer at /ws/session-live/{id}/ takes session_update, climb_update and pose_update and broadcasts each to every client of the session', async () => {
  const a = await connect(`/ws/session-live/${fx.id}/`);
  const b = await connect(`/ws/session-live/${fx.id}/`);
  const watcher = await connect(`/ws/session-live/${fx.id}/`, { token: fx.viewer.token });
  assert.deepEqual([a.status, b.status, watcher.status], [101, 101, 101]);
  a.send(JSON.stringify({ type: 'session_update', status: 'started' }));
  a.send(JSON.stringify({ type: 'climb_update', climb: climb() }));
  a.send(JSON.stringify({ type: 'pose_update', pose: [{ x: 0.5, y: 0.3, z: 0.2, visibility: 0.9 }] }));
  await received([a, b, watcher], 3);
  for (const ws of [a, b, watcher]) {
    assert.deepEqual(ws.got.map((m) => m.type), ['session_updated', 'climb_updated', 'pose_updated']);
    assert.ok(ws.got.every((m) => m.session_id === fx.id));
  }
  assert.equal(a.got[0].status, 'started');
  assert.deepEqual(a.got[1].climb, climb());  // the climb as sent, all ten holds
  assert.deepEqual(a.got[2].pose, [{ x: 0.5, y: 0.3, z: 0.2, visibility: 0.9 }]);
  // stored as well: the session is live, its climb kept, the messages in the timeline
  const s = (await api('GET', `/api/v1/sessions/${fx.id}`, { token: fx.coach.token })).body;
  assert.equal(s.status, 'live');
  assert.equal(s.data.holds.length, 10);
  const tl = (await api('GET', `/api/v1/sessions/${fx.id}/timeline`, { token: fx.coach.token })).body;
  assert.deepEqual(tl.messages.map((m) => m.type), ['session_updated', 'climb_updated', 'pose_updated']);
  // a viewer listens but may not send: its frame closes its socket (1008), nothing is stored
  watcher.send(JSON.stringify({ type: 'pose_update', pose: [] }));
  assert.equal((await watcher.closed).code, 1008);
  assert.equal((await api('GET', `/api/v1/sessions/${fx.id}/timeline`, { token: fx.coach.token })).body.last_seq, 3);
  a.close();
  b.close();
});

test('3. send_fake_session_data --session-id: its frames, in its order, reach a listening client', async () => {
  const r = await api('POST', '/api/v1/sessions', { token: fx.coach.token, json: { title: 'fake session', kind: 'climb' } });
  fx.fake = r.body.id;
  const viewer = await connect(`/ws/session-live/${fx.fake}/`);
  const task = await connect(`/ws/session-live/${fx.fake}/`);
  const data = { climb: climb(), pose: [] };
  task.send(JSON.stringify({ type: 'session_update', status: 'started', start_time: pyNow() }));
  task.send(JSON.stringify({ type: 'climb_update', climb: data.climb }));
  for (let k = 0; k < 3; k++) {
    const hold = data.climb.holds.find((h) => h.status === 'untouched');
    hold.status = 'completed';
    hold.time = `${pyNow()}Z`;
    task.send(JSON.stringify({ type: 'climb_update', climb: data.climb }));
    task.send(JSON.stringify({ type: 'pose_update', pose: [{ x: 0.5, y: 0.3, z: 0.2, visibility: 0.9 }, { x: 0.4, y: 0.4, z: 0.1, visibility: 0.8 }] }));
    await sleep(400);  // the task's update interval (2 s there)
  }
  data.climb.endTime = `${pyNow()}Z`;
  data.climb.status = 'completed';
  task.send(JSON.stringify({ type: 'climb_update', climb: data.climb }));
  task.send(JSON.stringify({ type: 'session_update', status: 'completed', end_time: pyNow() }));
  await received([viewer], 10);
  assert.deepEqual(viewer.got.map((m) => m.type), ['session_updated', 'climb_updated',
    'climb_updated', 'pose_updated', 'climb_updated', 'pose_updated', 'climb_updated', 'pose_updated',
    'climb_updated', 'session_updated']);
  assert.deepEqual(viewer.got.map((m) => m.seq), Array.from({ length: 10 }, (_, i) => i + 1));
  assert.equal(viewer.got[8].climb.status, 'completed');
  assert.equal(viewer.got[8].climb.holds.filter((h) => h.status === 'completed').length, 8);
  assert.deepEqual([viewer.got[9].status, typeof viewer.got[9].end_time], ['completed', 'string']);
  const s = (await api('GET', `/api/sessions/${fx.fake}/`, { token: fx.coach.token })).body;
  assert.equal(s.status, 'completed');
  assert.ok(s.start_time && s.end_time, 'the zone-less times were taken (as UTC)');
  viewer.close();
  task.close();
});

test('4. the Climb Data Format, {"climb": {...}, "pose": []}, is accepted as a climb_update', async () => {
  const ws = await connect(`/ws/session-live/${fx.id}/`);
  const doc = { climb: climb(), pose: [] };
  ws.send(JSON.stringify({ type: 'climb_update', ...doc }));
  // and by the native API, as the data of a climb_update
  const r = await api('POST', `/api/v1/sessions/${fx.id}/live`, { token: fx.coach.token, json: { type: 'climb_update', data: doc } });
  assert.equal(r.status, 202, r.text);
  await received([ws], 2);
  assert.deepEqual(ws.got.map((m) => m.climb), [doc.climb, doc.climb]);
  assert.deepEqual(ws.got[0].data, doc.climb, 'the native data carries the climb too');
  ws.close();
});

test('5. "Connect from Client": the client\'s switch gets the status, data.climb for updateClimbDisplay and data.pose for updatePoseDisplay', async () => {
  // the Vue client in a browser signed in to Stint: its login cookie and Stint's Origin, no token
  const browser = await new Browser().login(fx.coach.email, fx.coach.password);
  const headers = { cookie: browser.cookieHeader(), origin: BASE };
  const ws = await connect(`/ws/session-live/${fx.id}/`, { token: null, headers });
  assert.equal(ws.status, 101);
  ws.send(JSON.stringify({ type: 'session_update', status: 'started' }));
  ws.send(JSON.stringify({ type: 'climb_update', climb: climb() }));
  ws.send(JSON.stringify({ type: 'pose_update', pose: [{ x: 0.1, y: 0.2, z: 0, visibility: 1 }] }));
  await received([ws], 3);
  assert.deepEqual(ws.got.map(client), [
    ['session', 'started'],
    ['climb', climb()],
    ['pose', [{ x: 0.1, y: 0.2, z: 0, visibility: 1 }]],
  ]);
  ws.close();
  // the cookie without an Origin (not a browser's WebSocket) may listen, but its frames have no
  // proof against cross-site use (no CSRF header, no Origin): refused, the socket closes
  const bare = await connect(`/ws/session-live/${fx.id}/`, { token: null, headers: { cookie: browser.cookieHeader() } });
  assert.equal(bare.status, 101);
  bare.send(JSON.stringify({ type: 'pose_update', pose: [] }));
  assert.equal((await bare.closed).code, 1008);
  // another site's page riding on the cookie is refused at the handshake
  const foreign = await connect(`/ws/session-live/${fx.id}/`, { token: null, headers: { ...headers, origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
});

test('6 and 7. POST /api/sessions/ creates a session; GET /api/sessions/ lists it', async () => {
  const r = await api('POST', '/api/sessions/', { token: fx.coach.token,
    json: { user: 1, start_time: pyNow(), status: 'started', climb_data: { ...climb() } } });
  assert.equal(r.status, 201, r.text);
  fx.rest = r.body;
  for (const k of ['uuid', 'created', 'updated', 'route', 'user', 'start_time', 'end_time', 'status', 'climb_data']) {
    assert.ok(k in r.body, `${k} in ${r.text}`);
  }
  assert.equal(r.body.status, 'started');
  assert.deepEqual(r.body.climb_data, climb());
  assert.equal(r.headers.get('location'), `/api/sessions/${r.body.uuid}/`);
  const list = await api('GET', '/api/sessions/', { token: fx.coach.token });
  assert.equal(list.status, 200);
  assert.ok(Array.isArray(list.body));
  assert.ok(list.body.some((s) => s.uuid === fx.rest.uuid));
  assert.ok(list.body.every((s) => ['started', 'completed', 'abandoned'].includes(s.status)));
});

test('8. GET /api/sessions/{id}/ gets its details', async () => {
  const r = await api('GET', `/api/sessions/${fx.rest.uuid}/`, { token: fx.coach.token });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.climb_data, climb());
  assert.equal(r.body.start_time, fx.rest.start_time);
});

test('9. PUT /api/sessions/{id}/ updates it as a whole object', async () => {
  const done = { ...climb(), endTime: '2025-10-19T17:49:02.000Z', status: 'completed' };
  const r = await api('PUT', `/api/sessions/${fx.rest.uuid}/`, { token: fx.coach.token,
    json: { ...fx.rest, end_time: new Date().toISOString(), status: 'completed', route: '7', climb_data: done } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.status, r.body.route], ['completed', '7']);
  assert.deepEqual(r.body.climb_data, done);
  // what a whole object leaves out takes the default: no end, no route, no climb data
  const again = await api('PUT', `/api/sessions/${fx.rest.uuid}/`, { token: fx.coach.token,
    json: { start_time: fx.rest.start_time, status: 'completed' } });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.body.end_time, again.body.route, again.body.climb_data], [null, null, {}]);
  // a viewer may not; a body without start_time names it
  const shared = await api('POST', `/api/v1/sessions/${fx.rest.uuid}/shares`, { token: fx.coach.token, json: { email: fx.viewer.email, role: 'viewer' } });
  assert.equal(shared.status, 200);
  assert.equal((await api('PUT', `/api/sessions/${fx.rest.uuid}/`, { token: fx.viewer.token, json: { start_time: fx.rest.start_time } })).status, 403);
  const bad = await api('PUT', `/api/sessions/${fx.rest.uuid}/`, { token: fx.coach.token, json: { status: 'completed' } });
  assert.equal(bad.status, 422);
  assert.ok('start_time' in bad.body.error.fields, bad.text);
});

test('11 and 12. POST /api/session-recordings/ adds a recording (a clip of the session); GET lists them', async () => {
  const r = await api('POST', '/api/session-recordings/', { token: fx.coach.token, json: {
    name: 'Attempt 1', description: 'first go', session: fx.rest.uuid, duration: 95,
    video_file_path: 'https://videos.example.com/attempt-1.mp4', status: 'completed' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.name, r.body.duration, r.body.status, r.body.session, r.body.video_file_path],
    ['Attempt 1', 95, 'completed', fx.rest.uuid, 'https://videos.example.com/attempt-1.mp4']);
  const clips = await api('GET', `/api/v1/sessions/${fx.rest.uuid}/clips`, { token: fx.coach.token });
  assert.deepEqual(clips.body.map((c) => [c.title, c.uri]), [['Attempt 1', 'https://videos.example.com/attempt-1.mp4']]);
  for (const url of ['/api/session-recordings/', `/api/session-recordings/?session=${fx.rest.uuid}`]) {
    const list = await api('GET', url, { token: fx.coach.token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.filter((x) => x.session === fx.rest.uuid).map((x) => [x.name, x.description]), [['Attempt 1', 'first go']]);
  }
  // the viewer sees it, may not add one
  assert.equal((await api('GET', `/api/session-recordings/?session=${fx.rest.uuid}`, { token: fx.viewer.token })).body.length, 1);
  assert.equal((await api('POST', '/api/session-recordings/', { token: fx.viewer.token, json: {
    name: 'x', session: fx.rest.uuid, video_file_path: 'https://videos.example.com/x.mp4' } })).status, 403);
});

test('10. DELETE /api/sessions/{id}/ deletes it', async () => {
  const r = await api('DELETE', `/api/sessions/${fx.rest.uuid}/`, { token: fx.coach.token });
  assert.equal(r.status, 204);
  assert.equal((await api('GET', `/api/sessions/${fx.rest.uuid}/`, { token: fx.coach.token })).status, 404);
});

let spooler;
after(() => stopSpooler(spooler));

test('13. /ws/session/{id}/ replays a finished session at its pace, then closes', async () => {
  spooler = startSpooler(`${PREFIX}/log/seed001-spooler.log`);
  const t0 = Date.now();
  const ws = await connect(`/ws/session/${fx.fake}/`);
  assert.equal(ws.status, 101);
  const at = [];
  ws.on('message', () => at.push(Date.now() - t0));
  const closed = await Promise.race([ws.closed, sleep(20000).then(() => null)]);
  assert.ok(closed, 'the replay ends by closing the socket');
  assert.deepEqual(ws.got.map((m) => m.seq), Array.from({ length: 10 }, (_, i) => i + 1));
  assert.deepEqual(ws.got.map((m) => m.type), ['session_updated', 'climb_updated', 'climb_updated', 'pose_updated',
    'climb_updated', 'pose_updated', 'climb_updated', 'pose_updated', 'climb_updated', 'session_updated']);
  assert.equal(ws.got[8].climb.status, 'completed');
  // at its pace: the messages come as far apart as they were made
  const made = ws.got.map((m) => Date.parse(m.at));
  const span = made.at(-1) - made[0];
  const replayed = at.at(-1) - at[0];
  assert.ok(span > 1000, `the session took ${span} ms`);
  assert.ok(replayed > span * 0.8 && replayed < span + 1500, `made over ${span} ms, replayed over ${replayed} ms`);
  // two viewers get a replay each
  const other = await connect(`/ws/session/${fx.fake}/`, { token: fx.coach.token });
  await Promise.race([other.closed, sleep(20000)]);
  assert.equal(other.got.length, 10);
});

test('14. Troubleshooting: an unknown session is not found; a client that is not signed in is refused', async () => {
  assert.equal((await connect('/ws/session-live/00000000-0000-4000-8000-000000000000/')).status, 404);
  assert.equal((await connect(`/ws/session-live/${fx.id}/`, { token: null })).status, 401);
  const stranger = makeUser('coach');
  assert.equal((await connect(`/ws/session-live/${fx.id}/`, { token: stranger.token })).status, 403);
  assert.equal((await connect(`/ws/session/${fx.id}/`, { token: stranger.token })).status, 403);
});

test("the status rule holds over the socket: a session_update it refuses closes the socket (1008), nothing stored; a restart goes", async () => {
  const tl = async () => (await api('GET', `/api/v1/sessions/${fx.id}/timeline`, { token: fx.coach.token })).body.last_seq;
  const session = async () => (await api('GET', `/api/v1/sessions/${fx.id}`, { token: fx.coach.token })).body;
  const before = await tl();
  const a = await connect(`/ws/session-live/${fx.id}/`);
  a.send(JSON.stringify({ type: 'session_update', status: 'completed', end_time: pyNow() }));
  await received([a], 1);
  assert.deepEqual(a.got.map((m) => [m.type, m.status]), [['session_updated', 'completed']]);
  // completed -> abandoned: the rule refuses it, as PATCH's 409 status_conflict
  a.send(JSON.stringify({ type: 'session_update', status: 'abandoned' }));
  assert.equal((await a.closed).code, 1008);
  assert.equal(await tl(), before + 1);
  assert.equal((await session()).status, 'completed');
  // completed -> live: a restart, its ends_at cleared
  const b = await connect(`/ws/session-live/${fx.id}/`);
  b.send(JSON.stringify({ type: 'session_update', status: 'started' }));
  await received([b], 1);
  assert.deepEqual(b.got.map((m) => [m.type, m.status]), [['session_updated', 'started']]);
  const s = await session();
  assert.deepEqual([s.status, s.ends_at], ['live', null]);
  b.close();
});
