// feed-types.test.mjs: every live message type that static/feed.js listens for is sent by the
// server (issue 14: "static/feed.js listens for message types nothing sends yet ... test them").
// The types are read from feed.js itself, so a type added there without a sender fails here. One
// session goes through what makes each: a PATCH, events added, changed and deleted (with their
// rollups), a clip, climb and pose updates, a task (a report asked for), its report built by
// bin/stint-report from a real device file, and a recording linked; then its stored timeline
// (what every subscriber was sent) must hold each type, in a message of the documented shape.
//
// Run against a stack: bin/stint test feed-types
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO, api, makeUser, sql, stackEnv } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const TAG = `feed${randomBytes(4).toString('hex')}`;
const owner = makeUser('coach');

/* The TYPES array of static/feed.js, as the page's script has it. */
function feedTypes() {
  const text = readFileSync(path.join(REPO, 'static', 'feed.js'), 'utf8');
  const m = /const TYPES = \[([^\]]*)\]/.exec(text);
  assert.ok(m, 'static/feed.js declares its TYPES');
  return [...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]);
}

/* bin/stint-report SESSION with the stack's settings, as its own user when run as root (tests/run.sh's stack). */
function runReport(sid) {
  const args = process.getuid() === 0
    ? ['setpriv', ['--reuid=stint', '--regid=stint', '--init-groups', path.join(REPO, 'bin/stint-report'), sid]]
    : [path.join(REPO, 'bin/stint-report'), [sid]];
  return spawnSync(args[0], args[1], { env: { PATH: process.env.PATH, ...stackEnv() }, encoding: 'utf8', timeout: 60000 });
}

test('every message type static/feed.js listens for is sent by the server', async () => {
  const types = feedTypes();
  assert.ok(types.length >= 11, `${types}`);
  const as = { token: owner.token };
  const s = await api('POST', '/api/v1/sessions', { ...as, json: { title: `${TAG} feed`, kind: 'training' } });
  assert.equal(s.status, 201, s.text);
  const sid = s.body.id;
  const u = `/api/v1/sessions/${sid}`;
  const ok = (r, status) => assert.equal(r.status, status, `${r.status}: ${r.text}`);

  ok(await api('PATCH', u, { ...as, json: { status: 'live' } }), 200);                       // session_updated
  ok(await api('POST', `${u}/events`, { ...as, json: [{ t_sec: 1.5, event_type: 'serve', actor_team: 'A', actor_number: 7,
    payload: { evaluation: '#' } }] }), 201);                                                   // event_added, rollup_updated
  const [eid] = sql(`SELECT id FROM events WHERE session_id = '${sid}'`);
  ok(await api('PATCH', `${u}/events/${eid}`, { ...as, json: { t_sec: 2 } }), 200);            // event_updated
  ok(await api('DELETE', `${u}/events/${eid}`, as), 204);                                       // event_deleted
  ok(await api('POST', `${u}/clips`, { ...as, json: { kind: 'audio', uri: 'https://media.example.org/set.ogg' } }), 201);
  ok(await api('POST', `${u}/live`, { ...as, json: { type: 'climb_update', data: { holds: [{ id: 'h1', type: 'start' }] } } }), 202);
  ok(await api('POST', `${u}/live`, { ...as, json: { type: 'pose_update', data: { timestamp: 1, frame: 1,
    keypoints: [{ x: 1, y: 2, confidence: 0.9 }] } } }), 202);

  ok(await api('PUT', `${u}/teams`, { ...as, json: { home: { name: 'Home', players: [{ number: '7', name: 'Tina' }] } } }), 200); // teams_updated

  // a report: a participant's real device file, asked for (task_updated), built (report_ready)
  const p = await api('POST', `${u}/participants`, { ...as, json: { player: 'Tina', team_side: 'A', number: '7', device_id: 'tcx1' } });
  ok(p, 201);
  const q = new URLSearchParams({ device: 'tcx1', name: 'test.tcx', format: 'tcx' });
  ok(await api('POST', `${u}/device-data?${q}`, { ...as, body: readFileSync(path.join(DATA, 'gps', 'test.tcx')),
    headers: { 'content-type': 'application/octet-stream' } }), 201);
  ok(await api('POST', `${u}/process`, as), 202);                                               // task_updated
  const built = runReport(sid);
  assert.equal(built.status, 0, `${built.stdout}\n${built.stderr}`);                            // report_ready

  // a recording of the bucket, as a sync leaves it, linked by hand (recorder_linked)
  const rid = `${TAG}-recorder`;
  sql(`INSERT INTO recorders (recorder_id, name) VALUES ('${rid}', 'Booth')`);
  sql(`INSERT INTO recorder_sessions (recorder_id, recording_id, name, start_time, duration_ns, is_closed, object_keys)
    VALUES ('${rid}', 'take-1', 'Take 1', '2030-01-01T10:00:00Z', 60000000000, true, '{}')`);
  ok(await api('POST', `${u}/recorder`, { ...as, json: { recorder_id: rid, recording_id: 'take-1' } }), 200);
  ok(await api('DELETE', `${u}/recorder`, as), 204);
  sql(`DELETE FROM recorders WHERE recorder_id = '${rid}'`);

  const messages = (await api('GET', `${u}/timeline?limit=5000`, as)).body.messages;
  const sent = new Set(messages.map((m) => m.type));
  const missing = types.filter((t) => !sent.has(t));
  assert.deepEqual(missing, [], `feed.js listens for types the server did not send; it sent ${[...sent]}`);
  const first = (t) => messages.find((m) => m.type === t).data;
  assert.equal(first('session_updated').status, 'live');
  assert.equal(first('climb_updated').holds[0].id, 'h1');
  assert.equal(first('task_updated').task_type, 'process_report');
  assert.match(first('report_ready').report_url, new RegExp(`^/media/sessions/${sid}/artifacts/`));
  assert.equal(first('recorder_linked').recording.recording_id, 'take-1');
});
