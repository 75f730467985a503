// The video review in a real browser (issue 19): on an imported DataVolley match (the one-rally
// KATS-BEDS file, events at the video seconds it scouted) with a video clip (an ffmpeg test
// pattern, its offset 2 s on the session's timeline), a playlist is built from the review page's
// filter (the visiting team's #16, attacks: 3 events, at 6, 10 and 14 s), saved and played: N
// seeks the video to the first event's clip time less the pre-roll (6 - 2 - 3 = 1 s) and marks
// the item, N again goes to the next one (5 s), P back; the share link opens the same playlist
// for another viewer of the session. The page is in the layout with a title and a lang, has no
// horizontal scroll at 390 px, 0 serious or critical axe-core violations, passes tidy, logs no
// console error; screenshots at 1366x768 and 390x844 (STINT_TEST_OUT/screenshots/review-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { api, BASE, REPO, makeUser } from '../integration/lib.mjs';
import { launch, newPage, login, makeVideo, assertTidy, assertQuiet, servedHtml } from './browser.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const OUT = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const OFFSET = 2;   // the clip starts 2 s into the session
const PRE = 3;      // the default pre-roll

let browser;
let other;
let page;
let sid;
let viewer;
let attacks;        // the visiting #16's attack events, from the API

before(async () => {
  const imp = await api('POST', '/api/v1/imports?title=Review%20KATS-BEDS',
    { body: readFileSync(path.join(DATA, 'volleyball', '190301_kats_beds-clip.dvw')),
      headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(imp.status, 201, imp.text);
  sid = imp.body.session.id;
  const dir = mkdtempSync(path.join(tmpdir(), 'stint-review-'));
  const file = path.join(dir, 'pattern.mp4');
  makeVideo(file, 30, 'testsrc2=size=320x180:rate=10');
  const up = await api('POST', `/api/v1/sessions/${sid}/clips/upload?kind=video&title=Pattern&offset_sec=${OFFSET}`,
    { body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(up.status, 201, up.text);
  const ev = await api('GET', `/api/v1/sessions/${sid}/events?type=attack&team=B&player=16`);
  attacks = ev.body.items;
  assert.deepEqual(attacks.map((e) => e.t_sec), [6, 10, 14], 'the file scouted them at 6, 10 and 14 s of its video');
  viewer = makeUser('analyst');
  const sh = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: viewer.email, role: 'viewer' } });
  assert.equal(sh.status, 200, sh.text);
  browser = await launch();
  page = await newPage(browser.context);
  await login(page);
});

after(async () => {
  await browser?.close();
  await other?.close();
});

/** The video's time right after its last seek, and the item it plays (1-based), after pressing key. */
async function press(key, item) {
  await page.keyboard.press(key);
  await page.waitForFunction((n) => {
    const v = document.getElementById('review-video');
    return v.dataset.item === String(n) && window.seeks.length > 0 && !v.seeking;
  }, item, { timeout: 15000 });
  return page.evaluate(() => window.seeks.at(-1));
}

test('a playlist from a filter, played with pre-roll, N and P, saved and shared with another viewer', async () => {
  await page.goto(`${BASE}/sessions/${sid}`);
  await Promise.all([page.waitForURL(/\/review$/), page.getByRole('link', { name: 'Video review (playlists)' }).click()]);
  await page.getByLabel('Team').selectOption('B');
  await page.getByLabel('Player number').fill('16');
  await page.getByLabel('Skill', { exact: true }).selectOption('attack');
  await Promise.all([page.waitForURL(/team=B/), page.getByRole('button', { name: 'Show' }).click()]);
  const ids = await page.locator('#review-items li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.id)));
  assert.deepEqual(ids, attacks.map((e) => e.id), 'the three attacks, in time order');

  await page.getByLabel('Playlist name').fill('Visiting #16 attacks');
  await Promise.all([page.waitForURL(/playlist=\d+/), page.getByRole('button', { name: 'Save and share' }).click()]);
  const pid = new URL(page.url()).searchParams.get('playlist');
  const link = new URL(`${BASE}/sessions/${sid}/review?playlist=${pid}`);
  assert.equal(await page.locator('h1').textContent(), 'Video review: Visiting #16 attacks');
  assert.equal(await page.getByLabel('Share link (viewers of this session)').inputValue(), link.href, 'the address to share, whole');

  await page.evaluate(() => {
    window.seeks = [];
    document.getElementById('review-video').addEventListener('seeked', (e) => window.seeks.push(e.target.currentTime));
  });
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const first = await press('n', 1);
  assert.ok(Math.abs(first - (attacks[0].t_sec - OFFSET - PRE)) < 0.15, `N: the first item starts at ${first} s of the clip, not 1`);
  assert.equal(await page.locator('#review-items li[aria-current="true"]').getAttribute('data-id'), String(attacks[0].id));
  const second = await press('N', 2);
  assert.ok(Math.abs(second - (attacks[1].t_sec - OFFSET - PRE)) < 0.15, `N again: ${second} s, not 5`);
  assert.equal(await page.locator('#review-items li[aria-current="true"]').getAttribute('data-id'), String(attacks[1].id));
  assert.equal(await page.locator('#review-items li[aria-current="true"]').count(), 1, 'one item highlighted');
  const back = await press('p', 1);
  assert.ok(Math.abs(back - first) < 0.15, `P: back to the first item (${back} s)`);
  const arrow = await press('ArrowRight', 2);
  assert.ok(Math.abs(arrow - second) < 0.15, 'the right arrow is next too');
  await page.evaluate(() => document.getElementById('review-video').pause());
  assert.match(await page.locator('#review-now').textContent(), /^Playing 2 of 3: /);
  assertTidy(await servedHtml(page, page.url()), 'the review page');
  assertQuiet(page);

  // the share link, opened by another viewer of the session
  other = await launch();
  const theirs = await newPage(other.context);
  await login(theirs, viewer.email, viewer.password);
  const res = await theirs.goto(link.href);
  assert.equal(res.status(), 200);
  assert.equal(await theirs.locator('h1').textContent(), 'Video review: Visiting #16 attacks');
  const theirIds = await theirs.locator('#review-items li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.id)));
  assert.deepEqual(theirIds, ids, 'the same playlist');
  assert.equal(await theirs.getByRole('button', { name: 'Save and share' }).count(), 0, 'a viewer does not save');
  assertQuiet(theirs);
});

test('the review page: layout, title, lang, no horizontal scroll, axe 0 serious/critical, at 1366x768 and 390x844', async () => {
  const url = `${BASE}/sessions/${sid}/review?team=B&player=16&type=attack`;
  const problems = [];
  mkdirSync(OUT, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    const res = await page.goto(url, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    await page.waitForTimeout(300);
    const facts = await page.evaluate(() => ({
      title: document.title.trim(), lang: document.documentElement.lang,
      layout: !!document.querySelector('header.top') && !!document.querySelector('main#main'),
      scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    if (!facts.title.startsWith('Video review')) problems.push(`${size}: title ${facts.title}`);
    if (facts.lang !== 'en') problems.push(`${size}: lang ${facts.lang}`);
    if (!facts.layout) problems.push(`${size}: not in the layout`);
    if (facts.scrollWidth > facts.innerWidth) problems.push(`${size}: ${facts.scrollWidth} px wide in ${facts.innerWidth}`);
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
      .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`));
    for (const v of violations) problems.push(`${size}: axe ${v}`);
    await page.keyboard.press('n');
    await page.waitForFunction(() => document.getElementById('review-video').dataset.item === '1');
    await page.evaluate(() => document.getElementById('review-video').pause());
    await page.screenshot({ path: path.join(OUT, `review-${size}.png`) });
  }
  assert.deepEqual(problems, []);
  assertQuiet(page);
});
