// The match report's exports and artifacts (issue 19): a real DataVolley file (example_data.dvw) imported,
// then its spreadsheet CSVs: named from the date and the teams (Content-Disposition with filename*), team and
// player names in columns, payload fields in their own columns, formula-guarded evaluations, one row per
// stored event; cells equal counts made here straight from the file's scout lines (apart from lib/: a home
// attack line is "*NNA", its evaluation the code's 6th character, its start and end zones the 10th and 11th);
// the per-player CSV's kills equal the lines' count. Then the stored artifacts: the report, charts and CSVs
// written under reports/<session>/match-*/ (no temporary name left), downloadable through the artifact path
// with the access check (the report inline, an SVG an attachment), the home attack chart's arrows adding up to
// the file's home attacks with both zones; the stats page shows the charts with accessible titles.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { api, Browser, makeUser, PREFIX, REPO } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const FILE = path.join(DATA, 'volleyball', 'example_data.dvw');

let sid;
let session;
const bytes = readFileSync(FILE);

/* RFC 4180 records of text (CRLF ends, quoted fields with "" for a quote). */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  assert.equal(field + row.join(''), '', 'the file ends with CRLF');
  return rows;
}

const objects = (rows) => rows.slice(1).map((r) => Object.fromEntries(rows[0].map((k, i) => [k, r[i]])));

// the file's scout codes (first field of each [3SCOUT] line), latin1 as the bytes go
function scoutCodes() {
  const lines = bytes.toString('latin1').split(/\r?\n/);
  const out = [];
  for (let i = lines.indexOf('[3SCOUT]') + 1; i > 0 && i < lines.length && !lines[i].startsWith('[3'); i++) {
    out.push(lines[i].split(';')[0]);
  }
  return out;
}

before(async () => {
  const r = await api('POST', '/api/v1/imports', { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  sid = r.body.session.id;
  session = (await api('GET', `/api/v1/sessions/${sid}`)).body;
});

test('events CSV: named from date and teams, names in columns, payload fields in columns, cells equal the scout lines', async () => {
  const r = await api('GET', `/api/v1/sessions/${sid}/export/sheet/events.csv`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
  const home = session.teams.find((t) => t.side === 'A').name, away = session.teams.find((t) => t.side === 'B').name;
  assert.equal(home, 'Braslovče');
  const date = (session.starts_at ?? session.meta.match.date).slice(0, 10);
  assert.equal(r.headers.get('content-disposition'),
    `attachment; filename="${date}_Braslov-e-vs-Nova-KBM-Branik_events.csv"; ` +
    `filename*=UTF-8''${encodeURIComponent(`${date}_Braslovče-vs-Nova-KBM-Branik_events.csv`)}`);
  const rows = parseCsv(r.text);
  assert.deepEqual(rows[0].slice(0, 16), ['event_id', 't_sec', 'set', 'home_score', 'visiting_score', 'serving_team',
    'team', 'home_or_visiting', 'number', 'player', 'event_type', 'skill', 'skill_type', 'evaluation',
    'evaluation_name', 'attack_code']);
  assert.ok(rows.every((x) => x.length === rows[0].length), 'every record has every column');
  const ev = objects(rows);
  const total = (await api('GET', `/api/v1/sessions/${sid}/events?limit=1`)).body.total;
  assert.equal(ev.length, total, 'one row per stored event');
  // names, never A/B alone
  assert.ok(ev.every((e) => !['A', 'B'].includes(e.team) && !['A', 'B'].includes(e.serving_team)));
  assert.deepEqual([...new Set(ev.filter((e) => e.team).map((e) => e.team))].sort(), [home, away].sort());
  for (const side of ['A', 'B']) {
    const team = session.teams.find((t) => t.side === side);
    const named = ev.find((e) => e.team === team.name && e.event_type === 'attack');
    const roster = team.roster.find((p) => String(p.number) === named.number);
    assert.ok(roster.player_name.length > 0);
    assert.equal(named.player, roster.player_name, `${team.name} #${named.number}`);
  }

  // counts from the scout lines, against the columns
  const codes = scoutCodes();
  const homeAttacks = codes.filter((c) => /^\*(\d\d|\$\$)A/.test(c));
  const kills = homeAttacks.filter((c) => c[5] === '#').length;
  const errors = homeAttacks.filter((c) => c[5] === '=').length;
  const mine = ev.filter((e) => e.team === home && e.event_type === 'attack');
  assert.equal(mine.length, homeAttacks.length);
  assert.ok(kills > 10, `${kills} home kills`);
  assert.equal(mine.filter((e) => e.evaluation === '#').length, kills);
  // an evaluation '=' is text starting with '=': written with the formula guard
  assert.equal(mine.filter((e) => e.evaluation === "'=").length, errors);
  assert.ok(errors > 0 && r.text.includes(`"'="`));
  // attack combinations and zones in their own columns
  const v5 = homeAttacks.filter((c) => c.slice(6, 8) === 'V5').length;
  assert.equal(mine.filter((e) => e.attack_code === 'V5').length, v5);
  const z45 = homeAttacks.filter((c) => c[9] === '4' && c[10] === '5').length;
  assert.equal(mine.filter((e) => e.start_zone === '4' && e.end_zone === '5').length, z45);
  // set, score before the event, rotations and phase are GET /state's for the same event
  const state = (await api('GET', `/api/v1/sessions/${sid}/state`)).body;
  const byId = new Map(state.events.map((e) => [String(e.id), e]));
  for (const e of ev) {
    const s = byId.get(e.event_id);
    assert.deepEqual([e.set, e.home_score, e.visiting_score, e.home_rotation, e.visiting_rotation, e.phase],
      [s.set, s.score.A, s.score.B, s.rotation.A, s.rotation.B, s.phase ?? ''].map(String), `event ${e.event_id}`);
  }
  // the set column is the match state's: as many sets as the file's [3SET] has played
  const played = bytes.toString('latin1').split(/\r?\n/).filter((l, i, a) => i > a.indexOf('[3SET]') &&
    i < a.findIndex((x, j) => j > a.indexOf('[3SET]') && x.startsWith('[3')) &&
    /^\s*\d+\s*-\s*\d+\s*$/.test(l.split(';')[4] ?? '')).length;
  assert.equal(played, 3);
  assert.equal(new Set(ev.map((e) => e.set)).size, played);
});

test('players CSV: one row per player with names; kills equal the scout lines per player', async () => {
  const r = await api('GET', `/api/v1/sessions/${sid}/export/sheet/players.csv`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-disposition'), /_players\.csv"; filename\*=UTF-8''/);
  const players = objects(parseCsv(r.text));
  const stats = (await api('GET', `/api/v1/sessions/${sid}/stats`)).body;
  assert.equal(players.length, stats.players.length);
  // every figure is GET /stats' for the player
  for (const p of players) {
    const q = stats.players.find((x) => x.team === (p.home_or_visiting === 'home' ? 'A' : 'B') && x.number === p.number);
    assert.deepEqual([p.serve_attempts, p.serve_aces, p.reception_attempts, p.reception_errors, p.attack_attempts,
      p.attack_kills, p.attack_errors, p.attack_blocked, p.attack_efficiency, p.block_points, p.digs].map(String),
    [q.serve.attempts, q.serve.aces, q.reception.attempts, q.reception.errors, q.attack.attempts, q.attack.kills,
      q.attack.errors, q.attack.blocked, q.attack.efficiency === null ? '' : q.attack.efficiency.toFixed(1),
      q.block.points, q.dig.attempts].map(String), `#${p.number}`);
  }
  const codes = scoutCodes();
  for (const p of players.filter((x) => x.home_or_visiting === 'home')) {
    const n = p.number.padStart(2, '0');
    const lines = codes.filter((c) => c.startsWith(`*${n}A`));
    assert.equal(Number(p.attack_attempts), lines.length, `#${p.number} attacks`);
    assert.equal(Number(p.attack_kills), lines.filter((c) => c[5] === '#').length, `#${p.number} kills`);
    assert.equal(Number(p.points), Number(p.attack_kills) + Number(p.serve_aces) + Number(p.block_points));
  }
});

test('stored artifacts: report, charts, CSVs in one folder; downloads with the access check; arrows equal the lines', async () => {
  const r = await api('POST', `/api/v1/sessions/${sid}/match-report?team=A&player=12`);
  assert.equal(r.status, 201, r.text);
  const arts = r.body.artifacts;
  assert.deepEqual(arts.map((a) => a.meta.part), ['report', 'attack-a', 'serve-a', 'reception-a', 'attack-b', 'serve-b',
    'reception-b', 'rotation', 'attack-a12', 'serve-a12', 'reception-a12', 'events', 'players']);
  // on disk: one folder, complete, nothing temporary left
  const dirs = readdirSync(path.join(PREFIX, 'reports', sid));
  assert.ok(dirs.every((d) => !d.endsWith('.tmp')), dirs.join(','));
  const run = dirs.find((d) => d.startsWith('match-'));
  assert.deepEqual(readdirSync(path.join(PREFIX, 'reports', sid, run)).sort(), ['attack-a.svg', 'attack-a12.svg',
    'attack-b.svg', 'events.csv', 'players.csv', 'reception-a.svg', 'reception-a12.svg', 'reception-b.svg',
    'report.html', 'rotation.svg', 'serve-a.svg', 'serve-a12.svg', 'serve-b.svg']);

  const report = await api('GET', arts[0].download_url);
  assert.equal(report.status, 200);
  assert.match(report.headers.get('content-type'), /^text\/html/);
  assert.match(report.headers.get('content-disposition'), /^inline; filename\*=UTF-8''.*_report\.html$/);
  assert.match(report.text, /<style>[^]*@page \{ size: A4 portrait/);
  // set durations from the file's [3SET] minutes (21, 20, 26)
  assert.match(report.text, /<th scope="row">1<\/th><td>25<\/td><td>16<\/td><td>21 min<\/td>/);
  assert.ok(!/<script|<link rel="stylesheet"|src=/.test(report.text), 'self-contained');

  const chart = arts.find((a) => a.meta.part === 'attack-a');
  const svg = await api('GET', chart.download_url);
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.match(svg.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''.*_attack-a\.svg$/);
  const arrows = [...svg.text.matchAll(/class="arrow" data-from="(\d)" data-to="(\d)" data-count="(\d+)"/g)];
  const lines = scoutCodes().filter((c) => /^\*(\d\d|\$\$)A/.test(c) && /[1-9]/.test(c[9] ?? '') && /[1-9]/.test(c[10] ?? ''));
  assert.equal(arrows.reduce((a, m) => a + Number(m[3]), 0), lines.length, 'the arrows add up to the home attacks with zones');
  const from4to5 = arrows.find((m) => m[1] === '4' && m[2] === '5');
  assert.equal(Number(from4to5?.[3] ?? 0), lines.filter((c) => c[9] === '4' && c[10] === '5').length);

  // access: another coach may neither download nor store; a viewer share may download but not store
  const other = makeUser('coach');
  assert.equal((await api('GET', chart.download_url, { token: other.token })).status, 403);
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/match-report`, { token: other.token })).status, 403);
});

test('the stats page shows the charts with titles, the report link and the form that stores them', async () => {
  const b = await new Browser().login();
  const page = await b.get(`/sessions/${sid}/stats`);
  assert.equal(page.status, 200);
  for (const id of ['attack-a', 'serve-b', 'reception-a', 'rotation']) {
    assert.match(page.html, new RegExp(`<svg [^>]*id="${id}"[^>]*role="img" aria-labelledby="${id}-t" aria-describedby="${id}-d"`));
  }
  assert.match(page.html, new RegExp(`href="/sessions/${sid}/report"`));
  const one = await b.get(`/sessions/${sid}/stats?team=A&player=12`);
  assert.match(one.html, /id="attack-a12"/);
  const stored = await b.post(`/sessions/${sid}/report`, {});
  assert.equal(stored.status, 303);
  assert.match(stored.headers.get('location'), new RegExp(`^/sessions/${sid}/stats\\?flash=report_stored#downloads$`));
  const after = await b.get(`/sessions/${sid}/stats?flash=report_stored`);
  assert.match(after.html, /_report\.html<\/a>/);
  // a viewer share sees the charts and the downloads, not the form that stores
  const analyst = makeUser('analyst');
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: analyst.email, role: 'viewer' } });
  assert.ok(share.status < 300, share.text);
  const viewer = await (await new Browser().login(analyst.email, analyst.password)).get(`/sessions/${sid}/stats`);
  assert.equal(viewer.status, 200);
  assert.match(viewer.html, /id="attack-a"/);
  assert.match(viewer.html, /_report\.html<\/a>/);
  assert.ok(!viewer.html.includes(`action="/sessions/${sid}/report"`));
  assert.ok(after.html.includes(`action="/sessions/${sid}/report"`));
  // a session without volleyball play shows no charts
  const climb = await api('POST', '/api/v1/sessions', { json: { title: 'no play', kind: 'climb' } });
  const none = await b.get(`/sessions/${climb.body.id}/stats`);
  assert.equal(none.status, 200);
  assert.ok(!none.html.includes('id="charts"'));
  const rep = await b.get(`/sessions/${sid}/report`);
  assert.equal(rep.status, 200);
  assert.match(rep.html, /<link rel="stylesheet" href="\/static\/match-report\.css/);
});
