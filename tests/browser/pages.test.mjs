// The pages in a real browser (Debian's headless Chromium through
// playwright-core): a coach creates a session, imports a DataVolley match
// with its video, watches and tags it from the keyboard, sees a second page
// follow live, edits, deletes and exports; every page passes tidy, logs no
// console error, and is photographed at 1366x768 and 820x1180.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, BASE, REPO, stint, makeUser } from '../integration/lib.mjs';
import { launch, newPage, login, screenshots, assertTidy, assertQuiet, expectStatus, servedHtml } from './browser.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const DVW = path.join(DATA, 'volleyball', '190301_kats_beds-clip.dvw');
const MP4 = path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4');
const TAG = `ui${Date.now()}`;

let browser;
let page;
let sid;        // the imported KATS-BEDS session

const rows = (p) => p.locator('#event-rows tr[data-id]');
const events = async (id) => (await api('GET', `/api/v1/sessions/${id}/events?limit=1000`)).body.items;

before(async () => {
  browser = await launch();
  page = await newPage(browser.context);
});

after(async () => {
  await browser?.close();
});

test('the login page is finished and valid', async () => {
  await page.goto(`${BASE}/login`);
  assert.equal(await page.title(), 'Sign in · Stint');
  assertTidy(await servedHtml(page, `${BASE}/login`), 'the login page');
  await screenshots(page, 'login');
  await login(page);
  assertQuiet(page);
});

test('a session created from the dashboard opens in the editor', async () => {
  await page.goto(`${BASE}/`);
  await page.locator('#n-title').fill(`${TAG} U18 training`);
  await page.locator('#n-kind').selectOption('training');
  await page.locator('#n-venue').fill('Hall 2');
  await Promise.all([page.waitForURL(/\/sessions\/[0-9a-f-]{36}\?flash=created/),
    page.getByRole('button', { name: 'Create session' }).click()]);
  await page.getByText('Session created.').waitFor();
  assert.equal(await page.locator('h1').textContent(), `${TAG} U18 training`);
  await page.locator('#event-rows .empty-row').getByText('No events yet.').waitFor();
  await page.goto(`${BASE}/?q=${TAG}`);
  const row = page.locator('table.sessions tbody tr', { hasText: `${TAG} U18 training` });
  assert.match(await row.textContent(), /Training/);
  assertTidy(await servedHtml(page, `${BASE}/?q=${TAG}`), 'the dashboard');
  assertQuiet(page);
});

test('a mistake in the create form comes back with the field named', async () => {
  await page.goto(`${BASE}/`);
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.getByText('Title is required.').waitFor();
  assert.equal(await page.locator('#n-title').getAttribute('aria-invalid'), 'true');
  assertTidy(await page.content(), 'the dashboard with errors');
  expectStatus(page, 422);
  assertQuiet(page);
});

test('the KATS-BEDS .dvw and its video import from the dashboard', async () => {
  await page.goto(`${BASE}/`);
  await page.getByLabel('DataVolley file (.dvw)').setInputFiles(DVW);
  await page.getByLabel(/Match video/).setInputFiles(MP4);
  await page.locator('#i-title').fill(`${TAG} KATS-BEDS rally`);
  await Promise.all([page.waitForURL(/\/sessions\/[0-9a-f-]{36}\?flash=imported/, { timeout: 60000 }),
    page.getByRole('button', { name: 'Import' }).click()]);
  sid = page.url().match(/sessions\/([0-9a-f-]{36})/)[1];
  await page.getByText('Match imported.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length === 21);
  assert.equal(await page.locator('#events-count').textContent(), '21');
  assert.equal(await page.locator('.marker').count(), 21);
  const clips = (await api('GET', `/api/v1/sessions/${sid}/clips`)).body;
  assert.equal(clips.length, 1);
  assert.equal(await page.locator('video').getAttribute('src'), clips[0].media_url);
  const duration = await page.locator('video').evaluate((v) => new Promise((ok) => {
    if (v.readyState >= 1) ok(v.duration); else v.addEventListener('loadedmetadata', () => ok(v.duration));
  }));
  assert.ok(duration > 15 && duration < 16.5, `video duration ${duration}`);
  assertQuiet(page);
});

test('a wrong file in the import form is refused with a reason', async () => {
  await page.goto(`${BASE}/`);
  await page.getByLabel('DataVolley file (.dvw)').setInputFiles({ name: 'notes.dvw', mimeType: 'text/plain',
    buffer: Buffer.from('just some notes\n') });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('The match was not imported; see below.').waitFor();
  assert.match(await page.locator('#i-file-err').textContent(), /^The file .+/);
  assertTidy(await page.content(), 'the dashboard with an import error');
  expectStatus(page, 422);
  assertQuiet(page);
});

test('clicking an event seeks the video to t_sec minus the clip offset', async () => {
  await page.goto(`${BASE}/sessions/${sid}`);
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length === 21);
  const attack = (await events(sid)).find((e) => e.event_type === 'attack' && e.t_sec === 14);
  await page.locator(`#ev-${attack.id} .seek`).click();
  await page.waitForFunction(() => Math.abs(document.querySelector('video').currentTime - 14) < 0.05);
  assert.equal(await page.locator(`#ev-${attack.id}`).getAttribute('class'), 't-attack current');
  const dig = (await events(sid)).find((e) => e.event_type === 'dig' && e.t_sec === 8);
  await page.locator(`.marker[data-id="${dig.id}"]`).click();
  await page.waitForFunction(() => Math.abs(document.querySelector('video').currentTime - 8) < 0.05);

  // a clip moved to 100 s on the timeline: its events move with it, the seek still lands on the same frame
  await page.locator('.clip-form input[name=offset_sec]').fill('100');
  await page.locator('.clip-form').getByRole('button', { name: 'Move clip' }).click();
  await page.getByText(/Clip moved to 1:40\.0/).waitFor();
  await page.waitForFunction((id) => document.querySelector(`#ev-${id} .seek`)?.textContent === '1:54.0', attack.id);
  await page.locator(`#ev-${attack.id} .seek`).click();
  await page.waitForFunction(() => Math.abs(document.querySelector('video').currentTime - 14) < 0.05);
  assert.equal((await events(sid)).find((e) => e.id === attack.id).t_sec, 114);
  await api('PATCH', `/api/v1/sessions/${sid}/clips/${(await api('GET', `/api/v1/sessions/${sid}/clips`)).body[0].id}`,
    { json: { offset_sec: 0 } });
  assertQuiet(page);
});

test('an event tagged from the keyboard shows in the table and the rollup, and live on a second page', async () => {
  const watcher = await newPage(browser.context);
  await watcher.goto(`${BASE}/sessions/${sid}`);
  await watcher.locator('#live-state[data-state="live"]').waitFor();
  await page.goto(`${BASE}/sessions/${sid}`);
  await page.locator('#live-state[data-state="live"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length === 21);
  const kpi = page.locator('#stats-kpi-players tbody tr', { hasText: 'Dominik Depowski' });
  assert.equal(await kpi.count(), 0, 'no attack, serve or reception by #6 yet');
  await page.evaluate(() => { document.querySelector('video').currentTime = 5; });
  await page.waitForFunction(() => document.querySelector('#tag-t').value === '5.00');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('h');        // home team (GKS Katowice)
  await page.keyboard.type('6');         // shirt number 6
  await page.keyboard.press('#');        // a kill
  assert.equal(await page.locator('#tag-pending').textContent(), 'Next: GKS Katowice · #6 · evaluation #');
  await page.keyboard.press('a');        // attack: adds it
  await page.getByText(/Added Attack at 0:05\.0 GKS Katowice #6/).waitFor();
  const added = (await events(sid)).find((e) => e.t_sec === 5 && e.event_type === 'attack');
  assert.equal(added.actor_team, 'A');
  assert.equal(added.actor_number, '6', 'a shirt number is text');
  assert.equal(added.payload.evaluation, '#');
  assert.equal(added.clip_id, (await api('GET', `/api/v1/sessions/${sid}/clips`)).body[0].id);
  const row = page.locator(`#ev-${added.id}`);
  assert.match(await row.textContent(), /0:05\.0Attack.*GKS Katowice.*6 Dominik Depowski.*#/);
  // the rollup: the player's line in the KPI table, with one attack and one kill
  await kpi.waitFor();
  const cells = await kpi.locator('td').allTextContents();
  assert.deepEqual(cells.slice(2, 4), ['1', '1'], 'attacks and kills');
  // the second page got it live: the row, the marker and the feed line
  await watcher.locator(`#ev-${added.id}`).waitFor();
  await watcher.locator(`.marker[data-id="${added.id}"]`).waitFor();
  await watcher.locator('#feed li', { hasText: 'Attack at 0:05.0 added GKS Katowice #6' }).waitFor();
  await watcher.locator('#stats-kpi-players tbody tr', { hasText: 'Dominik Depowski' }).waitFor();
  assert.equal(await watcher.locator('#events-count').textContent(), '22');
  assertQuiet(watcher);
  await watcher.close();
  assertQuiet(page);
});

test('undo takes the last tag back', async () => {
  await page.evaluate(() => { document.querySelector('video').currentTime = 7; });
  await page.waitForFunction(() => document.querySelector('#tag-t').value === '7.00');
  await page.locator('#tag-form button[value=dig]').click();
  await page.getByText(/Added Dig at 0:07\.0/).waitFor();
  const dig = (await events(sid)).find((e) => e.t_sec === 7 && e.event_type === 'dig');
  await page.locator(`#ev-${dig.id}`).waitFor();
  await page.keyboard.press('Control+z');
  await page.getByText(/Undone: Dig at 0:07\.0/).waitFor();
  await page.locator(`#ev-${dig.id}`).waitFor({ state: 'detached' });
  assert.equal((await events(sid)).some((e) => e.id === dig.id), false);
  assertQuiet(page);
});

test('a shirt number typed as 0 0 is tagged "00", kept apart from "0"', async () => {
  await page.evaluate(() => { document.querySelector('video').currentTime = 8; });
  await page.waitForFunction(() => document.querySelector('#tag-t').value === '8.00');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('v');
  await page.keyboard.type('00');
  assert.match(await page.locator('#tag-pending').textContent(), / · #00$/);
  await page.keyboard.press('a');
  await page.getByText(/Added Attack at 0:08\.0 .* #00/).waitFor();
  const added = (await events(sid)).find((e) => e.t_sec === 8 && e.event_type === 'attack');
  assert.deepEqual([added.actor_team, added.actor_number], ['B', '00']);
  assert.match(await page.locator(`#ev-${added.id}`).textContent(), /Attack.*00/);
  await page.keyboard.press('Control+z');
  await page.getByText(/Undone: Attack at 0:08\.0/).waitFor();
  assertQuiet(page);
});

test('single-key shortcuts can be switched off, and stay off', async () => {
  await page.locator('#tag summary').click();
  await page.locator('#keys-on').uncheck();
  const count = await page.locator('#events-count').textContent();
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('s');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#events-count').textContent(), count, 'no serve added');
  await page.reload();
  assert.equal(await page.locator('#keys-on').isChecked(), false);
  await page.locator('#tag summary').click();
  await page.locator('#keys-on').check();
  await page.locator('#tag summary').click();
  assertQuiet(page);
});

test('an event is edited inline and deleted from the table', async () => {
  const added = (await events(sid)).find((e) => e.t_sec === 5 && e.event_type === 'attack');
  const row = page.locator(`#ev-${added.id}`);
  await row.getByRole('button', { name: /Edit/ }).click();
  const form = row.locator('form');
  await form.locator('[name=event_type]').fill('block');
  await form.locator('[name=evaluation]').selectOption('=');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/Saved Block at 0:05\.0/).waitFor();
  let stored = (await events(sid)).find((e) => e.id === added.id);
  assert.equal(stored.event_type, 'block');
  assert.equal(stored.payload.evaluation, '=');
  await page.waitForFunction((id) => /Block/.test(document.getElementById(`ev-${id}`).textContent), added.id);

  await page.locator(`#ev-${added.id}`).getByRole('button', { name: /Delete/ }).click();
  await page.getByText(/Deleted Block at 0:05\.0/).waitFor();
  await page.locator(`#ev-${added.id}`).waitFor({ state: 'detached' });
  stored = (await events(sid)).find((e) => e.id === added.id);
  assert.equal(stored, undefined);
  assert.equal(await page.locator('#events-count').textContent(), '21');
  assertQuiet(page);
});

test('the filters narrow the markers and the table to a team or a player', async () => {
  await page.locator('#v-who').selectOption({ label: '#16 Rafał Faryna' });
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length === 3);
  assert.equal(await page.locator('.marker').count(), 3);
  assert.equal(await page.locator('#events-count').textContent(), '3 of 21');
  assert.match(page.url(), /\?who=B-16$/);
  await page.locator('#v-type').selectOption('dig');
  await page.locator('#event-rows .empty-row').getByText('No event matches this view.').waitFor();
  await page.locator('#v-who').selectOption('');
  await page.locator('#v-type').selectOption('');
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length === 21);
});

test('the CSV exports download the session’s events and rollup', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('link', { name: 'Events CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0], 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload');
  assert.equal(lines.length, 22);
  assert.ok(lines.some((l) => /,14,attack,B,16,Rafał Faryna,/.test(l)));
  const [rollup] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('link', { name: 'Rollup CSV' }).first().click()]);
  assert.match(readFileSync(await rollup.path(), 'utf8'), /^team_side,number,event_type,count\r\n/);
});

test('the statistics sort by any column', async () => {
  const table = page.locator('#stats-players');
  await table.getByRole('button', { name: 'Total' }).click();
  const totals = (await table.locator('tbody tr td:last-child').allTextContents()).map(Number);
  assert.deepEqual(totals, [...totals].sort((a, b) => b - a));
  assert.equal(await table.locator('th', { hasText: 'Total' }).getAttribute('aria-sort'), 'descending');
  await table.getByRole('button', { name: 'Player' }).click();
  const names = await table.locator('tbody th').allTextContents();
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
  // shirt numbers are text but sort as numbers: 9 before 10 (issue 14)
  await table.getByRole('button', { name: '#' }).click();
  await table.getByRole('button', { name: '#' }).click();
  assert.equal(await table.locator('th', { hasText: '#' }).getAttribute('aria-sort'), 'ascending');
  const numbers = await table.locator('tbody tr td:nth-child(2)').allTextContents();
  assert.ok(numbers.some((n) => n.length === 1) && numbers.some((n) => n.length === 2), numbers.join());
  assert.deepEqual(numbers.map(Number), numbers.map(Number).sort((a, b) => a - b), numbers.join());
});

test('the editor is valid HTML, with its fragments, and photographed', async () => {
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}`), 'the editor');
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}?who=B&type=attack&edit=1`), 'the editor with a filter');
  assertTidy(`<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>${
    await servedHtml(page, `${BASE}/sessions/${sid}/stats`)}</body></html>`, 'the stats fragment');
  await page.goto(`${BASE}/sessions/${sid}`);
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length === 21);
  const attack = (await events(sid)).find((e) => e.event_type === 'attack' && e.t_sec === 10);
  await page.locator(`#ev-${attack.id} .seek`).click();
  await page.waitForFunction(() => document.querySelector('#tag-t').value === '10.00');
  await page.locator('video').evaluate((v) => new Promise((ok) => (v.seeking ? v.addEventListener('seeked', ok) : ok())));
  await page.locator('label[for="w-A-7"]').click();
  await screenshots(page, 'editor');
  await page.goto(`${BASE}/`);
  await screenshots(page, 'dashboard');
  assertQuiet(page);
});

test('the live view shows the running score and follows new points', async () => {
  const live = await newPage(browser.context);
  await live.goto(`${BASE}/sessions/${sid}/live`);
  await live.locator('#live-state[data-state="live"]').waitFor();
  assert.equal(await live.locator('.score').textContent(), '0–1');
  assert.match(await live.locator('.set-list').textContent(), /Set 1 25–20/);
  const res = await api('POST', `/api/v1/sessions/${sid}/events`, { json: { events: [
    { t_sec: 21, event_type: 'point', actor_team: 'A', actor_number: null,
      payload: { home_score: 1, visiting_score: 1, set_number: 1 } }] } });
  assert.equal(res.status, 201);
  await live.locator('.score', { hasText: '1–1' }).waitFor();
  assert.match(await live.locator('.recent li').first().textContent(), /0:21\.0\s*Point\s*GKS Katowice/);
  assert.equal(await live.locator('#announce').textContent(), 'Score 1 to 1');
  assertTidy(await servedHtml(live, `${BASE}/sessions/${sid}/live`), 'the live view');
  await screenshots(live, 'live');
  assertQuiet(live);
  await live.close();
});

test('the live panel catches up after nginx drops its connection, without doubles', async () => {
  await page.goto(`${BASE}/sessions/${sid}`);
  await page.locator('#live-state[data-state="live"]').waitFor();
  const before = Number(await page.locator('#events-count').textContent());
  await page.evaluate(() => {
    window.states = [];
    const el = document.getElementById('live-state');
    new MutationObserver(() => window.states.push(el.dataset.state)).observe(el, { attributes: true });
  });
  stint('reload');  // nginx restarts its workers: nchan's memory and the page's stream are gone
  await page.waitForFunction(() => window.states.includes('reconnecting'), null, { timeout: 20000 });
  const batch = [0, 1, 2].map((i) => ({ t_sec: 30 + i, event_type: 'timeout', actor_team: 'B', actor_number: null }));
  const key = { 'idempotency-key': `reload-${sid}` };  // the first request after a reload may meet a closing connection
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/events`, { json: { events: batch }, headers: key })).status, 201);
  await page.waitForFunction((n) => document.querySelector('#events-count').textContent === String(n), before + 3,
    { timeout: 20000 });
  await page.locator('#live-state[data-state="live"]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#event-rows tr.t-timeout').count(), 3);
  assert.equal(await page.locator('#feed li', { hasText: '3 events added' }).count(), 1);
  assertQuiet(page);
});

test('a viewer watches and follows the session but gets no tagging or editing', async () => {
  const viewer = makeUser('viewer');
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: viewer.email, role: 'viewer' } })).status, 200);
  const other = await launch();
  try {
    const p = await newPage(other.context);
    await login(p, viewer.email, viewer.password);
    await p.goto(`${BASE}/sessions/${sid}`);
    await p.locator('#live-state[data-state="live"]').waitFor();
    await p.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length > 0);
    assert.equal(await p.locator('#tag-form').count(), 0);
    assert.equal(await p.locator('#event-rows button', { hasText: /Edit|Delete/ }).count(), 0);
    assert.equal(await p.locator('#details form').count(), 0);
    const first = (await events(sid))[0];
    await p.locator(`#ev-${first.id} .seek`).click();
    await p.keyboard.press(']');
    await p.waitForFunction(() => document.querySelector('video').currentTime > 0);
    assertTidy(await servedHtml(p, `${BASE}/sessions/${sid}`), 'the editor as a viewer sees it');
    assertQuiet(p);
  } finally {
    await other.close();
  }
});

test('without JavaScript, events are added, edited and deleted through the forms', async () => {
  const plain = await launch({ javaScriptEnabled: false });
  try {
    const p = await newPage(plain.context);
    await login(p);
    await p.goto(`${BASE}/sessions/${sid}`);
    assert.equal(await p.locator('#timeline').isHidden(), true);
    await p.locator('#tag-t').fill('3.5');
    await p.locator('label[for="w-B-13"]').click();
    await p.locator('label[for="e-positive"]').click();
    await Promise.all([p.waitForURL(/flash=event_added/), p.locator('#tag-form button[value=reception]').click()]);
    await p.getByText('Event added.').waitFor();
    const added = (await events(sid)).find((e) => e.t_sec === 3.5);
    assert.deepEqual([added.event_type, added.actor_team, added.actor_number, added.payload.evaluation],
      ['reception', 'B', '13', '+']);
    await p.locator(`#ev-${added.id}`).getByRole('link', { name: /Edit/ }).click();
    await p.locator('#ed-t').fill('4');
    await p.locator('#ed-who').selectOption('B');
    await Promise.all([p.waitForURL(/flash=event_saved/), p.locator('.row-form').getByRole('button', { name: 'Save' }).click()]);
    const edited = (await events(sid)).find((e) => e.id === added.id);
    assert.deepEqual([edited.t_sec, edited.actor_team, edited.actor_number, edited.payload.evaluation], [4, 'B', null, '+']);
    await p.locator('#tag-t').fill('');
    await p.locator('#tag-form button[value=serve]').click();
    await p.getByText(/The event was not added: time is required;/).waitFor();
    assertTidy(await p.content(), 'the editor with a form error');
    expectStatus(p, 422);
    await p.goto(`${BASE}/sessions/${sid}`);
    await Promise.all([p.waitForURL(/flash=event_deleted/),
      p.locator(`#ev-${added.id}`).getByRole('button', { name: /Delete/ }).click()]);
    assert.equal((await events(sid)).some((e) => e.id === added.id), false);
    assertQuiet(p);
  } finally {
    await plain.close();
  }
});

test('the replay plays the session\'s live messages back in order', async () => {
  await page.goto(`${BASE}/sessions/${sid}/replay`);
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}/replay`), 'the replay page');
  const stored = (await api('GET', `/api/v1/sessions/${sid}/timeline?limit=5000`)).body.messages
    .filter((m) => !['pose_updated', 'rollup_updated'].includes(m.type));
  assert.ok(stored.length > 0, 'the earlier scenarios published messages');
  await page.locator('#replay-speed').selectOption('30');
  await page.locator('#replay-play:not([disabled])').click();
  await page.locator('#replay-play', { hasText: 'Play again' }).waitFor({ timeout: 60000 });
  const logged = await page.locator('#replay-log li strong').allTextContents();
  assert.equal(logged.length, Math.min(stored.length, 200));
  assert.deepEqual(logged.reverse().map((t) => t.trim()), stored.slice(-200).map((m) => m.type.replace('_', ' ')));
  await screenshots(page, 'replay');
  assertQuiet(page);
});
