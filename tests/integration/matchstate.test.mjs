// The match state (GET /api/v1/sessions/<id>/state, lib/matchstate.c): every real DataVolley file's set
// scores derived from its scout lines equal its [3SET] section, also when a copy with that section blanked
// is imported; manual tagging scores, ends set 1 at 25 and starts set 2, and deleting a point re-scores
// everything after it; rules and line-ups from the session's meta; the live board shows the state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, Browser, createSession, PREFIX, REPO } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const DIR = path.join(DATA, 'volleyball');

// [3SET] read here, apart from lib/: a played row is "True;8-4;16-7;21-10;25-12;20;", field 4 the final score.
function setSection(bytes) {
  const lines = bytes.toString('latin1').split(/\r?\n/);
  const start = lines.indexOf('[3SET]');
  const sets = [];
  for (let i = start + 1; start >= 0 && i < lines.length && !lines[i].startsWith('[3'); i++) {
    const f = lines[i].split(';');
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(f[4] ?? '');
    if (m) sets.push({ set: sets.length + 1, A: Number(m[1]), B: Number(m[2]) });
  }
  return sets;
}

// The same file with every [3SET] row emptied (the section header kept).
function blanked(bytes) {
  const text = bytes.toString('latin1');
  return Buffer.from(text.replace(/(\[3SET\]\r?\n)([\s\S]*?)(?=\[3)/, (all, head, rows) =>
    head + rows.split(/(?<=\n)/).map((row) => row.replace(/^[^\r\n]*/, ';;;;;;')).join('')), 'latin1');
}

async function importBytes(body) {
  const r = await api('POST', '/api/v1/imports', { body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  return r.body.session;
}

async function state(id) {
  const r = await api('GET', `/api/v1/sessions/${id}/state`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

const scores = (st) => st.sets.map(({ set, A, B }) => ({ set, A, B }));

for (const name of readdirSync(DIR).filter((f) => f.endsWith('.dvw')).sort()) {
  test(`${name}: set scores from the events equal [3SET], also with [3SET] blanked`, async () => {
    const bytes = readFileSync(path.join(DIR, name));
    const expected = setSection(bytes);
    assert.ok(expected.length >= 3, `${name}: ${JSON.stringify(expected)}`);
    const original = await importBytes(bytes);
    const copy = await importBytes(blanked(bytes));
    assert.deepEqual(copy.meta.sets, [], 'the copy has no set section left');
    for (const s of [original, copy]) {
      const st = await state(s.id);
      if (name.endsWith('-clip.dvw')) {
        // data/SOURCES.md: one rally of the match, whose [3SET] the file keeps whole: its one point line is 0:1
        assert.deepEqual(scores(st), [{ set: 1, A: 0, B: 1 }]);
        continue;
      }
      assert.deepEqual(scores(st), expected, `${name} (${s === copy ? 'blanked copy' : 'original'})`);
      const won = { A: expected.filter((x) => x.A > x.B).length, B: expected.filter((x) => x.B > x.A).length };
      assert.deepEqual(st.sets_won, won);
      assert.equal(st.match_won_by, won.A > won.B ? 'A' : 'B');
      // every point line carries the score after it: the derived score before it plus the point
      for (const e of st.events.filter((x) => x.event_type === 'point')) {
        assert.ok(e.serving === 'A' || e.serving === 'B');
        assert.ok(e.rotation.A >= 1 && e.rotation.A <= 6 && e.rotation.B >= 1 && e.rotation.B <= 6);
        assert.equal(e.outcome, e.serving === e.actor_team ? 'breakpoint' : 'sideout');
      }
      // the >LUp lines' integer rotations are on court as shirt-number texts
      const last = st.events.at(-1).court;
      for (const t of ['A', 'B']) assert.ok(last[t].every((n) => typeof n === 'string' && /^\d{1,3}$/.test(n)), `${t}: ${last[t]}`);
    }
  });
}

async function tag(id, t_sec, team, event_type = 'point') {
  const r = await api('POST', `/api/v1/sessions/${id}/events`, { json: { events: [{ t_sec, event_type, actor_team: team }] } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('manual tagging: 25 points for home win set 1 and start set 2; deleting one re-scores what follows', async () => {
  const s = await createSession({ title: 'Manual match', kind: 'match' });
  for (let t = 1; t <= 25; t++) await tag(s.id, t, 'A');
  await tag(s.id, 26, 'B');
  await tag(s.id, 27, 'B');
  let st = await state(s.id);
  assert.deepEqual(scores(st), [{ set: 1, A: 25, B: 0 }, { set: 2, A: 0, B: 2 }]);
  assert.equal(st.sets[0].won_by, 'A');
  assert.deepEqual(st.sets_won, { A: 1, B: 0 });
  st.events.slice(0, 25).forEach((e, i) => assert.deepEqual([e.set, e.score], [1, { A: i, B: 0 }]));
  assert.equal(st.events[24].ends_set, true);
  assert.deepEqual([st.events[25].set, st.events[25].score, st.events[25].serving], [2, { A: 0, B: 0 }, 'B']);
  assert.equal(st.events[25].outcome, 'breakpoint', 'B serves first in set 2 (sets alternate) and wins');
  assert.deepEqual([st.now.set, st.now.score, st.now.sets_won], [2, { A: 0, B: 2 }, { A: 1, B: 0 }]);
  // the live board shows the derived score, set, server and rotations (it said "No score yet" before)
  const web = await new Browser().login();
  const board = (await web.get(`/sessions/${s.id}/board`)).html;
  assert.match(board, /id="score-a">0<\/span>.*id="score-b">2<\/span>/s);
  assert.match(board, /<p class="set">Set 2<\/p>/);
  assert.match(board, /id="serving">[^<]* serving<\/p>/);
  assert.match(board, /id="rotations">Rotation 1 · 1<\/p>/);
  assert.match(board, /<span class="set-no">Set 1<\/span> <span class="won">25<\/span>–<span>0<\/span>/);
  assert.doesNotMatch(board, /No score yet/);

  const tenth = st.events[9].id;
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/events/${tenth}`)).status, 204);
  st = await state(s.id);
  assert.equal(st.events.length, 26);
  assert.deepEqual(scores(st), [{ set: 1, A: 24, B: 2 }]);
  st.events.slice(0, 24).forEach((e, i) => assert.deepEqual([e.set, e.score], [1, { A: i, B: 0 }]));
  assert.deepEqual([st.events[24].set, st.events[24].score, st.events[24].serving], [1, { A: 24, B: 0 }, 'A']);
  assert.equal(st.events[24].outcome, 'sideout');
  assert.equal(st.events[25].rotation.B, 6, 'B rotated on the side-out');
  assert.equal(st.events[25].serving, 'B');
  assert.deepEqual(st.events[25].score, { A: 24, B: 1 });
  assert.equal(st.events.some((e) => e.ends_set), false);

  // and tagged back in at its time, the 25th home point ends set 1 again
  await tag(s.id, 10, 'A');
  st = await state(s.id);
  assert.deepEqual(scores(st), [{ set: 1, A: 25, B: 0 }, { set: 2, A: 0, B: 2 }]);
});

test('rules and line-ups from the session meta; a bad rule is named and indoor rules apply', async () => {
  const lineups = [{ set: 1, team: 'A', players: [1, 2, 3, 4, 5, 6], setter: 3 },
    { set: 1, team: 'B', players: [11, 12, 13, 14, 15, 16] }];
  const s = await createSession({ title: 'Beach', kind: 'match', meta: { match_rules: { preset: 'beach' }, lineups } });
  for (let t = 1; t <= 21; t++) await tag(s.id, t, 'B');
  await tag(s.id, 22, 'A');
  let st = await state(s.id);
  assert.deepEqual(st.rules, { set_points: 21, deciding_set_points: 15, win_by: 2, best_of: 3, first_serve: 'A' });
  assert.equal(st.rules_problem, null);
  assert.deepEqual(scores(st), [{ set: 1, A: 0, B: 21 }, { set: 2, A: 1, B: 0 }]);
  assert.deepEqual(st.events[0].court, { A: ['1', '2', '3', '4', '5', '6'], B: ['11', '12', '13', '14', '15', '16'] });
  assert.deepEqual(st.events[0].rotation, { A: 3, B: 1 });
  assert.deepEqual(st.events[1].court.B, ['12', '13', '14', '15', '16', '11'], 'B rotated on winning the serve');
  assert.deepEqual(st.events[1].rotation, { A: 3, B: 6 });
  assert.equal(st.lineups.length, 2);

  const bad = await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { meta: { match_rules: { best_of: 4 } } } });
  assert.equal(bad.status, 200, bad.text);
  st = await state(s.id);
  assert.equal(st.rules_problem, 'best_of');
  assert.equal(st.rules.best_of, 5);
  assert.deepEqual(scores(st), [{ set: 1, A: 1, B: 21 }]);
  assert.equal((await api('GET', '/api/v1/sessions/00000000-0000-4000-8000-000000000000/state')).status, 404);
});

test('the editor shows the state and stores starting line-ups from its form; bad line-ups name the field', async () => {
  const s = await createSession({ title: 'Line-ups', kind: 'match' });
  await tag(s.id, 1, 'A', 'serve');
  await tag(s.id, 2, 'B');
  await tag(s.id, 3, 'B');
  const web = await new Browser().login();
  let page = await web.get(`/sessions/${s.id}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /id="match-state">Set 1: <strong>0–2<\/strong> · sets 0–0 · Team B serving · rotation 1 · 6/);
  assert.match(page.html, /<td class="tl">Point <span class="ms"[^>]*>S1 0–1 · B<\/span><\/td>/);

  const six = (p, first) => Object.fromEntries([1, 2, 3, 4, 5, 6].map((z) => [`${p}${z}`, String(first + z - 1)]));
  let r = await web.post(`/sessions/${s.id}/lineups`, { set: '1', ...six('a', 1), a_setter: '2', ...six('b', 11) });
  assert.equal(r.status, 303, r.html);
  assert.match(r.headers.get('location'), /flash=lineup_saved/);
  let st = await state(s.id);
  assert.deepEqual(st.lineups.map((l) => [l.set, l.team, l.players, l.setter]),
    [[1, 'A', ['1', '2', '3', '4', '5', '6'], '2'], [1, 'B', ['11', '12', '13', '14', '15', '16'], null]]);
  assert.deepEqual(st.events[0].court, { A: ['1', '2', '3', '4', '5', '6'], B: ['11', '12', '13', '14', '15', '16'] });
  assert.deepEqual(st.events[0].rotation, { A: 2, B: 1 });
  assert.deepEqual(st.now.court.B, ['12', '13', '14', '15', '16', '11']);
  // saving set 1 again replaces that team's line-up only
  r = await web.post(`/sessions/${s.id}/lineups`, { set: '1', ...six('a', 21) });
  assert.equal(r.status, 303, r.html);
  st = await state(s.id);
  assert.deepEqual(st.lineups.map((l) => [l.set, l.team, l.players[0]]), [[1, 'B', '11'], [1, 'A', '21']]);
  page = await web.get(`/sessions/${s.id}?lineup_set=1`);
  assert.match(page.html, /name="a1" inputmode="numeric"[^>]* value="21"/);
  // "0" and "00" are two players, kept as typed; the setter names one of them
  r = await web.post(`/sessions/${s.id}/lineups`, { set: '1', ...six('b', 11), b1: '0', b2: '00', b3: '07', b_setter: '00' });
  assert.equal(r.status, 303, r.html);
  st = await state(s.id);
  assert.deepEqual(st.lineups.find((l) => l.team === 'B'),
    { set: 1, team: 'B', players: ['0', '00', '07', '14', '15', '16'], setter: '00' });
  assert.deepEqual(st.events[0].court.B, ['0', '00', '07', '14', '15', '16']);
  assert.equal(st.events[0].rotation.B, 2);
  page = await web.get(`/sessions/${s.id}?lineup_set=1`);
  assert.match(page.html, /name="b2" inputmode="numeric"[^>]* value="00"/);

  for (const [fields, field] of [
    [{ set: '9', ...six('a', 1) }, 'set'],
    [{ set: '4294967297', ...six('a', 1) }, 'set'],
    [{ set: '1', ...six('a', 1), a2: '99999999999999999999' }, 'a2'],
    [{ set: '1', a1: '4', a2: '5' }, 'a1'],
    [{ set: '1', ...six('a', 1), a3: '1' }, 'a3'],
    [{ set: '1', ...six('a', 1), a4: '1000' }, 'a4'],
    [{ set: '1', ...six('a', 1), a5: '-1' }, 'a5'],
    [{ set: '1', ...six('a', 1), a1: '0', a2: '00', a_setter: '000' }, 'a_setter'],
    [{ set: '1', ...six('a', 1), a_setter: '40' }, 'a_setter'],
    [{ set: '1', ...six('b', 1), b6: 'x' }, 'b6'],
    [{ set: '1' }, 'a1'],
  ]) {
    const bad = await web.post(`/sessions/${s.id}/lineups`, fields);
    assert.equal(bad.status, 422, `${JSON.stringify(fields)}: ${bad.status}`);
    assert.match(bad.html, new RegExp(`Line-up not saved: ${field}[ (]`), `${field} named`);
  }
  assert.equal((await state(s.id)).lineups.length, 2);
});

test('shirt numbers are text: "0" and "00" are two players on court; integers are read as their decimal text', async () => {
  const s = await createSession({ title: 'Zeros', kind: 'match',
    meta: { lineups: [{ set: 1, team: 'A', players: ['0', '00', 7, '07', '1', '10'], setter: '07' }] } });
  const add = async (body) => {
    const r = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: { events: [{ t_sec: 1, ...body }] } });
    assert.equal(r.status, 201, r.text);
  };
  await add({ event_type: 'substitution', actor_team: 'A', actor_number: '99', payload: { player_out: '0', player_in: '99' } });
  await add({ event_type: 'substitution', actor_team: 'A', actor_number: '3', payload: { player_out: 7, player_in: 3 } });
  await add({ event_type: 'timeout', actor_team: 'A' });
  const st = await state(s.id);
  assert.deepEqual(st.lineups[0].players, ['0', '00', '7', '07', '1', '10']);
  assert.equal(st.lineups[0].setter, '07');
  assert.deepEqual(st.events[0].court.A, ['0', '00', '7', '07', '1', '10']);
  assert.deepEqual(st.events[0].court.B, [null, null, null, null, null, null]);
  assert.deepEqual(st.events[0].rotation.A, 4, 'the setter "07" stands in zone 4, not "7" in zone 3');
  assert.deepEqual(st.events[1].court.A, ['99', '00', '7', '07', '1', '10'], '"0" left, "00" stayed');
  assert.deepEqual(st.events[2].court.A, ['99', '00', '3', '07', '1', '10'], 'the integer 7 is "7", not "07"');
});

// The goal is well under 20 ms; this machine is shared (load 15+ on 2 cores), so the test holds the state to the
// cost of listing the same events in the same run, and prints both (the derivation alone: tests/unit/test_matchstate).
test('1,000 events: the state costs at most twice the server time of a plain list of the same events', async () => {
  const s = await createSession({ title: 'Thousand', kind: 'match' });
  const skills = ['serve', 'reception', 'set', 'attack'];
  const events = [];
  for (let i = 0; events.length < 1000; i++) {
    const serving = i % 3 ? 'A' : 'B', other = serving === 'A' ? 'B' : 'A';
    skills.forEach((type, k) => events.push({ t_sec: events.length, event_type: type, actor_team: k ? other : serving,
      actor_number: 1 + (i + k) % 12, payload: { skill: type[0].toUpperCase(), evaluation: '+', start_zone: 1 + k } }));
    events.push({ t_sec: events.length, event_type: 'point', actor_team: (i * 7) % 5 < 2 ? serving : other,
      payload: { point_won_by: serving } });
  }
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/events`, { json: { events } })).status, 201);
  const st = await state(s.id);
  assert.equal(st.events.length, 1000);
  const agent = `matchstate-bench-${s.id}`;
  for (let i = 0; i < 10; i++) {
    assert.equal((await api('GET', `/api/v1/sessions/${s.id}/state`, { headers: { 'user-agent': agent } })).status, 200);
    assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events?limit=1000`, { headers: { 'user-agent': agent } })).status, 200);
  }
  // the upstream (handler) time nginx logs for each request (conf/nginx/stint.conf.in: urt=)
  await new Promise((r) => setTimeout(r, 200));
  const lines = readFileSync(path.join(PREFIX, 'log', 'nginx-access.log'), 'utf8').split('\n').filter((l) => l.includes(agent));
  const median = (re) => {
    const ms = lines.filter((l) => re.test(l)).map((l) => 1000 * Number(/urt=([\d.]+)/.exec(l)[1])).sort((a, b) => a - b);
    assert.equal(ms.length, 10);
    return ms[5];
  };
  const stateMs = median(/\/state /), listMs = median(/\/events\?limit=1000 /);
  console.log(`matchstate: 1,000 events: GET /state median ${stateMs} ms server time, GET /events?limit=1000 ${listMs} ms`);
  // an ASan+UBSan build (./configure --enable-sanitizers) slows every allocation of the handler's C, not PostgreSQL's
  const sanitized = /^SAN_CFLAGS = .*-fsanitize/m.test(readFileSync(path.join(REPO, 'Makefile'), 'utf8'));
  assert.ok(stateMs <= (sanitized ? 6 : 2) * listMs + 5, `GET /state took ${stateMs} ms, the list ${listMs} ms (medians of 10)`);
});

test('the editor sets the match rules: a preset, numbers that override it; a bad value names its field', async () => {
  const s = await createSession({ title: 'Rules form', kind: 'match', meta: { note: 'kept' } });
  const web = await new Browser().login();
  let page = await web.get(`/sessions/${s.id}`);
  assert.match(page.html, /name="set_points" type="number"[^>]* value="" placeholder="25"/);
  let r = await web.post(`/sessions/${s.id}/rules`, { preset: 'beach', set_points: '', deciding_set_points: '',
    win_by: '', best_of: '', first_serve: 'B' });
  assert.equal(r.status, 303, r.html);
  assert.match(r.headers.get('location'), /flash=rules_saved/);
  let st = await state(s.id);
  assert.deepEqual(st.rules, { set_points: 21, deciding_set_points: 15, win_by: 2, best_of: 3, first_serve: 'B' });
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}`)).body.meta.note, 'kept', 'the rest of meta stays');
  r = await web.post(`/sessions/${s.id}/rules`, { preset: 'youth', set_points: '15', best_of: '5', first_serve: 'A' });
  assert.equal(r.status, 303, r.html);
  st = await state(s.id);
  assert.deepEqual(st.rules, { set_points: 15, deciding_set_points: 15, win_by: 2, best_of: 5, first_serve: 'A' });
  page = await web.get(`/sessions/${s.id}`);
  assert.match(page.html, /name="set_points" type="number"[^>]* value="15" placeholder="15"/);
  assert.match(page.html, /<option value="youth" selected>/);
  for (const [fields, field] of [[{ preset: 'snow' }, 'preset'], [{ best_of: '4' }, 'best_of'],
    [{ win_by: 'x' }, 'win_by'], [{ set_points: '0' }, 'set_points'], [{ first_serve: 'C' }, 'first_serve']]) {
    const bad = await web.post(`/sessions/${s.id}/rules`, fields);
    assert.equal(bad.status, 422, `${JSON.stringify(fields)}: ${bad.status}`);
    assert.match(bad.html, new RegExp(`Rules not saved: ${field} does not fit`));
  }
  assert.equal((await state(s.id)).rules.set_points, 15);
});

test('the Match card adds substitutions (the player going off on court, the one coming on not), timeouts and set ends between rallies', async () => {
  const s = await createSession({ title: 'Subs', kind: 'match',
    meta: { lineups: [{ set: 1, team: 'A', players: [1, 2, 3, 4, 5, 6] }] } });
  await tag(s.id, 1, 'A');
  await tag(s.id, 2, 'B');
  const web = await new Browser().login();
  const page = await web.get(`/sessions/${s.id}`);
  assert.match(page.html, /name="t_sec" type="number" min="0" step="any" value="2"/);
  let r = await web.post(`/sessions/${s.id}/events`, { t_sec: '2', who: 'A', player_out: '3', player_in: '13', event_type: 'substitution' });
  assert.equal(r.status, 303, r.html);
  r = await web.post(`/sessions/${s.id}/events`, { t_sec: '2', who: 'B', player_out: '', player_in: '', event_type: 'timeout' });
  assert.equal(r.status, 303, r.html);
  r = await web.post(`/sessions/${s.id}/events`, { t_sec: '2', who: 'A', event_type: 'end_of_set' });
  assert.equal(r.status, 303, r.html);
  await tag(s.id, 3, 'B');
  const st = await state(s.id);
  const sub = st.events.find((e) => e.event_type === 'substitution');
  assert.deepEqual([sub.actor_team, sub.actor_number], ['A', '13']);
  assert.deepEqual(st.events[3].court.A, ['1', '2', '13', '4', '5', '6'], 'the substitute is on court after it');
  assert.equal(st.events.find((e) => e.event_type === 'end_of_set').ends_set, true);
  assert.deepEqual(scores(st), [{ set: 1, A: 1, B: 1 }, { set: 2, A: 0, B: 1 }]);
  assert.equal(st.sets[0].won_by, null, 'a set ended level has no winner');
  for (const [fields, problem] of [[{ player_out: '3' }, 'player in is required for a substitution'],
    [{ player_out: '3', player_in: 'x' }, 'player in must be'], [{ who: '', player_out: '3', player_in: '4' }, 'who is required'],
    // the court at 2 s, after the set end: set 2 starts from set 1's starting six
    [{ player_out: '13', player_in: '14' }, 'player out is not on court \\(zones 1 to 6: 1, 2, 3, 4, 5, 6\\)'],
    [{ player_out: '1', player_in: '2' }, 'player in is already on court \\(zones 1 to 6: 1, 2, 3, 4, 5, 6\\)']]) {
    const bad = await web.post(`/sessions/${s.id}/events`, { t_sec: '2', who: 'A', event_type: 'substitution', ...fields });
    assert.equal(bad.status, 422, `${JSON.stringify(fields)}: ${bad.status}`);
    assert.match(bad.html, new RegExp(`The event was not added:[^<]* ${problem}`), problem);
  }
  assert.equal((await state(s.id)).events.length, 6);
  // a team no line-up says (the visiting side here) is not checked
  r = await web.post(`/sessions/${s.id}/events`, { t_sec: '3', who: 'B', player_out: '8', player_in: '9', event_type: 'substitution' });
  assert.equal(r.status, 303, r.html);
});
