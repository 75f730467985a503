// The session timeline: event batches (idempotent, all-or-nothing), exact
// rollups through every insert, edit and delete, KPIs, CSV export and import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO, api, createSession, sql, stint } from './lib.mjs';

const ev = (t_sec, event_type, actor_team, actor_number, payload = {}) =>
  ({ t_sec, event_type, actor_team, actor_number, payload });

async function rollupRows(id) {
  const r = await api('GET', `/api/v1/sessions/${id}/rollup`);
  assert.equal(r.status, 200);
  return r.body.rows;
}

test('a batch is stored in one go and the rollups follow every change', async () => {
  const s = await createSession({ kind: 'match' });
  const post = await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: { events: [ev(12.4, 'serve', 'A', 9, { skill: 'S', evaluation: '#' }),
      ev(14.0, 'reception', 'B', 3, { evaluation: '+' }), ev(15.2, 'serve', 'A', 9, { evaluation: '=' }),
      ev(20, 'timeout', 'B', null)] },
  });
  assert.equal(post.status, 201);
  assert.equal(post.body.inserted, 4);
  assert.equal(post.body.ids.length, 4);
  assert.deepEqual(await rollupRows(s.id), [
    { team_side: 'A', number: '9', event_type: 'serve', count: 2 },
    { team_side: 'B', number: null, event_type: 'timeout', count: 1 },
    { team_side: 'B', number: '3', event_type: 'reception', count: 1 },
  ], 'shirt numbers answer as strings');

  const [serve1, , serve2] = post.body.ids;
  const patched = await api('PATCH', `/api/v1/sessions/${s.id}/events/${serve2}`, { json: { actor_number: 4, t_sec: 15.5 } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.actor_number, '4');
  assert.equal(patched.body.t_sec, 15.5);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/events/${serve1}`)).status, 204);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/events/${serve1}`)).status, 404);
  const rows = await rollupRows(s.id);
  assert.deepEqual(rows.filter((r) => r.event_type === 'serve'), [
    { team_side: 'A', number: '4', event_type: 'serve', count: 1 },
  ], 'the A #9 serve row is gone, #4 has one');

  const rebuilt = await api('POST', `/api/v1/sessions/${s.id}/rollup/rebuild`);
  assert.equal(rebuilt.status, 200);
  assert.deepEqual(rebuilt.body.rows, rows, 'rebuild gives the same rows');

  const detail = (await api('GET', `/api/v1/sessions/${s.id}`)).body;
  assert.equal(detail.counts.events, 3);
  assert.deepEqual(detail.rollup_summary, { total_events: 3, serve: 1, reception: 1, timeout: 1 });
});

test('events filter by type, team, player and time', async () => {
  const s = await createSession();
  const events = [];
  for (let i = 0; i < 30; i++) events.push(ev(i, i % 3 ? 'pass' : 'shot', i % 2 ? 'A' : 'B', i % 5));
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/events`, { json: events })).status, 201);
  const get = async (qs) => (await api('GET', `/api/v1/sessions/${s.id}/events?${qs}`)).body;
  assert.equal((await get('')).total, 30);
  assert.equal((await get('type=shot')).total, 10);
  assert.equal((await get('team=A&type=pass')).total, 10);
  assert.deepEqual((await get('player=4&team=B')).items.map((e) => e.t_sec), [4, 14, 24]);
  const window = await get('from=10&to=12.5');
  assert.deepEqual(window.items.map((e) => e.t_sec), [10, 11, 12]);
  const page = await get('limit=5&offset=25');
  assert.deepEqual(page.items.map((e) => e.t_sec), [25, 26, 27, 28, 29]);
  const bad = await api('GET', `/api/v1/sessions/${s.id}/events?team=C&player=x`);
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.team && bad.body.error.fields.player);
});

test('a retried batch with the same Idempotency-Key is stored once', async () => {
  const s = await createSession();
  const key = `batch-${Date.now()}`;
  const body = { events: [ev(1, 'serve', 'A', 1), ev(2, 'serve', 'A', 2)] };
  const first = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: body, headers: { 'idempotency-key': key } });
  const again = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: body, headers: { 'idempotency-key': key } });
  assert.equal(first.status, 201);
  assert.equal(again.status, 201);
  assert.deepEqual(again.body, first.body, 'the same answer');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events`)).body.total, 2);
  const other = await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: { events: [ev(3, 'serve', 'A', 3)] }, headers: { 'idempotency-key': key } });
  assert.equal(other.status, 422);
  assert.equal(other.body.error.code, 'idempotency_key_reused');
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events`)).body.total, 2);
});

test('one bad event refuses the whole batch, naming index and field', async () => {
  const s = await createSession();
  const events = Array.from({ length: 5000 }, (_, i) => ev(i / 10, 'pass', 'A', i % 12));
  events[4999] = { ...events[4999], t_sec: 'late' };
  events[17] = { ...events[17], actor_team: 'C', colour: 'red' };
  const r = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: { events } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.fields['events[4999].t_sec'], 'must be a number');
  assert.equal(r.body.error.fields['events[17].actor_team'], 'is not one of the allowed values');
  assert.equal(r.body.error.fields['events[17].colour'], 'is not a known field');
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events`)).body.total, 0, 'nothing stored');
  assert.deepEqual(await rollupRows(s.id), []);

  const tooMany = await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: { events: Array.from({ length: 10001 }, (_, i) => ev(i, 'pass', 'A', 1)) } });
  assert.equal(tooMany.status, 422);
  assert.ok(tooMany.body.error.fields.events);
  const empty = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: { events: [] } });
  assert.equal(empty.status, 422);
});

test('an event may only point at a clip of its own session', async () => {
  const a = await createSession();
  const b = await createSession();
  const clipId = stint('psql', '-X', '-A', '-t', '-q', '-c',
    `INSERT INTO clips (session_id, kind, uri) VALUES ('${b.id}', 'video', 'https://example.invalid/b.mp4') RETURNING id`).trim();
  const r = await api('POST', `/api/v1/sessions/${a.id}/events`, { json: { events: [{ ...ev(1, 'serve', 'A', 1), clip_id: Number(clipId) }] } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.fields['events[0].clip_id'], 'is not a clip of this session');
  const ok = await api('POST', `/api/v1/sessions/${b.id}/events`, { json: { events: [{ ...ev(1, 'serve', 'A', 1), clip_id: Number(clipId) }] } });
  assert.equal(ok.status, 201);
});

test('volleyball KPIs follow openvolley definitions', async () => {
  const s = await createSession({ kind: 'match' });
  const attacks = ['#', '#', '#', '=', '/', '+', '-', '!'].map((e, i) => ev(i, 'attack', 'A', 10, { evaluation: e }));
  const serves = ['#', '=', '+', '-'].map((e, i) => ev(20 + i, 'serve', 'A', 10, { evaluation: e }));
  const receptions = ['#', '+', '+', '-', '='].map((e, i) => ev(30 + i, 'reception', 'B', 5, { evaluation: e }));
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/events`, { json: [...attacks, ...serves, ...receptions] })).status, 201);
  const r = (await api('GET', `/api/v1/sessions/${s.id}/rollup`)).body;
  const p10 = r.players.find((p) => p.team_side === 'A' && p.number === '10');
  assert.equal(p10.attack_attempts, 8);
  assert.equal(p10.attack_kill_pct, 37.5);
  assert.equal(p10.attack_efficiency, 0.125, '(3 kills - 1 error - 1 blocked) / 8');
  assert.equal(p10.serve_ace_pct, 25);
  assert.equal(p10.serve_error_pct, 25);
  const p5 = r.players.find((p) => p.team_side === 'B' && p.number === '5');
  assert.equal(p5.reception_positive_pct, 60);
  assert.equal(p5.reception_perfect_pct, 20);
  assert.equal(r.teams.find((t) => t.team_side === 'A').attack_attempts, 8);
});

test('a type as people type it ("Time out") is stored normalised by the API, the CSV import and an edit', async () => {
  const s = await createSession();
  const post = await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: { events: [ev(1, 'Time out', 'B', null), ev(2, ' Free-kick ', 'A', 7), ev(3, 'end__of_set', null, null),
      ev(4, 'serve', 'A', 9)] } });
  assert.equal(post.status, 201, JSON.stringify(post.body));
  const one = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: [ev(5, 'Hold REACHED', 'A', 1)] });
  assert.equal(one.status, 201, 'a bare array too');
  let list = (await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items;
  assert.deepEqual(list.map((e) => e.event_type), ['time_out', 'free_kick', 'end__of_set', 'serve', 'hold_reached'],
    'typed forms normalised; a stored form (even with __) kept as sent');

  const edit = await api('PATCH', `/api/v1/sessions/${s.id}/events/${list[3].id}`, { json: { event_type: 'Set end' } });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  assert.equal(edit.body.event_type, 'set_end');

  const csv = 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload\r\n,6,Video Check,A,,,{}\r\n';
  const imp = await api('POST', `/api/v1/sessions/${s.id}/import/events.csv`, { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(imp.status, 201, JSON.stringify(imp.body));
  list = (await api('GET', `/api/v1/sessions/${s.id}/events?type=video_check`)).body.items;
  assert.equal(list.length, 1);

  for (const bad of ['3 pointer', 'Time out!', '  ', 'x'.repeat(41)]) {
    const r = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: [ev(7, bad, 'A', 1)] });
    assert.equal(r.status, 422, bad);
    assert.ok(r.body.error.fields['events[0].event_type'] ?? r.body.error.fields.event_type, JSON.stringify(r.body));
  }
});

test('events.csv and rollup.csv export, and events.csv imports back the same events', async () => {
  const s = await createSession();
  const events = [ev(1.5, 'serve', 'A', 9, { note: 'comma, "quote"\nnewline' }), ev(2, 'timeout', null, null),
    ev(3.25, 'attack', 'B', 11, { evaluation: '#', zones: [4, 1] })];
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/events`, { json: events })).status, 201);
  const csv = await api('GET', `/api/v1/sessions/${s.id}/export/events.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename=".*events\.csv"/);
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload');
  assert.equal(lines[2], ',2,timeout,,,,{}');
  assert.ok(csv.text.includes('"{""note"": ""comma, \\""quote\\""\\nnewline""}"'), csv.text);

  const rollup = await api('GET', `/api/v1/sessions/${s.id}/export/rollup.csv`);
  assert.equal(rollup.text, 'team_side,number,event_type,count\r\nA,9,serve,1\r\nB,11,attack,1\r\n,,timeout,1\r\n');

  const copy = await createSession();
  const imported = await api('POST', `/api/v1/sessions/${copy.id}/import/events.csv`, {
    body: csv.text, headers: { 'content-type': 'text/csv' } });
  assert.equal(imported.status, 201, imported.text);
  const strip = (list) => list.map(({ t_sec, event_type, actor_team, actor_number, payload, clip_id }) =>
    ({ t_sec, event_type, actor_team, actor_number, payload, clip_id }));
  const a = (await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items;
  const b = (await api('GET', `/api/v1/sessions/${copy.id}/events`)).body.items;
  assert.deepEqual(strip(b), strip(a));
  assert.ok(b.every((e) => e.source === 'import:csv'));

  const broken = await api('POST', `/api/v1/sessions/${copy.id}/import/events.csv`, {
    body: 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload\r\n,abc,serve,A,1,,{}\r\n,1,serve,Z,1,,\r\n',
    headers: { 'content-type': 'text/csv' } });
  assert.equal(broken.status, 422);
  assert.equal(broken.body.error.fields['row 1.t_sec'], 'must be a number');
  const badHeader = await api('POST', `/api/v1/sessions/${copy.id}/import/events.csv`, {
    body: 'a,b\r\n1,2\r\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(badHeader.status, 422);
  assert.equal((await api('GET', `/api/v1/sessions/${copy.id}/events`)).body.total, 3, 'nothing more stored');
});

test('deleting a session archives its events; restore brings them and the rollups back', async () => {
  const s = await createSession();
  await api('POST', `/api/v1/sessions/${s.id}/events`, { json: [ev(1, 'serve', 'A', 1), ev(2, 'dig', 'B', 2)] });
  const before = (await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items;
  const rollBefore = await rollupRows(s.id);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}`)).status, 204);
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events`)).status, 404);
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/restore`)).status, 200);
  assert.deepEqual((await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items, before);
  assert.deepEqual(await rollupRows(s.id), rollBefore);
});

// Issue 14: a shirt number is text of 1 to 3 digits. "12" and 12 are one
// player; "00" and "0" are two (jersey 00 exists in several sports).
test('a shirt number is text: a string or an integer in, a string out, "00" is not "0"', async () => {
  const s = await createSession({ kind: 'match' });
  const post = await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: [ev(1, 'attack', 'A', '12', { evaluation: '#' }), ev(2, 'attack', 'A', 12, { evaluation: '=' }),
      ev(3, 'attack', 'A', '00', { evaluation: '#' }), ev(4, 'attack', 'A', '0', { evaluation: '#' }),
      ev(5, 'serve', 'A', '9'), ev(6, 'serve', 'A', 10), ev(7, 'serve', 'A', 0), ev(8, 'serve', 'A', '007')],
  });
  assert.equal(post.status, 201, post.text);
  const items = (await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items;
  assert.deepEqual(items.map((e) => e.actor_number), ['12', '12', '00', '0', '9', '10', '0', '007'],
    'integers come back as their decimal text, strings as sent');
  assert.deepEqual(sql(`SELECT string_agg(actor_number, ',' ORDER BY t_sec) FROM events WHERE session_id = '${s.id}'`),
    ['12,12,00,0,9,10,0,007'], 'stored as text');

  const rollup = (await api('GET', `/api/v1/sessions/${s.id}/rollup`)).body;
  assert.deepEqual(rollup.rows.map((r) => [r.number, r.event_type, r.count]), [
    ['0', 'attack', 1], ['0', 'serve', 1], ['00', 'attack', 1], ['007', 'serve', 1], ['9', 'serve', 1],
    ['10', 'serve', 1], ['12', 'attack', 2],
  ], 'one row for "12" and 12, distinct rows for "00" and "0", "9" before "10"');
  assert.deepEqual(rollup.players.filter((p) => p.attack_attempts > 0).map((p) => [p.number, p.attack_attempts, p.attack_kills]),
    [['0', 1, 1], ['00', 1, 1], ['12', 2, 1]], 'KPIs per player keep "00" apart');
  assert.equal(rollup.teams[0].attack_attempts, 4);

  const byPlayer = async (n) => (await api('GET', `/api/v1/sessions/${s.id}/events?player=${n}`)).body.items.map((e) => e.t_sec);
  assert.deepEqual(await byPlayer('00'), [3]);
  assert.deepEqual(await byPlayer('0'), [4, 7]);
  assert.deepEqual(await byPlayer('12'), [1, 2]);
  const badFilter = await api('GET', `/api/v1/sessions/${s.id}/events?player=1234`);
  assert.equal(badFilter.status, 422);
  assert.ok(badFilter.body.error.fields.player);

  const rollupCsv = await api('GET', `/api/v1/sessions/${s.id}/export/rollup.csv`);
  assert.equal(rollupCsv.text, 'team_side,number,event_type,count\r\nA,0,attack,1\r\nA,0,serve,1\r\nA,00,attack,1\r\n'
    + 'A,007,serve,1\r\nA,9,serve,1\r\nA,10,serve,1\r\nA,12,attack,2\r\n');
  const eventsCsv = (await api('GET', `/api/v1/sessions/${s.id}/export/events.csv`)).text.split('\r\n');
  assert.deepEqual(eventsCsv.slice(1, 9).map((l) => l.split(',')[4]), ['12', '12', '00', '0', '9', '10', '0', '007']);
  const copy = await createSession();
  const imported = await api('POST', `/api/v1/sessions/${copy.id}/import/events.csv`, {
    body: eventsCsv.join('\r\n'), headers: { 'content-type': 'text/csv' } });
  assert.equal(imported.status, 201, imported.text);
  assert.deepEqual((await api('GET', `/api/v1/sessions/${copy.id}/events`)).body.items.map((e) => e.actor_number),
    ['12', '12', '00', '0', '9', '10', '0', '007'], 'the CSV brings "00" back as "00"');
  const badCsv = await api('POST', `/api/v1/sessions/${copy.id}/import/events.csv`, {
    body: 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload\r\n,1,serve,A,-1,,\r\n',
    headers: { 'content-type': 'text/csv' } });
  assert.equal(badCsv.status, 422);
  assert.ok(badCsv.body.error.fields['events[0].actor_number'] ?? badCsv.body.error.fields['row 1.actor_number'],
    JSON.stringify(badCsv.body));

  const [first] = post.body.ids;
  const patched = await api('PATCH', `/api/v1/sessions/${s.id}/events/${first}`, { json: { actor_number: '00' } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.actor_number, '00');
  const patchedInt = await api('PATCH', `/api/v1/sessions/${s.id}/events/${first}`, { json: { actor_number: 77 } });
  assert.equal(patchedInt.body.actor_number, '77');
  const badPatch = await api('PATCH', `/api/v1/sessions/${s.id}/events/${first}`, { json: { actor_number: 'a' } });
  assert.equal(badPatch.status, 422);
  assert.ok(badPatch.body.error.fields.actor_number);

  const messages = (await api('GET', `/api/v1/sessions/${s.id}/timeline?limit=1000`)).body.messages;
  const added = messages.filter((m) => m.type === 'event_added').flatMap((m) => m.data.events ?? [m.data]);
  assert.ok(added.length >= 8, JSON.stringify(messages[0]));
  assert.ok(added.every((e) => typeof e.actor_number === 'string'), 'live messages carry strings');
  assert.ok(added.some((e) => e.actor_number === '00'));
  const updated = messages.filter((m) => m.type === 'event_updated').map((m) => m.data.actor_number ?? m.data.event?.actor_number);
  assert.deepEqual(updated, ['00', '77']);

  for (const [bad, why] of [['1234', 'four digits'], ['-1', 'a sign'], [12.5, 'a fraction'], ['a', 'a letter'],
    [-1, 'a negative integer'], [1000, 'above 999'], ['', 'empty'], [' 7', 'a space'], [true, 'a boolean']]) {
    const r = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: [ev(9, 'serve', 'A', 1), ev(9, 'serve', 'A', bad)] });
    assert.equal(r.status, 422, `${JSON.stringify(bad)} (${why})`);
    assert.deepEqual(Object.keys(r.body.error.fields), ['events[1].actor_number'], JSON.stringify(r.body));
  }
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events`)).body.total, 8, 'nothing stored by the refused batches');
});

// Migration 0017 on a database that has integer shirt numbers already: a
// database of its own, built by the migrations before 0017, rows written,
// then 0017 and the migrations after it, as `stint migrate` runs them: every
// number is its decimal text, the rollups go on counting on the same rows.
// The function files are this tree's, written for the newest schema: they are
// loaded after the migrations; before 0017 the archived document is written as
// the archive of that time wrote it.
test('migration 0017 turns stored integer shirt numbers into their text, losing nothing', async () => {
  const db = `stint_shirt_${process.pid}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'stint-0017-'));
  const migrations = path.join(REPO, 'sql', 'migrations');
  const file = (name) => path.join(migrations, name);
  const all = readdirSync(migrations).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
  const before = all.filter((f) => f < '0017');
  const from0017 = all.filter((f) => f >= '0017');
  const functions = readdirSync(path.join(REPO, 'sql', 'functions')).filter((f) => f.endsWith('.sql')).sort()
    .map((f) => `\\i ${path.join(REPO, 'sql', 'functions', f)}`);
  const psql = (lines) => {
    const script = path.join(dir, 'script.sql');
    writeFileSync(script, [`\\c ${db}`, ...lines].join('\n'), { mode: 0o644 });
    return stint('psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-f', script).trim().split('\n');
  };
  try {
    stint('psql', '-X', '-q', '-c', `CREATE DATABASE ${db}`);
    const old = psql(['SET check_function_bodies = off;', `\\i ${path.join(REPO, 'sql', 'functions', 'triggers.sql')}`,
      'RESET check_function_bodies;', ...before.map((f) => `\\i ${file(f)}`),
      `INSERT INTO sessions (id, title) VALUES ('00000000-0000-4000-8000-000000000017', 'old');`,
      `INSERT INTO teams VALUES ('00000000-0000-4000-8000-000000000017', 'A', 'Home');`,
      `INSERT INTO roster (session_id, side, number, player_name) VALUES ('00000000-0000-4000-8000-000000000017', 'A', 7, 'Ana'),
        ('00000000-0000-4000-8000-000000000017', 'A', 0, 'Zoe'), ('00000000-0000-4000-8000-000000000017', 'A', 999, 'Max');`,
      `INSERT INTO events (session_id, t_sec, event_type, actor_team, actor_number, payload) VALUES
        ('00000000-0000-4000-8000-000000000017', 1, 'serve', 'A', 7, '{"evaluation": "#"}'),
        ('00000000-0000-4000-8000-000000000017', 2, 'serve', 'A', 0, '{}'),
        ('00000000-0000-4000-8000-000000000017', 3, 'serve', 'A', NULL, '{}');`,
      // a session deleted before 0017: its backup document (version 3, as stint_session_archive wrote
      // it then) holds integers
      `INSERT INTO sessions (id, title) VALUES ('00000000-0000-4000-8000-000000000018', 'archived');`,
      `INSERT INTO teams VALUES ('00000000-0000-4000-8000-000000000018', 'B', 'Away');`,
      `INSERT INTO roster (session_id, side, number, player_name) VALUES ('00000000-0000-4000-8000-000000000018', 'B', 12, 'Ivo');`,
      `INSERT INTO events (session_id, t_sec, event_type, actor_team, actor_number) VALUES
        ('00000000-0000-4000-8000-000000000018', 1, 'dig', 'B', 12);`,
      `INSERT INTO backups (session_id, title, data) SELECT s.id, s.title, jsonb_build_object('version', 3,
        'session', to_jsonb(s), 'teams', (SELECT jsonb_agg(to_jsonb(t)) FROM teams t WHERE t.session_id = s.id),
        'roster', (SELECT jsonb_agg(to_jsonb(r)) FROM roster r WHERE r.session_id = s.id), 'clips', '[]'::jsonb,
        'events', (SELECT jsonb_agg(to_jsonb(e)) FROM events e WHERE e.session_id = s.id), 'artifacts', '[]'::jsonb,
        'shares', '[]'::jsonb, 'live_messages', '[]'::jsonb)
        FROM sessions s WHERE s.id = '00000000-0000-4000-8000-000000000018';`,
      "DELETE FROM sessions WHERE id = '00000000-0000-4000-8000-000000000018';",
      "SELECT (data->'roster'->0->>'number') = '12' AND jsonb_typeof(data->'roster'->0->'number') = 'number' FROM backups;"]);
    assert.deepEqual(old, ['t'], 'the old backup holds the shirt number as a JSON number');
    const after = psql([...from0017.map((f) => `\\i ${file(f)}`), ...functions,
      `INSERT INTO events (session_id, t_sec, event_type, actor_team, actor_number, payload) VALUES
        ('00000000-0000-4000-8000-000000000017', 4, 'serve', 'A', '7', '{"evaluation": "#"}'),
        ('00000000-0000-4000-8000-000000000017', 5, 'serve', 'A', '00', '{}');`,
      `SELECT format_type(atttypid, atttypmod) || ' ' || attrelid::regclass || '.' || attname FROM pg_attribute
        WHERE attrelid IN ('events'::regclass, 'roster'::regclass, 'rollups'::regclass, 'rollup_evaluations'::regclass)
        AND attname IN ('actor_number', 'number') ORDER BY 1;`,
      "SELECT string_agg(number || '=' || player_name, ',' ORDER BY number) FROM roster;",
      "SELECT string_agg(coalesce(actor_number, '-'), ',' ORDER BY t_sec) FROM events;",
      "SELECT string_agg(coalesce(number, '-') || ':' || count, ',' ORDER BY number NULLS FIRST) FROM rollups;",
      "SELECT string_agg(number || evaluation || count, ',') FROM rollup_evaluations;",
      "SELECT stint_session_restore('00000000-0000-4000-8000-000000000018');",
      `SELECT (SELECT number || '=' || player_name FROM roster WHERE session_id = '00000000-0000-4000-8000-000000000018')
        || ' ' || (SELECT stint_event_json(e)->>'actor_number' FROM events e WHERE session_id = '00000000-0000-4000-8000-000000000018')
        || ' ' || (SELECT stint_rollup_json('00000000-0000-4000-8000-000000000018')->'rows'->0->>'number');`,
      // 0017 gave roster.number its check; a later migration (0022) does not add another
      `SELECT count(*) FROM pg_constraint WHERE conrelid = 'roster'::regclass AND contype = 'c'
        AND pg_get_constraintdef(oid) LIKE '%number%';`]);
    assert.deepEqual(after, ['text events.actor_number', 'text rollup_evaluations.number', 'text rollups.number',
      'text roster.number', '0=Zoe,7=Ana,999=Max', '7,0,-,7,00', '-:1,0:1,00:1,7:2', '7#2', 't', '12=Ivo 12 12', '1'],
      'the old backup restores with text numbers too; roster.number has one check');
    const refused = (() => {
      try {
        psql([`INSERT INTO events (session_id, t_sec, event_type, actor_number) VALUES ('00000000-0000-4000-8000-000000000017', 6, 'serve', '1234');`]);
        return null;
      } catch (err) {
        return String(err.stderr ?? err.message);
      }
    })();
    assert.match(refused ?? 'stored', /events_actor_number_check/, 'the column checks 1 to 3 digits');
  } finally {
    stint('psql', '-X', '-q', '-c', `DROP DATABASE IF EXISTS ${db}`);
    rmSync(dir, { recursive: true, force: true });
  }
});
