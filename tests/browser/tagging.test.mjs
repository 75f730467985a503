// Tagging a live match in a real browser (Debian's headless Chromium through
// playwright-core), as a coach at the venue does (issue 18): keys alone tag a
// session without video at the session clock's time; no tag is lost when the
// server answers 429 (a low rate limit on this test stack's nginx), when the
// connection drops, or when the page is reloaded with tags waiting; Space
// never tags; the evaluation resets after each tag; the status, Undo and the
// last tags stay in view at 1366x768. Screenshots at 1366x768 and 390x844
// under $STINT_TEST_OUT/screenshots; axe-core finds no serious or critical
// violation on the editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, ADMIN_EMAIL, BASE, REPO, createSession, sleep } from '../integration/lib.mjs';
import { launch, newPage, login, assertQuiet, expectStatus, drained as drainedPage, lowRateLimit } from './browser.mjs';

const OUT = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const SIZES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const AXE = readFileSync(path.join(REPO, 'tests/node_modules/axe-core/axe.min.js'), 'utf8');
const TAG = `tag${Date.now()}`;
const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const MP4 = path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4');

let browser;
let page;

const events = async (sid) => (await api('GET', `/api/v1/sessions/${sid}/events?limit=1000`)).body.items;
const byId = (a, b) => a.id - b.id;

/** A live session without video; returns { id, live_ms } (live_at in ms). */
async function liveSession(title) {
  const s = await createSession({ title: `${TAG} ${title}`, kind: 'match', status: 'live' });
  assert.ok(s.live_at, 'a session made live has live_at');
  return { id: s.id, live_ms: Date.parse(s.live_at) };
}

/** Opens the editor of sid, ready for keys (the focus on nothing). */
async function open(sid) {
  await page.goto(`${BASE}/sessions/${sid}`);
  await page.locator('#clock:not([hidden])').waitFor();
  await page.locator('#live-state[data-state="live"]').waitFor();
  await page.evaluate(() => document.activeElement?.blur());
}

/** Waits until the page's queue holds no tag. */
const drained = (timeout) => drainedPage(page, timeout);

async function shots(name) {
  mkdirSync(OUT, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(OUT, `${name}-${size}.png`) });
    if (size === 'phone') await page.locator('#tag').screenshot({ path: path.join(OUT, `${name}-${size}-panel.png`) });
  }
  await page.setViewportSize(before);
}

/** axe-core's serious and critical violations on the page (WCAG 2.1 A and AA). */
async function axeProblems() {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'],
  })).violations);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether element sel lies wholly inside the viewport. */
async function inView(sel) {
  return page.locator(sel).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
  });
}

before(async () => {
  browser = await launch();
  page = await newPage(browser.context);
  await login(page);
});

after(async () => {
  await browser?.close();
});

test('a live session without video is tagged by keys alone at the session clock', async () => {
  const s = await liveSession('keys only');
  await open(s.id);
  const made = [];
  // team, shirt number, evaluation, type: four keys per touch, no time typed
  for (const [team, number, ev, key, type] of [['h', '7', '#', 'a', 'attack'], ['v', '12', '-', 'r', 'reception'],
    ['h', '3', '+', 's', 'serve']]) {
    await page.keyboard.press(team);
    await page.keyboard.type(number);
    await page.keyboard.press(ev);
    const from = Date.now();
    await page.keyboard.press(key);
    made.push({ type, team: team === 'h' ? 'A' : 'B', number, ev, from, to: Date.now() });
    assert.equal(await page.locator('#e-none').isChecked(), true, 'the evaluation resets after the tag');
    await sleep(400);
  }
  await drained();
  const stored = (await events(s.id)).sort(byId);
  assert.equal(stored.length, 3);
  stored.forEach((e, i) => {
    const m = made[i];
    assert.deepEqual([e.event_type, e.actor_team, String(e.actor_number), e.payload.evaluation, e.clip_id],
      [m.type, m.team, m.number, m.ev, null]);
    // the clock's time: seconds since live_at, within 0.5 s (key press and rounding)
    assert.ok(e.t_sec >= (m.from - s.live_ms) / 1000 - 0.5 && e.t_sec <= (m.to - s.live_ms) / 1000 + 0.5,
      `t_sec ${e.t_sec} is the clock's ${(m.from - s.live_ms) / 1000}`);
  });
  await page.locator('#tag-recent li.stored').nth(2).waitFor();
  assert.match(await page.locator('#tag-recent li').first().textContent(), /Serve · .* #3 · \+stored/);

  // paused and corrected: a tag while paused takes the set time exactly
  await page.locator('#clock-run').click();
  await page.locator('#clock-set').fill('2:00');
  await page.locator('#clock-apply').click();
  await page.getByText('Clock set to 2:00.0.').waitFor();
  assert.equal(await page.locator('#clock-time').textContent(), '2:00.0');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('d');
  await page.getByText(/Added Dig at 2:00\.0/).waitFor();
  // a typed time stays possible, then the clock gives the time again
  await page.locator('#tag-t').fill('33.5');
  await page.locator('#tag-form button[value=point]').click();
  await page.getByText(/Added Point at 0:33\.5/).waitFor();
  await page.locator('#clock-run').click();   // runs on from 2:00
  assert.equal(await page.locator('#clock-run').textContent(), 'Pause');
  await page.waitForFunction(() => Number(document.querySelector('#tag-t').value) > 120);
  const later = (await events(s.id)).sort(byId).slice(3).map((e) => [e.event_type, e.t_sec]);
  assert.deepEqual(later, [['dig', 120], ['point', 33.5]]);

  // the clock survives a reload, running from where it was set
  await page.reload();
  await page.locator('#clock:not([hidden])').waitFor();
  await page.locator('#tag-recent li.stored').nth(3).waitFor();   // the newest stored tags
  const shown = Number(await page.locator('#tag-t').inputValue());
  assert.ok(shown > 120 && shown < 200, `the clock after a reload reads ${shown}`);

  // at 1366x768 the clock, the status, what waits, Undo and the last tags are in view
  for (const sel of ['#clock', '#tag-status', '.tag-queue', '#undo', '#tag-recent']) {
    assert.ok(await inView(sel), `${sel} in view at 1366x768`);
  }
  await shots('tagging-live-clock');
  assert.deepEqual(await axeProblems(), [], 'axe-core: no serious or critical violation on the editor');
  await page.setViewportSize(SIZES.phone);
  assert.deepEqual(await axeProblems(), [], 'axe-core at 390x844');
  await page.setViewportSize(SIZES.laptop);
  assertQuiet(page);
});

test('the clock of a planned session stands at 0 and starts when the session goes live', async () => {
  const s = await createSession({ title: `${TAG} planned`, kind: 'match', status: 'planned' });
  assert.equal(s.live_at, null);
  await page.goto(`${BASE}/sessions/${s.id}`);
  await page.locator('#clock:not([hidden])').waitFor();
  await page.locator('#live-state[data-state="live"]').waitFor();
  assert.equal(await page.locator('#clock-time').textContent(), '0:00.0');
  assert.equal(await page.locator('#clock-run').textContent(), 'Start');
  const live = await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { status: 'live' } });
  assert.equal(live.status, 200);
  assert.ok(live.body.live_at);
  // the session_updated message starts the open page's clock from live_at
  await page.waitForFunction(() => document.querySelector('#clock-run').textContent === 'Pause');
  await page.waitForFunction(() => Number(document.querySelector('#tag-t').value) > 0);
  const again = await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { status: 'completed' } });
  const relive = await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { status: 'live' } });
  assert.equal(again.status, 200);
  assert.equal(relive.body.live_at, live.body.live_at, 'live_at stays the first time it went live');
  assertQuiet(page);
});

test('a video added later is placed on the live tags by its offset; Space plays it and never tags', async () => {
  const s = await liveSession('video later');
  await open(s.id);
  await page.locator('#clock-run').click();       // paused: the tags take the set times
  for (const [at, key] of [['12', 'a'], ['14', 'b']]) {
    await page.locator('#clock-set').fill(at);
    await page.locator('#clock-apply').click();
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('h');
    await page.keyboard.press(key);
  }
  await drained();
  const up = await api('POST', `/api/v1/sessions/${s.id}/clips/upload?kind=video`,
    { body: readFileSync(MP4), headers: { 'content-type': 'video/mp4' } });
  assert.equal(up.status, 201);
  const moved = await api('PATCH', `/api/v1/sessions/${s.id}/clips/${up.body.id}`, { json: { offset_sec: 5 } });
  assert.equal(moved.status, 200);
  const tagged = (await events(s.id)).sort(byId);
  assert.deepEqual(tagged.map((e) => [e.event_type, e.t_sec, e.clip_id]), [['attack', 12, null], ['block', 14, null]],
    'the live tags keep the session clock\'s times');
  await page.goto(`${BASE}/sessions/${s.id}`);
  await page.locator('#clock').waitFor({ state: 'hidden' });
  await page.locator(`#ev-${tagged[0].id}`).click();
  await page.waitForFunction(() => Math.abs(document.querySelector('video').currentTime - 7) < 0.05);
  // the session time (At) is the clip's offset + the video's time
  await page.waitForFunction(() => document.querySelector('#tag-t').value === '12.00');
  // a click on a type button, then Space: the video plays and pauses, no second tag
  await page.locator('#tag-form button[value=dig]').click();
  await page.getByText(/Added Dig at 0:12\.0/).waitFor();
  await page.keyboard.press(' ');
  await page.waitForFunction(() => !document.querySelector('video').paused);
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('video').paused);
  await sleep(500);
  await drained();
  const after = (await events(s.id)).sort(byId);
  assert.equal(after.length, 3, 'Space added nothing');
  assert.deepEqual([after[2].event_type, after[2].clip_id], ['dig', up.body.id]);
  assert.equal(await page.locator('#e-none').isChecked(), true);
  await page.evaluate(() => window.scrollTo(0, 0));   // the row click scrolled the table into view
  for (const sel of ['#tag-status', '.tag-queue', '#undo', '#tag-recent']) {
    assert.ok(await inView(sel), `${sel} in view at 1366x768 beside the video`);
  }
  await shots('tagging-video');
  assert.deepEqual(await axeProblems(), [], 'axe-core on the editor with a video');
  assertQuiet(page);
});

test('50 tags while nginx answers 429 to some: all stored exactly once, in order', async (t) => {
  const s = await liveSession('rate limited');
  // a low per-address rate for this session's event POSTs only (2 r/s, burst 1)
  const unlimit = lowRateLimit(s.id);
  const statuses = [];
  const seen = (res) => { if (res.url().endsWith(`/sessions/${s.id}/events`)) statuses.push(res.status()); };
  page.on('response', seen);
  try {
    await open(s.id);
    await page.evaluate(() => {
      window.queueTexts = new Set();
      const el = document.querySelector('#tag-queue');
      new MutationObserver(() => window.queueTexts.add(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const types = ['s', 'r', 'e', 'a', 'b', 'd', 'f', 'p'];
    for (let i = 1; i <= 50; i++) {
      await page.keyboard.press(i % 2 ? 'h' : 'v');
      await page.keyboard.type(String(i));
      await page.keyboard.press(types[i % types.length]);
    }
    assert.ok(Number(await page.locator('#tag-queue').getAttribute('data-pending')) > 0, 'tags wait');
    await drained(90000);
    const texts = [...await page.evaluate(() => [...window.queueTexts])];
    assert.ok(texts.some((t) => /tags? waiting: the server is busy; sending again in \d+ s\./.test(t)),
      `the page said why tags wait: ${texts.join(' | ')}`);
    assert.ok(statuses.includes(429), 'nginx answered 429 to some');
    t.diagnostic(`${statuses.length} POSTs for 50 tags: ${statuses.filter((x) => x === 429).length} answered 429`);
    expectStatus(page, 429);
    const stored = (await events(s.id)).sort(byId);
    assert.equal(stored.length, 50, 'each tag stored once');
    assert.deepEqual(stored.map((e) => String(e.actor_number)), Array.from({ length: 50 }, (_, i) => String(i + 1)),
      'in order');
    assert.deepEqual(stored.map((e) => e.actor_team), Array.from({ length: 50 }, (_, i) => (i % 2 ? 'B' : 'A')));
    for (let i = 1; i < stored.length; i++) assert.ok(stored[i].t_sec >= stored[i - 1].t_sec, 'times in order');
    assert.doesNotMatch(await page.locator('#tag-status').textContent(), /Not added|\.\./);
    assert.equal(await page.locator('#tag-queue').textContent(), 'All tags stored.');
    await shots('tagging-after-429');
    assertQuiet(page);
  } finally {
    page.off('response', seen);
    unlimit();
  }
});

test('tags waiting when the page is reloaded are sent after the reload', async () => {
  const s = await liveSession('reload');
  await open(s.id);
  await page.route(`**/api/v1/sessions/${s.id}/events`, (route) =>
    (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
  for (const [n, key] of [['4', 's'], ['9', 'a'], ['11', 'b']]) {
    await page.keyboard.press('h');
    await page.keyboard.type(n);
    await page.keyboard.press(key);
  }
  const waiting = page.getByText(/3 tags waiting: no connection; sending again in \d+ s\./);
  await waiting.waitFor();
  assert.equal(await page.locator('#tag-recent li.waiting').count(), 3);
  await shots('tagging-waiting');
  const store = `stint.tags.${s.id}.${ADMIN_EMAIL}`;   // the tags of the one who made them
  const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)).length, store);
  assert.equal(kept, 3, 'kept in localStorage');
  // reloaded while still cut off: the new page finds the tags and shows them waiting
  await page.reload();
  await waiting.waitFor();
  assert.equal(await page.locator('#tag-recent li.waiting').count(), 3);
  assert.equal((await events(s.id)).length, 0);
  await page.unroute(`**/api/v1/sessions/${s.id}/events`);
  page.problems = page.problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED'));
  await drained();
  const stored = (await events(s.id)).sort(byId);
  assert.deepEqual(stored.map((e) => [e.event_type, String(e.actor_number)]), [['serve', '4'], ['attack', '9'], ['block', '11']]);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), store), null);
  assertQuiet(page);
});

test('a tag whose answer was lost is sent again with its key and stored once', async () => {
  const s = await liveSession('lost answer');
  await open(s.id);
  let cut = 2;
  const posts = [];
  await page.route(`**/api/v1/sessions/${s.id}/events`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts.push(route.request().headers()['idempotency-key']);
    if (cut === 0) return route.continue();
    cut -= 1;
    await route.fetch();                        // the server stores the tag ...
    return route.abort('connectionreset');      // ... and its answer never arrives
  });
  try {
    for (const [n, key] of [['5', 's'], ['6', 'a']]) {
      await page.keyboard.press('h');
      await page.keyboard.type(n);
      await page.keyboard.press(key);
    }
    await drained();
  } finally {
    await page.unroute(`**/api/v1/sessions/${s.id}/events`);
  }
  const stored = (await events(s.id)).sort(byId);
  assert.deepEqual(stored.map((e) => [e.event_type, String(e.actor_number)]), [['serve', '5'], ['attack', '6']],
    'no second row');
  assert.ok(posts.length >= 4, 'each tag was sent again');
  assert.equal(new Set(posts).size, 2, 'with the same key each time');
  page.problems = page.problems.filter((p) => !p.includes('ERR_CONNECTION_RESET'));
  assertQuiet(page);
});

test('Space after a click on a type button plays or pauses, never tags; the evaluation resets', async () => {
  const s = await liveSession('space');
  await open(s.id);
  await page.keyboard.press('v');
  await page.keyboard.press('+');
  await page.locator('#tag-form button[value=serve]').click();
  await page.getByText(/Added Serve at/).waitFor();
  assert.equal(await page.locator('#e-none').isChecked(), true, 'the evaluation resets');
  await page.keyboard.press(' ');
  await page.keyboard.press(' ');
  // a type button that has the keyboard focus: Space does not press it either
  await page.locator('#tag-form button[value=attack]').focus();
  await page.keyboard.press(' ');
  await sleep(800);
  await drained();
  const stored = await events(s.id);
  assert.equal(stored.length, 1, 'one tag: Space added none');
  assert.deepEqual([stored[0].event_type, stored[0].actor_team, stored[0].payload.evaluation], ['serve', 'B', '+']);
  // Undo takes the tag back
  await page.locator('#undo').click();
  await page.getByText(/Undone: Serve at/).waitFor();
  assert.equal((await events(s.id)).length, 0);
  // a tag the server refuses for what it is leaves the queue, with the reason (one full stop)
  await page.locator('#tag-t').fill('20000000');
  await page.locator('#tag-form button[value=point]').click();
  await page.waitForFunction(() => document.querySelector('#tag-status.problem')?.textContent.startsWith('Not added'));
  assert.match(await page.locator('#tag-status').textContent(), /^Not added: Point at .*: t_sec .*[^.]\.$/);
  await page.locator('#tag-recent li.not-added').first().waitFor();
  await drained();
  assert.equal((await events(s.id)).length, 0);
  expectStatus(page, 422);
  assertQuiet(page);
});
