// recorder-link.test.mjs: a session's recording from the recorder bucket (issue 13;
// lib/recorder-links.h): recordings put into recorder_sessions (as a sync leaves them) are
// linked by hand, by start time (inside and outside the tolerance, ties broken by overlap and
// said so), unlinked; each change audited and heard live as recorder_linked; the session JSON
// and the editor's panel show the linked recording; nobody without access links, lists or
// downloads.
//
// Run against a stack: bin/stint test recorder-link
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Browser, PREFIX, REPO, api, makeUser, routeManifest, stint, subscribe } from './lib.mjs';
import { realRecording, removeRecorders } from './recorder-fixture.mjs';

const TAG = `rec${randomBytes(4).toString('hex')}`;

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}
const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);

const owner = makeUser('coach');
const other = makeUser('coach');

// A day of its own, far from every other test's sessions, so nothing else is near.
const DAY = `2031-0${1 + (parseInt(TAG.slice(3, 5), 16) % 9)}-${10 + (parseInt(TAG.slice(5, 7), 16) % 18)}`;
const at = (hhmmss) => `${DAY}T${hhmmss}Z`;
const RECORDER = `${TAG}-deck`;

sql(`INSERT INTO recorders (recorder_id, name) VALUES (${q(RECORDER)}, 'Court 1 recorder')`);
after(() => removeRecorders(TAG));

/* A recording as a sync leaves it: its metadata read, its files' keys found. */
function recording(id, { start, durationS, name = `${id} take`, closed = true, files = ['ogg', 'flac', 'waveform', 'overview'] }) {
  const keys = { metadata: `${RECORDER}/sessions/${id}/metadata.json` };
  const names = { ogg: 'data.ogg', flac: 'data.flac', waveform: 'waveform.dat', overview: 'overview.png' };
  for (const f of files) keys[f] = `${RECORDER}/sessions/${id}/${names[f]}`;
  const end = new Date(Date.parse(start) + durationS * 1000).toISOString();
  return Number(sql(`INSERT INTO recorder_sessions (recorder_id, recording_id, name, start_time, end_time, duration_ns,
    is_closed, object_keys) VALUES (${q(RECORDER)}, ${q(id)}, ${q(name)}, ${q(start)}, ${q(end)}, ${durationS * 1e9},
    ${closed}, ${q(JSON.stringify(keys))}) RETURNING id`)[0]);
}

/*
 * Run fn while handler program `program` runs with the settings `extra` ({STINT_KEY: value}) added
 * to the stack's: its pool is restarted with them, then again without them (the files of this
 * suite run one at a time, so nothing else meets the pool while it restarts).
 */
async function withSettings(program, extra, fn) {
  const envFile = path.join(PREFIX, 'stint.env');
  const saved = readFileSync(envFile, 'utf8');
  const { workers } = routeManifest().programs.find((p) => p.name === program);
  const restart = () => {
    stint('pool', 'stop', program);
    stint('pool', 'start', program, path.join(REPO, `cgi-bin/${program}.fcgi`), String(workers));
  };
  writeFileSync(envFile, saved + Object.entries(extra).map(([k, v]) => `${k}='${v}'\n`).join(''));
  try {
    restart();
    await fn();
  } finally {
    writeFileSync(envFile, saved);
    restart();
  }
}

async function ownSession(fields, user = owner) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session`, ...fields }, token: user.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

const link = (sid, json, user = owner) => api('POST', `/api/v1/sessions/${sid}/recorder`, { json, token: user.token });
const autoLink = (sid, query = '', user = owner) =>
  api('POST', `/api/v1/sessions/${sid}/recorder/auto-link${query}`, { token: user.token });

test('a recording linked by hand shows in the session JSON; unlinking clears it; both audited', async () => {
  const row = recording(`${TAG}-a`, { start: at('09:00:00'), durationS: 3600, name: 'Morning drills' });
  const sid = await ownSession({ starts_at: at('09:02:00'), ends_at: at('10:00:00') });

  const r = await link(sid, { recorder_id: RECORDER, recording_id: `${TAG}-a` });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.session_id, sid);
  assert.equal(r.body.linked_by, 'manual');
  const rec = r.body.recording;
  assert.deepEqual([rec.id, rec.recorder_id, rec.recorder_name, rec.recording_id, rec.name, rec.duration_s, rec.is_closed,
    rec.offset_sec, rec.linked_by, rec.files],
  [row, RECORDER, 'Court 1 recorder', `${TAG}-a`, 'Morning drills', 3600, true, -120, 'manual',
    ['flac', 'ogg', 'overview', 'waveform']]);
  assert.equal(Date.parse(rec.start_time), Date.parse(at('09:00:00')));
  assert.ok(!('object_keys' in rec), 'the bucket keys stay inside');

  const s = await api('GET', `/api/v1/sessions/${sid}`, { token: owner.token });
  assert.equal(s.status, 200);
  assert.equal(s.body.recording.id, row);
  assert.equal(s.body.recording.name, 'Morning drills');
  assert.deepEqual(sql(`SELECT recorder_session_id, recorder_linked_by FROM sessions WHERE id = '${sid}'`), [`${row}|manual`]);

  const g = await api('GET', `/api/v1/sessions/${sid}/recorder`, { token: owner.token });
  assert.equal(g.status, 200);
  assert.equal(g.body.recording.id, row);

  const u = await api('DELETE', `/api/v1/sessions/${sid}/recorder`, { token: owner.token });
  assert.equal(u.status, 204, u.text);
  assert.equal((await api('GET', `/api/v1/sessions/${sid}`, { token: owner.token })).body.recording, null);
  const again = await api('DELETE', `/api/v1/sessions/${sid}/recorder`, { token: owner.token });
  assert.equal(again.status, 404);
  assert.match(again.body.error.message, /no linked recording/);
  assert.deepEqual(sql(`SELECT action || ' ' || (detail->>'recording_id') FROM audit_log WHERE target_type = 'session'
    AND target_id = '${sid}' AND action LIKE 'recorder.%' ORDER BY id`), [`recorder.link ${TAG}-a`, `recorder.unlink ${TAG}-a`]);
});

test('a manual link names the field when the recording is not in the bucket or the body is wrong', async () => {
  const sid = await ownSession({ starts_at: at('11:00:00') });
  const missing = await link(sid, { recorder_id: RECORDER, recording_id: `${TAG}-nope` });
  assert.equal(missing.status, 422, missing.text);
  assert.match(missing.body.error.fields.recording_id, /not a recording/);
  const bad = await link(sid, { recorder_id: RECORDER });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.recording_id);
  const extra = await link(sid, { recorder_id: RECORDER, recording_id: 'x', colour: 'red' });
  assert.equal(extra.status, 422);
  assert.ok(extra.body.error.fields.colour);
  assert.deepEqual(sql(`SELECT recorder_session_id IS NULL FROM sessions WHERE id = '${sid}'`), ['t']);
});

test('auto-link takes the nearest start inside the tolerance and says 404 outside it', async () => {
  recording(`${TAG}-b1`, { start: at('13:00:00'), durationS: 1800 });
  const near = recording(`${TAG}-b2`, { start: at('13:57:30'), durationS: 1800 });
  const sid = await ownSession({ starts_at: at('14:00:00') });

  const none = await autoLink(sid, '?tolerance_minutes=2');
  assert.equal(none.status, 404, none.text);
  assert.equal(none.body.error.code, 'no_recording_near');
  assert.match(none.body.error.message, /within 2 minutes/);

  const r = await autoLink(sid);  // the default tolerance: 5 minutes
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.recording.id, r.body.linked_by, r.body.start_distance_s, r.body.tolerance_minutes, r.body.tie_break],
    [near, 'auto', 150, 5, null]);
  assert.equal(r.body.recording.offset_sec, -150);

  const wide = await autoLink(sid, '?tolerance_minutes=61');
  assert.equal(wide.status, 200);
  assert.equal(wide.body.recording.id, near, 'still the nearest');
  for (const bad of ['?tolerance_minutes=-1', '?tolerance_minutes=1441', '?tolerance_minutes=five']) {
    const b = await autoLink(sid, bad);
    assert.equal(b.status, 422, bad);
    assert.ok(b.body.error.fields.tolerance_minutes, bad);
  }
  const noStart = await ownSession({});
  const ns = await autoLink(noStart);
  assert.equal(ns.status, 422);
  assert.match(ns.body.error.fields.starts_at, /not set/);
});

test('auto-link: starts equally near are a tie, broken by the overlap with the session, and the answer says so', async () => {
  // both start 60 s from 16:00; the one after the start overlaps the session (16:00-17:00) longer
  const before = recording(`${TAG}-c1`, { start: at('15:59:00'), durationS: 1200 });  // overlaps 1140 s
  const after = recording(`${TAG}-c2`, { start: at('16:01:00'), durationS: 3000 });   // overlaps 3000 s
  const sid = await ownSession({ starts_at: at('16:00:00'), ends_at: at('17:00:00') });
  const r = await autoLink(sid);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.recording.id, after);
  assert.notEqual(after, before);
  assert.equal(r.body.tie_break,
    "2 recordings start 60 s from the session's start: chose the one overlapping it longest (3000 s against 1140 s)");
  assert.deepEqual(sql(`SELECT detail->>'tie_break' FROM audit_log WHERE target_id = '${sid}' AND action = 'recorder.link'`),
    [r.body.tie_break]);

  // equal starts and equal overlaps: the first discovered
  const d1 = recording(`${TAG}-d1`, { start: at('18:00:30'), durationS: 600 });
  recording(`${TAG}-d2`, { start: at('18:00:30'), durationS: 600 });
  const sid2 = await ownSession({ starts_at: at('18:00:00'), ends_at: at('19:00:00') });
  const r2 = await autoLink(sid2);
  assert.equal(r2.status, 200);
  assert.equal(r2.body.recording.id, d1);
  assert.match(r2.body.tie_break, /^2 recordings start 30 s .* overlap it equally \(600 s\): chose the first discovered/);
});

test('the candidates near a session are listed nearest first, the linked one marked', async () => {
  const far = recording(`${TAG}-e1`, { start: at('20:40:00'), durationS: 60 });
  const close = recording(`${TAG}-e2`, { start: at('20:05:00'), durationS: 60 });
  recording(`${TAG}-e3`, { start: at('23:30:00'), durationS: 60 });
  const sid = await ownSession({ starts_at: at('20:00:00') });
  await link(sid, { recorder_id: RECORDER, recording_id: `${TAG}-e2` });
  const c = await api('GET', `/api/v1/sessions/${sid}/recorder/candidates?window_minutes=60`, { token: owner.token });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.body.items.map((i) => [i.id, i.start_s, i.linked]), [[close, 300, true], [far, 2400, false]]);
  const bad = await api('GET', `/api/v1/sessions/${sid}/recorder/candidates?limit=0`, { token: owner.token });
  assert.equal(bad.status, 422);
});

test('linking is heard live as recorder_linked, unlinking too (recording null)', async () => {
  const row = recording(`${TAG}-f`, { start: at('21:00:00'), durationS: 90 });
  const sid = await ownSession({ starts_at: at('21:00:10') });
  const sub = await subscribe(sid, { token: owner.token });
  assert.equal(sub.status, 200);
  assert.equal((await autoLink(sid)).status, 200);
  assert.equal((await api('DELETE', `/api/v1/sessions/${sid}/recorder`, { token: owner.token })).status, 204);
  const got = await sub.waitFor(2);
  sub.close();
  assert.deepEqual(got.map((m) => [m.event, m.data.type, m.data.data.recording?.id ?? null, m.data.data.recording?.linked_by ?? null]),
    [['recorder_linked', 'recorder_linked', row, 'auto'], ['recorder_linked', 'recorder_linked', null, null]]);
  assert.ok(!('object_keys' in got[0].data.data.recording));
});

test('another user cannot link, list, read or download; a viewer share reads but does not link', async () => {
  recording(`${TAG}-g`, { start: at('22:00:00'), durationS: 60 });
  const sid = await ownSession({ starts_at: at('22:00:00') });
  assert.equal((await autoLink(sid)).status, 200);
  const calls = [
    ['POST', `/api/v1/sessions/${sid}/recorder`, { recorder_id: RECORDER, recording_id: `${TAG}-g` }],
    ['POST', `/api/v1/sessions/${sid}/recorder/auto-link`],
    ['DELETE', `/api/v1/sessions/${sid}/recorder`],
    ['GET', `/api/v1/sessions/${sid}/recorder`],
    ['GET', `/api/v1/sessions/${sid}/recorder/candidates`],
    ['GET', `/api/v1/sessions/${sid}/recorder/download/ogg`],
  ];
  for (const [m, url, json] of calls) {
    const r = await api(m, url, { json, token: other.token });
    assert.equal(r.status, 403, `${m} ${url}: ${r.text}`);
    assert.ok(!r.text.includes(RECORDER), 'nothing of the recording is told');
  }
  const viewer = makeUser('analyst');
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: viewer.email, role: 'viewer' },
    token: owner.token })).status, 200);
  assert.equal((await api('GET', `/api/v1/sessions/${sid}/recorder`, { token: viewer.token })).status, 200);
  assert.equal((await api('DELETE', `/api/v1/sessions/${sid}/recorder`, { token: viewer.token })).status, 403);
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/recorder/auto-link`, { token: viewer.token })).status, 403);
  assert.deepEqual(sql(`SELECT recorder_linked_by FROM sessions WHERE id = '${sid}'`), ['auto']);
});

test('the editor panel lists the candidates and links and unlinks with its forms (CSRF checked)', async () => {
  const row = recording(`${TAG}-h`, { start: at('07:00:05'), durationS: 600, name: 'Warm-up <take>' });
  const sid = await ownSession({ starts_at: at('07:00:00'), ends_at: at('07:30:00') });
  const b = await new Browser().login(owner.email, owner.password);
  let page = await b.get(`/sessions/${sid}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /id="recordings"/);
  assert.match(page.html, /No recording is linked/);
  assert.match(page.html, new RegExp(`name="recording" value="${row}"`));
  assert.match(page.html, /Warm-up &lt;take&gt;/);

  const forged = await b.post(`/sessions/${sid}/recorder`, { recording: String(row) }, { csrf: null });
  assert.equal(forged.status, 403);
  const l = await b.post(`/sessions/${sid}/recorder`, { recording: String(row) });
  assert.equal(l.status, 303, l.html);
  assert.equal(l.headers.get('location'), `/sessions/${sid}?flash=recording_linked#recordings`);
  page = await b.get(`/sessions/${sid}?flash=recording_linked`);
  assert.match(page.html, /Recording linked\./);
  assert.match(page.html, /class="rec-name">Warm-up &lt;take&gt;/);
  assert.match(page.html, /id="rec-timeline"/);
  assert.match(page.html, /rec-offset">\+0:05\.0</);
  assert.match(page.html, /Unlink this recording/);

  const un = await b.post(`/sessions/${sid}/recorder/unlink`, {});
  assert.equal(un.status, 303);
  assert.equal(un.headers.get('location'), `/sessions/${sid}?flash=recording_unlinked#recordings`);
  assert.deepEqual(sql(`SELECT recorder_session_id IS NULL FROM sessions WHERE id = '${sid}'`), ['t']);

  const a = await b.post(`/sessions/${sid}/recorder`, { auto: '1' });
  assert.equal(a.status, 303);
  assert.equal(a.headers.get('location'), `/sessions/${sid}?flash=recording_linked#recordings`);
  assert.deepEqual(sql(`SELECT recorder_session_id, recorder_linked_by FROM sessions WHERE id = '${sid}'`), [`${row}|auto`]);

  const stranger = await new Browser().login(other.email, other.password);
  assert.equal((await stranger.post(`/sessions/${sid}/recorder/unlink`, {})).status, 403);
});

test('with recorder_autolink_on_create on, a new session starting near a recording is linked as it is made', async () => {
  const row = recording(`${TAG}-i`, { start: at('05:01:00'), durationS: 600 });
  const plain = await ownSession({ starts_at: at('05:00:00') });
  assert.deepEqual(sql(`SELECT recorder_session_id IS NULL FROM sessions WHERE id = '${plain}'`), ['t'], 'off by default');
  await withSettings('sessions', { STINT_RECORDER_AUTOLINK_ON_CREATE: '1' }, async () => {
    const sub = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} made`, starts_at: at('05:00:00') }, token: owner.token });
    assert.equal(sub.status, 201, sub.text);
    assert.deepEqual([sub.body.recording?.id, sub.body.recording?.linked_by], [row, 'create']);
    const far = await ownSession({ starts_at: at('06:00:00') });
    assert.deepEqual(sql(`SELECT recorder_session_id IS NULL FROM sessions WHERE id = '${far}'`), ['t'], 'none near: no link');
    const timeline = await api('GET', `/api/v1/sessions/${sub.body.id}/timeline`, { token: owner.token });
    assert.deepEqual(timeline.body.messages.map((m) => m.type), ['recorder_linked']);
  });
});

test('without the bucket configured, a download says so (503, naming the setting) and the session JSON tells why it has no URLs', async () => {
  recording(`${TAG}-j`, { start: at('04:00:00'), durationS: 60 });
  const sid = await ownSession({ starts_at: at('04:00:00') });
  assert.equal((await autoLink(sid)).status, 200);
  await withSettings('recorder_links', { STINT_S3_ENABLED: 'no' }, async () => {
    const d = await api('GET', `/api/v1/sessions/${sid}/recorder/download/ogg`, { token: owner.token });
    assert.equal(d.status, 503, d.text);
    assert.equal(d.body.error.code, 's3_not_configured');
    assert.match(d.body.error.message, /not configured .*s3_enabled/);
    const g = await api('GET', `/api/v1/sessions/${sid}/recorder`, { token: owner.token });
    assert.equal(g.status, 200);
    assert.equal(g.body.recording.urls, null);
    assert.match(g.body.recording.urls_error, /s3_enabled/);
  });
});

test('download URLs work against the bucket (200, Range 206); tampered and expired ones are refused (403)', async () => {
  const { row, files } = await realRecording(`${TAG}-s3`, `${TAG}-k`, at('03:00:00'), 'Final court 1');
  const sid = await ownSession({ starts_at: at('03:00:00') });
  const l = await autoLink(sid);
  assert.equal(l.status, 200, l.text);
  assert.equal(l.body.recording.id, row);
  const origin = process.env.STINT_S3_ENDPOINT;

  for (const format of ['ogg', 'flac', 'waveform', 'overview']) {
    const d = await api('GET', `/api/v1/sessions/${sid}/recorder/download/${format}`, { token: owner.token });
    assert.equal(d.status, 200, d.text);
    assert.deepEqual([d.body.format, d.body.expires_in_seconds], [format, 3600]);
    assert.ok(d.body.url.startsWith(`${origin}/`), d.body.url);
    assert.equal(d.headers.get('cache-control'), 'no-store');
    const got = await fetch(d.body.url);
    assert.equal(got.status, 200, `${format}: ${await got.clone().text()}`);
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(files[format]), `${format}: the bucket's bytes`);
    assert.match(got.headers.get('content-disposition'), /^attachment; filename="Final court 1\.(ogg|flac|dat|png)"$/);
  }

  const { url } = (await api('GET', `/api/v1/sessions/${sid}/recorder/download/ogg`, { token: owner.token })).body;
  const part = await fetch(url, { headers: { range: 'bytes=100-1123' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 100-1123/${files.ogg.length}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(files.ogg.subarray(100, 1124)));

  const u = new URL(url);
  const sig = u.searchParams.get('X-Amz-Signature');
  const tampered = [
    url.replace(sig, sig.slice(0, -1) + (sig.at(-1) === '0' ? '1' : '0')),        // another signature
    url.replace('/data.ogg?', '/data.flac?'),                                       // another object
    url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'),                        // a longer life
    `${u.origin}${u.pathname}`,                                                       // no signature at all
  ];
  for (const t of tampered) {
    const r = await fetch(t);
    assert.equal(r.status, 403, t);
  }

  // the session JSON's URLs are fresh and work too
  const s = await api('GET', `/api/v1/sessions/${sid}`, { token: owner.token });
  assert.equal(s.body.recording.urls_expire_in_seconds, 3600);
  assert.deepEqual(Object.keys(s.body.recording.urls).sort(), ['flac', 'ogg', 'overview', 'waveform']);
  assert.equal((await fetch(s.body.recording.urls.overview)).status, 200);

  await withSettings('recorder_links', { STINT_S3_PRESIGN_EXPIRY_S: '2' }, async () => {
    const d = await api('GET', `/api/v1/sessions/${sid}/recorder/download/ogg`, { token: owner.token });
    assert.equal(d.body.expires_in_seconds, 2);
    assert.equal((await fetch(d.body.url)).status, 200, 'works at once');
    await new Promise((r) => setTimeout(r, 3500));
    const late = await fetch(d.body.url);
    assert.equal(late.status, 403, 'refused once expired');
    assert.match(await late.text(), /expired/i);
  });
});
