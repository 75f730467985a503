// thresholds.test.mjs: the team report's load thresholds as settings (issue 12; docs/report.md,
// "Thresholds"): GET/PUT/DELETE /api/v1/thresholds and the page /settings/thresholds.
// Read by whoever may create sessions, changed by admins and coaches; every value checked with its
// unit and range and the orders across fields (422 naming the field, never a 500); the default row
// cannot be deleted (409); the page works without JavaScript (forms, CSRF, flash, problems shown by
// field with the values kept, a team's name escaped); and a changed threshold changes a report:
// bin/stint-report on a session of the team before and after its sprint and HSR speeds change.
//
// Run against a stack: bin/stint test integration/thresholds
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ADMIN_TOKEN, Browser, PREFIX, REPO, api, makeUser } from './lib.mjs';

const TAG = `thr${randomBytes(4).toString('hex')}`;
const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

const coach = makeUser('coach');
const analyst = makeUser('analyst');
const viewer = makeUser('viewer');
const teams = [];   // team names this file made rows for
after(() => { if (teams.length) sql(`DELETE FROM load_thresholds WHERE team IN (${teams.map(q).join(', ')})`); });

const DEFAULTS = {
  max_speed_mps: 12, gap_s: 30, sg_window: 7, sg_order: 1, zone1_mps: 2, zone2_mps: 4, zone3_mps: 5.5, zone4_mps: 7,
  hsr_mps: 5.5, sprint_mps: 7, sprint_min_s: 1, accel_mps2: 3, effort_min_s: 0.5, hr_rest_bpm: 60, hr_max_bpm: 190,
  hr_zone1_pct: 60, hr_zone2_pct: 70, hr_zone3_pct: 80, hr_zone4_pct: 90, trimp_a: 0.64, trimp_b: 1.92,
  wellness_flag_max: 2, readiness_flag_max: 3, sleep_flag_h: 6, acute_days: 7, chronic_days: 28,
};

const put = (json, token = coach.token) => api('PUT', '/api/v1/thresholds', { json, token });
const team = (name) => { teams.push(name); return name; };

test('everyone who may create sessions reads every row; the default row holds the literature values', async () => {
  for (const token of [ADMIN_TOKEN, coach.token, analyst.token]) {
    const r = await api('GET', '/api/v1/thresholds', { token });
    assert.equal(r.status, 200, r.text);
    const def = r.body.find((t) => t.team === '' && t.valid_from === '1970-01-01');
    assert.ok(def, 'the default row is listed');
    for (const [k, v] of Object.entries(DEFAULTS)) assert.equal(def[k], v, k);
  }
  assert.equal((await api('GET', '/api/v1/thresholds', { token: viewer.token })).status, 403);
  assert.equal((await api('GET', '/api/v1/thresholds', { token: null })).status, 401);
});

test('a coach sets a team\'s row (201, then 200 replacing it), audited; left-out values take the defaults', async () => {
  const name = team(`${TAG} FC`);
  const r = await put({ team: name, valid_from: '2026-08-01', sprint_mps: 7.5, zone4_mps: 7.5, hr_max_bpm: 201 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.team, r.body.valid_from, r.body.sprint_mps, r.body.zone4_mps, r.body.hr_max_bpm, r.body.hsr_mps],
    [name, '2026-08-01', 7.5, 7.5, 201, 5.5]);
  // a listed row sent back as it is (updated_at too) replaces it
  const again = await put({ ...r.body, hsr_mps: 6 });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.body.hsr_mps, again.body.sprint_mps], [6, 7.5]);
  const list = await api('GET', '/api/v1/thresholds', { token: analyst.token });
  assert.deepEqual(list.body.filter((t) => t.team === name).map((t) => [t.valid_from, t.hsr_mps]), [['2026-08-01', 6]]);
  const audit = sql(`SELECT a.action || ' ' || u.email FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE a.target_type = 'thresholds' AND a.target_id = ${q(`${name}@2026-08-01`)} ORDER BY a.id`);
  assert.deepEqual(audit, [`thresholds.set ${coach.email}`, `thresholds.set ${coach.email}`]);
});

test('values out of range or order are 422 naming each field with its unit; nothing is written', async () => {
  const name = team(`${TAG} bad`);
  const cases = [
    [{ zone1_mps: 0 }, { zone1_mps: /m\/s above 0 and at most 20/ }],
    [{ zone2_mps: 1.5 }, { zone2_mps: /above zone1_mps/ }],
    [{ zone3_mps: 3, zone4_mps: 3 }, { zone3_mps: /above zone2_mps/, zone4_mps: /above zone3_mps/ }],
    [{ hr_rest_bpm: 195 }, { hr_max_bpm: /above hr_rest_bpm/ }],
    [{ acute_days: 28 }, { chronic_days: /longer than acute_days/ }],
    [{ sg_window: 8 }, { sg_window: /odd/ }],
    [{ sg_window: 3, sg_order: 3 }, { sg_order: /below sg_window/ }],
    [{ hr_zone2_pct: 50 }, { hr_zone2_pct: /above hr_zone1_pct/ }],
    [{ acute_days: 7.5 }, { acute_days: /an integer of days from 1 and at most 365/ }],
    [{ sprint_mps: '7' }, { sprint_mps: /a number of m\/s/ }],
    [{ hr_max_bpm: 1e9 }, { hr_max_bpm: /bpm above 0 and at most 250/ }],
    [{ colour: 'red' }, { colour: /not a threshold/ }],
    [{ valid_from: '2026-02-30' }, { valid_from: /date YYYY-MM-DD/ }],
    [{ valid_from: undefined }, { valid_from: /date/ }],
    [{ team: 'x'.repeat(201) }, { team: /200 characters/ }],
  ];
  for (const [extra, want] of cases) {
    const r = await put({ team: name, valid_from: '2026-01-01', ...extra });
    assert.equal(r.status, 422, `${JSON.stringify(extra)}: ${r.text}`);
    assert.equal(r.body.error.code, 'invalid_fields');
    assert.deepEqual(Object.keys(r.body.error.fields).sort(), Object.keys(want).sort(), JSON.stringify(extra));
    for (const [k, re] of Object.entries(want)) assert.match(r.body.error.fields[k], re, k);
  }
  assert.equal((await api('PUT', '/api/v1/thresholds', { body: '[1]', headers: { 'content-type': 'application/json' }, token: coach.token })).status, 422);
  assert.deepEqual(sql(`SELECT count(*) FROM load_thresholds WHERE team = ${q(name)}`), ['0']);
});

test('the table\'s CHECKs are the ones the handler names fields for (lib/thresholds.c)', () => {
  // a row that passed the validator and still broke a CHECK is a 422 naming the field: the
  // constraint names it maps must be the table's, with the columns it names
  const checks = Object.fromEntries(sql(`SELECT conname || '|' || pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = 'load_thresholds'::regclass AND contype = 'c'`).map((l) => l.split('|')));
  for (const [name, cols] of [['load_thresholds_check', ['sg_order', 'sg_window']],
    ['load_thresholds_check1', ['zone1_mps', 'zone2_mps']], ['load_thresholds_check2', ['hr_zone1_pct', 'hr_zone2_pct']],
    ['load_thresholds_check3', ['hr_max_bpm', 'hr_rest_bpm']], ['load_thresholds_check4', ['chronic_days', 'acute_days']],
    ['load_thresholds_sg_window_check', ['sg_window']], ['load_thresholds_trimp_a_check', ['trimp_a']]]) {
    assert.ok(checks[name], `${name} exists`);
    for (const c of cols) assert.ok(checks[name].includes(c), `${name}: ${checks[name]}`);
  }
});

test('DELETE removes a team\'s row; the default row is 409; unknown 404; bad query 422', async () => {
  const name = team(`${TAG} del`);
  assert.equal((await put({ team: name, valid_from: '2025-01-01' })).status, 201);
  const qs = (t, d) => `/api/v1/thresholds?team=${encodeURIComponent(t)}&valid_from=${d}`;
  const def = await api('DELETE', qs('', '1970-01-01'), { token: coach.token });
  assert.equal(def.status, 409, def.text);
  assert.equal(def.body.error.code, 'conflict');
  assert.equal((await api('DELETE', '/api/v1/thresholds?valid_from=1970-01-01', { token: ADMIN_TOKEN })).status, 409);
  assert.equal((await api('DELETE', qs(name, '2025-01-01'), { token: analyst.token })).status, 403);
  assert.equal((await api('DELETE', qs(name, '2025-01-01'), { token: coach.token })).status, 204);
  assert.equal((await api('DELETE', qs(name, '2025-01-01'), { token: coach.token })).status, 404);
  const bad = await api('DELETE', qs(name, '2025-13-01'), { token: coach.token });
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.body.error.fields), ['valid_from']);
  assert.equal((await api('DELETE', '/api/v1/thresholds', { token: coach.token })).status, 422);
  assert.deepEqual(sql(`SELECT count(*) FROM load_thresholds WHERE team = '' AND valid_from = '1970-01-01'`), ['1']);
});

test('analysts and viewers may not change thresholds (403), nor a read-only token', async () => {
  const name = team(`${TAG} refused`);
  for (const token of [analyst.token, viewer.token]) {
    const r = await put({ team: name, valid_from: '2026-01-01' }, token);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, 'forbidden');
  }
  assert.deepEqual(sql(`SELECT count(*) FROM load_thresholds WHERE team = ${q(name)}`), ['0']);
});

/* A browser signed in as user u (made by makeUser: a password login). */
async function signedIn(u) {
  return new Browser().login(u.email, u.password);
}

test('the page without JavaScript: a table and forms, set with CSRF and a flash, problems by field, escaping', async () => {
  const b = await signedIn(coach);
  const home = await b.get('/');
  assert.match(home.html, /<a href="\/settings\/thresholds">Thresholds<\/a>/, 'linked from the navigation');
  const page = await b.get('/settings/thresholds');
  assert.equal(page.status, 200);
  assert.match(page.html, /Every team \(default\)/);
  assert.match(page.html, /Sprint from \(m\/s\)/);
  assert.match(page.html, /Default 7 m\/s: 25\.2 km\/h \(LaurieOnTracking; Pimenta et al\.; Gualtieri et al\. 2023\)/);
  assert.match(page.html, /TRIMP factor a[\s\S]*Morton, Fitz-Clarke &amp; Banister/);
  assert.doesNotMatch(page.html, /<script/i, 'nothing needs JavaScript');

  const name = team(`<b>"x"</b> ${TAG}`);
  // without the CSRF token: refused, nothing written
  const noCsrf = await b.post('/settings/thresholds', { form: 'new', team: name, valid_from: '2026-09-01' }, { csrf: null });
  assert.equal(noCsrf.status, 403);
  assert.deepEqual(sql(`SELECT count(*) FROM load_thresholds WHERE team = ${q(name)}`), ['0']);
  // the new row's form: a flash after the redirect
  const fields = { form: 'new', team: name, valid_from: '2026-09-01', ...Object.fromEntries(Object.entries(DEFAULTS).map(([k, v]) => [k, String(v)])), sprint_mps: '8', zone4_mps: '8' };
  const set = await b.post('/settings/thresholds', fields);
  assert.equal(set.status, 303, set.html.slice(0, 300));
  assert.equal(set.headers.get('location'), '/settings/thresholds?flash=thresholds_added');
  const after = await b.get(set.headers.get('location'));
  assert.match(after.html, /class="flash"[^>]*>Thresholds added\./);
  assert.ok(!after.html.includes('<b>"x"</b>'), 'the team name is escaped');
  assert.match(after.html, /&lt;b&gt;(&quot;|&#34;)x(&quot;|&#34;)&lt;\/b&gt;/);
  const row = (await api('GET', '/api/v1/thresholds')).body.find((t) => t.team === name);
  assert.deepEqual([row.valid_from, row.sprint_mps, row.zone4_mps, row.hsr_mps], ['2026-09-01', 8, 8, 5.5]);

  // the row's own form with problems: 422, the problems by field, the entered values kept, nothing written
  const bad = await b.post('/settings/thresholds', { ...fields, form: 'row', zone2_mps: '1.5', hr_max_bpm: 'fast' });
  assert.equal(bad.status, 422);
  assert.match(bad.html, /role="alert"/);
  assert.match(bad.html, /zone2_mps must be above zone1_mps/);
  assert.match(bad.html, /hr_max_bpm must be a number of bpm above 0 and at most 250/);
  assert.match(bad.html, /name="zone2_mps" inputmode="decimal" value="1\.5" aria-invalid="true"/);
  assert.match(bad.html, /name="hr_max_bpm" inputmode="decimal" value="fast" aria-invalid="true"/);
  assert.ok(!bad.html.includes('<b>"x"</b>'), 'escaped on the 422 page too');
  assert.deepEqual(sql(`SELECT zone2_mps FROM load_thresholds WHERE team = ${q(name)}`), ['4']);

  // saved, then deleted through its delete form
  const saved = await b.post('/settings/thresholds', { ...fields, form: 'row', sprint_mps: '7.8' });
  assert.equal(saved.headers.get('location'), '/settings/thresholds?flash=thresholds_saved');
  assert.deepEqual(sql(`SELECT sprint_mps FROM load_thresholds WHERE team = ${q(name)}`), ['7.8']);
  const del = await b.post('/settings/thresholds/delete', { team: name, valid_from: '2026-09-01' });
  assert.equal(del.headers.get('location'), '/settings/thresholds?flash=thresholds_deleted');
  assert.deepEqual(sql(`SELECT count(*) FROM load_thresholds WHERE team = ${q(name)}`), ['0']);
  const def = await b.post('/settings/thresholds/delete', { team: '', valid_from: '1970-01-01' });
  assert.equal(def.status, 409);
});

test('the page for an analyst: rows to read, no forms to send; a viewer: no link, refused', async () => {
  const a = await signedIn(analyst);
  const page = await a.get('/settings/thresholds');
  assert.equal(page.status, 200);
  assert.match(page.html, /<fieldset disabled>/);
  assert.doesNotMatch(page.html, /<button type="submit">(Save|Add thresholds)<\/button>/);
  const post = await a.post('/settings/thresholds', { form: 'new', team: `${TAG} a`, valid_from: '2026-01-01' });
  assert.equal(post.status, 403);
  const v = await signedIn(viewer);
  assert.doesNotMatch((await v.get('/')).html, /\/settings\/thresholds/);
  assert.equal((await v.get('/settings/thresholds')).status, 403);
});

function stackEnv() {
  const env = {};
  for (const line of readFileSync(path.join(PREFIX, 'stint.env'), 'utf8').split('\n')) {
    const m = /^(STINT_[A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) env[m[1]] = m[2].replaceAll("'\\''", "'");
  }
  return env;
}

/** bin/stint-report SESSION as the stack runs it (as the user `stint` when root): the run's metrics.json. */
function report(sid) {
  const prog = path.join(REPO, 'bin/stint-report');
  const [cmd, args] = process.getuid() === 0
    ? ['setpriv', ['--reuid=stint', '--regid=stint', '--init-groups', prog, sid]] : [prog, [sid]];
  const r = spawnSync(cmd, args, { env: { PATH: process.env.PATH, ...stackEnv() }, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)).run;
  return JSON.parse(readFileSync(path.join(PREFIX, 'reports', sid, run, 'metrics.json'), 'utf8'));
}

test('a changed threshold changes the report: the team\'s sprint and HSR speeds', async (t) => {
  const name = team(`${TAG} Runners`);
  const s = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} run`, kind: 'training' }, token: coach.token });
  assert.equal(s.status, 201, s.text);
  const sid = s.body.id;
  sql(`INSERT INTO teams (session_id, side, name) VALUES ('${sid}', 'A', ${q(name)})`);
  const p = await api('POST', `/api/v1/sessions/${sid}/participants`,
    { json: { player: 'Tina', team_side: 'A', number: '7', device_id: 'tcx1' }, token: coach.token });
  assert.equal(p.status, 201, p.text);
  const u = await api('POST', `/api/v1/sessions/${sid}/device-data?device=tcx1&format=tcx&name=test.tcx`,
    { body: readFileSync(path.join(DATA, 'gps', 'test.tcx')), headers: { 'content-type': 'application/octet-stream' }, token: coach.token });
  assert.equal(u.status, 201, u.text);

  // the defaults (no row of the team): 7 m/s sprints, 5.5 m/s HSR
  const before = report(sid);
  const th0 = before.thresholds.find((t) => t.side === 'A');
  assert.deepEqual([th0.sprint_mps, th0.hsr_mps], [7, 5.5]);
  assert.equal(th0.team, '', 'the default row (every team) applied: no team named');
  assert.ok(!sql(`SELECT 1 FROM load_thresholds WHERE team = ${q(name)}`).length, 'no row of the team yet');
  const tina0 = before.players.find((x) => x.player === 'Tina');

  // the team's own row from before the session's day: a jogger's sprint (3 m/s) and HSR (2.5 m/s)
  assert.equal((await put({ team: name, valid_from: '2000-01-01', sprint_mps: 3, hsr_mps: 2.5 })).status, 201);
  const low = report(sid);
  const th1 = low.thresholds.find((t) => t.side === 'A');
  assert.deepEqual([th1.from_table, th1.sprint_mps, th1.hsr_mps], [true, 3, 2.5]);
  assert.equal(th1.team, name, 'metrics.json names the team whose row applied');
  const tina1 = low.players.find((x) => x.player === 'Tina');
  assert.ok(tina1.sprints > tina0.sprints, `sprints ${tina0.sprints} -> ${tina1.sprints}`);
  assert.ok(tina1.hsr_distance_m > tina0.hsr_distance_m, `HSR ${tina0.hsr_distance_m} -> ${tina1.hsr_distance_m} m`);
  assert.equal(tina1.distance_m, tina0.distance_m, 'the distance does not depend on them');

  // raising the sprint speed again (4 m/s): fewer sprints than at 3
  assert.equal((await put({ team: name, valid_from: '2000-01-01', sprint_mps: 4, hsr_mps: 2.5 })).status, 200);
  const high = report(sid);
  const tina2 = high.players.find((x) => x.player === 'Tina');
  assert.ok(tina2.sprints < tina1.sprints, `sprints at 3 m/s ${tina1.sprints}, at 4 m/s ${tina2.sprints}`);
  assert.equal(tina2.hsr_distance_m, tina1.hsr_distance_m);

  t.diagnostic(`test.tcx: sprints ${tina0.sprints} / ${tina1.sprints} / ${tina2.sprints} at 7 / 3 / 4 m/s; ` +
    `HSR ${tina0.hsr_distance_m} / ${tina1.hsr_distance_m} m at 5.5 / 2.5 m/s; distance ${tina0.distance_m} m`);

  // a row from after the session's day does not apply to it
  assert.equal((await put({ team: name, valid_from: '2999-01-01', sprint_mps: 10 })).status, 201);
  assert.equal(report(sid).players.find((x) => x.player === 'Tina').sprints, tina2.sprints);
});
