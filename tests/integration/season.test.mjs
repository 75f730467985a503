// The season view (GET /api/v1/stats, lib/season.c; seed 000's compare_sessions): a coach imports every real
// DataVolley file as a session of their own; the season's sums over them equal the sums of each session's own
// GET /sessions/<id>/stats (every count, per team and per player matched by team name, shirt number and name),
// its percentages are recomputed from the sums; the team/date query picks exactly the sessions of that team in the
// dates; another coach's session is 404 by id (as one that does not exist) and left out of the team query; bad
// input is 422 naming the field.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, makeUser, REPO } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const DIR = path.join(DATA, 'volleyball');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.dvw')).sort();

const coach = makeUser('coach');
const other = makeUser('coach');
const sessions = [];   // { id, file, detail, stats }

async function as(user, method, url, json) {
  return api(method, url, { token: user.token, json });
}

async function importAs(user, file) {
  const r = await api('POST', '/api/v1/imports', {
    token: user.token, body: readFileSync(path.join(DIR, file)), headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.session;
}

const pct = (w, d) => (d ? Math.round((1000 * w) / d) / 10 : null);

// every count of a stats block (percentages left out), as a flat {path: n}
function counts(block, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(block ?? {})) {
    if (/pct|efficiency/.test(k) || k === 'share_pct') continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) counts(v, `${prefix}${k}.`, out);
    else if (typeof v === 'number' && !['rotation', 'matches'].includes(k)) out[`${prefix}${k}`] = v;
  }
  return out;
}
function add(to, from) {
  for (const [k, v] of Object.entries(from)) to[k] = (to[k] ?? 0) + v;
  return to;
}
// the percentages a block's counts give (vbstats.h's formulas, written here again)
function checkPercentages(b, what) {
  assert.equal(b.serve.ace_pct, pct(b.serve.aces, b.serve.attempts), `${what} ace %`);
  assert.equal(b.serve.error_pct, pct(b.serve.errors, b.serve.attempts), `${what} serve error %`);
  const e = b.reception.evaluations;
  assert.equal(b.reception.positive_pct, pct(e['#'] + e['+'], b.reception.attempts), `${what} positive %`);
  assert.equal(b.reception.perfect_pct, pct(e['#'], b.reception.attempts), `${what} perfect %`);
  assert.equal(b.attack.kill_pct, pct(b.attack.kills, b.attack.attempts), `${what} kill %`);
  assert.equal(b.attack.efficiency, pct(b.attack.kills - b.attack.errors - b.attack.blocked, b.attack.attempts),
    `${what} efficiency`);
  if ('rallies_received' in b) {
    assert.equal(b.sideout_pct, pct(b.sideout_won, b.rallies_received), `${what} side-out %`);
    assert.equal(b.breakpoint_pct, pct(b.breakpoint_won, b.rallies_served), `${what} break-point %`);
  }
}

before(async () => {
  for (const [i, file] of FILES.entries()) {
    const s = await importAs(coach, file);
    // distinct days, one per file in order: 2026-03-01, 2026-03-02, ...
    const day = `2026-03-${String(i + 1).padStart(2, '0')}T18:00:00Z`;
    const p = await as(coach, 'PATCH', `/api/v1/sessions/${s.id}`, { starts_at: day });
    assert.equal(p.status, 200, p.text);
    const detail = (await as(coach, 'GET', `/api/v1/sessions/${s.id}`)).body;
    const stats = (await as(coach, 'GET', `/api/v1/sessions/${s.id}/stats`)).body;
    sessions.push({ id: s.id, file, day, detail, stats });
  }
});

const teamName = (s, side) => s.detail.teams.find((t) => t.side === side)?.name ?? side;
const rosterName = (s, side, number) =>
  s.detail.teams.find((t) => t.side === side)?.roster.find((r) => r.number === number)?.player_name ?? '';

test('the season over every file: sums equal the sum of each session\'s /stats, percentages recomputed', async () => {
  const ids = sessions.map((s) => s.id);
  const r = await as(coach, 'GET', `/api/v1/stats?sessions=${ids.join(',')}`);
  assert.equal(r.status, 200, r.text);
  const b = r.body;
  assert.deepEqual(b.sessions.map((x) => x.id), ids, 'a row per session, by date');
  for (const side of ['A', 'B']) {
    const want = sessions.reduce((acc, s) => add(acc, counts(s.stats.teams[side])), {});
    assert.deepEqual(counts(b.totals[side]), want, `team ${side}: every count is the sum`);
    checkPercentages(b.totals[side], `team ${side}`);
    assert.equal(b.sets_won[side], sessions.reduce((a, s) => a + s.stats.sets_won[side], 0));
    for (let rot = 1; rot <= 6; rot++) {
      const want = sessions.reduce((acc, s) =>
        add(acc, counts(s.stats.by_rotation.find((x) => x.team === side && x.rotation === rot))), {});
      assert.deepEqual(counts(b.by_rotation.find((x) => x.team === side && x.rotation === rot)), want,
        `team ${side} rotation ${rot}`);
    }
  }
  // each session's row: its sets, sets won and key figures as its own /stats says
  for (const [i, s] of sessions.entries()) {
    const row = b.sessions[i];
    assert.equal(row.date, s.day.replace('T18:00:00Z', 'T18:00:00Z'));
    assert.deepEqual(row.sets, s.stats.sets, `${s.file}: sets`);
    assert.deepEqual(row.sets_won, s.stats.sets_won);
    assert.deepEqual(row.teams, { A: teamName(s, 'A'), B: teamName(s, 'B') });
    for (const side of ['A', 'B']) {
      const t = s.stats.teams[side];
      assert.equal(row.figures[side].kill_pct, t.attack.kill_pct, `${s.file} ${side} kill %`);
      assert.equal(row.figures[side].sideout_pct, t.sideout_pct, `${s.file} ${side} side-out %`);
      assert.equal(row.figures[side].attack_attempts, t.attack.attempts);
      assert.equal(row.figures[side].positive_pct, t.reception.positive_pct);
    }
  }
  // players matched by team name, shirt number and name
  const want = new Map();
  for (const s of sessions) {
    for (const p of s.stats.players) {
      const key = [teamName(s, p.team).toLowerCase(), p.number, rosterName(s, p.team, p.number).toLowerCase()].join('|');
      const w = want.get(key) ?? { counts: {}, matches: 0, ids: [] };
      add(w.counts, counts(p));
      w.matches++;
      w.ids.push(s.id);
      want.set(key, w);
    }
  }
  assert.equal(b.players.length, want.size, 'one row per player of the season');
  for (const p of b.players) {
    const w = want.get([p.team.toLowerCase(), p.number, p.name.toLowerCase()].join('|'));
    assert.ok(w, `${p.team} #${p.number} ${p.name}`);
    assert.deepEqual(counts(p), w.counts, `${p.team} #${p.number}: every count is the sum`);
    assert.equal(p.matches, w.matches);
    assert.deepEqual(p.by_session.map((x) => x.id), w.ids);
    checkPercentages(p, `${p.team} #${p.number}`);
  }
  // the same file twice (example_data and its truncated copy share teams): a player in two matches
  assert.ok(b.players.some((p) => p.matches >= 2), 'players matched across sessions');
});

test('the team/date query picks the sessions of that team in the dates, the team first', async () => {
  const named = sessions.filter((s) => s.detail.teams.some((t) => t.name === 'Nova KBM Branik'));
  assert.ok(named.length >= 2, 'two files of Nova KBM Branik');
  const q = (s) => `/api/v1/stats?team=${encodeURIComponent('nova kbm branik')}${s}`;
  let r = await as(coach, 'GET', q(''));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.sessions.map((x) => x.id), named.map((s) => s.id));
  const b = r.body;
  const want = named.reduce((acc, s) => {
    const side = s.detail.teams.find((t) => t.name === 'Nova KBM Branik').side;
    return add(acc, counts(s.stats.teams[side]));
  }, {});
  assert.deepEqual(counts(b.totals.team), want, 'the team\'s counts, on whichever side it played');
  checkPercentages(b.totals.team, 'team');
  assert.equal(b.matches.played, named.length);
  assert.ok(b.players.every((p) => p.team === 'Nova KBM Branik'), 'the team\'s players only');
  // dates: a whole day by YYYY-MM-DD, and an RFC 3339 bound
  const first = named[0], last = named.at(-1);
  r = await as(coach, 'GET', q(`&from=${last.day.slice(0, 10)}&to=${last.day.slice(0, 10)}`));
  assert.deepEqual(r.body.sessions.map((x) => x.id), [last.id]);
  r = await as(coach, 'GET', q(`&to=${encodeURIComponent(first.day)}`));
  assert.deepEqual(r.body.sessions.map((x) => x.id), [first.id]);
  r = await as(coach, 'GET', q('&from=2030-01-01'));
  assert.deepEqual(r.body.sessions, []);
  // explicit ids with the team: the team's side in each
  r = await as(coach, 'GET', `/api/v1/stats?team=Nova%20KBM%20Branik&sessions=${named.map((s) => s.id).join(',')}`);
  assert.deepEqual(counts(r.body.totals.team), want);
  r = await as(coach, 'GET', `/api/v1/stats?team=Nova%20KBM%20Branik&sessions=${sessions.map((s) => s.id).join(',')}`);
  assert.equal(r.status, 422);
  assert.ok(r.body.error.fields.team, r.text);
});

test('access: another coach\'s session is 404 by id and left out of the team query', async () => {
  const theirs = await importAs(other, 'example_data.dvw');
  const mine = sessions[0].id;
  for (const ids of [[theirs.id], [mine, theirs.id], [mine, randomUUID()]]) {
    const r = await as(coach, 'GET', `/api/v1/stats?sessions=${ids.join(',')}`);
    assert.equal(r.status, 404, `${ids}: ${r.text}`);
    assert.ok(!r.text.includes(theirs.id), 'the answer does not name it');
  }
  const missing = await as(coach, 'GET', `/api/v1/stats?sessions=${randomUUID()}`);
  const forbidden = await as(coach, 'GET', `/api/v1/stats?sessions=${theirs.id}`);
  assert.deepEqual(forbidden.body, missing.body, 'the same answer as for a session that does not exist');
  const r = await as(coach, 'GET', '/api/v1/stats?team=Nova%20KBM%20Branik');
  assert.ok(!r.body.sessions.some((x) => x.id === theirs.id), 'excluded');
  const own = await as(other, 'GET', '/api/v1/stats?team=Nova%20KBM%20Branik');
  assert.deepEqual(own.body.sessions.map((x) => x.id), [theirs.id], 'the other coach sees their own');
  assert.equal((await api('GET', '/api/v1/stats?team=x', { token: null })).status, 401);
});

test('bad input is 422 naming the field', async () => {
  const id = sessions[0].id;
  const many = Array.from({ length: 101 }, () => randomUUID()).join(',');
  for (const [query, field] of [
    ['', 'sessions'], ['?sessions=nope', 'sessions'], [`?sessions=${id},${id}`, 'sessions'], [`?sessions=${many}`, 'sessions'],
    ['?team=X&from=2026-13-01', 'from'], ['?team=X&to=yesterday', 'to'], ['?team=X&from=2026-02-30', 'from'],
    ['?team=X&from=2026-03-02&to=2026-03-01', 'to'], [`?sessions=${id}&from=2026-01-01`, 'from'],
  ]) {
    const r = await as(coach, 'GET', `/api/v1/stats${query}`);
    assert.equal(r.status, 422, `${query}: ${r.text}`);
    assert.ok(r.body.error?.fields?.[field], `${query} names ${field}: ${r.text}`);
  }
  const ok = await as(coach, 'GET', '/api/v1/stats?team=X&from=2026-03-01T00:00:00%2B02:00&to=2026-03-02');
  assert.equal(ok.status, 200, ok.text);
});

test('hand-tagged matches (line-ups, substitutions, points named in the payload, a beach rule) add up as their own /stats', async () => {
  const ids = [];
  for (const [k, rules] of [[0, null], [1, { preset: 'beach' }]]) {
    const meta = { lineups: [{ set: 1, team: 'A', players: ['1', '2', '3', '4', '5', '6'], setter: '3' }],
      ...(rules ? { match_rules: rules } : {}) };
    const s = await as(coach, 'POST', '/api/v1/sessions', { title: `hand ${k}`, kind: 'match', meta });
    assert.equal(s.status, 201, s.text);
    const events = [];
    let t = 1;
    const ev = (event_type, actor_team, actor_number, payload = {}) =>
      events.push({ t_sec: t++, event_type, ...(actor_team ? { actor_team } : {}),
        ...(actor_number ? { actor_number } : {}), payload });
    ev('lineup', 'B', null, { players: ['11', '12', '13', '14', '15', '16'], setter: '12', set: 1 });
    for (let r = 0; r < 24 + k; r++) {
      const srv = r % 3 ? 'A' : 'B';
      ev('serve', srv, srv === 'A' ? '3' : '12', { evaluation: ['#', '+', '='][r % 3] });
      ev('reception', srv === 'A' ? 'B' : 'A', srv === 'A' ? '14' : '5', { evaluation: ['#', '+', '-', '='][r % 4] });
      ev('attack', srv === 'A' ? 'B' : 'A', srv === 'A' ? '16' : '07', { evaluation: ['#', '=', '/', '+'][r % 4] });
      if (r === 7) ev('substitution', 'A', null, { player_out: '6', player_in: '9' });
      // every third point names its winner in the payload only
      if (r % 3 === 2) ev('point', null, null, { point_won_by: r % 2 ? 'A' : 'B' });
      else ev('point', r % 5 ? 'A' : 'B');
    }
    const w = await as(coach, 'POST', `/api/v1/sessions/${s.body.id}/events`, { events });
    assert.equal(w.status, 201, w.text);
    ids.push(s.body.id);
  }
  const own = await Promise.all(ids.map(async (id) => (await as(coach, 'GET', `/api/v1/sessions/${id}/stats`)).body));
  const b = (await as(coach, 'GET', `/api/v1/stats?sessions=${ids.join(',')}`)).body;
  for (const side of ['A', 'B']) {
    assert.ok(own.every((o) => o.teams[side].rallies_served + o.teams[side].rallies_received > 0), 'rallies counted');
    assert.deepEqual(counts(b.totals[side]), add(counts(own[0].teams[side]), counts(own[1].teams[side])), `team ${side}`);
    for (let rot = 1; rot <= 6; rot++) {
      const one = (o) => counts(o.by_rotation.find((x) => x.team === side && x.rotation === rot));
      assert.deepEqual(counts(b.by_rotation.find((x) => x.team === side && x.rotation === rot)), add(one(own[0]), one(own[1])),
        `team ${side} rotation ${rot}`);
    }
  }
  assert.deepEqual(b.sessions.map((x) => x.id), ids, 'by creation time when there is no start');
  b.sessions.forEach((row, i) => {
    assert.deepEqual(row.sets, own[i].sets);
    assert.deepEqual(row.sets_won, own[i].sets_won);
  });
  const p07 = b.players.find((p) => p.team === 'A' && p.number === '07');
  assert.equal(p07.attack.attempts, own.reduce((a, o) => a + o.players.find((p) => p.team === 'A' && p.number === '07').attack.attempts, 0));
  assert.equal(b.players.find((p) => p.team === 'A' && p.number === '7'), undefined, '"07" is not "7"');
});
