// Volleyball statistics (GET /api/v1/sessions/<id>/stats, lib/vbstats.c): for every real DataVolley file, the
// side-out % and break-point % per team equal a count made here straight from the scout lines (apart from lib/:
// a rally's serving team is the team of its (first) serve line, the prefix of its point line, `*p` or `ap`, names the
// winner), serve attempts per team equal the file's serve lines (bookkeeping lines stay out), and the set scores
// equal the file's [3SET]; the filters and their 422s; the stats page shows side-out and break-point % per set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, Browser, REPO } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const DIR = path.join(DATA, 'volleyball');

function section(bytes, name) {
  const lines = bytes.toString('latin1').split(/\r?\n/);
  const start = lines.indexOf(name);
  const out = [];
  for (let i = start + 1; start >= 0 && i < lines.length && !lines[i].startsWith('[3'); i++) out.push(lines[i]);
  return out;
}

// [3SET]: a played row is "True;8-4;16-7;21-10;25-12;20;", field 4 the final score.
function setSection(bytes) {
  const sets = [];
  for (const row of section(bytes, '[3SET]')) {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(row.split(';')[4] ?? '');
    if (m) sets.push({ set: sets.length + 1, A: Number(m[1]), B: Number(m[2]) });
  }
  return sets;
}

// Rallies from [3SCOUT]: the serve line ("*07SM+", "a$$S...") names the server, the point line ("*p12:10") the winner.
function scoutCount(bytes) {
  const team = (c) => (c === '*' ? 'A' : 'B');
  const n = { A: { received: 0, so: 0, served: 0, bp: 0, serves: 0 }, B: { received: 0, so: 0, served: 0, bp: 0, serves: 0 } };
  // a rally's serving team is its first serve line's (example_data line 382 codes a second "serve" mid-rally);
  // a rally without one (PM06 line 620, after a substitution) is served by the last rally's winner (rule 7.7)
  let server = null, lastWinner = null, unserved = 0;
  for (const line of section(bytes, '[3SCOUT]')) {
    const code = line.split(';')[0];
    if (/^[*a](\d{1,3}|\$\$)S/.test(code)) {
      n[team(code[0])].serves++;
      server ??= team(code[0]);
    } else if (/^\*\*\dset/.test(code)) {
      lastWinner = null;
    } else if (/^[*a]p\d+:\d+/.test(code)) {
      const won = team(code[0]);
      if (server === null) { unserved++; server = lastWinner; }
      const recv = server === 'A' ? 'B' : 'A';
      n[server].served++;
      n[recv].received++;
      if (won === server) n[server].bp++; else n[recv].so++;
      server = null;
      lastWinner = won;
    }
  }
  return { n, unserved };
}

const pct = (w, d) => (d ? Math.round((1000 * w) / d) / 10 : null);

async function importBytes(body) {
  const r = await api('POST', '/api/v1/imports', { body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  return r.body.session;
}

async function stats(id, query = '') {
  const r = await api('GET', `/api/v1/sessions/${id}/stats${query}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

for (const name of readdirSync(DIR).filter((f) => f.endsWith('.dvw')).sort()) {
  test(`${name}: side-out and break-point % per team equal the scout lines' count; set scores equal [3SET]`, async () => {
    const bytes = readFileSync(path.join(DIR, name));
    const s = await importBytes(bytes);
    const b = await stats(s.id);
    const { n, unserved } = scoutCount(bytes);
    assert.ok(unserved <= 1, `${name}: ${unserved} point lines without a serve line`);
    for (const t of ['A', 'B']) {
      const got = b.teams[t];
      assert.deepEqual(
        [got.rallies_received, got.sideout_won, got.rallies_served, got.breakpoint_won],
        [n[t].received, n[t].so, n[t].served, n[t].bp], `${name} team ${t}: rallies`);
      assert.equal(got.sideout_pct, pct(n[t].so, n[t].received), `${name} team ${t}: side-out %`);
      assert.equal(got.breakpoint_pct, pct(n[t].bp, n[t].served), `${name} team ${t}: break-point %`);
      assert.equal(got.serve.attempts, n[t].serves, `${name} team ${t}: serve lines`);
      // the per-set and per-rotation rallies add up to the team's
      const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
      assert.equal(sum(b.by_set.map((x) => x.teams[t]), 'rallies_received'), got.rallies_received);
      assert.equal(sum(b.by_rotation.filter((x) => x.team === t), 'rallies_served'), got.rallies_served);
    }
    if (name.endsWith('-clip.dvw')) {
      assert.deepEqual(b.sets, [{ set: 1, A: 0, B: 1 }], 'one rally of the match: its one point line');
    } else {
      const expected = setSection(bytes);
      assert.deepEqual(b.sets, expected, `${name}: set scores`);
      assert.deepEqual(b.sets_won, { A: expected.filter((x) => x.A > x.B).length, B: expected.filter((x) => x.B > x.A).length });
    }
    // every percentage on 0-100 with one decimal
    const walk = (o, k = '') => {
      if (o && typeof o === 'object') for (const [kk, v] of Object.entries(o)) walk(v, kk);
      else if (typeof o === 'number' && /pct|efficiency/.test(k)) {
        assert.ok(o >= -100 && o <= 100 && Math.abs(o * 10 - Math.round(o * 10)) < 1e-9, `${k} ${o}`);
      }
    };
    walk(b);
    // the filters: reception-phase and transition-phase attacks add up to all attacks
    const rec = await stats(s.id, '?phase=reception');
    const tra = await stats(s.id, '?phase=transition');
    for (const t of ['A', 'B']) {
      assert.equal(rec.teams[t].attack.attempts + tra.teams[t].attack.attempts, b.teams[t].attack.attempts);
      assert.equal(rec.teams[t].serve.attempts, 0);
    }
    const p = b.players.find((x) => x.attack.attempts > 0);
    const one = await stats(s.id, `?team=${p.team}&player=${p.number}`);
    assert.deepEqual(one.players, [p]);
    assert.equal(one.teams[p.team].attack.attempts, p.attack.attempts);
  });
}

test('bad filters are 422 naming the field', async () => {
  const s = await importBytes(readFileSync(path.join(DIR, 'PM06.dvw')));
  for (const [q, field] of [['?phase=serve', 'phase'], ['?player=x&team=A', 'player'], ['?player=7', 'team'],
    ['?player=7&team=C', 'team'], ['?team=A', 'player']]) {
    const r = await api('GET', `/api/v1/sessions/${s.id}/stats${q}`);
    assert.equal(r.status, 422, q);
    assert.ok(JSON.stringify(r.body).includes(field), `${q}: ${r.text}`);
  }
});

test('the stats page shows side-out and break-point % per set and for the match', async () => {
  const s = await importBytes(readFileSync(path.join(DIR, 'PM06.dvw')));
  const b = await stats(s.id);
  const html = (await (await new Browser().login()).get(`/sessions/${s.id}/stats`)).html;
  const table = /<table class="data" id="stats-rallies">([\s\S]*?)<\/table>/.exec(html);
  assert.ok(table, 'the side-out table');
  const f = (v) => (v === null ? '–' : v.toFixed(1));
  b.by_set.forEach((x, i) => {
    const { A, B } = b.sets[i];
    assert.match(table[1], new RegExp(`<th scope="row">Set ${x.set}</th><td>${A}–${B}</td><td>${f(x.teams.A.sideout_pct)}</td>` +
      `<td>${f(x.teams.A.breakpoint_pct)}</td><td>${f(x.teams.B.sideout_pct)}</td><td>${f(x.teams.B.breakpoint_pct)}</td>`));
  });
  assert.match(table[1], new RegExp(`<th scope="row">Match</th><td>${b.sets_won.A}–${b.sets_won.B}</td><td>${f(b.teams.A.sideout_pct)}</td>`));
});
