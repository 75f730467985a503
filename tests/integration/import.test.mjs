// DataVolley import and media: real match files from ../shared/data, a real
// broadcast clip uploaded through nginx, served back with Range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, createSession, makeUser, REPO, stint } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const dvw = (name) => readFileSync(path.join(DATA, 'volleyball', name));
const MP4 = readFileSync(path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4'));

async function importFile(name, query = '') {
  return api('POST', `/api/v1/imports${query}`, { body: dvw(name), headers: { 'content-type': 'application/octet-stream' } });
}

const plays = (events) => events.filter((e) => ['serve', 'reception', 'attack', 'block', 'dig', 'set', 'freeball'].includes(e.event_type))
  .map((e) => `${e.actor_team}${e.actor_number}${e.event_type}${e.payload.evaluation}`);

test('example_data.dvw: teams, sets, and 74 v 54 serves in the rollups', async () => {
  const r = await importFile('example_data.dvw');
  assert.equal(r.status, 201, r.text);
  const s = r.body.session;
  assert.equal(s.title, 'Braslovče v Nova KBM Branik');
  assert.equal(s.kind, 'match');
  assert.deepEqual(s.meta.sets.map((x) => `${x.home}-${x.visiting}`), ['25-16', '25-14', '25-22']);
  assert.deepEqual(s.teams.map((t) => t.name), ['Braslovče', 'Nova KBM Branik']);
  assert.ok(s.teams.every((t) => t.roster.length > 0));
  assert.equal(r.body.events, 1031);
  assert.deepEqual(r.body.warnings, []);
  const rollup = (await api('GET', `/api/v1/sessions/${s.id}/rollup`)).body;
  const serves = (side) => rollup.rows.filter((x) => x.event_type === 'serve' && x.team_side === side)
    .reduce((n, x) => n + x.count, 0);
  assert.equal(serves('A'), 74);
  assert.equal(serves('B'), 54);
  assert.equal(rollup.teams.find((t) => t.team_side === 'A').serves, 74);

  // shirt numbers are text (issue 14): the players lists' numbers as written; the scouting codes'
  // two-digit numbers ("*06") map onto them, so every player with KPIs has the roster's name
  assert.ok(s.teams.every((t) => t.roster.every((p) => typeof p.number === 'string' && /^[0-9]{1,3}$/.test(p.number))));
  assert.ok(s.teams[0].roster.some((p) => p.number === '6'), JSON.stringify(s.teams[0].roster.map((p) => p.number)));
  const events = (await api('GET', `/api/v1/sessions/${s.id}/events?limit=10000`)).body.items;
  const numbered = events.filter((e) => e.actor_number !== null);
  assert.ok(numbered.length > 500);
  assert.ok(numbered.every((e) => typeof e.actor_number === 'string' && !/^0\d/.test(e.actor_number)),
    'no two-digit padding from the codes');
  assert.ok(rollup.players.length > 10);
  assert.deepEqual(rollup.players.filter((p) => p.player_name === null).map((p) => `${p.team_side}${p.number}`), [],
    'every scouted number is on its team\'s roster');
  const home6 = await api('GET', `/api/v1/sessions/${s.id}/events?team=A&player=6&type=serve`);
  assert.ok(home6.body.total > 0, 'player=6 finds the code *06');
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events?team=A&player=06`)).body.total, 0, '"06" is another number');
});

test('testing_truncated.dvw yields the same plays, with a warning naming the line', async () => {
  const good = await importFile('example_data.dvw');
  const bad = await importFile('testing_truncated.dvw');
  assert.equal(bad.status, 201);
  assert.ok(bad.body.warnings.some((w) => /^line \d+: /.test(w)), JSON.stringify(bad.body.warnings));
  const all = async (id) => (await api('GET', `/api/v1/sessions/${id}/events?limit=10000`)).body.items;
  assert.deepEqual(plays(await all(bad.body.session.id)), plays(await all(good.body.session.id)));
});

test('PM06.dvw (Windows-1250) names come out as UTF-8', async () => {
  const r = await importFile('PM06.dvw');
  assert.equal(r.status, 201);
  const names = r.body.session.teams.flatMap((t) => t.roster.map((p) => p.player_name));
  for (const name of ['Alen Šket', 'Jan Klobučar', 'Iztok Žitnik']) assert.ok(names.includes(name), `${name} in ${names}`);
});

test('the KATS-BEDS clip: uploaded video, events synced at 1 to 20 s', async () => {
  const holder = await createSession({ title: 'upload holder' });
  const up = await api('POST', `/api/v1/sessions/${holder.id}/clips/upload?kind=video&title=broadcast`, {
    body: MP4, headers: { 'content-type': 'video/mp4' } });
  assert.equal(up.status, 201, up.text);
  assert.ok(Math.abs(up.body.duration_sec - 15.9) < 0.1, `duration ${up.body.duration_sec}`);
  assert.equal(up.body.size_bytes, MP4.length);
  const video = up.body.path.replace(/^media\//, '');
  const r = await importFile('190301_kats_beds-clip.dvw', `?video=${encodeURIComponent(video)}`);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.session.teams.map((t) => t.name), ['GKS Katowice', 'MKS Będzin']);
  assert.equal(r.body.events, 21);
  const sid = r.body.session.id;
  const clips = (await api('GET', `/api/v1/sessions/${sid}/clips`)).body;
  assert.equal(clips.length, 1);
  const skillsOf = async () => (await api('GET', `/api/v1/sessions/${sid}/events`)).body.items
    .filter((e) => ['serve', 'reception', 'attack', 'block', 'dig', 'set', 'freeball'].includes(e.event_type));
  const skills = await skillsOf();
  assert.ok(skills.length > 0 && skills.every((e) => e.t_sec >= 1 && e.t_sec <= 20 && e.clip_id === clips[0].id));

  // moving the clip on the session timeline moves its events with it
  const moved = await api('PATCH', `/api/v1/sessions/${sid}/clips/${clips[0].id}`, { json: { offset_sec: 60 } });
  assert.equal(moved.status, 200);
  assert.deepEqual((await skillsOf()).map((e) => e.t_sec), skills.map((e) => e.t_sec + 60));
  const tooEarly = await api('PATCH', `/api/v1/sessions/${sid}/clips/${clips[0].id}`, { json: { offset_sec: -100 } });
  assert.equal(tooEarly.status, 422);
  assert.ok(tooEarly.body.error.fields.offset_sec);

  const media = await api('GET', clips[0].media_url, { headers: { range: 'bytes=100-199' } });
  assert.equal(media.status, 206);
  assert.equal(media.headers.get('content-range'), `bytes 100-199/${MP4.length}`);
  assert.equal(media.headers.get('content-type'), 'video/mp4');
});

// What a live viewer gets from an import: the messages the API sends for the
// same changes, stored in the session's timeline (and published to nchan).
const timelineOf = async (sid) => {
  const r = await api('GET', `/api/v1/sessions/${sid}/timeline`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.messages.every((m, i) => m.session_id === sid && m.seq === i + 1), JSON.stringify(r.body));
  assert.equal(r.body.last_seq, r.body.messages.length);
  return r.body.messages;
};

test('an import announces its session, events and rollup as the API does', async () => {
  const r = await importFile('example_data.dvw');
  assert.equal(r.status, 201, r.text);
  const sid = r.body.session.id;
  const messages = await timelineOf(sid);
  assert.deepEqual(messages.map((m) => m.type), ['session_updated', 'event_added', 'rollup_updated']);
  const [session, events, rollup] = messages.map((m) => m.data);
  const { teams, counts, rollup_summary, recording, clips, ...row } = r.body.session;
  assert.equal(recording, null, 'no recording linked');
  assert.deepEqual(session, row);
  assert.deepEqual(events, { count: 1031, truncated: true }, 'a batch over 500 events is announced by its count');
  assert.deepEqual(rollup, (await api('GET', `/api/v1/sessions/${sid}/rollup`)).body);
});

test('an import with a video announces the clip and the events themselves', async () => {
  const holder = await createSession({ title: 'upload holder' });
  const up = await api('POST', `/api/v1/sessions/${holder.id}/clips/upload?kind=video&title=broadcast`, {
    body: MP4, headers: { 'content-type': 'video/mp4' } });
  assert.equal(up.status, 201, up.text);
  const video = up.body.path.replace(/^media\//, '');
  const r = await importFile('190301_kats_beds-clip.dvw', `?video=${encodeURIComponent(video)}`);
  assert.equal(r.status, 201, r.text);
  const sid = r.body.session.id;
  const all = await timelineOf(sid);
  // the video's analyze_clip tasks (one per analyzer of the stack: analyzers.test.mjs) follow its clip_added
  const messages = all.filter((m) => m.type !== 'task_updated');
  assert.deepEqual(messages.map((m) => m.type), ['session_updated', 'clip_added', 'event_added', 'rollup_updated']);
  const clips = (await api('GET', `/api/v1/sessions/${sid}/clips`)).body;
  assert.deepEqual(messages[1].data, clips[0]);
  assert.deepEqual(all.slice(2, -2).map((m) => [m.type, m.data.task_type, m.data.params.clip_id]),
    [['task_updated', 'analyze_clip', clips[0].id], ['task_updated', 'analyze_clip', clips[0].id]]);
  const stored = (await api('GET', `/api/v1/sessions/${sid}/events?limit=10000`)).body.items;
  const byId = (list) => [...list].sort((x, y) => x.id - y.id);
  assert.equal(messages[2].data.events.length, 21);
  assert.deepEqual(byId(messages[2].data.events), byId(stored));
});

test('bin/stint import announces like the API', async () => {
  const out = stint('import', path.join(DATA, 'volleyball', 'PM06.dvw'), '--title', 'announced by the tool');
  const sid = out.match(/session ([0-9a-f-]{36})/)?.[1];
  assert.ok(sid, out);
  assert.deepEqual((await timelineOf(sid)).map((m) => m.type), ['session_updated', 'event_added', 'rollup_updated']);
});

test('bad import files: a clear 4xx and nothing stored', async () => {
  const before = (await api('GET', '/api/v1/sessions?limit=1')).body.total;
  const cases = [
    [Buffer.from('title,venue\nnot,volleyball\n'), 422, 'not_datavolley'],
    [Buffer.alloc(0), 422, 'not_datavolley'],
    [Buffer.alloc(50 * 1024 * 1024, 0x41), 413, 'too_large'],
  ];
  for (const [body, status, code] of cases) {
    const r = await api('POST', '/api/v1/imports', { body, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(r.status, status, r.text.slice(0, 200));
    assert.equal(r.body.error.code, code);
  }
  const wrongVideo = await importFile('example_data.dvw', '?video=../../etc/passwd');
  assert.equal(wrongVideo.status, 422);
  assert.ok(wrongVideo.body.error.fields.video);
  assert.equal((await api('GET', '/api/v1/sessions?limit=1')).body.total, before);
});

test('clips: references, offsets, refusals and deletion', async () => {
  const s = await createSession();
  const ref = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'audio', uri: 'https://example.org/set.ogg', offset_sec: 30, duration_sec: 600 } });
  assert.equal(ref.status, 201);
  assert.equal(ref.body.media_url, null);
  const moved = await api('PATCH', `/api/v1/sessions/${s.id}/clips/${ref.body.id}`, { json: { offset_sec: 45.5 } });
  assert.equal(moved.body.offset_sec, 45.5);
  for (const [json, field] of [[{ kind: 'video', file: '../../../etc/passwd' }, 'file'],
    [{ kind: 'video', uri: 'file:///etc/passwd' }, 'uri'], [{ kind: 'video' }, 'uri'],
    [{ kind: 'video', uri: 'https://x.org/a', file: 'a.mp4' }, 'uri'], [{ kind: 'hologram', uri: 'https://x.org/a' }, 'kind']]) {
    const r = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json });
    assert.equal(r.status, 422, JSON.stringify(json));
    assert.ok(r.body.error.fields[field], JSON.stringify(r.body));
  }
  const notMedia = await api('POST', `/api/v1/sessions/${s.id}/clips/upload?kind=video`, {
    body: Buffer.from('just text, not a video'), headers: { 'content-type': 'video/mp4' } });
  assert.equal(notMedia.status, 415);
  const noKind = await api('POST', `/api/v1/sessions/${s.id}/clips/upload`, { body: MP4, headers: { 'content-type': 'video/mp4' } });
  assert.equal(noKind.status, 422);
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/clips`)).body.length, 1, 'only the reference');

  const up = await api('POST', `/api/v1/sessions/${s.id}/clips/upload?kind=video&offset_sec=12`, { body: MP4, headers: { 'content-type': 'video/mp4' } });
  assert.equal(up.status, 201);
  assert.equal((await api('GET', up.body.media_url)).status, 200);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/clips/${up.body.id}`)).status, 204);
  assert.equal((await api('GET', up.body.media_url)).status, 404);
});

test('artifacts: attach, list, download, delete', async () => {
  const s = await createSession();
  const body = Buffer.from('<h1>notes</h1>');
  const up = await api('POST', `/api/v1/sessions/${s.id}/artifacts/upload?type=export&name=${encodeURIComponent('Notes – set 1.html')}`,
    { body, headers: { 'content-type': 'text/html' } });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.size_bytes, body.length);
  const list = (await api('GET', `/api/v1/sessions/${s.id}/artifacts`)).body;
  assert.deepEqual(list.map((a) => a.name), ['Notes – set 1.html']);
  const dl = await api('GET', up.body.download_url);
  assert.equal(dl.status, 200);
  assert.equal(dl.text, body.toString());
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''Notes%20%E2%80%93%20set%201\.html$/);
  assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/artifacts/${up.body.id}`)).status, 204);
  assert.equal((await api('GET', up.body.download_url)).status, 404);
  const bad = await api('POST', `/api/v1/sessions/${s.id}/artifacts/upload?type=Bad%20Type&name=x`, { body, headers: { 'content-type': 'text/html' } });
  assert.equal(bad.status, 422);
});

test('a clip or an import may only use a file of a session the caller may view', async () => {
  const owner = makeUser('coach');
  const stranger = makeUser('coach');
  const mine = await api('POST', '/api/v1/sessions', { json: { title: 'owner' }, token: owner.token });
  const up = await api('POST', `/api/v1/sessions/${mine.body.id}/clips/upload?kind=video`, {
    body: MP4, headers: { 'content-type': 'video/mp4' }, token: owner.token });
  assert.equal(up.status, 201);
  const file = up.body.path.replace(/^media\//, '');
  const theirs = await api('POST', '/api/v1/sessions', { json: { title: 'stranger' }, token: stranger.token });
  const steal = await api('POST', `/api/v1/sessions/${theirs.body.id}/clips`, {
    json: { kind: 'video', file }, token: stranger.token });
  assert.equal(steal.status, 422);
  assert.ok(steal.body.error.fields.file);
  const viaImport = await api('POST', `/api/v1/imports?video=${encodeURIComponent(file)}`, {
    body: dvw('190301_kats_beds-clip.dvw'), headers: { 'content-type': 'application/octet-stream' }, token: stranger.token });
  assert.equal(viaImport.status, 422);
  const own = await api('POST', `/api/v1/sessions/${mine.body.id}/clips`, { json: { kind: 'video', file }, token: owner.token });
  assert.equal(own.status, 201, 'the owner may reuse the file');
});
