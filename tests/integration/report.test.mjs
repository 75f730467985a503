// report.test.mjs: a session's team report (issue 12; bin/stint-report, docs/report.md). A session with
// the shared GPS files as participants' device files and PMData surveys: bin/stint-report writes
// report.html, metrics.json and metrics.csv under reports/<session>/<run>/, records them as artifacts,
// sets the session completed with its report_url; the page is self-contained and tidy -e clean; the
// distance in metrics.json equals an independent haversine sum over the file's points; the report
// downloads through the artifact download for its owner, not for another user (403) nor under another
// session (404); a corrupt device file fails the run naming the device and the line, the previous
// report kept; and POST .../process run by a spooler goes processing -> completed, heard as
// report_ready on the live stream.
//
// Participants and their device files go in through the API (POST .../participants, .../device-data);
// the corrupt file is a stored upload truncated on disk afterwards (the upload itself refuses one).
//
// Run against a stack: bin/stint test integration/report
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { PREFIX, REPO, api, makeUser, sleep, subscribe } from './lib.mjs';

const TAG = `report${randomBytes(4).toString('hex')}`;
const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const GPS = path.join(DATA, 'gps');

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

/** A SQL string literal. */
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

function stackEnv() {
  const env = {};
  for (const line of readFileSync(path.join(PREFIX, 'stint.env'), 'utf8').split('\n')) {
    const m = /^(STINT_[A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) env[m[1]] = m[2].replaceAll("'\\''", "'");
  }
  return env;
}

/** A command as the stack's processes run it: as the user `stint` when we are root (bin/stint's as_user). */
function asStack(program, args) {
  if (process.getuid() !== 0) return [program, args];
  return ['setpriv', ['--reuid=stint', '--regid=stint', '--init-groups', program, ...args]];
}

/** Runs bin/stint-report SESSION with the stack's settings and user: { status, stdout, stderr }. */
function runReport(sid) {
  const [cmd, args] = asStack(path.join(REPO, 'bin/stint-report'), [sid]);
  const r = spawnSync(cmd, args, { env: { PATH: process.env.PATH, ...stackEnv() }, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Adds a participant with device DEVICE through the API and uploads file as its device data. */
async function addDevice(sid, { player, side, number, device, file, format, name = path.basename(file) }) {
  const p = await api('POST', `/api/v1/sessions/${sid}/participants`,
    { json: { player, team_side: side, number, device_id: device }, token: owner.token });
  assert.equal(p.status, 201, p.text);
  const q = new URLSearchParams({ device, name, format });
  const u = await api('POST', `/api/v1/sessions/${sid}/device-data?${q}`,
    { body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' }, token: owner.token });
  assert.equal(u.status, 201, u.text);
  return u.body;
}

/** A file's points (time, lat, lon) by regular expressions: an independent reading of TCX and GPX. */
function points(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  if (file.endsWith('.tcx')) {
    for (const m of text.matchAll(/<Trackpoint>([\s\S]*?)<\/Trackpoint>/g)) {
      const t = /<Time>([^<]+)<\/Time>/.exec(m[1]);
      const lat = /<LatitudeDegrees>([^<]+)</.exec(m[1]);
      const lon = /<LongitudeDegrees>([^<]+)</.exec(m[1]);
      if (t && lat && lon) out.push({ t: Date.parse(t[1]) / 1000, lat: Number(lat[1]), lon: Number(lon[1]) });
    }
  } else {
    for (const m of text.matchAll(/<trkpt\s+lat="([^"]+)"\s+lon="([^"]+)"[^>]*>([\s\S]*?)<\/trkpt>/g)) {
      const t = /<time>([^<]+)<\/time>/.exec(m[3]);
      if (t) out.push({ t: Date.parse(t[1]) / 1000, lat: Number(m[1]), lon: Number(m[2]) });
    }
  }
  return out;
}

/** Haversine sum over consecutive points (mean Earth radius), skipping gaps over 30 s and jumps over 12 m/s. */
function haversineDistance(pts) {
  const R = 6371008.8, rad = Math.PI / 180;
  let d = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1], b = pts[i], dt = b.t - a.t;
    const h = Math.sin((b.lat - a.lat) * rad / 2) ** 2
      + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin((b.lon - a.lon) * rad / 2) ** 2;
    const m = 2 * R * Math.asin(Math.sqrt(h));
    if (dt > 0 && dt <= 30 && m / dt <= 12) d += m;
  }
  return d;
}

const owner = makeUser('coach');
const other = makeUser('coach');
const spoolers = [];
after(() => spoolers.forEach((s) => { try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ } }));

async function ownSession(title) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} ${title}`, kind: 'training' }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/** PMData p01's sRPE rows as the history of other sessions of the owner, shifted so the last is yesterday. */
async function pmdataHistory(player = 'Tina') {
  const rows = readFileSync(path.join(DATA, 'wellness/p01/srpe.csv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => /^([^,]+),"[^"]*",([^,]*),([^,]*)$/.exec(l)).filter((m) => m && m[2] !== '');
  const last = Math.max(...rows.map((m) => Date.parse(m[1])));
  const shift = Date.now() - 86400000 - last;
  const hist = await ownSession('history');
  for (const m of rows) {
    const at = new Date(Date.parse(m[1]) + shift).toISOString();
    sql(`INSERT INTO surveys (session_id, player, rpe, duration_min, answered_at)
      VALUES ('${hist}', ${lit(player)}, ${m[2]}, ${m[3]}, '${at}')`);
  }
  return rows.length;
}

let first;  // the first report: { sid, run, url, metrics }

test('bin/stint-report writes the report, its metrics and CSV, records them and completes the session', async () => {
  const sid = await ownSession('report');
  await addDevice(sid, { player: 'Tina', side: 'A', number: '7', device: 'tcx1', file: path.join(GPS, 'test.tcx'), format: 'tcx' });
  await addDevice(sid, { player: 'Maja <b>', side: 'A', number: '9', device: 'gpx1', file: path.join(GPS, 'cerknicko-jezero.gpx'), format: 'gpx' });
  await addDevice(sid, { player: 'Ana', side: 'B', number: '4', device: 'gpx2', file: path.join(GPS, 'track_with_speed.gpx'), format: 'gpx' });
  const history = await pmdataHistory();
  assert.ok(history >= 20, 'p01 has sRPE rows');
  // this session's answers (PMData p01's first wellness row; RPE 7 for 60 min), Tina's fatigue 2 is flagged
  const [w] = readFileSync(path.join(DATA, 'wellness/p01/wellness.csv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split(','));
  sql(`INSERT INTO surveys (session_id, player, rpe, duration_min, fatigue, mood, readiness, sleep_duration_h,
    sleep_quality, soreness, stress) VALUES ('${sid}', 'Tina', 7, 60, ${w[1]}, ${w[2]}, ${w[3]}, ${w[4]}, ${w[5]}, ${w[6]}, ${w[8]})`);
  sql(`INSERT INTO surveys (session_id, player, rpe, duration_min, fatigue, mood, readiness, sleep_duration_h,
    sleep_quality, soreness, stress) VALUES ('${sid}', 'Ana', 4, 45, 4, 4, 8, 8, 4, 4, 4)`);
  sql(`INSERT INTO events (session_id, t_sec, event_type, actor_team, actor_number) VALUES
    ('${sid}', 1, 'attack', 'A', 7), ('${sid}', 2, 'attack', 'A', 7), ('${sid}', 3, 'serve', 'B', 4)`);

  const r = runReport(sid);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.filter((l) => / Parsing device /.test(l)).map((l) => l.replace(/^progress \d+ /, '')),
    ['Parsing device 1 of 3', 'Parsing device 2 of 3', 'Parsing device 3 of 3']);
  const result = JSON.parse(lines.at(-1));
  assert.equal(result.players, 3);

  // the session: completed, its report_url the report artifact's download
  const st = await api('GET', `/api/v1/sessions/${sid}/status`, { token: owner.token });
  assert.equal(st.body.processing_status, 'completed');
  assert.ok(st.body.last_processed_at);
  const arts = await api('GET', `/api/v1/sessions/${sid}/artifacts`, { token: owner.token });
  assert.deepEqual(arts.body.map((a) => [a.type, a.content_type]), [['report', 'text/html; charset=utf-8'],
    ['report_data', 'application/json'], ['report_data', 'text/csv; charset=utf-8']]);
  assert.equal(st.body.report_url, `/media/sessions/${sid}/artifacts/${arts.body[0].id}`);
  assert.equal(result.report_url, st.body.report_url);

  // the files: complete, no temporary left
  const dir = path.join(PREFIX, 'reports', sid);
  assert.deepEqual(readdirSync(dir), [result.run]);
  assert.deepEqual(readdirSync(path.join(dir, result.run)).sort(), ['metrics.csv', 'metrics.json', 'report.html']);
  const html = readFileSync(path.join(dir, result.run, 'report.html'), 'utf8');
  const metrics = JSON.parse(readFileSync(path.join(dir, result.run, 'metrics.json'), 'utf8'));
  const csv = readFileSync(path.join(dir, result.run, 'metrics.csv'), 'utf8');

  // figures: test.tcx's distance against the haversine sum computed here and the known 4686.3 m
  const tina = metrics.players.find((p) => p.player === 'Tina');
  const independent = haversineDistance(points(path.join(GPS, 'test.tcx')));
  assert.ok(Math.abs(tina.distance_m - independent) / independent < 0.01, `${tina.distance_m} vs ${independent}`);
  assert.ok(Math.abs(tina.distance_m - 4686.3) / 4686.3 < 0.01, `${tina.distance_m} vs 4686.3`);
  const zones = tina.zones.reduce((s, z) => s + z.distance_m, 0);
  assert.ok(Math.abs(zones - tina.distance_m) < 0.1, 'the zones add up to the distance');
  assert.ok(tina.hr.avg_bpm > 60 && tina.hr.max_bpm <= 189 && tina.hr.trimp > 0);
  const maja = metrics.players.find((p) => p.player === 'Maja <b>');
  assert.ok(maja.distance_m > 0 && maja.samples === points(path.join(GPS, 'cerknicko-jezero.gpx')).length);
  assert.equal(maja.hr, null, 'no heart rate in that file: no heart-rate figures');
  assert.deepEqual(tina.events, { attack: 2 });
  assert.equal(metrics.team.distance_m_total, Math.round(metrics.players.reduce((s, p) => s + (p.distance_m ?? 0), 0) * 100) / 100);
  // surveys: sRPE = RPE x minutes (Foster); the flags; ACWR from the PMData history
  const ts = metrics.surveys.find((s) => s.player === 'Tina');
  assert.equal(ts.srpe, 420);
  assert.ok(ts.flags.includes('fatigue'), JSON.stringify(ts.flags));
  assert.ok(ts.history_days >= 27 ? ts.acwr_rolling > 0 && ts.acwr_ewma > 0 : ts.acwr_rolling === null);
  const as = metrics.surveys.find((s) => s.player === 'Ana');
  assert.deepEqual([as.srpe, as.flags, as.acwr_rolling], [180, [], null]);
  // metrics.csv: a header and a line per player with the same distance
  const csvLines = csv.trim().split('\r\n');
  assert.equal(csvLines.length, 4);
  assert.match(csvLines[0], /^player,team_side,number,device_id,samples,duration_s,distance_m,/);
  assert.ok(csvLines.some((l) => l.startsWith(`Tina,A,7,tcx1,`) && l.split(',')[6] === String(tina.distance_m)));

  // the page: self-contained, escaped, tidy -e clean, with its footnotes
  assert.doesNotMatch(html, /<(script|link|img|iframe)\b/i);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i);
  assert.match(html, /Maja &lt;b&gt;/);
  assert.doesNotMatch(html, /Maja <b>/);
  assert.match(html, /<svg [^>]*aria-label="Distance per player"/);
  assert.match(html, /<tr class="flag"><th scope="row">Tina<\/th>/);
  for (const source of ['Foster', 'Williams', 'Savitzky', 'Banister', 'Boyd', 'LaurieOnTracking', 'Gualtieri'])
    assert.match(html, new RegExp(source));
  const tidy = spawnSync('tidy', ['-e', '-q'], { input: html, encoding: 'utf8' });
  assert.equal(tidy.status, 0, `tidy -e: ${tidy.stderr}`);

  first = { sid, run: result.run, url: st.body.report_url, html, artifacts: arts.body.length };
});

test('the report downloads through the artifact download for its owner, not for another user or session', async () => {
  const own = await api('GET', first.url, { token: owner.token });
  assert.equal(own.status, 200);
  assert.match(own.headers.get('content-type'), /^text\/html/);
  assert.match(own.headers.get('content-disposition'), /^inline; filename\*=UTF-8''/, 'the page opens in the browser');
  assert.equal(own.text, first.html);
  const csp = own.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  // another user: the session's access check refuses (the dispatcher answers 403 for a session
  // that exists but is not theirs, as for every route of a session), and nothing of the report leaks
  const theirs = await api('GET', first.url, { token: other.token });
  assert.equal(theirs.status, 403, theirs.text);
  assert.doesNotMatch(theirs.text, /Tina/);
  // the report's artifact id under another session of theirs: 404
  const mine = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} theirs` }, token: other.token });
  const elsewhere = await api('GET', first.url.replace(first.sid, mine.body.id), { token: other.token });
  assert.equal(elsewhere.status, 404, elsewhere.text);
});

test('a corrupt device file fails the run naming the device and the line; the previous report is kept', async () => {
  const { sid } = first;
  await addDevice(sid, { player: 'Eva', side: 'B', number: '11', device: 'tcx-bad', file: path.join(GPS, 'test.tcx'), format: 'tcx' });
  const [stored] = sql(`SELECT path FROM device_files WHERE session_id = '${sid}' AND device_id = 'tcx-bad'`);
  writeFileSync(path.join(PREFIX, stored), readFileSync(path.join(GPS, 'test.tcx')).subarray(0, 20000));
  const r = runReport(sid);
  assert.equal(r.status, 100, r.stdout);
  assert.match(r.stderr, /device tcx-bad \(Eva\): line \d+: /);
  const st = await api('GET', `/api/v1/sessions/${sid}/status`, { token: owner.token });
  assert.deepEqual([st.body.processing_status, st.body.report_url], ['failed', first.url]);
  assert.deepEqual(readdirSync(path.join(PREFIX, 'reports', sid)), [first.run]);
  assert.equal((await api('GET', `/api/v1/sessions/${sid}/artifacts`, { token: owner.token })).body.length, first.artifacts);
  assert.equal((await api('GET', first.url, { token: owner.token })).text, first.html);
  sql(`DELETE FROM participants WHERE session_id = '${sid}' AND device_id = 'tcx-bad'`);
  sql(`DELETE FROM device_files WHERE session_id = '${sid}' AND device_id = 'tcx-bad'`);
});

test('POST .../process run by a spooler: processing, then completed, report_ready on the live stream', async () => {
  const sid = await ownSession('spooled');
  await addDevice(sid, { player: 'Tina', side: 'A', number: '7', device: 'tcx1', file: path.join(GPS, 'test.tcx'), format: 'tcx' });
  const sub = await subscribe(sid, { token: owner.token });
  const log = path.join(PREFIX, `${TAG}-spooler.log`);
  const out = (await import('node:fs')).openSync(log, 'a');
  const [cmd, args] = asStack(path.join(REPO, 'bin/stint-spooler'), []);
  const spooler = spawn(cmd, args, {
    env: { PATH: process.env.PATH, ...stackEnv(), STINT_SPOOL_TYPES: 'process_report', STINT_SPOOL_POLL_S: '1' },
    stdio: ['ignore', out, out], detached: true,
  });
  spoolers.push(spooler);
  const p = await api('POST', `/api/v1/sessions/${sid}/process`, { token: owner.token });
  assert.equal(p.status, 202, p.text);
  const deadline = Date.now() + 30000;
  let st;
  while (Date.now() < deadline) {
    st = await api('GET', `/api/v1/sessions/${sid}/status`, { token: owner.token });
    if (['completed', 'failed'].includes(st.body.processing_status) && st.body.task?.status === 'completed') break;
    await sleep(200);
  }
  assert.equal(st.body.processing_status, 'completed', `${JSON.stringify(st.body)}\n${readFileSync(log, 'utf8')}`);
  assert.equal(st.body.task.progress, 100);
  assert.equal(st.body.task.result.report_url, st.body.report_url);
  const ready = await sub.waitFor(1, 5000).then(() => {
    const deadline2 = Date.now() + 5000;
    return (async () => {
      while (Date.now() < deadline2 && !sub.messages.some((m) => m.event === 'report_ready')) await sleep(100);
      return sub.messages;
    })();
  });
  sub.close();
  const statuses = ready.filter((m) => m.event === 'session_updated').map((m) => m.data.data.processing_status);
  assert.deepEqual(statuses.filter((s, i) => s !== statuses[i - 1]), ['queued', 'processing', 'completed']);
  const msg = ready.find((m) => m.event === 'report_ready');
  assert.ok(msg, ready.map((m) => m.event).join(','));
  assert.equal(msg.data.data.report_url, st.body.report_url);
  assert.ok(existsSync(path.join(PREFIX, 'reports', sid)));
  process.kill(-spooler.pid, 'SIGTERM');
});

test('ACWR has one definition: the report shows the figures of GET .../surveys, with the default and a team\'s windows', async (t) => {
  const player = `Ida ${TAG}`, team = `${TAG} Windows FC`;
  const sid = await ownSession('acwr');
  await addDevice(sid, { player, side: 'A', number: '5', device: 'tcx1', file: path.join(GPS, 'test.tcx'), format: 'tcx' });
  await pmdataHistory(player);
  sql(`INSERT INTO surveys (session_id, player, rpe, duration_min) VALUES ('${sid}', ${lit(player)}, 6, 50)`);
  after(() => sql(`DELETE FROM load_thresholds WHERE team = ${lit(team)}`));

  /** The player's ratios in the API's document and in a new report's metrics.json. */
  const both = async () => {
    const list = await api('GET', `/api/v1/sessions/${sid}/surveys`, { token: owner.token });
    assert.equal(list.status, 200, list.text);
    const a = list.body.players.find((x) => x.player === player);
    const r = runReport(sid);
    assert.equal(r.status, 0, r.stderr);
    const run = JSON.parse(r.stdout.trim().split('\n').at(-1)).run;
    const m = JSON.parse(readFileSync(path.join(PREFIX, 'reports', sid, run, 'metrics.json'), 'utf8'));
    return { a, s: m.surveys.find((x) => x.player === player) };
  };
  const round3 = (v) => (v === null ? null : Math.round(v * 1000) / 1000);

  const d = await both();
  assert.deepEqual([d.a.acute_days, d.a.chronic_days], [7, 28]);
  assert.ok(d.a.days_of_history >= 28 && d.a.acwr_rolling > 0 && d.a.acwr_ewma > 0, JSON.stringify(d.a));
  assert.deepEqual([d.s.acwr_rolling, d.s.acwr_ewma, d.s.history_days],
    [round3(d.a.acwr_rolling), round3(d.a.acwr_ewma), d.a.days_of_history - 1], 'the report shows the API\'s figures');
  assert.ok(Math.abs(d.a.acwr_rolling - d.a.acute_load_7d / (d.a.chronic_load_28d / 4)) < 1e-9, 'rolling 7:28 coupled');

  // the team of side A with its own windows (3 and 14 days): both places follow them, to the same figure
  sql(`INSERT INTO teams (session_id, side, name) VALUES ('${sid}', 'A', ${lit(team)})`);
  sql(`INSERT INTO load_thresholds (team, valid_from, acute_days, chronic_days) VALUES (${lit(team)}, '2000-01-01', 3, 14)`);
  const w = await both();
  assert.deepEqual([w.a.acute_days, w.a.chronic_days], [3, 14]);
  assert.ok(Math.abs(w.a.acwr_rolling - (w.a.acute_load_7d / 3) / (w.a.chronic_load_28d / 14)) < 1e-9, 'rolling with the team\'s windows');
  assert.notEqual(w.a.acwr_ewma, d.a.acwr_ewma, 'other windows, another EWMA ratio');
  assert.deepEqual([w.s.acwr_rolling, w.s.acwr_ewma], [round3(w.a.acwr_rolling), round3(w.a.acwr_ewma)]);
  t.diagnostic(`7:28 rolling ${d.s.acwr_rolling} EWMA ${d.s.acwr_ewma}; 3:14 rolling ${w.s.acwr_rolling} EWMA ${w.s.acwr_ewma}`);
});

/**
 * Metrica tracking CSV read here, independently of lib/wearable-csv.c: { team, players: [{ jersey, rows: [{ t, x, y }] }] }
 * with x and y in metres (the pitch fractions x 105 and x 68; NaN off the pitch).
 */
function metricaPlayers(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const [teams, jerseys, header] = lines.slice(0, 3).map((l) => l.split(','));
  const players = [];
  for (let i = 3; i + 1 < header.length; i += 2) {
    if (!header[i].startsWith('Player')) continue;
    players.push({ team: teams[i], jersey: jerseys[i], rows: lines.slice(3).map((l) => {
      const f = l.split(',');
      return { t: Number(f[2]), x: Number(f[i]) * 105, y: Number(f[i + 1]) * 68 };
    }) });
  }
  return players;
}

/** Distance over consecutive rows with both positions on the pitch, as docs/report.md defines it: gaps over 30 s and steps over 12 m/s left out. */
function pitchDistance(rows) {
  let d = 0;
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1], b = rows[k], dt = b.t - a.t, m = Math.hypot(b.x - a.x, b.y - a.y);
    if (Number.isFinite(m) && dt > 0 && dt <= 30 && m / dt <= 12) d += m;
  }
  return d;
}

test('Metrica team files: each player becomes a participant (reused by side and number), each player\'s distance and the team\'s as computed here', async (t) => {
  const sid = await ownSession('metrica');
  const TRACKING = path.join(DATA, 'tracking');
  // a player of the home side entered by hand before the file: reused, not doubled
  const kevin = await api('POST', `/api/v1/sessions/${sid}/participants`,
    { json: { player: 'Kevin', team_side: 'A', number: '11' }, token: owner.token });
  assert.equal(kevin.status, 201, kevin.text);
  const put = (device, file) => api('POST', `/api/v1/sessions/${sid}/device-data?${new URLSearchParams({ device, name: path.basename(file) })}`,
    { body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' }, token: owner.token });

  const home = await put('home', path.join(TRACKING, 'metrica_home.csv'));
  assert.equal(home.status, 201, home.text);
  const homePlayers = metricaPlayers(path.join(TRACKING, 'metrica_home.csv'));
  assert.equal(home.body.participants.length, homePlayers.length);
  const kev = home.body.participants.find((p) => p.participant.number === '11');
  assert.deepEqual([kev.action, kev.participant.id, kev.participant.player, kev.participant.device_id],
    ['linked', kevin.body.id, 'Kevin', 'home:home_11'], 'the hand-made #11 of side A wears the file\'s track');
  assert.ok(home.body.participants.filter((p) => p !== kev).every((p) => p.action === 'created' && p.participant.team_side === 'A'
    && p.participant.player === `Home ${p.participant.number}` && p.participant.device_file.format === 'metrica'));
  const away = await put('away', path.join(TRACKING, 'metrica_away.csv'));
  assert.equal(away.status, 201, away.text);
  const awayPlayers = metricaPlayers(path.join(TRACKING, 'metrica_away.csv'));
  assert.deepEqual(away.body.participants.map((p) => [p.action, p.participant.team_side, p.participant.number]),
    awayPlayers.map((p) => ['created', 'B', p.jersey]));
  // the same file again: every player reused, nobody added
  const again = await put('home', path.join(TRACKING, 'metrica_home.csv'));
  assert.equal(again.status, 201, again.text);
  assert.ok(again.body.participants.every((p) => p.action === 'reused'));
  const list = (await api('GET', `/api/v1/sessions/${sid}/participants`, { token: owner.token })).body;
  assert.equal(list.length, homePlayers.length + awayPlayers.length);
  assert.equal(new Set(list.map((p) => `${p.team_side}${p.number}`)).size, list.length, 'one participant a side and number');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'participant.create' AND detail->>'session_id' = '${sid}'`)[0],
    String(homePlayers.length + awayPlayers.length), 'each creation audited: 27 from the files, Kevin by hand');

  // a device id too long for its players' ids ("<device>:home_11" over 100 characters): nothing stored at all
  const long = await put('x'.repeat(95), path.join(TRACKING, 'metrica_home.csv'));
  assert.ok(long.status >= 400 && long.status < 500, `${long.status} ${long.text}`);
  assert.equal((await api('GET', `/api/v1/sessions/${sid}/participants`, { token: owner.token })).body.length, list.length);
  assert.deepEqual(sql(`SELECT count(*) FROM device_files WHERE session_id = '${sid}'`), ['2']);

  // the report: each player's distance and the team's against the positions summed here
  const r = runReport(sid);
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)).run;
  const metrics = JSON.parse(readFileSync(path.join(PREFIX, 'reports', sid, run, 'metrics.json'), 'utf8'));
  assert.equal(metrics.players.length, list.length);
  let team = 0;
  for (const [side, players] of [['A', homePlayers], ['B', awayPlayers]]) {
    for (const p of players) {
      const want = pitchDistance(p.rows);
      const got = metrics.players.find((x) => x.team_side === side && x.number === p.jersey);
      assert.ok(got, `${side} ${p.jersey} in the report`);
      assert.ok(Math.abs(got.distance_m - want) < 0.01, `${side} #${p.jersey}: report ${got.distance_m} m, here ${want} m`);
      team += want;
    }
  }
  assert.ok(team > 0);
  assert.ok(Math.abs(metrics.team.distance_m_total - team) < 0.01 * metrics.players.length,
    `team: report ${metrics.team.distance_m_total} m, here ${team} m`);
  t.diagnostic(`Metrica: ${list.length} players; team distance ${metrics.team.distance_m_total} m (here ${team.toFixed(2)} m)`);
});

test('EPTS team file: 22 participants by team (A, B) in one upload; one of the same side and number wearing another unit is left as it is', async () => {
  const sid = await ownSession('epts');
  await addDevice(sid, { player: 'Zed', side: 'A', number: '1', device: 'gps1', file: path.join(GPS, 'test.tcx'), format: 'tcx' });
  const form = new FormData();
  form.append('cam', new Blob([readFileSync(path.join(DATA, 'tracking/epts_metrica_tracking.txt'))]), 'match.txt');
  form.append('cam', new Blob([readFileSync(path.join(DATA, 'tracking/epts_metrica_metadata.xml'))]), 'match.xml');
  const up = await api('POST', `/api/v1/sessions/${sid}/device-data`, { body: form, token: owner.token });
  assert.equal(up.status, 201, up.text);
  const ps = up.body.device_files[0].participants;
  assert.equal(ps.length, 22);
  const zed = ps.find((p) => p.action === 'skipped');
  assert.deepEqual([zed.participant.player, zed.participant.device_id], ['Zed', 'gps1']);
  assert.equal(ps.filter((p) => p.action === 'created').length, 21);
  assert.deepEqual(['A', 'B'].map((s) => ps.filter((p) => p.participant.team_side === s).length), [11, 11]);
  assert.ok(ps.some((p) => p.participant.player === 'Team B 12' && p.participant.device_id === 'cam:team_b_12'));
  const r = runReport(sid);
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)).run;
  const metrics = JSON.parse(readFileSync(path.join(PREFIX, 'reports', sid, run, 'metrics.json'), 'utf8'));
  assert.equal(metrics.players.length, 22);
  const epts = metrics.players.filter((p) => p.format === 'epts');
  assert.equal(epts.length, 21);
  // every player has the file's 100 frames; one off the pitch throughout (NaN positions, no speed) has no distance_m at all
  assert.ok(epts.every((p) => p.samples === 100 && (p.distance_m === undefined || p.distance_m > 0)),
    JSON.stringify(epts.map((p) => [p.player, p.samples, p.distance_m])));
  assert.ok(epts.filter((p) => p.distance_m > 0).length >= 18);
});
