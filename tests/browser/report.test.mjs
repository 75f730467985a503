// The team report in a real browser (issue 12, "Must show"): a session whose participants wear the
// shared GPS files (every GPX and TCX file of ../shared/data/gps, uploaded through the API) and whose
// surveys are the PMData players' srpe.csv and wellness.csv (../shared/data/wellness, imported through
// the API), processed by a real spooler (bin/stint-spooler running bin/stint-report for the
// process_report task, started by tests/integration/lib.mjs's startSpooler), then opened in headless
// Chromium through the session's report_url: the team summary has a row per player, the charts are
// inline SVG, the survey table lists the players' answers, nothing is fetched from elsewhere, no console
// error; the page is screenshotted ($STINT_TEST_OUT/screenshots/report.png, full page, and the
// laptop/tablet views) and the HTML as served passes `tidy -e`.
//
// Run against a stack: bin/stint test browser/report
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE, REPO, api, makeUser, sql, startSpooler, stopSpooler, until } from '../integration/lib.mjs';
import { launch, newPage, login, assertTidy, assertQuiet, servedHtml } from './browser.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const OUT = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const TAG = `rep${randomBytes(4).toString('hex')}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-report-browser-'));
const owner = makeUser('coach');

// every GPX and TCX file of the shared GPS data, one participant each, named as a PMData player
const GPS_FILES = readdirSync(path.join(DATA, 'gps')).filter((f) => /\.(gpx|tcx)$/.test(f)).sort();
const PLAYERS = readdirSync(path.join(DATA, 'wellness')).filter((p) => /^p\d+$/.test(p)).sort();

let browser;
let spooler = null;
let sid;

before(async () => {
  assert.ok(GPS_FILES.length >= 8, `GPX and TCX files: ${GPS_FILES.join(', ')}`);
  assert.ok(PLAYERS.length >= GPS_FILES.length, 'a PMData player for each GPS file');
  browser = await launch();
});

after(async () => {
  await stopSpooler(spooler);
  await browser?.close();
  if (sid) sql(`DELETE FROM tasks WHERE session_id = '${sid}'`);
  rmSync(DIR, { recursive: true, force: true });
});

test('a session of the shared GPS files and the PMData surveys gives a report: opened in Chromium, screenshotted, tidy', async (t) => {
  const s = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} training`, kind: 'training' }, token: owner.token });
  assert.equal(s.status, 201, s.text);
  sid = s.body.id;

  // participants and their units' files through the API: p01 wears the first file, p02 the second...
  for (const [i, file] of GPS_FILES.entries()) {
    const player = PLAYERS[i], device = `gps-${i + 1}`;
    const p = await api('POST', `/api/v1/sessions/${sid}/participants`,
      { json: { player, team_side: 'A', number: String(i + 1), device_id: device }, token: owner.token });
    assert.equal(p.status, 201, p.text);
    const q = new URLSearchParams({ device, name: file });
    const u = await api('POST', `/api/v1/sessions/${sid}/device-data?${q}`, { body: readFileSync(path.join(DATA, 'gps', file)),
      headers: { 'content-type': 'application/octet-stream' }, token: owner.token });
    assert.equal(u.status, 201, `${file}: ${u.text}`);
  }
  // every PMData player's sRPE and wellness answers, imported as CSV
  let imported = 0;
  for (const player of PLAYERS) {
    for (const kind of ['srpe', 'wellness']) {
      const file = path.join(DATA, 'wellness', player, `${kind}.csv`);
      const r = await api('POST', `/api/v1/sessions/${sid}/surveys/import?kind=${kind}&player=${player}`,
        { body: readFileSync(file, 'utf8'), headers: { 'content-type': 'text/csv' }, token: owner.token });
      assert.equal(r.status, 201, `${player} ${kind}: ${r.text}`);
      imported += r.body.count;
    }
  }
  assert.ok(imported > 1000, `${imported} survey rows`);

  // "Process report": a spooler for the report's task type runs bin/stint-report
  spooler = startSpooler(path.join(DIR, 'spooler.log'), { STINT_SPOOL_TYPES: 'process_report' }, [], { stackUser: true });
  const p = await api('POST', `/api/v1/sessions/${sid}/process`, { token: owner.token });
  assert.equal(p.status, 202, p.text);
  const st = await until('the report is processed', async () => {
    const r = await api('GET', `/api/v1/sessions/${sid}/status`, { token: owner.token });
    return ['completed', 'failed'].includes(r.body.processing_status) && r.body.task?.status !== 'running'
      && r.body.task?.status !== 'queued' ? r.body : null;
  }, 120000, { every: 250, detail: () => readFileSync(path.join(DIR, 'spooler.log'), 'utf8') });
  assert.equal(st.processing_status, 'completed', `${JSON.stringify(st)}\n${readFileSync(path.join(DIR, 'spooler.log'), 'utf8')}`);
  assert.match(st.report_url, new RegExp(`^/media/sessions/${sid}/artifacts/\\d+$`));

  // the report in Chromium, signed in as its owner
  const page = await newPage(browser.context);
  await login(page, owner.email, owner.password);
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));
  const res = await page.goto(`${BASE}${st.report_url}`);
  assert.equal(res.status(), 200, await res.text());
  assert.equal(requests.filter((u) => !u.startsWith(`${BASE}${st.report_url}`) && !u.startsWith('data:')).length, 0,
    `no other request: ${requests.join(', ')}`);

  // the team summary: a row per participant with a distance, and the team's line
  const summary = page.locator('table', { has: page.locator('th', { hasText: /^Distance/ }) }).first();
  await summary.waitFor();
  for (const player of PLAYERS.slice(0, GPS_FILES.length)) {
    assert.ok(await summary.locator('tbody tr', { hasText: player }).first().isVisible(), `${player} in the team summary`);
  }
  assert.ok(await summary.locator('tfoot th', { hasText: 'Team mean' }).isVisible(), 'the team line');
  const summaryRows = await summary.locator('tbody tr').count();
  assert.ok(summaryRows >= GPS_FILES.length, `${summaryRows} summary rows`);
  // charts: inline SVG, visible, with drawn marks
  const charts = page.locator('svg');
  assert.ok(await charts.count() >= 2, 'charts');
  assert.ok(await charts.first().isVisible());
  assert.ok(await page.locator('svg :is(rect, path, polyline, line)').count() > 10, 'the charts draw something');
  // the survey table: each PMData player's latest answers, poor wellness flagged
  const surveys = page.locator('table', { has: page.locator('th', { hasText: /^RPE$/ }) });
  await surveys.waitFor();
  assert.equal(await surveys.locator('tbody tr').count(), PLAYERS.length, 'one survey row per PMData player');
  for (const player of PLAYERS) assert.ok(await surveys.locator('tbody th', { hasText: new RegExp(`^${player}$`) }).isVisible());
  const flagged = await surveys.locator('tbody tr.flag').count();
  // each player's RPE and minutes: those of the latest sRPE row of their srpe.csv (read here), though a
  // wellness row came later (PMData keeps them apart)
  let withRpe = 0;
  for (const player of PLAYERS) {
    const rows = readFileSync(path.join(DATA, 'wellness', player, 'srpe.csv'), 'utf8').trim().split('\n').slice(1)
      .map((l) => /^([^,]+),"[^"]*",([^,]*),([^,]*)$/.exec(l)).filter((m) => m && m[2] !== '');
    const cells = surveys.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${player}$`) }) }).locator('td');
    if (!rows.length) continue;
    const last = rows.reduce((a, m) => (Date.parse(m[1]) >= Date.parse(a[1]) ? m : a));
    assert.deepEqual([Number(await cells.nth(0).textContent()), Number(await cells.nth(1).textContent())],
      [Number(last[2]), Number(last[3])], `${player}: RPE and minutes of ${last[1]}`);
    withRpe++;
  }
  assert.ok(withRpe >= PLAYERS.length / 2, `${withRpe} players with an RPE`);
  assertQuiet(page);

  // screenshots: the whole page, and the first view at the laptop and tablet sizes
  mkdirSync(OUT, { recursive: true });
  const shot = path.join(OUT, 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  for (const [size, viewport] of Object.entries({ laptop: { width: 1366, height: 768 }, tablet: { width: 820, height: 1180 } })) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(OUT, `report-${size}.png`) });
  }
  console.log(`# screenshot: ${shot}`);
  t.diagnostic(`screenshot: ${shot} (and report-laptop.png, report-tablet.png beside it)`);
  t.diagnostic(`${GPS_FILES.length} participants (${GPS_FILES.join(', ')}), ${imported} survey rows of ${PLAYERS.length} players, ` +
    `${summaryRows} summary rows, ${await charts.count()} SVG charts, ${flagged} survey rows flagged`);

  // the HTML as served: tidy -e finds no error
  assertTidy(await servedHtml(page, `${BASE}${st.report_url}`), 'the report');
  await page.close();
});
