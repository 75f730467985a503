// The season page (/season, cgi-bin/pages-season.c; issue 19's season view) in a real browser (Debian's
// headless Chromium through playwright-core): a coach with three imported DataVolley matches opens it from the
// dashboard, picks a team and dates, sees a row per match whose figures are the API's (GET /api/v1/stats) and a
// line chart with a point per match; follows a player by the players table and a chosen figure; ticks matches
// instead; the stats page links to it. At 1366x768 and 390x844 the page has no serious or critical axe-core
// violation, needs no horizontal scroll, logs no console error, and is photographed under the test output's
// screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { api, BASE, REPO, makeUser } from '../integration/lib.mjs';
import { launch, newPage, login, assertQuiet } from './browser.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const SIZES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const SHOTS = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TEAM = 'Nova KBM Branik';

const coach = makeUser('coach');
const ids = [];
let browser;
let page;

before(async () => {
  // example_data and its truncated copy (both Nova KBM Branik), PM06 (another team), on three days
  for (const [i, file] of ['example_data.dvw', 'PM06.dvw', 'testing_truncated.dvw'].entries()) {
    const r = await api('POST', '/api/v1/imports', {
      token: coach.token, body: readFileSync(path.join(DATA, 'volleyball', file)),
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(r.status, 201, r.text);
    const p = await api('PATCH', `/api/v1/sessions/${r.body.session.id}`,
      { token: coach.token, json: { starts_at: `2026-04-0${i + 1}T19:00:00Z` } });
    assert.equal(p.status, 200, p.text);
    ids.push(r.body.session.id);
  }
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, coach.email, coach.password);
});

after(async () => {
  await browser?.close();
});

async function axeProblems(p) {
  await p.evaluate(AXE);
  const result = await p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.slice(0, 3).join(', ')}`);
}

async function checkSizes(p, name) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await p.setViewportSize(viewport);
    await p.waitForTimeout(150);
    assert.deepEqual(await axeProblems(p), [], `axe-core on ${name} at ${size}`);
    const [main, doc] = await p.evaluate(() => [document.getElementById('main'), document.documentElement]
      .map((el) => el.scrollWidth - el.clientWidth));
    assert.ok(main <= 0 && doc <= 0, `${name} at ${size}: no horizontal scroll (${main}, ${doc} px too wide)`);
    await p.screenshot({ path: path.join(SHOTS, `${name}-${size}.png`), fullPage: true });
  }
  await p.setViewportSize(SIZES.laptop);
}

const cells = (sel) => page.locator(`${sel} tbody tr`).evaluateAll((rows) =>
  rows.map((r) => [...r.children].map((c) => c.textContent.trim())));

test('pick a team and dates from the dashboard: a row per match with the API\'s figures and a chart', async () => {
  await page.goto(`${BASE}/`);
  await Promise.all([page.waitForURL(/\/season$/), page.getByRole('link', { name: 'Season view' }).click()]);
  assert.equal(await page.title(), 'Season · Stint');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByLabel('Team', { exact: true }).fill(TEAM);
  await page.getByLabel('From', { exact: true }).fill('2026-04-01');
  await page.getByLabel('To', { exact: true }).fill('2026-04-03');
  await page.getByLabel('Chart').selectOption('sideout_pct');
  await Promise.all([page.waitForURL(/team=/), page.getByRole('button', { name: 'Show' }).click()]);
  const api1 = (await api('GET', `/api/v1/stats?team=${encodeURIComponent(TEAM)}&from=2026-04-01&to=2026-04-03`,
    { token: coach.token })).body;
  assert.deepEqual(api1.sessions.map((s) => s.id), [ids[0], ids[2]]);
  const rows = await cells('#season-sessions');
  assert.equal(rows.length, 2, 'a row per match of the team');
  api1.sessions.forEach((s, i) => {
    const f = s.figures[s.side];
    // columns: #, date, match, sets, result, the chosen figure, Att., Kill %, ...
    assert.equal(rows[i][5], f.sideout_pct.toFixed(1), 'the chosen figure: side-out %');
    assert.equal(rows[i][6], String(f.attack_attempts));
    assert.equal(rows[i][7], f.kill_pct === null ? '–' : f.kill_pct.toFixed(1));
    assert.equal(rows[i][4], `${s.sets_won.A}–${s.sets_won.B}${s.won === true ? ' won' : s.won === false ? ' lost' : ''}`);
  });
  assert.match(await page.locator('#season-record').textContent(), /^2 played, \d won, \d lost$/);
  assert.equal(await page.locator('svg.season-chart circle.dot').count(), 2, 'a point per match');
  assert.match(await page.locator('svg.season-chart title').first().textContent(), new RegExp(`Side-out % of ${TEAM}`));
  await checkSizes(page, 'season-team');
  assertQuiet(page);
});

test('follow a player: the players table links to a chart of their figure, match by match', async () => {
  const api1 = (await api('GET', `/api/v1/stats?team=${encodeURIComponent(TEAM)}&from=2026-04-01&to=2026-04-03`,
    { token: coach.token })).body;
  const p = api1.players.filter((x) => x.attack.attempts > 0 && x.name).sort((a, b) => b.attack.attempts - a.attack.attempts)[0];
  await page.getByLabel('Chart').selectOption('kills');
  await Promise.all([page.waitForURL(/figure=kills/), page.getByRole('button', { name: 'Show' }).click()]);
  await Promise.all([page.waitForURL(/follow=/), page.locator('#season-players').getByRole('link', { name: p.name, exact: true }).click()]);
  assert.match(await page.locator('#season-h').textContent(), new RegExp(`Kills of #${p.number} `));
  const rows = await cells('#season-sessions');
  const byId = new Map(p.by_session.map((x) => [x.id, x]));
  api1.sessions.forEach((s, i) => {
    const x = byId.get(s.id);
    assert.equal(rows[i][5], x ? String(x.kills) : '–', `match ${i + 1}: the player's kills`);
  });
  assert.equal(await page.locator('svg.season-chart circle.dot').count(), p.by_session.length);
  const row = await page.locator('#season-players tr.followed').textContent();
  assert.ok(row.includes(p.name) && row.includes(String(p.attack.kills)), 'the season\'s sums for the player');
  await checkSizes(page, 'season-player');
  assertQuiet(page);
});

test('tick matches instead; the stats page links here with its match ticked', async () => {
  await page.goto(`${BASE}/season`);
  await page.getByRole('checkbox', { name: /PM06|ACH Volley/ }).first().check();
  await page.getByRole('checkbox').nth(0).check();
  await Promise.all([page.waitForURL(/sessions=/), page.getByRole('button', { name: 'Show' }).click()]);
  const checked = await page.locator('input[name=sessions]:checked').count();
  assert.equal((await cells('#season-sessions')).length, checked);
  await page.goto(`${BASE}/sessions/${ids[1]}/stats`);
  await Promise.all([page.waitForURL(/\/season\?sessions=/), page.getByRole('link', { name: 'Season view' }).click()]);
  const rows = await cells('#season-sessions');
  assert.equal(rows.length, 1);
  assert.match(rows[0][2], /ACH Volley – Maribor/);
  await checkSizes(page, 'season-ticked');
  // another user's session by id: 404, as one that does not exist
  const other = makeUser('coach');
  const theirs = await api('POST', '/api/v1/sessions', { token: other.token, json: { title: 'theirs', kind: 'match' } });
  const r = await page.request.get(`${BASE}/season?sessions=${theirs.body.id}`);
  assert.equal(r.status(), 404);
  assertQuiet(page);
});
