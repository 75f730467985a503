// teams.test.mjs: teams and rosters (issue 18; docs/teams.md): a session's two sides,
// GET/PUT /api/v1/sessions/<id>/teams, and the club's saved teams, /api/v1/teams. Shirt numbers
// are text ("00" is not "0"); a problem is a 422 naming its field by path (home.players[3].number)
// and writes nothing; a PUT is one transaction and announces teams_updated; session editors
// write a session's teams and its viewers read them; admins and coaches write saved teams and
// anyone signed in reads them; a side copies a saved team. The pages work without JavaScript:
// the editor's teams summary and its link to the panel as a page (/sessions/<id>/teams; ?part=panel
// the panel alone), the panel's forms (CSRF, problems shown in the editor's full panel beside their
// fields with what was typed, the saved-team copy form) and /teams; the editor and the stats show
// the roster's names.
//
// Run against a stack: bin/stint test integration/teams
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { ADMIN_TOKEN, Browser, api, makeUser, sql, subscribe } from './lib.mjs';

const TAG = `teams${randomBytes(4).toString('hex')}`;
const coach = makeUser('coach');
const coach2 = makeUser('coach');
const analyst = makeUser('analyst');
const viewer = makeUser('viewer');
const savedIds = [];
after(() => { if (savedIds.length) sql(`DELETE FROM saved_teams WHERE id IN (${savedIds.join(', ')})`); });

const HOME = {
  name: `${TAG} Lions`, short_name: 'LIO', colour: '#1F6FEB',
  players: [
    { number: '7', name: 'Anna Novak', position: 'outside', libero: false, captain: true },
    { number: '00', name: 'Bea Zupan', position: 'setter' },
    { number: '0', name: 'Cene Kos', position: 'libero', libero: true },
    { number: '12', name: 'Dora Vidmar' },
  ],
};
const VISITING = { name: `${TAG} Bears`, players: [{ number: '9', name: 'Eva Horvat' }, { number: '10', name: 'Fran Kralj' }] };

async function newSession(token = coach.token, title = `${TAG} match`) {
  const r = await api('POST', '/api/v1/sessions', { json: { title, kind: 'match' }, token });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
const teamsUrl = (s) => `/api/v1/sessions/${s.id}/teams`;
const put = (s, json, token = coach.token) => api('PUT', teamsUrl(s), { json, token });
const rosterRows = (s) => sql(`SELECT side || ' ' || number || ' ' || player_name || ' ' || position || ' ' || libero || ' '
  || captain FROM roster WHERE session_id = '${s.id}' ORDER BY side, number`);

async function share(s, user, role) {
  const r = await api('POST', `/api/v1/sessions/${s.id}/shares`, { json: { email: user.email, role }, token: coach.token });
  assert.equal(r.status, 200, r.text);
}

test('a new session has no teams; PUT sets both sides, numbers as text, and GET and the session show them', async () => {
  const s = await newSession();
  const empty = await api('GET', teamsUrl(s), { token: coach.token });
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.body, { session_id: s.id, home: null, visiting: null });

  const r = await put(s, { home: HOME, visiting: VISITING });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.home.colour, '#1f6feb', 'a colour is kept in lower case');
  assert.equal(r.body.home.short_name, 'LIO');
  assert.deepEqual(r.body.home.players.map((p) => [p.number, p.name]),
    [['0', 'Cene Kos'], ['00', 'Bea Zupan'], ['7', 'Anna Novak'], ['12', 'Dora Vidmar']], 'by value, then as written: "00" and "0" both kept');
  assert.deepEqual(r.body.home.players.find((p) => p.number === '0'),
    { number: '0', name: 'Cene Kos', position: 'libero', libero: true, captain: false });
  assert.deepEqual(r.body.visiting, { name: `${TAG} Bears`, short_name: '', colour: '',
    players: [{ number: '9', name: 'Eva Horvat', position: '', libero: false, captain: false },
      { number: '10', name: 'Fran Kralj', position: '', libero: false, captain: false }] });
  assert.deepEqual((await api('GET', teamsUrl(s), { token: coach.token })).body, r.body);

  const session = await api('GET', `/api/v1/sessions/${s.id}`, { token: coach.token });
  assert.deepEqual(session.body.teams.map((t) => [t.side, t.name, t.roster.length]), [['A', HOME.name, 4], ['B', VISITING.name, 2]]);
  assert.equal(session.body.teams[0].roster[1].number, '00');
  assert.deepEqual(rosterRows(s).slice(0, 2), ['A 0 Cene Kos libero true false', 'A 00 Bea Zupan setter false false']);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'teams.update' AND target_id = '${s.id}'`)[0], '1');
});

test('a side left out stays, a side null is removed, a side sent again is replaced whole', async () => {
  const s = await newSession();
  assert.equal((await put(s, { home: HOME, visiting: VISITING })).status, 200);
  const r = await put(s, { visiting: { name: 'Renamed', players: [{ number: '1', name: 'Only' }] } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.home.players.length, 4, 'home untouched');
  assert.deepEqual(r.body.visiting.players.map((p) => p.number), ['1']);
  const gone = await put(s, { home: null });
  assert.equal(gone.status, 200, gone.text);
  assert.equal(gone.body.home, null);
  assert.deepEqual(rosterRows(s), ['B 1 Only  false false']);
});

test('bad teams are 422 naming each field by path, and nothing is written', async () => {
  const s = await newSession();
  assert.equal((await put(s, { home: HOME })).status, 200);
  const before = rosterRows(s);
  const players = (list) => list.map(([number, extra]) => ({ number, name: 'X', ...extra }));
  const cases = [
    [{ home: { ...HOME, players: players([['4'], ['5'], ['6'], ['4']]) } }, { 'home.players[3].number': /already the number/ }],
    [{ home: { ...HOME, players: players([['0'], ['00'], ['000'], ['0']]) } }, { 'home.players[3].number': /already/ }],
    [{ visiting: { name: 'V', players: players([['1a'], ['1234'], ['']]) } },
      { 'visiting.players[0].number': /1 to 3 digits/, 'visiting.players[1].number': /./, 'visiting.players[2].number': /./ }],
    [{ home: { ...HOME, players: players([['1', { captain: true }], ['2', { captain: true }]]) } }, { 'home.players[1].captain': /one captain/ }],
    [{ home: { ...HOME, colour: 'red' } }, { 'home.colour': /#rrggbb/ }],
    [{ home: { ...HOME, name: '' } }, { 'home.name': /./ }],
    [{ home: { players: [] } }, { 'home.name': /required/ }],
    [{ home: { ...HOME, short_name: 'A much too long short name' } }, { 'home.short_name': /./ }],
    [{ home: { ...HOME, players: [{ number: '1', shirt: 'x' }] } }, { 'home.players[0].shirt': /./ }],
    [{ home: { ...HOME, players: [{ number: 1 }] } }, { 'home.players[0].number': /./ }],
    [{ home: { ...HOME, players: [{ number: '1', libero: 'yes' }] } }, { 'home.players[0].libero': /./ }],
    [{ home: { ...HOME, players: Array.from({ length: 41 }, (_, i) => ({ number: String(i) })) } }, { 'home.players': /40/ }],
    [{ home: { ...HOME, coach: 'Z' } }, { 'home.coach': /./ }],
    [{ home: { saved_team_id: 'x' } }, { 'home.saved_team_id': /./ }],
    [{ home: { saved_team_id: 999999999 } }, { 'home.saved_team_id': /no such saved team/ }],
    [{ away: HOME }, { away: /./ }],
    [{}, { '(body)': /home, visiting/ }],
  ];
  for (const [body, want] of cases) {
    const r = await put(s, body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 120)}: ${r.text}`);
    assert.equal(r.body.error.code, 'invalid_fields');
    for (const [field, re] of Object.entries(want)) {
      assert.match(r.body.error.fields[field] ?? '', re, `${field} in ${JSON.stringify(r.body.error.fields)}`);
    }
    assert.deepEqual(rosterRows(s), before, 'nothing written');
  }
  // a valid side beside a bad one is not written either: the PUT is one change
  const both = await put(s, { visiting: VISITING, home: { saved_team_id: 999999999 } });
  assert.equal(both.status, 422);
  assert.equal((await api('GET', teamsUrl(s), { token: coach.token })).body.visiting, null);
  assert.equal((await api('PUT', teamsUrl(s), { body: '{"home": ', headers: { 'content-type': 'application/json' }, token: coach.token })).status, 400);
});

test('session editors write the teams, viewers read them, others neither', async () => {
  const s = await newSession();
  const ana = makeUser('analyst');
  const anaE = makeUser('analyst');
  await share(s, ana, 'viewer');
  await share(s, anaE, 'editor');
  assert.equal((await api('GET', teamsUrl(s), { token: ana.token })).status, 200);
  assert.equal((await put(s, { home: HOME }, ana.token)).status, 403, 'a viewer share reads only');
  assert.equal((await put(s, { home: HOME }, anaE.token)).status, 200, 'an editor share writes');
  assert.equal((await api('GET', teamsUrl(s), { token: coach2.token })).status, 403);
  assert.equal((await put(s, { home: HOME }, coach2.token)).status, 403);
  assert.equal((await api('GET', teamsUrl(s), { token: null })).status, 401);
  assert.equal((await api('GET', '/api/v1/sessions/00000000-0000-4000-8000-000000000000/teams')).status, 404);
});

test('saved teams: coaches and admins write, everyone signed in reads; a session side copies one', async () => {
  const created = await api('POST', '/api/v1/teams', { json: HOME, token: coach.token });
  assert.equal(created.status, 201, created.text);
  savedIds.push(created.body.id);
  const id = created.body.id;
  assert.deepEqual([created.body.name, created.body.colour, created.body.players.length, created.body.owner_id],
    [HOME.name, '#1f6feb', 4, Number(sql(`SELECT id FROM users WHERE email = '${coach.email}'`)[0])]);
  for (const token of [analyst.token, viewer.token, coach2.token, ADMIN_TOKEN]) {
    const list = await api('GET', '/api/v1/teams', { token });
    assert.equal(list.status, 200);
    assert.ok(list.body.some((t) => t.id === id));
    assert.equal((await api('GET', `/api/v1/teams/${id}`, { token })).body.name, HOME.name);
  }
  assert.equal((await api('POST', '/api/v1/teams', { json: HOME, token: analyst.token })).status, 403);
  assert.equal((await api('POST', '/api/v1/teams', { json: HOME, token: viewer.token })).status, 403);
  assert.equal((await api('PUT', `/api/v1/teams/${id}`, { json: HOME, token: analyst.token })).status, 403);
  assert.equal((await api('DELETE', `/api/v1/teams/${id}`, { token: viewer.token })).status, 403);
  const bad = await api('POST', '/api/v1/teams', { json: { ...HOME, players: [{ number: '5' }, { number: '5' }] }, token: coach.token });
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.body.error.fields), ['players[1].number']);

  // another coach changes the squad (a club's teams are the club's)
  const changed = await api('PUT', `/api/v1/teams/${id}`, { json: { ...HOME, players: [...HOME.players, { number: '99', name: 'New Player' }] }, token: coach2.token });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.body.players.length, 5);
  assert.equal((await api('PUT', '/api/v1/teams/999999999', { json: HOME, token: coach.token })).status, 404);

  const s = await newSession();
  const copy = await put(s, { home: { saved_team_id: id }, visiting: VISITING });
  assert.equal(copy.status, 200, copy.text);
  assert.deepEqual([copy.body.home.name, copy.body.home.short_name, copy.body.home.colour], [HOME.name, 'LIO', '#1f6feb']);
  assert.deepEqual(copy.body.home.players.map((p) => p.number), ['0', '00', '7', '12', '99']);
  assert.equal(copy.body.home.players.find((p) => p.number === '7').captain, true);

  // the session's copy is its own: deleting the saved team leaves it
  assert.equal((await api('DELETE', `/api/v1/teams/${id}`, { token: coach.token })).status, 204);
  assert.equal((await api('GET', `/api/v1/teams/${id}`, { token: coach.token })).status, 404);
  assert.equal((await api('DELETE', `/api/v1/teams/${id}`, { token: coach.token })).status, 404);
  assert.equal((await api('GET', teamsUrl(s), { token: coach.token })).body.home.players.length, 5);
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'saved_team' AND target_id = '${id}' ORDER BY id`),
    ['saved_team.create', 'saved_team.update', 'saved_team.delete']);
});

test('a PUT announces teams_updated with the teams to the session\'s subscribers', async () => {
  const s = await newSession();
  const sub = await subscribe(s.id, { token: coach.token });
  assert.equal(sub.status, 200);
  assert.equal((await put(s, { home: HOME })).status, 200);
  const msgs = await sub.waitFor(1);
  sub.close();
  const m = msgs.find((x) => x.data.type === 'teams_updated');
  assert.ok(m, JSON.stringify(msgs));
  assert.equal(m.data.data.home.name, HOME.name);
  assert.equal(m.data.data.home.players.length, 4);
  assert.equal(m.data.data.visiting, null);
});

/* The value of the hidden csrf field in html. */
const csrfOf = (html) => /name="csrf" value="([^"]+)"/.exec(html)[1];

test('the editor\'s teams panel works without JavaScript: save, problems beside their fields, copy a saved team', async () => {
  const s = await newSession();
  const b = await new Browser().login(coach.email, coach.password);
  const editor = await b.get(`/sessions/${s.id}`);
  assert.equal(editor.status, 200);
  // the editor shows a summary; its link opens the panel as a page of its own
  assert.match(editor.html, new RegExp(`<a class="button" id="teams-open" href="/sessions/${s.id}/teams">Edit teams and rosters</a>`));
  assert.match(editor.html, /<span class="team-side">Home<\/span> <b class="team-name">No team yet<\/b>/);
  assert.ok(!editor.html.includes('id="teams-form"'), 'the roster forms are not in the editor');
  const page = await b.get(`/sessions/${s.id}/teams`);
  assert.equal(page.status, 200);
  assert.match(page.html, /<html lang="en">/);
  assert.match(page.html, /<title>Teams and rosters: [^<]+ · Stint<\/title>/);
  assert.match(page.html, new RegExp(`<nav class="crumbs" aria-label="Breadcrumb"><a href="/">Sessions</a> › <a href="/sessions/${s.id}">`));
  assert.match(page.html, /<form method="post" action="\/sessions\/[^"]+\/teams" id="teams-form"/);
  assert.match(page.html, /name="home\.p0\.number"/);
  assert.match(page.html, /name="visiting\.p11\.captain"/, 'at least 12 rows a side');
  // ?part=panel: the same panel without the layout, for the editor's script
  const part = await b.get(`/sessions/${s.id}/teams?part=panel`);
  assert.equal(part.status, 200);
  assert.ok(!part.html.includes('<html') && !part.html.includes('class="crumbs"'), 'the panel alone');
  assert.match(part.html, /^\s*<section class="card teams-panel" id="teams"/);
  assert.match(part.html, /name="visiting\.p11\.captain"/);

  const fields = {
    'home.name': `${TAG} <b>Lions</b>`, 'home.short_name': 'LIO', 'home.colour': '#1f6feb',
    'home.p0.number': '7', 'home.p0.name': 'Anna Novak', 'home.p0.position': 'outside', 'home.p0.captain': '1',
    'home.p1.number': '00', 'home.p1.name': 'Bea Zupan',
    'home.p3.number': '0', 'home.p3.name': 'Cene Kos', 'home.p3.libero': '1',
    'home.p2.number': '', 'home.p2.name': '',
    'visiting.name': `${TAG} Bears`, 'visiting.colour': '#d1242f', 'visiting.p0.number': '9', 'visiting.p0.name': 'Eva Horvat',
  };
  const saved = await b.post(`/sessions/${s.id}/teams`, fields);
  assert.equal(saved.status, 303, saved.html.slice(0, 300));
  assert.match(saved.headers.get('location'), /flash=teams_saved#teams$/);
  const t = (await api('GET', teamsUrl(s), { token: coach.token })).body;
  assert.deepEqual(t.home.players.map((p) => [p.number, p.name, p.libero, p.captain]),
    [['0', 'Cene Kos', true, false], ['00', 'Bea Zupan', false, false], ['7', 'Anna Novak', false, true]]);
  assert.equal(t.visiting.colour, '#d1242f');

  const again = await b.get(`/sessions/${s.id}?flash=teams_saved`);
  assert.match(again.html, /Teams saved\./);
  assert.match(again.html, /<b class="team-name">[^<]*&lt;b&gt;Lions&lt;\/b&gt;<\/b> <span class="muted team-count">3 players<\/span>/);
  assert.match(again.html, /<b class="team-name">[^<]*Bears<\/b> <span class="muted team-count">1 player<\/span>/);
  assert.ok(!again.html.includes('<b>Lions</b>'), 'a team name is escaped');
  const opened = await b.get(`/sessions/${s.id}/teams`);
  assert.match(opened.html, /value="Anna Novak"/);
  assert.ok(!opened.html.includes('<b>Lions</b>'), 'a team name is escaped in the panel');
  assert.match(opened.html, /&lt;b&gt;Lions&lt;\/b&gt;/);

  const dup = await b.post(`/sessions/${s.id}/teams`, { ...fields, 'home.p5.number': '7', 'home.p5.name': 'Second Seven' });
  assert.equal(dup.status, 422);
  assert.match(dup.html, /id="teams-form"/, 'the editor comes back with the full panel');
  assert.ok(!dup.html.includes('id="teams-open"'), 'not the summary');
  assert.match(dup.html, /The teams were not saved/);
  assert.match(dup.html, /Player 6: number is already the number of another player of this team/, 'the row as the form numbers it');
  assert.match(dup.html, /name="home\.p5\.name" value="Second Seven"/, 'what was typed comes back');
  assert.match(dup.html, /name="home\.p5\.number" value="7" inputmode="numeric" maxlength="3" size="3" aria-label="[^"]*" aria-invalid="true"/);
  assert.equal((await api('GET', teamsUrl(s), { token: coach.token })).body.home.players.length, 3, 'nothing written');

  const noCsrf = await b.post(`/sessions/${s.id}/teams`, fields, { csrf: null });
  assert.equal(noCsrf.status, 403);

  const club = await api('POST', '/api/v1/teams', { json: { name: `${TAG} Club`, players: [{ number: '4', name: 'Gal Club' }] }, token: coach.token });
  savedIds.push(club.body.id);
  const withSaved = await b.get(`/sessions/${s.id}/teams`);
  assert.match(withSaved.html, new RegExp(`<option value="${club.body.id}">${TAG} Club \\(1 players\\)</option>`));
  const copied = await b.post(`/sessions/${s.id}/teams/copy`, { side: 'visiting', saved_team_id: String(club.body.id) });
  assert.equal(copied.status, 303);
  assert.match(copied.headers.get('location'), /flash=team_copied#teams$/);
  assert.equal((await api('GET', teamsUrl(s), { token: coach.token })).body.visiting.players[0].name, 'Gal Club');
  assert.equal((await b.post(`/sessions/${s.id}/teams/copy`, { side: 'away', saved_team_id: '1' })).status, 422);

  // a viewer share sees the rosters, without the form
  const ana = makeUser('analyst');
  await share(s, ana, 'viewer');
  const anaB = await new Browser().login(ana.email, ana.password);
  const viewEditor = await anaB.get(`/sessions/${s.id}`);
  assert.equal(viewEditor.status, 200);
  assert.match(viewEditor.html, new RegExp(`<a class="button" id="teams-open" href="/sessions/${s.id}/teams">Show teams and rosters</a>`));
  const view = await anaB.get(`/sessions/${s.id}/teams`);
  assert.equal(view.status, 200);
  assert.ok(!view.html.includes('id="teams-form"'));
  assert.match(view.html, /<span class="num">00<\/span> Bea Zupan/);
  assert.match((await anaB.get(`/sessions/${s.id}/teams?part=panel`)).html, /<span class="num">00<\/span> Bea Zupan/);
  assert.equal((await (await new Browser().login(ana.email, ana.password)).post(`/sessions/${s.id}/teams`, fields)).status, 403);
});

test('the editor, the tagging panel and the stats use the roster\'s names for shirt numbers', async () => {
  const s = await newSession();
  assert.equal((await put(s, { home: HOME, visiting: VISITING })).status, 200);
  const ev = await api('POST', `/api/v1/sessions/${s.id}/events`, { token: coach.token, headers: { 'idempotency-key': randomBytes(8).toString('hex') },
    json: { events: [{ t_sec: 3, event_type: 'attack', actor_team: 'A', actor_number: 7, payload: { evaluation: '#' } },
      { t_sec: 4, event_type: 'serve', actor_team: 'B', actor_number: 10 }] } });
  assert.equal(ev.status, 201, ev.text);
  const b = await new Browser().login(coach.email, coach.password);
  const page = await b.get(`/sessions/${s.id}`);
  assert.match(page.html, /<b>7<\/b> Anna Novak/, 'the events table names the player');
  assert.match(page.html, /<b>10<\/b> Fran Kralj/);
  assert.match(page.html, /<option value="A-00">#00 Bea Zupan<\/option>/, 'the who filter, "00" as printed');
  assert.match(page.html, /<input type="radio" id="w-A-0" name="who" value="A-0"><label for="w-A-0" title="Cene Kos">0<\/label>/);
  const stats = await b.get(`/sessions/${s.id}/stats`);
  assert.match(stats.html, /Anna Novak/);
  assert.match(stats.html, /Fran Kralj/);
});

test('the saved teams page works without JavaScript; analysts see it read only', async () => {
  const b = await new Browser().login(coach.email, coach.password);
  const page = await b.get('/teams');
  assert.equal(page.status, 200);
  assert.match(page.html, /<h1>Saved teams<\/h1>/);
  const made = await b.post('/teams', { 'new.name': `${TAG} Page FC`, 'new.short_name': 'PFC', 'new.colour': '#00aa00',
    'new.p0.number': '3', 'new.p0.name': 'Ida Page', 'new.p1.number': '03', 'new.p1.name': 'Jan Page' });
  assert.equal(made.status, 303, made.html.slice(0, 300));
  assert.equal(made.headers.get('location'), '/teams?flash=team_added');
  const row = (await api('GET', '/api/v1/teams', { token: coach.token })).body.find((t) => t.name === `${TAG} Page FC`);
  savedIds.push(row.id);
  assert.deepEqual(row.players.map((p) => p.number), ['03', '3']);
  const listed = await b.get('/teams?flash=team_added');
  assert.match(listed.html, /Team added\./);
  assert.match(listed.html, new RegExp(`action="/teams/${row.id}"`));

  const bad = await b.post(`/teams/${row.id}`, { [`t${row.id}.name`]: '', [`t${row.id}.p0.number`]: 'x1' });
  assert.equal(bad.status, 422);
  assert.match(bad.html, /Team name [^<]+\./);
  assert.match(bad.html, /number must be 1 to 3 digits/);
  const ok = await b.post(`/teams/${row.id}`, { [`t${row.id}.name`]: `${TAG} Page FC`, [`t${row.id}.p0.number`]: '8', [`t${row.id}.p0.name`]: 'Only One' });
  assert.equal(ok.status, 303);
  assert.deepEqual((await api('GET', `/api/v1/teams/${row.id}`, { token: coach.token })).body.players.map((p) => p.name), ['Only One']);

  const ana = await new Browser().login(analyst.email, analyst.password);
  const ro = await ana.get('/teams');
  assert.equal(ro.status, 200);
  assert.match(ro.html, /Only One/);
  assert.ok(!ro.html.includes(`action="/teams/${row.id}"`), 'no form for an analyst');
  assert.equal((await ana.post('/teams', { 'new.name': 'X' })).status, 403);

  const del = await b.post(`/teams/${row.id}/delete`, {});
  assert.equal(del.status, 303);
  assert.equal((await api('GET', `/api/v1/teams/${row.id}`, { token: coach.token })).status, 404);
});

test('a deleted session comes back with its teams; a backup from before numbers were text too', async () => {
  const s = await newSession();
  const set = await put(s, { home: HOME, visiting: VISITING });
  assert.equal(set.status, 200);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}`, { token: coach.token })).status, 204);
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/restore`, { token: coach.token })).status, 200);
  assert.deepEqual((await api('GET', teamsUrl(s), { token: coach.token })).body, set.body, 'restored as it was');

  // the archive as 0001's schema wrote it: no short name or colour, numbers as numbers, role
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}`, { token: coach.token })).status, 204);
  sql(`UPDATE backups SET data = jsonb_set(jsonb_set(data, '{teams}', (SELECT jsonb_agg(t - 'short_name' - 'colour')
    FROM jsonb_array_elements(data->'teams') t)), '{roster}', (SELECT jsonb_agg((r - 'position' - 'libero' - 'captain' - 'number')
    || jsonb_build_object('role', r->'position', 'number', (r->>'number')::int)) FROM jsonb_array_elements(data->'roster') r
    WHERE r->>'number' <> '00')) WHERE session_id = '${s.id}' AND restored_at IS NULL`);
  const back = await api('POST', `/api/v1/sessions/${s.id}/restore`, { token: coach.token });
  assert.equal(back.status, 200, back.text);
  const t = (await api('GET', teamsUrl(s), { token: coach.token })).body;
  assert.deepEqual([t.home.short_name, t.home.colour], ['', '']);
  assert.deepEqual(t.home.players.map((p) => [p.number, p.position, p.libero]),
    [['0', 'libero', true], ['7', 'outside', false], ['12', '', false]]);
});

test('a new session picks its saved teams on the dashboard: copied in with it, or neither when one is gone', async () => {
  const club = await api('POST', '/api/v1/teams', { json: { name: `${TAG} Dash Home`, players: [{ number: '5', name: 'Kaja Dash' }] }, token: coach.token });
  const away = await api('POST', '/api/v1/teams', { json: { name: `${TAG} Dash Away`, players: [{ number: '6', name: 'Luka Dash' }] }, token: coach.token });
  savedIds.push(club.body.id, away.body.id);
  const b = await new Browser().login(coach.email, coach.password);
  const dash = await b.get('/');
  assert.match(dash.html, new RegExp(`<select id="n-home" name="home_team"><option value="">None yet</option>.*<option value="${club.body.id}">${TAG} Dash Home</option>`));
  const made = await b.post('/sessions', { title: `${TAG} picked`, kind: 'match', home_team: String(club.body.id), visiting_team: String(away.body.id) });
  assert.equal(made.status, 303, made.html.slice(0, 300));
  const sid = /\/sessions\/([0-9a-f-]{36})/.exec(made.headers.get('location'))[1];
  const t = (await api('GET', `/api/v1/sessions/${sid}/teams`, { token: coach.token })).body;
  assert.deepEqual([t.home.name, t.home.players[0].name, t.visiting.name], [`${TAG} Dash Home`, 'Kaja Dash', `${TAG} Dash Away`]);

  const count = () => Number(sql(`SELECT count(*) FROM sessions WHERE title = '${TAG} gone'`)[0]);
  const gone = await b.post('/sessions', { title: `${TAG} gone`, home_team: '999999999' });
  assert.equal(gone.status, 422);
  assert.match(gone.html, /Home team is no longer a saved team\./);
  assert.match(gone.html, /value="[^"]*gone"/, 'the title typed comes back');
  assert.equal(count(), 0, 'no session without its teams');
  const bad = await b.post('/sessions', { title: `${TAG} gone`, visiting_team: 'x' });
  assert.equal(bad.status, 422);
  assert.match(bad.html, /Visiting team is not a saved team\./);
  assert.equal(count(), 0);
  const none = await b.post('/sessions', { title: `${TAG} no teams`, home_team: '', visiting_team: '' });
  assert.equal(none.status, 303, 'no team chosen: a session without teams');
});
