// Scout codes typed by hand (issue 19; lib/scoutcode.h on lib/dvw.c's parser): POST .../events takes an event
// as {"t_sec", "code"} and stores the event the code says, with the payload an imported .dvw line gets; a bad
// or unfinished code is a 422 naming what is wrong under events[i].code, and nothing is stored; the roster
// names the shirt ("*00" is the home "00"); PATCH .../events/<id> takes a code too; GET .../scout-code
// describes a code while it is typed.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { api, Browser, createSession, REPO, sql } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');

async function volleyballSession() {
  const s = await createSession({ title: 'Scout codes', kind: 'match', meta: { sport: 'volleyball' } });
  const teams = await api('PUT', `/api/v1/sessions/${s.id}/teams`, { json: {
    home: { name: 'Lions', players: [{ number: '16', name: 'Ana Kos' }, { number: '00', name: 'Bea Zupan' }] },
    visiting: { name: 'Bears', players: [{ number: '7', name: 'Eva Horvat' }] },
  } });
  assert.equal(teams.status, 200, teams.text);
  return s;
}

const post = (s, events, key) => api('POST', `/api/v1/sessions/${s.id}/events`, { json: { events },
  headers: key ? { 'idempotency-key': key } : {} });
const count = (s) => Number(sql(`SELECT count(*) FROM events WHERE session_id = '${s.id}'`));

test('a scout code is stored as the event it says, with the fields an imported line has', async () => {
  const s = await volleyballSession();
  const r = await post(s, [{ t_sec: 12.5, code: '*16AH!V6 4 2C' }, { t_sec: 14, code: 'a07SQ#~~~15', payload: { note: 'kept' } },
    { t_sec: 15, code: '*00DH+' }], 'scout-1');
  assert.equal(r.status, 201, r.text);
  const list = (await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items;
  assert.equal(list.length, 3);
  const [attack, serve, dig] = list;
  assert.equal(attack.event_type, 'attack');
  assert.equal(attack.actor_team, 'A');
  assert.equal(attack.actor_number, '16');
  assert.equal(attack.t_sec, 12.5);
  assert.equal(attack.source, 'manual');
  assert.deepEqual(attack.payload, { code: '*16AH!V6~42C', skill: 'A', skill_name: 'attack', skill_type: 'H',
    evaluation: '!', evaluation_name: 'Blocked for reattack', attack_code: 'V6', start_zone: 4, end_zone: 2,
    end_subzone: 'C' });
  assert.equal(serve.actor_team, 'B');
  assert.equal(serve.actor_number, '7', 'a07 is the visiting 7 of the roster');
  assert.equal(serve.payload.evaluation_name, 'Ace');
  assert.equal(serve.payload.note, 'kept', 'the payload sent with a code keeps its own members');
  assert.equal(serve.payload.end_zone, 5);
  assert.equal(dig.actor_number, '00', '*00 is the roster\'s "00", not "0"');
  assert.equal(dig.payload.evaluation_name, 'Good dig');

  const again = await post(s, [{ t_sec: 12.5, code: '*16AH!V6 4 2C' }, { t_sec: 14, code: 'a07SQ#~~~15', payload: { note: 'kept' } },
    { t_sec: 15, code: '*00DH+' }], 'scout-1');
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(count(s), 3, 'a retry with the same key stores nothing twice');
});

test('a bad or unfinished code is a 422 naming what is wrong, and the batch stores nothing', async () => {
  const s = await volleyballSession();
  const cases = [
    ['*16AH%', /bad evaluation '%'/],
    ['*16ZH#', /unknown skill 'Z'/],
    ['*16AH#V6 0 2', /start zone must be one digit 1 to 9/],
    ['*16AH', /incomplete: the evaluation is missing \(# Winning attack, .*! Blocked for reattack/],
    ['b16AH#', /code starts with 'b'/],
    [42, /must be a string/],
  ];
  for (const [code, why] of cases) {
    const r = await post(s, [{ t_sec: 1, code: '*16AH#' }, { t_sec: 2, code }]);
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    assert.equal(r.body.error.code, 'invalid_fields');
    assert.match(r.body.error.fields['events[1].code'], why, JSON.stringify(r.body));
    assert.equal(Object.keys(r.body.error.fields).length, 1, 'the good code is not named');
  }
  assert.equal(count(s), 0);
});

test('PATCH with a code corrects a tag: the type, player and payload become what the code says; a bad code changes nothing', async () => {
  const s = await volleyballSession();
  const r = await post(s, [{ t_sec: 20, code: '*16AH#V6 4 2' }]);
  assert.equal(r.status, 201, r.text);
  const [first] = (await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items;
  const url = `/api/v1/sessions/${s.id}/events/${first.id}`;

  const fixed = await api('PATCH', url, { json: { code: 'a07SQ=', payload: { note: 'checked on video' } } });
  assert.equal(fixed.status, 200, fixed.text);
  const e = (await api('GET', url)).body;
  assert.deepEqual([e.t_sec, e.event_type, e.actor_team, e.actor_number], [20, 'serve', 'B', '7'], 'the time stays');
  assert.equal(e.payload.code, 'a07SQ=');
  assert.equal(e.payload.evaluation_name, 'Error');
  assert.equal(e.payload.note, 'checked on video', 'the payload sent with the code keeps its own members');
  assert.equal(e.payload.attack_code, undefined, 'nothing of the old code is left');

  const bad = await api('PATCH', url, { json: { code: '*16AH%' } });
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.body.error.fields.code, /bad evaluation '%'/, JSON.stringify(bad.body));
  assert.deepEqual((await api('GET', url)).body, e, 'the event is as it was');
});

test('GET scout-code describes a code as it is typed: words so far, what comes next, the event once whole', async () => {
  const s = await volleyballSession();
  const describe = (code) => api('GET', `/api/v1/sessions/${s.id}/scout-code?code=${encodeURIComponent(code)}`);
  let r = await describe('*16A');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.complete, false);
  assert.deepEqual(r.body.words, ['Home', '#16', 'Attack']);
  assert.equal(r.body.player_name, 'Ana Kos');
  assert.equal(r.body.part, 'skill type');
  assert.match(r.body.choices, /^H High ball attack, M Half ball attack, Q Quick ball attack/);
  r = await describe('*16AH#V6 4 2');
  assert.equal(r.body.complete, true);
  assert.equal(r.body.code, '*16AH#V6~42');
  assert.deepEqual(r.body.words, ['Home', '#16', 'Attack', 'High ball attack', 'Winning attack', 'combination V6',
    'from zone 4', 'to zone 2']);
  assert.equal(r.body.event.payload.attack_code, 'V6');
  r = await describe('*16AH%');
  assert.equal(r.status, 422);
  assert.match(r.body.error.fields.code, /bad evaluation '%'/);
  assert.equal((await api('GET', '/api/v1/sessions/00000000-0000-4000-8000-000000000000/scout-code?code=*1')).status, 404);
});

test('without a script, the tag form\'s "Add code" stores the code, or sends the form back naming the problem', async () => {
  const s = await volleyballSession();
  const b = await new Browser().login();
  await b.get(`/sessions/${s.id}`);
  const ok = await b.post(`/sessions/${s.id}/events`, { t_sec: '42.5', event_type: 'scout', code: '*16AH#X5 4 1',
    who: 'B-7', evaluation: '=' });
  assert.equal(ok.status, 303, ok.html.slice(0, 400));
  const [e] = (await api('GET', `/api/v1/sessions/${s.id}/events`)).body.items;
  assert.deepEqual([e.t_sec, e.event_type, e.actor_team, e.actor_number, e.payload.evaluation, e.payload.attack_code,
    e.payload.start_zone, e.payload.end_zone], [42.5, 'attack', 'A', '16', '#', 'X5', 4, 1], 'the code wins over who and evaluation');
  const bad = await b.post(`/sessions/${s.id}/events`, { t_sec: '43', event_type: 'scout', code: '*16AH' });
  assert.equal(bad.status, 422);
  assert.match(bad.html, /scout code is incomplete: the evaluation is missing/);
  assert.match(bad.html, /value="\*16AH"/, 'the code typed comes back in its field');
  assert.equal(count(s), 1);
  // the editor names the evaluation per skill in its legend and the event's row
  const page = await b.get(`/sessions/${s.id}`);
  assert.match(page.html, /<tr data-skill="A"><th scope="row">Attack<\/th><td>Winning attack<\/td><td>Positive, good attack<\/td><td>Blocked for reattack<\/td>/);
  assert.match(page.html, /<abbr title="Winning attack">#<\/abbr>/);
  assert.match(page.html, /<td>X5<\/td><td>4→1<\/td>/);
});

test('without a script, the editor filters an imported match by set, rotation, phase, skill type, combination and zones', async () => {
  const r = await api('POST', '/api/v1/imports?title=scout%20filters', {
    body: readFileSync(path.join(DATA, 'volleyball', 'example_data.dvw')), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  const id = r.body.session.id;
  const events = (await api('GET', `/api/v1/sessions/${id}/events?limit=10000`)).body.items;
  const st = new Map((await api('GET', `/api/v1/sessions/${id}/state`)).body.events.map((e) => [e.id, e]));
  const b = await new Browser().login();
  const shown = async (query) => {
    const page = await b.get(`/sessions/${id}?${query}`);
    assert.equal(page.status, 200);
    const ids = [...page.html.matchAll(/<tr id="ev-(\d+)" class="t-/g)].map((m) => Number(m[1]));
    const total = Number(/<nav class="pager"[^>]*><span>[^<]*? of (\d+)<\/span>/.exec(page.html)?.[1]);
    return { ids, total, html: page.html };
  };
  const combo = events.find((e) => e.payload.attack_code)?.payload.attack_code;
  const cases = [
    ['set=2', (e, m) => m.set === 2],
    ['set=3&skill_type=Q', (e, m) => m.set === 3 && e.payload.skill_type === 'Q'],
    [`combo=${combo}`, (e) => e.payload.attack_code === combo],
    ['rot=4&phase=reception', (e, m) => m.phase === 'reception' && e.actor_team && m.rotation[e.actor_team] === 4],
    ['from_zone=4&to_zone=5', (e) => e.payload.start_zone === 4 && e.payload.end_zone === 5],
  ];
  for (const [query, pass] of cases) {
    const want = events.filter((e) => pass(e, st.get(e.id))).sort((x, y) => x.t_sec - y.t_sec || x.id - y.id).map((e) => e.id);
    assert.ok(want.length > 0, query);
    const got = await shown(query);
    assert.equal(got.total, want.length, `${query}: the pager counts what passes`);
    assert.deepEqual(got.ids, want.slice(0, 30), query);
  }
  const later = await shown('set=2&offset=30');
  const set2 = events.filter((e) => st.get(e.id).set === 2).sort((x, y) => x.t_sec - y.t_sec || x.id - y.id).map((e) => e.id);
  assert.deepEqual(later.ids, set2.slice(30, 60), 'the next page of the filtered view');
  assert.match(later.html, /href="\/sessions\/[^"?]+\?set=2&amp;offset=0#events" rel="prev"/);
  assert.match(later.html, /<input id="n-set" name="set" size="2" placeholder="Set" value="2">/);
  const junk = await shown('set=9&phase=nope&combo=toolong');
  assert.equal(junk.total, events.length, 'invalid filters are dropped');
});

test('in a match imported from a file that scouts cones, a typed attack ends in a cone, as its imported lines do', async () => {
  const r = await api('POST', '/api/v1/imports?title=scout%20cones', {
    body: readFileSync(path.join(DATA, 'volleyball', '190301_kats_beds-clip.dvw')), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  const id = r.body.session.id;
  const imported = (await api('GET', `/api/v1/sessions/${id}/events`)).body.items;
  assert.ok(imported.some((e) => e.event_type === 'attack' && e.payload.end_cone !== undefined), 'the file scouts cones');
  const add = await api('POST', `/api/v1/sessions/${id}/events`, { json: [{ t_sec: 99, code: 'a05AH#V5 4 2' }, { t_sec: 100, code: '*07SQ- 1 5' }] });
  assert.equal(add.status, 201, add.text);
  const mine = (await api('GET', `/api/v1/sessions/${id}/events?from=99`)).body.items.sort((a, b) => a.t_sec - b.t_sec);
  assert.deepEqual([mine[0].payload.end_cone, mine[0].payload.end_zone], [2, undefined]);
  assert.deepEqual([mine[1].payload.end_zone, mine[1].payload.end_cone], [5, undefined], 'a serve still ends in a zone');
  const said = await api('GET', `/api/v1/sessions/${id}/scout-code?code=${encodeURIComponent('a05AH#V5 4 2')}`);
  assert.equal(said.body.words.at(-1), 'to cone 2');
});
