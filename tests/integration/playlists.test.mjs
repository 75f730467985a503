// playlists.test.mjs: a session's video playlists (issue 19; lib/playlists.h, docs/playlists.md):
// GET/POST /api/v1/sessions/<id>/playlists, GET/PATCH/DELETE .../playlists/<pid>. A filter of an
// imported DataVolley match resolves to the events a count made here straight from the file's
// scout lines names ("all attacks of home #N in set 3": the set from the **Nset lines, the
// player from the line's prefix); an explicit list of event ids keeps its order; problems are a
// 422 naming the field and write nothing; the session's viewers read, its editors write, another
// user is refused as for the session, and a playlist is found only under its own session. The
// review page (/sessions/<id>/review?playlist=<pid>, the share link) follows the same access, and plays
// each item on the video clip that holds it (its own, else the one whose span covers it).
//
// Run against a stack: bin/stint test integration/playlists
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Browser, REPO, api, makeUser, sql } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const FILE = path.join(DATA, 'volleyball', 'example_data.dvw');
const TAG = `pl${randomBytes(4).toString('hex')}`;
const coach = makeUser('coach');
const other = makeUser('coach');
const watcher = makeUser('analyst');

let match;     // example_data.dvw imported by coach, shared with watcher as viewer
let second;    // another session of coach's
const url = (s, suffix = '') => `/api/v1/sessions/${s.id}/playlists${suffix}`;
const rows = (s) => Number(sql(`SELECT count(*) FROM playlists WHERE session_id = '${s.id}'`)[0]);

/**
 * From the scout lines of the file, independently of lib/: the line numbers (1-based) of the
 * attacks (skill letter A) of team '*' (home) or 'a' (visiting) by shirt number, by set (a set
 * ends at its "**Nset" line).
 */
function attacksBySet(text) {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('[3SCOUT]'));
  const out = new Map();  // `${set} ${team} ${number}` -> [line]
  let set = 1;
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('['); i++) {
    const code = lines[i].split(';')[0];
    if (/^\*\*\dset/.test(code)) { set++; continue; }
    const m = /^([*a])(\d{1,2})A/.exec(code);
    if (!m) continue;
    const key = `${set} ${m[1] === '*' ? 'A' : 'B'} ${Number(m[2])}`;
    out.set(key, [...(out.get(key) ?? []), i + 1]);
  }
  return out;
}

before(async () => {
  const r = await api('POST', `/api/v1/imports?title=${TAG}%20match`,
    { body: readFileSync(FILE), headers: { 'content-type': 'application/octet-stream' }, token: coach.token });
  assert.equal(r.status, 201, r.text);
  match = r.body.session;
  const sh = await api('POST', `/api/v1/sessions/${match.id}/shares`,
    { json: { email: watcher.email, role: 'viewer' }, token: coach.token });
  assert.equal(sh.status, 200, sh.text);
  const s2 = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} other`, kind: 'match' }, token: coach.token });
  assert.equal(s2.status, 201, s2.text);
  second = s2.body;
});

test('a filter resolves to the events a count from the scout lines names: all attacks of a home player in set 3', async () => {
  const counted = attacksBySet(readFileSync(FILE, 'latin1'));
  // the home player with the most attacks in set 3
  const [key, lines] = [...counted].filter(([k]) => k.startsWith('3 A ')).sort((a, b) => b[1].length - a[1].length)[0];
  const number = key.split(' ')[2];
  assert.ok(lines.length >= 3, `home #${number} attacks ${lines.length} times in set 3`);

  const r = await api('POST', url(match), { token: coach.token, json: {
    name: `Home #${number} attacks, set 3`, filter: { team: 'A', player: number, type: 'attack', set: 3 } } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.pre_roll_sec, 3, 'default pre-roll');
  assert.equal(r.body.post_roll_sec, 2, 'default post-roll');
  assert.equal(r.body.event_ids, null);
  assert.equal(r.body.share_url, `/sessions/${match.id}/review?playlist=${r.body.id}`);
  assert.equal(r.body.created_by, Number(sql(`SELECT id FROM users WHERE email = '${coach.email}'`)[0]));

  const got = await api('GET', url(match, `/${r.body.id}`), { token: watcher.token });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.body.count, lines.length, 'as many items as the scout lines counted');
  // the ids of those scout lines' events, looked up by their line numbers
  const all = await api('GET', `/api/v1/sessions/${match.id}/events?type=attack&team=A&limit=10000`, { token: coach.token });
  const want = all.body.items.filter((e) => lines.includes(e.payload.line)).map((e) => e.id);
  assert.equal(want.length, lines.length);
  assert.deepEqual(got.body.items.map((i) => i.id), want, 'the same events, in timeline order');
  for (const i of got.body.items) {
    assert.equal(i.set, 3);
    assert.equal(i.actor_team, 'A');
    assert.equal(i.actor_number, number);
    assert.equal(i.event_type, 'attack');
    assert.equal(typeof i.score.A, 'number');
  }

  // an integer shirt number reads as its text; a narrower filter (evaluation #) is a subset
  const kills = await api('POST', url(match), { token: coach.token, json: {
    name: 'kills', filter: { team: 'A', player: Number(number), type: 'attack', set: 3, evaluation: '#' }, pre_roll_sec: 4.5 } });
  assert.equal(kills.status, 201, kills.text);
  assert.equal(kills.body.filter.player, number, 'kept as text, as every shirt number');
  const k = await api('GET', url(match, `/${kills.body.id}`), { token: coach.token });
  const killLines = lines.filter((l) => /^\*\d{1,2}A.#/.test(readFileSync(FILE, 'latin1').split(/\r?\n/)[l - 1]));
  assert.equal(k.body.count, killLines.length, 'kills counted from the lines (evaluation is the 6th character)');
  assert.equal(k.body.pre_roll_sec, 4.5);
});

test('CRUD: list, read, change, an explicit ordered list, delete; writes are audited', async () => {
  const made = await api('POST', url(match), { token: coach.token, json: { name: 'Serves', filter: { type: 'serve', team: 'B' },
    pre_roll_sec: 1, post_roll_sec: 5 } });
  assert.equal(made.status, 201, made.text);
  const pid = made.body.id;
  const list = await api('GET', url(match), { token: watcher.token });
  assert.equal(list.status, 200);
  assert.ok(list.body.some((p) => p.id === pid && p.name === 'Serves' && !('items' in p)));

  const full = await api('GET', url(match, `/${pid}`), { token: coach.token });
  assert.ok(full.body.count > 10);
  const three = full.body.items.slice(0, 3).map((i) => i.id).reverse();

  const patched = await api('PATCH', url(match, `/${pid}`), { token: coach.token, json: { name: 'Three serves', event_ids: three, post_roll_sec: 0 } });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual([patched.body.name, patched.body.event_ids, patched.body.pre_roll_sec, patched.body.post_roll_sec],
    ['Three serves', three, 1, 0]);
  const listed = await api('GET', url(match, `/${pid}`), { token: coach.token });
  assert.deepEqual(listed.body.items.map((i) => i.id), three, 'an explicit list plays in its own order');

  const back = await api('PATCH', url(match, `/${pid}`), { token: coach.token, json: { event_ids: null } });
  assert.equal(back.status, 200, back.text);
  const again = await api('GET', url(match, `/${pid}`), { token: coach.token });
  assert.equal(again.body.count, full.body.count, 'event_ids null: the filter decides again');

  const [audit] = sql(`SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE target_type = 'playlist' AND target_id = '${pid}'`);
  assert.equal(audit, 'playlist.create,playlist.update,playlist.update');

  const del = await api('DELETE', url(match, `/${pid}`), { token: coach.token });
  assert.equal(del.status, 204);
  assert.equal((await api('GET', url(match, `/${pid}`), { token: coach.token })).status, 404);
  assert.equal((await api('DELETE', url(match, `/${pid}`), { token: coach.token })).status, 404);
});

test('bad input: 422 naming the field, nothing written', async () => {
  const n = rows(match);
  const foreign = await api('POST', `/api/v1/sessions/${second.id}/events`, { token: coach.token,
    json: { events: [{ t_sec: 1, event_type: 'attack', actor_team: 'A' }] } });
  assert.equal(foreign.status, 201, foreign.text);
  const [foreignId] = foreign.body.ids;
  const mine = (await api('GET', `/api/v1/sessions/${match.id}/events?limit=1`, { token: coach.token })).body.items[0].id;
  const cases = [
    [{ filter: { set: 1 } }, ['name']],
    [{ name: '' }, ['name']],
    [{ name: 'x', filter: { set: 9 } }, ['filter.set']],
    [{ name: 'x', filter: { team: 'C', evaluation: '?' } }, ['filter.evaluation', 'filter.team']],
    [{ name: 'x', filter: { player: '1234' } }, ['filter.player']],
    [{ name: 'x', filter: { colour: 'red' } }, ['filter.colour']],
    [{ name: 'x', filter: [] }, ['filter']],
    [{ name: 'x', pre_roll_sec: 61 }, ['pre_roll_sec']],
    [{ name: 'x', post_roll_sec: -1 }, ['post_roll_sec']],
    [{ name: 'x', event_ids: [] }, ['event_ids']],
    [{ name: 'x', event_ids: [mine, 'y'] }, ['event_ids[1]']],
    [{ name: 'x', event_ids: [mine, foreignId] }, ['event_ids[1]']],
    [{ name: 'x', owner: 3 }, ['owner']],
  ];
  for (const [json, fields] of cases) {
    const r = await api('POST', url(match), { token: coach.token, json });
    assert.equal(r.status, 422, `${JSON.stringify(json)}: ${r.text}`);
    assert.deepEqual(Object.keys(r.body.error.fields).sort(), fields, JSON.stringify(json));
  }
  const made = await api('POST', url(match), { token: coach.token, json: { name: 'ok' } });
  const p = await api('PATCH', url(match, `/${made.body.id}`), { token: coach.token, json: { name: 'changed', event_ids: [foreignId] } });
  assert.equal(p.status, 422);
  assert.deepEqual(Object.keys(p.body.error.fields), ['event_ids[0]']);
  const still = await api('GET', url(match, `/${made.body.id}`), { token: coach.token });
  assert.equal(still.body.name, 'ok', 'the refused PATCH changed nothing');
  assert.equal(rows(match), n + 1, 'only the valid playlist was written');
});

test('access: viewers read, editors write, another user is refused; a playlist only under its own session', async () => {
  const made = await api('POST', url(match), { token: coach.token, json: { name: 'Access', filter: { type: 'block' } } });
  assert.equal(made.status, 201);
  const pid = made.body.id;
  assert.equal((await api('GET', url(match, `/${pid}`), { token: watcher.token })).status, 200, 'a viewer share reads');
  assert.equal((await api('POST', url(match), { token: watcher.token, json: { name: 'mine' } })).status, 403, 'a viewer share does not write');
  assert.equal((await api('PATCH', url(match, `/${pid}`), { token: watcher.token, json: { name: 'x' } })).status, 403);
  assert.equal((await api('DELETE', url(match, `/${pid}`), { token: watcher.token })).status, 403);
  for (const [m, u, json] of [['GET', url(match), undefined], ['GET', url(match, `/${pid}`), undefined],
    ['PATCH', url(match, `/${pid}`), { name: 'x' }], ['DELETE', url(match, `/${pid}`), undefined]]) {
    const r = await api(m, u, { token: other.token, json });
    assert.equal(r.status, 403, `${m} ${u} by a coach the session is not shared with: as for the session itself`);
  }
  // another session the caller may edit does not reach this playlist
  assert.equal((await api('GET', url(second, `/${pid}`), { token: coach.token })).status, 404);
  assert.equal((await api('PATCH', url(second, `/${pid}`), { token: coach.token, json: { name: 'x' } })).status, 404);
  assert.equal((await api('DELETE', url(second, `/${pid}`), { token: coach.token })).status, 404);
  assert.equal((await api('GET', url(match, `/${pid}`), { token: coach.token })).body.name, 'Access');

  // the share link: the review page, for the session's viewers only
  const link = made.body.share_url;
  const viewerPage = await (await new Browser().login(watcher.email, watcher.password)).get(link);
  assert.equal(viewerPage.status, 200);
  assert.match(viewerPage.html, /<h1>Video review: Access<\/h1>/);
  assert.equal((viewerPage.html.match(/<li id="item-/g) ?? []).length, (await api('GET', url(match, `/${pid}`), { token: coach.token })).body.count);
  assert.doesNotMatch(viewerPage.html, /Save and share/, 'no save form for a viewer');
  const otherPage = await (await new Browser().login(other.email, other.password)).get(link);
  assert.equal(otherPage.status, 403);
  const coachBrowser = await new Browser().login(coach.email, coach.password);
  assert.equal((await coachBrowser.get(`/sessions/${second.id}/review?playlist=${pid}`)).status, 404);
  assert.equal((await coachBrowser.get(`/sessions/${match.id}/review?set=9`)).status, 422);
});

test('the review page saves its filter as a playlist and opens it (no JavaScript needed)', async () => {
  const b = await new Browser().login(coach.email, coach.password);
  const page = await b.get(`/sessions/${match.id}/review?team=B&type=serve&set=2&pre=4&post=1`);
  assert.equal(page.status, 200);
  const shown = (page.html.match(/<li id="item-/g) ?? []).length;
  assert.ok(shown > 5, `${shown} serves of the visiting team in set 2`);
  const saved = await b.post(`/sessions/${match.id}/review`, { name: 'Visiting serves set 2', team: 'B', type: 'serve', set: '2',
    pre: '4', post: '1' });
  assert.equal(saved.status, 303, saved.html);
  const loc = saved.headers.get('location');
  assert.match(loc, new RegExp(`^/sessions/${match.id}/review\\?playlist=\\d+`));
  const pid = /playlist=(\d+)/.exec(loc)[1];
  const pl = await api('GET', url(match, `/${pid}`), { token: coach.token });
  assert.deepEqual([pl.body.name, pl.body.filter, pl.body.pre_roll_sec, pl.body.post_roll_sec, pl.body.count],
    ['Visiting serves set 2', { team: 'B', type: 'serve', set: 2 }, 4, 1, shown]);
  const opened = await b.get(loc);
  assert.equal(opened.status, 200);
  assert.match(opened.html, /Playlist saved/);
  assert.equal((await b.post(`/sessions/${match.id}/review`, { name: '', team: 'B' })).status, 422);
});

test('a deleted session is archived with its playlists and restored with them', async () => {
  const s = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} archived`, kind: 'match' }, token: coach.token });
  const ev = await api('POST', `/api/v1/sessions/${s.body.id}/events`, { token: coach.token, json: { events: [
    { t_sec: 5, event_type: 'attack', actor_team: 'A', actor_number: '7' }, { t_sec: 9, event_type: 'attack', actor_team: 'B' }] } });
  const made = await api('POST', url(s.body), { token: coach.token, json: { name: 'Kept', event_ids: [...ev.body.ids].reverse(), post_roll_sec: 1 } });
  assert.equal(made.status, 201, made.text);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.body.id}`, { token: coach.token })).status, 204);
  assert.equal(rows(s.body), 0, 'gone with the session');
  const restored = await api('POST', `/api/v1/sessions/${s.body.id}/restore`, { token: coach.token });
  assert.equal(restored.status, 200, restored.text);
  const back = await api('GET', url(s.body, `/${made.body.id}`), { token: coach.token });
  assert.equal(back.status, 200, back.text);
  assert.deepEqual([back.body.name, back.body.post_roll_sec, back.body.created_by, back.body.items.map((i) => i.id)],
    ['Kept', 1, made.body.created_by, [...ev.body.ids].reverse()]);
});

test('the review page plays each item on the clip that holds it: clip time = session time - the clip offset', async () => {
  const s = (await api('POST', '/api/v1/sessions', { json: { title: `${TAG} two clips`, kind: 'match' }, token: coach.token })).body;
  const dir = mkdtempSync(path.join(tmpdir(), 'stint-playlists-'));
  const clips = [];
  for (const [name, offset] of [['first', 0], ['second', 10]]) {
    const file = path.join(dir, `${name}.mp4`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=5', '-t', '10',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
    const up = await api('POST', `/api/v1/sessions/${s.id}/clips/upload?kind=video&title=${name}&offset_sec=${offset}`,
      { body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' }, token: coach.token });
    assert.equal(up.status, 201, up.text);
    assert.ok(Math.abs(up.body.duration_sec - 10) < 0.5, `the ${name} clip is 10 s long`);
    clips.push(up.body);
  }
  rmSync(dir, { recursive: true, force: true });
  const ev = await api('POST', `/api/v1/sessions/${s.id}/events`, { token: coach.token, json: { events: [
    { t_sec: 4, event_type: 'serve', actor_team: 'A' }, { t_sec: 16.5, event_type: 'serve', actor_team: 'A' },
    { t_sec: 17, event_type: 'serve', actor_team: 'A', clip_id: clips[0].id }] } });
  assert.equal(ev.status, 201, ev.text);
  const page = await (await new Browser().login(coach.email, coach.password)).get(`/sessions/${s.id}/review?type=serve`);
  assert.equal(page.status, 200);
  const items = [...page.html.matchAll(/<li id="item-(\d+)" data-id="\d+" data-src="([^"]+)" data-t="([^"]+)">/g)]
    .map((m) => [Number(m[1]), m[2], Number(m[3])]);
  assert.deepEqual(items, [
    [ev.body.ids[0], clips[0].media_url, 4],
    [ev.body.ids[1], clips[1].media_url, 6.5],      // covered by the second clip
    [ev.body.ids[2], clips[0].media_url, 17],       // its own clip, whatever covers it
  ]);
  // without scripts: the link opens the clip at its start (time less the pre-roll, never before 0)
  assert.match(page.html, new RegExp(`href="${clips[0].media_url}#t=1\\.00"`));
  assert.match(page.html, new RegExp(`href="${clips[1].media_url}#t=3\\.50"`));
});
