// A coach starts from scratch, in one page session of headless Chromium (issue 18, Must show): creates a
// session on the dashboard, sets both rosters in the editor's teams panel (opened from its summary),
// uploads a generated video of more than 200 MB (ffmpeg testsrc2 with noise) through the clips panel, goes offline halfway and resumes from
// where the server stood, then tags 50 events by keys while this test stack's nginx answers 429 to some of
// them (a 2 r/s limit on this session's event POSTs, removed in `after`). Asserted: what the page shows
// (saved, progress, connection dropped, clip added, tags waiting because the server is busy, all stored,
// the roster's names in the events table) and what the API stores (both rosters, one clip of the file's
// size, the 50 events exactly once in the order tagged, with the roster's shirt numbers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { api, BASE, REPO, makeUser, sleep } from '../integration/lib.mjs';
import { launch, newPage, login, assertQuiet, expectStatus, makeVideo, BIG_VIDEO_SOURCE, fillPlayer, drained,
  lowRateLimit, openTeamsPanel } from './browser.mjs';

const OUT = process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out');
const VIDEO = path.join(OUT, 'coach-from-scratch.mp4');
const TAG = `cs${Date.now()}`;
const HOME = Array.from({ length: 12 }, (_, i) => [String(i + 1), `Home Player ${i + 1}`]);
const AWAY = Array.from({ length: 12 }, (_, i) => [String(i + 21), `Away Player ${i + 21}`]);
const coach = makeUser('coach');

let browser;
let page;
let unlimit = null;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  // made once per output directory: 11 s of noisy 720p is about 215 MB
  if (!existsSync(VIDEO) || statSync(VIDEO).size < 200e6) makeVideo(VIDEO, 11, BIG_VIDEO_SOURCE);
  assert.ok(statSync(VIDEO).size >= 200e6, `the generated video has ${statSync(VIDEO).size} bytes`);
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, coach.email, coach.password);
});

after(async () => {
  unlimit?.();
  await browser?.close();
});

const statusText = () => page.locator('#upload-list .upload-status').textContent();

test('a coach creates a session, sets both rosters, uploads 200 MB with a dropped connection, tags 50 through 429s', async (t) => {
  // 1. the session, from the dashboard
  await page.goto(`${BASE}/`);
  await page.locator('#n-title').fill(`${TAG} Lakeside vs Harbour`);
  await page.locator('#n-kind').selectOption('match');
  await Promise.all([page.waitForURL(/\/sessions\/[0-9a-f-]{36}\?flash=created/),
    page.getByRole('button', { name: 'Create session' }).click()]);
  const sid = /\/sessions\/([0-9a-f-]{36})/.exec(page.url())[1];

  // 2. both rosters in the teams panel (opened from the editor's summary), saved without leaving the page
  await openTeamsPanel(page);
  const panel = page.locator('#teams');
  await panel.getByLabel('Team name').first().fill(`${TAG} Lakeside`);
  await page.locator('#home-short').fill('LAK');
  for (const [i, [n, name]] of HOME.entries()) await fillPlayer(page, 'Home', i + 1, n, name, { captain: i === 0 });
  await page.locator('#visiting-name').fill(`${TAG} Harbour`);
  for (const [i, [n, name]] of AWAY.entries()) {
    if (i >= 2 && !(await page.getByLabel(`Visiting, player ${i + 1}: name`, { exact: true }).count())) {
      await panel.getByRole('button', { name: 'Add a player to Visiting' }).click();
    }
    await fillPlayer(page, 'Visiting', i + 1, n, name);
  }
  await panel.getByRole('button', { name: 'Save teams' }).click();
  await panel.getByText('Teams saved.').waitFor();
  assert.match(page.url(), new RegExp(`/sessions/${sid}\\?flash=created`), 'saved without leaving the page');
  const teams = (await api('GET', `/api/v1/sessions/${sid}/teams`, { token: coach.token })).body;
  const numeric = (ps) => ps.map((p) => [p.number, p.name]).sort((a, b) => a[0] - b[0]);
  assert.deepEqual([teams.home.name, teams.visiting.name], [`${TAG} Lakeside`, `${TAG} Harbour`]);
  assert.deepEqual(numeric(teams.home.players), HOME);
  assert.deepEqual(numeric(teams.visiting.players), AWAY);

  // 3. the video, in chunks; offline halfway, then on from where the server stood
  const size = statSync(VIDEO).size;
  const sent = [];
  const onRequest = (req) => { if (req.url().includes('/uploads')) sent.push([req.method(), req.headers()['upload-offset'] ?? null]); };
  page.on('request', onRequest);
  await page.locator('#clips').scrollIntoViewIfNeeded();
  assert.match(await page.locator('#clips').innerText(), /No clips yet\. Add the match video/);
  await page.setInputFiles('#upload-file', VIDEO);
  await page.locator('#upload-title').fill('Main camera');
  await page.getByRole('button', { name: 'Upload clip' }).click();
  const bar = page.locator('#upload-list progress');
  await bar.waitFor();
  assert.equal(Number(await bar.getAttribute('max')), size);
  await page.waitForFunction(() => { const p = document.querySelector('#upload-list progress'); return p && p.value / p.max >= 0.5; },
    null, { timeout: 120000, polling: 20 });
  await browser.context.setOffline(true);
  await page.waitForFunction(() => /connection dropped/i.test(document.querySelector('#upload-list .upload-status')?.textContent ?? ''),
    null, { timeout: 30000 });
  const url = await page.evaluate((s) => Object.entries(localStorage).find(([k]) => k.startsWith(`stint-upload:${s}:`))?.[1], sid);
  const kept = Number((await api('HEAD', url, { token: coach.token, headers: { 'tus-resumable': '1.0.0' } })).headers.get('upload-offset'));
  assert.ok(kept > 0 && kept < size, `the server kept ${kept} bytes of ${size}`);
  await sleep(1000);
  const offlineAt = sent.length;
  await browser.context.setOffline(false);
  await page.waitForFunction(() => /Added as a clip/.test(document.querySelector('#upload-list .upload-status')?.textContent ?? ''),
    null, { timeout: 180000, polling: 200 }).catch(async (e) => { throw new Error(`${e.message}: ${await statusText()}`); });
  page.off('request', onRequest);
  assert.equal(await bar.last().evaluate((p) => p.value / p.max), 1, 'the bar is full');
  assert.equal(sent.filter(([m]) => m === 'POST').length, 1, 'one upload was created');
  assert.deepEqual(sent.slice(offlineAt).find(([m]) => m !== 'HEAD'), ['PATCH', String(kept)],
    `back online it goes on from ${kept}, not from the start`);
  const clips = (await api('GET', `/api/v1/sessions/${sid}/clips`, { token: coach.token })).body;
  assert.deepEqual(clips.map((c) => [c.title, c.kind, c.size_bytes]), [['Main camera', 'video', size]]);

  // 4. 50 tags by keys on the video while nginx answers 429 to some
  unlimit = lowRateLimit(sid, 'coach-from-scratch');
  const statuses = [];
  const keys = new Set();   // the Idempotency-Key of each POST: a retry sends its tag's key again
  page.on('response', (res) => {
    if (!res.url().endsWith(`/sessions/${sid}/events`) || res.request().method() !== 'POST') return;
    statuses.push(res.status());
    keys.add(res.request().headers()['idempotency-key']);
  });
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Show it' }).click()]);
  await page.waitForFunction(() => document.getElementById('video')?.readyState >= 2, null, { timeout: 30000 });
  assert.equal(await page.locator('label[for="w-A-1"]').getAttribute('title'), 'Home Player 1', 'the roster is in the tagging panel');
  await page.evaluate(() => {
    window.queueTexts = new Set();
    const el = document.querySelector('#tag-queue');
    new MutationObserver(() => window.queueTexts.add(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    document.activeElement?.blur();
  });
  const typeKeys = ['s', 'r', 'e', 'a', 'b', 'd', 'f', 'p'];
  const made = [];
  for (let i = 0; i < 50; i++) {
    const home = i % 2 === 0;
    const [number] = (home ? HOME : AWAY)[Math.floor(i / 2) % 12];
    if (i % 10 === 0) await page.locator('#video').evaluate((v, at) => { v.currentTime = at; }, i / 5);   // on through the match
    await page.keyboard.press(home ? 'h' : 'v');
    await page.keyboard.type(number);
    await page.keyboard.press(typeKeys[i % typeKeys.length]);
    made.push([home ? 'A' : 'B', number]);
  }
  assert.ok(Number(await page.locator('#tag-queue').getAttribute('data-pending')) > 0, 'tags wait');
  await drained(page, 120000);
  const texts = await page.evaluate(() => [...window.queueTexts]);
  assert.ok(texts.some((x) => /tags? waiting: the server is busy; sending again in \d+ s\./.test(x)),
    `the page said why tags wait: ${texts.join(' | ')}`);
  assert.ok(statuses.includes(429), 'nginx answered 429 to some');
  assert.equal(statuses.filter((x) => x === 201).length, 50, 'fifty POSTs stored a tag');
  assert.equal(keys.size, 50, 'one idempotency key per tag, the same on each retry');
  t.diagnostic(`${statuses.length} POSTs for 50 tags: ${statuses.filter((x) => x === 429).length} answered 429`);
  assert.equal(await page.locator('#tag-queue').textContent(), 'All tags stored.');
  assert.doesNotMatch(await page.locator('#tag-status').textContent(), /Not added|\.\./);

  const stored = (await api('GET', `/api/v1/sessions/${sid}/events?limit=1000`, { token: coach.token })).body.items
    .sort((a, b) => a.id - b.id);
  assert.equal(stored.length, 50, 'each tag stored once');
  assert.deepEqual(stored.map((e) => [e.actor_team, String(e.actor_number)]), made, 'in the order tagged');
  assert.ok(stored.every((e) => e.clip_id === clips[0].id), 'tagged on the uploaded clip');
  for (let i = 1; i < stored.length; i++) assert.ok(stored[i].t_sec >= stored[i - 1].t_sec, 'times in order');
  // what the coach sees: 50 rows in the events table, with the roster's names
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length === 50, null, { timeout: 20000 });
  assert.match(await page.locator(`#ev-${stored[1].id}`).textContent(), /21 Away Player 21/);
  assert.match(await page.locator(`#ev-${stored[48].id}`).textContent(), /1 Home Player 1/);

  expectStatus(page, 429);
  expectStatus(page, 409);
  page.problems = page.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p));
  assertQuiet(page);
});
