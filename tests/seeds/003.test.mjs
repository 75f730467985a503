// seeds/003.test.mjs: seed 003 (the DJ system's session-recorder integration, ../shared/seeds/003_*.txt)
// as its own client would use Stint, its base URL Stint's (docs/compat.md). Recordings are put into
// the S3 test server's bucket as session-recorder writes them (the audio of a real clip, from
// tests/integration/recorder-fixture.mjs) and found by a sync, as the seed's "Session Discovery" has
// it. The seed's documented calls, in its order, with its payloads:
//   1. GET  /api/session-recorder/available-sessions: [{id, recorder_id, name, start_time, end_time,
//      duration_seconds, is_closed, keep, files: {ogg_url, flac_url, waveform_url, overview_png_url,
//      metadata_url}}]
//   2. POST /api/session-recorder/link/{session_id}/{recorder_id}/{recorder_session_id}: 200 OK
//   3. POST /api/session-recorder/auto-link/{session_id}?tolerance_minutes=5:
//      {"success": true, "message": "Session successfully auto-linked to recorder session"}
//   4. GET  /api/session-recorder/download/{session_id}/{format} (ogg, flac, waveform):
//      {"url", "expires_in_seconds": 3600, "format"}
//   5. GET  /api/session-recorder/session/{session_id}: {id, dj_id, dj_name, started_at, ended_at,
//      duration_minutes, download_link, upload_status, session_type, recording_urls: {ogg_url,
//      flac_url, waveform_url}}
//   "Manual Testing":
//   6. POST /api/sessions/start {"dj_id": "your-dj-id"} (the DJ starts a session; "System
//      automatically searches for recorder sessions within the tolerance window")
//   7. POST /api/session-recorder/auto-link/{session-id} (no tolerance: the setting's, 5)
//   8. GET  /api/session-recorder/download/{session-id}/ogg
// What differs from the seed (docs/compat.md): files' URLs in the list are null (files are handed out
// per session, after its access check); dj_id and dj_name are the session's meta.
//
// Run against a stack: bin/stint test seeds/003
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import { REPO, api, makeUser, stackEnv } from '../integration/lib.mjs';
import { bucket, recorderFiles, removeRecorders } from '../integration/recorder-fixture.mjs';

const TAG = `dj${randomBytes(4).toString('hex')}`;
const RECORDER = `${TAG}-booth`;
const SR = '/api/session-recorder';
// A day of its own, far from every other test's sessions and recordings.
const DAY = `2032-0${1 + (parseInt(TAG.slice(2, 4), 16) % 9)}-${10 + (parseInt(TAG.slice(4, 6), 16) % 18)}`;
const at = (hhmm) => `${DAY}T${hhmm}:00Z`;
const LIST_FIELDS = ['duration_seconds', 'end_time', 'files', 'id', 'is_closed', 'keep', 'name', 'recorder_id',
  'start_time'];
const FILE_FIELDS = ['flac_url', 'metadata_url', 'ogg_url', 'overview_png_url', 'waveform_url'];
const SESSION_FIELDS = ['dj_id', 'dj_name', 'download_link', 'duration_minutes', 'ended_at', 'id', 'recording_urls',
  'session_type', 'started_at', 'upload_status'];
const NAMES = { ogg: 'data.ogg', flac: 'data.flac', waveform: 'waveform.dat', overview: 'overview.png' };

const admin = makeUser('admin');  // the seed's "Admin views available recorder sessions"
const dj = makeUser('coach');     // the DJ system's account for its DJs' sessions
const stranger = makeUser('coach');
const fx = { recordings: {} };
after(() => removeRecorders(TAG));

/* A recording as session-recorder writes it: metadata.json (duration in ns) and its four files. */
async function putRecording(s3, id, name, start, endOrNull) {
  const files = recorderFiles();
  const base = `${RECORDER}/sessions/${id}/`;
  const end = endOrNull ?? new Date(Date.parse(start) + files.durationS * 1000).toISOString();
  await s3.put(`${base}metadata.json`, JSON.stringify({ id, recorder_id: RECORDER, name, start_time: start,
    end_time: end, duration: Math.round((Date.parse(end) - Date.parse(start)) * 1e6), is_closed: true, keep: true,
    segments: {} }));
  for (const [f, n] of Object.entries(NAMES)) await s3.put(base + n, files[f]);
  fx.recordings[id] = { name, start, end };
}

async function djSession(fields) {
  const r = await api('POST', '/api/v1/sessions', { token: dj.token, json: { title: `${TAG} set`, kind: 'dj_set',
    ...fields } });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

test('before: two recordings in the bucket, found by a sync; DJ sessions at their times', async () => {
  const s3 = bucket();
  await s3.put(`${RECORDER}/metadata.json`, JSON.stringify({ id: RECORDER, name: 'Booth recorder' }));
  fx.manual = randomUUID();
  fx.auto = randomUUID();
  await putRecording(s3, fx.manual, 'Friday warm-up', at('20:00'), at('21:00'));
  await putRecording(s3, fx.auto, 'Friday main set', at('22:00'), at('23:30'));
  s3.close();
  // "The system continuously monitors the MinIO bucket": a sync, run by hand as docs/recorder.md shows
  const run = spawnSync(path.join(REPO, 'bin/stint-recorder-sync'), [],
    { env: { PATH: process.env.PATH, ...stackEnv() }, input: '', encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  fx.warmup = await djSession({ starts_at: at('20:00'), ends_at: at('21:00'),
    meta: { dj_id: 'dj-anna', dj_name: 'DJ Anna', session_type: 'solo' } });
  fx.main = await djSession({ starts_at: at('22:03'), ends_at: at('23:33'), meta: { dj_id: 'dj-ben', dj_name: 'DJ Ben' } });
  fx.lonely = await djSession({ starts_at: at('03:00') });
});

test('1. GET available-sessions: the recorder sessions with the seed\'s fields', async () => {
  const r = await api('GET', `${SR}/available-sessions`, { token: admin.token });
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.body), r.text);
  const mine = r.body.filter((s) => s.recorder_id === RECORDER);
  assert.deepEqual(mine.map((s) => s.id).sort(), [fx.auto, fx.manual].sort());
  for (const s of mine) {
    const want = fx.recordings[s.id];
    assert.deepEqual(Object.keys(s).sort(), LIST_FIELDS);
    assert.equal(s.name, want.name);
    assert.equal(Date.parse(s.start_time), Date.parse(want.start));
    assert.equal(Date.parse(s.end_time), Date.parse(want.end));
    assert.equal(s.duration_seconds, (Date.parse(want.end) - Date.parse(want.start)) / 1000);
    assert.ok(Number.isInteger(s.duration_seconds));
    assert.equal(s.is_closed, true);
    assert.equal(s.keep, true);
    assert.deepEqual(Object.keys(s.files).sort(), FILE_FIELDS);
    // the one difference: files are handed out per session, after its access check
    assert.ok(Object.values(s.files).every((u) => u === null), JSON.stringify(s.files));
  }
  // newest start first, as the native list
  assert.deepEqual(mine.map((s) => s.id), [fx.auto, fx.manual]);
  // who may: whoever may create sessions; the viewer role and anonymous callers may not
  assert.equal((await api('GET', `${SR}/available-sessions`, { token: dj.token })).status, 200);
  assert.equal((await api('GET', `${SR}/available-sessions`, { token: makeUser('viewer').token })).status, 403);
  assert.equal((await api('GET', `${SR}/available-sessions`, { token: null })).status, 401);
});

test('2. POST link/{session}/{recorder}/{recording}: 200 OK, and the session links it', async () => {
  const r = await api('POST', `${SR}/link/${fx.warmup}/${RECORDER}/${fx.manual}`, { token: dj.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.success, true);
  const n = await api('GET', `/api/v1/sessions/${fx.warmup}/recorder`, { token: dj.token });
  assert.equal(n.body.recording.recording_id, fx.manual);
  assert.equal(n.body.recording.linked_by, 'manual');
  // a recording the bucket does not have; a session someone else owns
  assert.equal((await api('POST', `${SR}/link/${fx.warmup}/${RECORDER}/no-such-take`, { token: dj.token })).status, 404);
  assert.equal((await api('POST', `${SR}/link/${fx.warmup}/${RECORDER}/${fx.manual}`, { token: stranger.token })).status,
    403);
  assert.equal((await api('POST', `${SR}/link/${randomUUID()}/${RECORDER}/${fx.manual}`, { token: dj.token })).status,
    404);
});

test('3. POST auto-link/{session}?tolerance_minutes=5: success, the recording starting 3 minutes before', async () => {
  const r = await api('POST', `${SR}/auto-link/${fx.main}?tolerance_minutes=5`, { token: dj.token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { success: true, message: 'Session successfully auto-linked to recorder session' });
  const n = await api('GET', `/api/v1/sessions/${fx.main}/recorder`, { token: dj.token });
  assert.equal(n.body.recording.recording_id, fx.auto);
  assert.equal(n.body.recording.linked_by, 'auto');
  // "Auto-link Failed: Verify timing tolerance": 2 minutes is too tight; nothing near 03:00
  const tight = await api('POST', `${SR}/auto-link/${fx.main}?tolerance_minutes=2`, { token: dj.token });
  assert.equal(tight.status, 200, tight.text);
  assert.equal(tight.body.success, false);
  assert.match(tight.body.message, /within 2 minutes/);
  const none = await api('POST', `${SR}/auto-link/${fx.lonely}?tolerance_minutes=5`, { token: dj.token });
  assert.equal(none.body.success, false);
  const bad = await api('POST', `${SR}/auto-link/${fx.main}?tolerance_minutes=soon`, { token: dj.token });
  assert.equal(bad.status, 422, bad.text);
  assert.ok('tolerance_minutes' in bad.body.error.fields, bad.text);
});

test('4. GET download/{session}/{format}: a presigned URL of each format that fetches the file', async () => {
  const files = recorderFiles();
  for (const format of ['ogg', 'flac', 'waveform']) {
    const r = await api('GET', `${SR}/download/${fx.warmup}/${format}`, { token: dj.token });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body).sort(), ['expires_in_seconds', 'format', 'url']);
    assert.equal(r.body.format, format);
    assert.equal(r.body.expires_in_seconds, 3600);
    assert.match(r.body.url, /X-Amz-Signature=/);
    const got = await fetch(r.body.url);
    assert.equal(got.status, 200, format);
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(files[format]), `${format}: the bytes put in the bucket`);
  }
  assert.equal((await api('GET', `${SR}/download/${fx.warmup}/mp3`, { token: dj.token })).status, 404);
  assert.equal((await api('GET', `${SR}/download/${fx.lonely}/ogg`, { token: dj.token })).status, 404);
  assert.equal((await api('GET', `${SR}/download/${fx.warmup}/ogg`, { token: stranger.token })).status, 403);
});

test('5. GET session/{session}: the DJ session with its recorder info and presigned URLs', async () => {
  const r = await api('GET', `${SR}/session/${fx.warmup}`, { token: dj.token });
  assert.equal(r.status, 200, r.text);
  const s = r.body;
  assert.deepEqual(Object.keys(s).sort(), SESSION_FIELDS);
  assert.equal(s.id, fx.warmup);
  assert.equal(s.dj_id, 'dj-anna');
  assert.equal(s.dj_name, 'DJ Anna');
  assert.equal(Date.parse(s.started_at), Date.parse(at('20:00')));
  assert.equal(Date.parse(s.ended_at), Date.parse(at('21:00')));
  assert.equal(s.duration_minutes, 60);
  assert.equal(s.upload_status, 'uploaded');
  assert.equal(s.session_type, 'solo');
  assert.deepEqual(Object.keys(s.recording_urls).sort(), ['flac_url', 'ogg_url', 'waveform_url']);
  assert.equal(s.download_link, s.recording_urls.ogg_url);
  const files = recorderFiles();
  for (const [k, f] of [['ogg_url', 'ogg'], ['flac_url', 'flac'], ['waveform_url', 'waveform']]) {
    const got = await fetch(s.recording_urls[k]);
    assert.equal(got.status, 200, k);
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(files[f]), k);
  }
  // a session without a recording or an end: nothing to download, no duration; the kind as session_type
  const lonely = (await api('GET', `${SR}/session/${fx.lonely}`, { token: dj.token })).body;
  assert.deepEqual(Object.keys(lonely).sort(), SESSION_FIELDS);
  assert.deepEqual([lonely.download_link, lonely.recording_urls, lonely.duration_minutes, lonely.dj_id],
    [null, null, null, null]);
  assert.equal(lonely.upload_status, 'pending');
  assert.equal(lonely.session_type, 'dj_set');
  assert.equal((await api('GET', `${SR}/session/${fx.warmup}`, { token: stranger.token })).status, 403);
  assert.equal((await api('GET', `${SR}/session/${randomUUID()}`, { token: dj.token })).status, 404);
});

test('6. Manual Testing: POST /api/sessions/start {"dj_id"} starts a live session, auto-linked when a recording starts near now', async () => {
  // a recording that started a minute ago, as the recorder in the booth would have it
  const s3 = bucket();
  fx.now = randomUUID();
  const start = new Date(Date.now() - 60000).toISOString().replace(/\.\d+Z$/, 'Z');
  await putRecording(s3, fx.now, 'Tonight', start, null);
  s3.close();
  const run = spawnSync(path.join(REPO, 'bin/stint-recorder-sync'), [],
    { env: { PATH: process.env.PATH, ...stackEnv() }, input: '', encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const r = await api('POST', '/api/sessions/start', { token: dj.token, json: { dj_id: 'your-dj-id' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.body).sort(), SESSION_FIELDS);
  assert.equal(r.body.dj_id, 'your-dj-id');
  assert.ok(Math.abs(Date.parse(r.body.started_at) - Date.now()) < 60000, r.body.started_at);
  assert.equal(r.body.ended_at, null);
  assert.equal(r.body.upload_status, 'uploaded', 'the recording that started a minute ago is linked');
  fx.started = r.body.id;
  const n = await api('GET', `/api/v1/sessions/${fx.started}`, { token: dj.token });
  assert.equal(n.body.status, 'live');
  assert.equal(n.body.kind, 'dj_set');
  assert.equal(n.body.recording.recording_id, fx.now);
  const bad = await api('POST', '/api/sessions/start', { token: dj.token, json: {} });
  assert.equal(bad.status, 422, bad.text);
  assert.ok('dj_id' in bad.body.error.fields);
  assert.equal((await api('POST', '/api/sessions/start', { token: makeUser('viewer').token,
    json: { dj_id: 'x' } })).status, 403);
});

test('7 and 8. Manual Testing: auto-link without a tolerance (the setting\'s 5 minutes), then download/{id}/ogg', async () => {
  const r = await api('POST', `${SR}/auto-link/${fx.started}`, { token: dj.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.success, true);
  const d = await api('GET', `${SR}/download/${fx.started}/ogg`, { token: dj.token });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.format, 'ogg');
  const got = await fetch(d.body.url);
  assert.equal(got.status, 200);
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(recorderFiles().ogg));
});
