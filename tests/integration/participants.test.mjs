// participants.test.mjs: a session's participants and their units' device
// files (issue 12; lib/participants.c, cgi-bin/participants.c): CRUD with
// validators naming the field, uploads of each real format in
// ../shared/data (gps, tracking), a corrupt copy of each answering 422 with
// its line and nothing stored (no row, no file), replacement of a device's
// file, downloads of the original bytes, the audit rows, and another user
// who can neither read nor write.
//
// Run against a stack: STINT_TEST_URL=http://127.0.0.1:18080 STINT_TEST_PREFIX=var \
//   node --test tests/integration/participants.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BASE, ADMIN_TOKEN, Browser, PREFIX, REPO, api, createSession, makeUser } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const file = (rel) => readFileSync(path.join(DATA, rel));

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}
const count = (query) => Number(sql(query)[0]);

/* The stored files of session sid (its uploads/raw folder; none when it does not exist). */
function storedFiles(sid) {
  const dir = path.join(PREFIX, 'uploads', 'raw', sid);
  return existsSync(dir) ? readdirSync(dir) : [];
}

/* POST a device file as the body. */
async function upload(sid, device, bytes, { name = '', token = ADMIN_TOKEN, format } = {}) {
  const q = new URLSearchParams({ device, name });
  if (format) q.set('format', format);
  const res = await fetch(`${BASE}/api/v1/sessions/${sid}/device-data?${q}`, {
    method: 'POST', body: bytes,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
  });
  return { status: res.status, body: await res.json() };
}

test('participants: create, list, get, patch, delete, with validators naming the field', async () => {
  const s = await createSession({ title: 'Participants CRUD' });
  const url = `/api/v1/sessions/${s.id}/participants`;
  const a = await api('POST', url, { json: { player: 'Ana Novak', team_side: 'A', number: '7', device_id: 'GPS-07' } });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.player, 'Ana Novak');
  assert.equal(a.body.device_file, null);
  assert.equal(count(`SELECT count(*) FROM audit_log WHERE action = 'participant.create' AND target_id = '${a.body.id}'`), 1);

  const bad = await api('POST', url, { json: { player: '', team_side: 'C', number: '1234', window_from: 'soon' } });
  assert.equal(bad.status, 422);
  for (const f of ['player', 'team_side', 'number', 'window_from'])
    assert.ok(bad.body.error.fields[f], `${f} is named: ${bad.text}`);
  const letters = await api('POST', url, { json: { player: 'X', number: '7a' } });
  assert.equal(letters.status, 422);
  assert.ok(letters.body.error.fields.number);
  const window = await api('POST', url, {
    json: { player: 'W', window_from: '2026-03-14T19:00:00Z', window_to: '2026-03-14T18:00:00Z' } });
  assert.equal(window.status, 422);
  assert.ok(window.body.error.fields.window_to);
  const twice = await api('POST', url, { json: { player: 'Other', device_id: 'GPS-07' } });
  assert.equal(twice.status, 422);
  assert.match(twice.body.error.fields.device_id, /another participant/);
  const unknown = await api('POST', url, { json: { player: 'Y', colour: 'red' } });
  assert.equal(unknown.status, 422);
  assert.ok(unknown.body.error.fields.colour);

  const b = await api('POST', url, { json: { player: 'Bor Kranjc', team_side: 'B', number: '10' } });
  assert.equal(b.status, 201);
  const list = await api('GET', url);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.map((p) => p.player), ['Ana Novak', 'Bor Kranjc']);

  const patched = await api('PATCH', `${url}/${b.body.id}`, {
    json: { device_id: 'HR-3', window_from: '2026-03-14T18:00:00Z', window_to: '2026-03-14T19:30:00Z' } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.device_id, 'HR-3');
  assert.equal(patched.body.player, 'Bor Kranjc');
  const order = await api('PATCH', `${url}/${b.body.id}`, { json: { window_to: '2026-03-14T17:00:00Z' } });
  assert.equal(order.status, 422, 'the database keeps the window in order');
  assert.ok(order.body.error.fields.window_to);
  const clash = await api('PATCH', `${url}/${b.body.id}`, { json: { device_id: 'GPS-07' } });
  assert.equal(clash.status, 422);
  assert.ok(clash.body.error.fields.device_id);
  assert.equal((await api('GET', `${url}/${b.body.id}`)).body.device_id, 'HR-3');

  assert.equal((await api('DELETE', `${url}/${b.body.id}`)).status, 204);
  assert.equal((await api('GET', `${url}/${b.body.id}`)).status, 404);
  assert.equal((await api('DELETE', `${url}/${b.body.id}`)).status, 404);
  assert.equal((await api('PATCH', `${url}/999999999`, { json: { player: 'Z' } })).status, 404);
  assert.equal(count(`SELECT count(*) FROM audit_log WHERE action = 'participant.delete' AND target_id = '${b.body.id}'`), 1);
});

const REAL = [
  ['gps/test.tcx', 'tcx', 1, 'test.tcx'],
  ['gps/Mojstrovka.gpx', 'gpx', 1, 'Mojstrovka.gpx'],
  ['gps/korita-zbevnica.gpx', 'gpx', 1, 'korita-zbevnica.gpx'],
  ['gps/garmin-fenix-5-run.fit', 'fit', 1, 'run.fit'],
  ['gps/compressed-speed-distance.fit', 'fit', 1, 'hr-only.fit'],
  ['tracking/metrica_home.csv', 'metrica', 14, 'metrica_home.csv'],
];

test('uploads of each real format are parsed, recorded and downloadable', async () => {
  const s = await createSession({ title: 'Device uploads' });
  for (const [rel, format, , name] of REAL) {
    const bytes = file(rel);
    const up = await upload(s.id, `unit-${format}-${name}`, bytes, { name });
    assert.equal(up.status, 201, `${rel}: ${JSON.stringify(up.body)}`);
    assert.equal(up.body.format, format, rel);
    assert.equal(up.body.size_bytes, bytes.length);
    assert.ok(up.body.samples > 0, rel);
    assert.ok(up.body.t_to >= up.body.t_from, rel);
    assert.equal(up.body.original_name, name);
    const dl = await fetch(BASE + up.body.download_url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(dl.status, 200, `${rel} download`);
    assert.ok(Buffer.from(await dl.arrayBuffer()).equals(bytes), `${rel}: the original bytes come back`);
    assert.match(dl.headers.get('content-disposition'), new RegExp(name.replace('.', '\\.')));
  }
  const moj = (await api('GET', `/api/v1/sessions/${s.id}/device-data`)).body.find((f) => f.original_name === 'Mojstrovka.gpx');
  assert.equal(moj.parse_status, 'warning');
  assert.match(moj.warnings.join(' '), /before 1980/);
  const korita = (await api('GET', `/api/v1/sessions/${s.id}/device-data`)).body.find((f) => f.original_name === 'korita-zbevnica.gpx');
  assert.match(korita.warnings.join(' '), /without a time/);
  const tcx = (await api('GET', `/api/v1/sessions/${s.id}/device-data`)).body.find((f) => f.format === 'tcx');
  assert.equal(tcx.samples, 384);
  assert.equal(tcx.t_from, '2012-12-26T21:29:53+00:00');
  assert.equal(storedFiles(s.id).length, REAL.length, 'one file a device, no temporary leftovers');
  assert.equal(count(`SELECT count(*) FROM audit_log WHERE action = 'device_file.upload' AND target_id = '${tcx.id}'`), 1);
});

/* Corrupt copies of each format: [name, bytes, the line the 422 names]. */
function corrupt() {
  const tcx = file('gps/test.tcx').toString().replace('<LatitudeDegrees>35.9518799465', '<LatitudeDegrees>3x.9518799465');
  const gpx = file('gps/cerknicko-jezero.gpx');
  const csv = 'Time;Lat;Lon;Speed (km/h)\n2025-03-14T18:30:00Z;46,1;14,5;3,0\n2025-03-14T18:30:01Z;46,1\n';
  const metrica = file('tracking/metrica_home.csv').toString().replace('0.32648', '0.3x648');
  const fit = file('gps/garmin-fenix-5-walk.fit');
  return [
    ['bad.tcx', Buffer.from(tcx), /^line 36: LatitudeDegrees/],
    ['cut.gpx', gpx.subarray(0, Math.floor(gpx.length / 2)), /^line \d+: /],
    ['short.csv', Buffer.from(csv), /^line 3: 2 fields, the header has 4/],
    ['bad-metrica.csv', Buffer.from(metrica), /^line 4: field 6/],
    ['cut.fit', fit.subarray(0, Math.floor(fit.length / 2)), /^byte \d+: the file is truncated/],
  ];
}

test('a corrupt or truncated file answers 422 with its line and leaves no row and no file', async () => {
  const s = await createSession({ title: 'Corrupt uploads' });
  for (const [name, bytes, line] of corrupt()) {
    const up = await upload(s.id, `bad-${name}`, bytes, { name });
    assert.equal(up.status, 422, `${name}: ${JSON.stringify(up.body)}`);
    assert.equal(up.body.error.code, 'unreadable_file');
    assert.match(up.body.error.fields.body, line, name);
  }
  const junk = await upload(s.id, 'junk', Buffer.from('hello, not a device file'), { name: 'notes.doc' });
  assert.equal(junk.status, 422);
  assert.equal(count(`SELECT count(*) FROM device_files WHERE session_id = '${s.id}'`), 0, 'no row');
  assert.deepEqual(storedFiles(s.id), [], 'no file, no temporary');
  const noDevice = await upload(s.id, '', file('gps/test.tcx'));
  assert.equal(noDevice.status, 422);
  assert.ok(noDevice.body.error.fields.device);
});

test('a new upload for the same device replaces its file and row in one change', async () => {
  const s = await createSession({ title: 'Replacement' });
  await api('POST', `/api/v1/sessions/${s.id}/participants`, { json: { player: 'Ana', device_id: 'GPS-1' } });
  const first = await upload(s.id, 'GPS-1', file('gps/track_with_speed.gpx'), { name: 'first.gpx' });
  assert.equal(first.status, 201);
  const firstFiles = storedFiles(s.id);
  assert.equal(firstFiles.length, 1);
  const bad = await upload(s.id, 'GPS-1', Buffer.from('<gpx><trk><trkseg><trkpt lat="x"'), { name: 'broken.gpx' });
  assert.equal(bad.status, 422);
  assert.deepEqual(storedFiles(s.id), firstFiles, 'a failed replacement keeps the old file');
  const second = await upload(s.id, 'GPS-1', file('gps/test.tcx'), { name: 'second.tcx' });
  assert.equal(second.status, 201);
  assert.equal(second.body.id, first.body.id, 'the same row');
  assert.equal(second.body.format, 'tcx');
  assert.equal(count(`SELECT count(*) FROM device_files WHERE session_id = '${s.id}'`), 1);
  const files = storedFiles(s.id);
  assert.equal(files.length, 1);
  assert.notDeepEqual(files, firstFiles, 'the old file is gone');
  const p = (await api('GET', `/api/v1/sessions/${s.id}/participants`)).body[0];
  assert.equal(p.device_file.format, 'tcx');
  assert.equal(p.device_file.original_name, 'second.tcx');
});

test('multipart: several devices in one request, all stored or none', async () => {
  const s = await createSession({ title: 'Multipart' });
  const form = new FormData();
  form.append('GPS-1', new Blob([file('gps/test.tcx')]), 'a.tcx');
  form.append('GPS-2', new Blob([file('gps/garmin-fenix-5-bike.fit')]), 'b.fit');
  const res = await fetch(`${BASE}/api/v1/sessions/${s.id}/device-data`, {
    method: 'POST', body: form, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.deepEqual(body.device_files.map((f) => f.format).sort(), ['fit', 'tcx']);
  const s2 = await createSession({ title: 'Multipart, one bad' });
  const bad = new FormData();
  bad.append('GPS-1', new Blob([file('gps/test.tcx')]), 'a.tcx');
  bad.append('GPS-2', new Blob([file('gps/test.tcx').subarray(0, 5000)]), 'cut.tcx');
  const r2 = await fetch(`${BASE}/api/v1/sessions/${s2.id}/device-data`, {
    method: 'POST', body: bad, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const b2 = await r2.json();
  assert.equal(r2.status, 422);
  assert.match(b2.error.fields['GPS-2'], /^line \d+: /);
  assert.equal(count(`SELECT count(*) FROM device_files WHERE session_id = '${s2.id}'`), 0);
  assert.deepEqual(storedFiles(s2.id), []);
});

test('another coach can neither read nor write; a viewer share reads only', async () => {
  const s = await createSession({ title: 'Private participants' });
  const up = await upload(s.id, 'GPS-1', file('gps/test.tcx'), { name: 't.tcx' });
  assert.equal(up.status, 201);
  const p = await api('POST', `/api/v1/sessions/${s.id}/participants`, { json: { player: 'Ana' } });
  const other = makeUser('coach');
  const calls = [
    ['GET', `/api/v1/sessions/${s.id}/participants`],
    ['GET', `/api/v1/sessions/${s.id}/participants/${p.body.id}`],
    ['GET', `/api/v1/sessions/${s.id}/device-data`],
    ['GET', `/api/v1/sessions/${s.id}/device-data/${up.body.id}/download`],
    ['POST', `/api/v1/sessions/${s.id}/participants`, { player: 'Intruder' }],
    ['PATCH', `/api/v1/sessions/${s.id}/participants/${p.body.id}`, { player: 'Renamed' }],
    ['DELETE', `/api/v1/sessions/${s.id}/participants/${p.body.id}`],
  ];
  for (const [method, url, json] of calls) {
    const res = await api(method, url, { json, token: other.token });
    assert.equal(res.status, 403, `${method} ${url}`);
  }
  const write = await upload(s.id, 'GPS-1', file('gps/Mojstrovka.gpx'), { token: other.token });
  assert.equal(write.status, 403);

  const viewer = makeUser('analyst');
  const share = await api('POST', `/api/v1/sessions/${s.id}/shares`, { json: { email: viewer.email, role: 'viewer' } });
  assert.ok(share.status < 300, share.text);
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/participants`, { token: viewer.token })).status, 200);
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/participants`, { json: { player: 'V' }, token: viewer.token })).status, 403);
  assert.equal((await upload(s.id, 'GPS-9', file('gps/test.tcx'), { token: viewer.token })).status, 403);
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/participants/${p.body.id}`)).body.player, 'Ana');
  assert.equal(count(`SELECT count(*) FROM device_files WHERE session_id = '${s.id}'`), 1);
});

test('the editor panel: add a participant, upload a unit\'s file, see its status (forms, CSRF, no script)', async () => {
  const s = await createSession({ title: 'Participants panel' });
  const browser = await new Browser().login();
  const page = await browser.get(`/sessions/${s.id}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /<section class="card" id="participants"/);
  assert.match(page.html, /No participants yet/);

  const added = await browser.post(`/sessions/${s.id}/participants`, { player: 'Ana <b>Novak</b>', team_side: 'A', number: '7', device_id: 'GPS-07' });
  assert.equal(added.status, 303);
  assert.equal(added.headers.get('location'), `/sessions/${s.id}?flash=participant_added#participants`);
  const bad = await browser.post(`/sessions/${s.id}/participants`, { player: 'Bor', number: '7a' });
  assert.equal(bad.status, 422);
  assert.match(bad.html, /number must be 1 to 3 digits/);
  const forged = await browser.post(`/sessions/${s.id}/participants`, { player: 'Eve' }, { csrf: null });
  assert.equal(forged.status, 403);

  const upload = async (fields) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, ...v);
    const res = await fetch(`${BASE}/sessions/${s.id}/device-data`, {
      method: 'POST', body: form, redirect: 'manual', headers: { cookie: browser.cookieHeader() } });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  const csrf = browser.cookies.get('stint_csrf');
  const noToken = await upload({ device: ['GPS-07'], file: [new Blob([file('gps/test.tcx')]), 'test.tcx'] });
  assert.equal(noToken.status, 403, 'the multipart form needs its csrf field');
  const broken = await upload({ csrf: [csrf], device: ['GPS-07'], file: [new Blob([file('gps/test.tcx').subarray(0, 3000)]), 'cut.tcx'] });
  assert.equal(broken.status, 422);
  assert.match(broken.html, /line \d+: /);
  assert.equal(count(`SELECT count(*) FROM device_files WHERE session_id = '${s.id}'`), 0);
  const ok = await upload({ csrf: [csrf], device: ['GPS-07'], file: [new Blob([file('gps/Mojstrovka.gpx')]), 'Mojstrovka.gpx'] });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/sessions/${s.id}?flash=uploaded#participants`);

  const after = await browser.get(`/sessions/${s.id}?flash=uploaded`);
  const has = (re) => re.test(after.html);
  assert.ok(has(/Device file uploaded and read\./), 'the flash');
  assert.ok(has(/<td>Ana &lt;b&gt;Novak/) && !has(/<b>Novak/), 'names are escaped');
  assert.ok(has(/gpx · 183 samples · with warnings/), 'the unit\'s file status');
  assert.ok(has(/before 1980/), 'the warnings');
  const pid = (await api('GET', `/api/v1/sessions/${s.id}/participants`)).body[0].id;
  const removed = await browser.post(`/sessions/${s.id}/participants/${pid}/delete`, {});
  assert.equal(removed.status, 303);
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/participants`)).body.length, 0);
});

test('EPTS: the tracking .txt and its metadata .xml as two parts of one device; alone it is refused', async () => {
  const s = await createSession({ title: 'EPTS' });
  const alone = await upload(s.id, 'epts', file('tracking/epts_metrica_tracking.txt'), { name: 'match.txt' });
  assert.equal(alone.status, 422);
  assert.match(alone.body.error.fields.body, /metadata/);
  const post = async (parts) => {
    const form = new FormData();
    for (const [name, rel, filename] of parts) form.append(name, new Blob([file(rel)]), filename);
    const res = await fetch(`${BASE}/api/v1/sessions/${s.id}/device-data`, {
      method: 'POST', body: form, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: res.status, body: await res.json() };
  };
  const orphan = await post([['cam', 'tracking/epts_metrica_metadata.xml', 'meta.xml']]);
  assert.equal(orphan.status, 422);
  const both = await post([['cam', 'tracking/epts_metrica_tracking.txt', 'match.txt'],
    ['cam', 'tracking/epts_metrica_metadata.xml', 'match.xml']]);
  assert.equal(both.status, 201, JSON.stringify(both.body));
  const f = both.body.device_files[0];
  assert.deepEqual([f.format, f.samples], ['epts', 22 * 100], '22 players, 100 frames');
  assert.equal(storedFiles(s.id).length, 2, 'the tracking file and its metadata, nothing else');
  const again = await post([['cam', 'tracking/epts_metrica_tracking.txt', 'match.txt'],
    ['cam', 'tracking/epts_metrica_metadata.xml', 'match.xml']]);
  assert.equal(again.status, 201);
  assert.equal(storedFiles(s.id).length, 2, 'a replacement takes the old metadata with the old file');
});
