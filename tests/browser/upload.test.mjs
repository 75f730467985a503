// Media into a session from the editor (issue 18): a coach creates a session on the dashboard,
// picks a generated video of more than 200 MB in the clips panel, and the page uploads it in
// chunks (tus 1.0, static/upload.js) with a progress bar. Halfway the browser goes offline
// (Chromium's network emulation): the page says the connection dropped and retries; the server
// keeps what it had; back online, the upload goes on from there, not from the start. The clip
// then plays in the editor. A second camera added with a start of 5 s gives two clips: the
// editor switches between them at the same moment of the session, and moving the second one
// (its editable offset) changes where the switch lands. Screenshots at 1366x768 and 390x844 are
// saved under $STINT_TEST_OUT/screenshots/upload-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { api, BASE, REPO, makeUser, sleep } from '../integration/lib.mjs';
import { launch, newPage, login, assertQuiet, expectStatus, makeVideo, BIG_VIDEO_SOURCE } from './browser.mjs';

const OUT = process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out');
const SHOTS = path.join(OUT, 'screenshots');
const BIG = path.join(OUT, 'upload-camera-1.mp4');
const SMALL = path.join(OUT, 'upload-camera-2.mp4');
const VIEWPORTS = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const coach = makeUser('coach');

let browser;
let page;

/* Screenshots at both sizes with the element focus (a selector) in view. */
async function shots(name, focus = '#upload-form') {
  mkdirSync(SHOTS, { recursive: true });
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await page.locator(focus).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `upload-${name}-${size}.png`), fullPage: false });
  }
  await page.setViewportSize(VIEWPORTS.laptop);
}

/* The upload's offset as the server has it, read through the API as the coach. */
async function serverOffset(sid) {
  const url = await page.evaluate((s) => Object.entries(localStorage).find(([k]) => k.startsWith(`stint-upload:${s}:`))?.[1], sid);
  if (!url) return null;
  const res = await api('HEAD', url, { token: coach.token, headers: { 'tus-resumable': '1.0.0' } });
  return Number(res.headers.get('upload-offset'));
}

const progress = () => page.locator('#upload-list progress').last().evaluate((p) => p.value / p.max);

/* The video's state: its source, time and whether it plays. */
const videoState = () => page.locator('#video').evaluate((v) => ({ src: v.getAttribute('src'), t: v.currentTime,
  ready: v.readyState, paused: v.paused, duration: v.duration }));

before(async () => {
  mkdirSync(OUT, { recursive: true });
  makeVideo(BIG, 13, BIG_VIDEO_SOURCE);
  assert.ok(statSync(BIG).size >= 200e6, `the generated video has ${statSync(BIG).size} bytes`);
  makeVideo(SMALL, 20, 'smptebars=size=640x360:rate=25');
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, coach.email, coach.password);
});

after(async () => {
  await browser?.close();
});

test('a 200 MB video goes up in chunks, survives going offline halfway, and plays; two cameras switch at the same time', async () => {
  // a session created on the dashboard
  await page.goto(`${BASE}/`);
  await page.locator('#n-title').fill('Upload test: Lakeside vs Harbour');
  await Promise.all([page.waitForURL(/\/sessions\/[0-9a-f-]{36}(\?.*)?$/), page.getByRole('button', { name: 'Create session' }).click()]);
  const sid = new URL(page.url()).pathname.split("/").pop();
  await page.locator('#clips').scrollIntoViewIfNeeded();
  assert.match(await page.locator('#clips').innerText(), /No clips yet\. Add the match video/);
  assert.match(await page.locator('#upload-drop').innerText(), /Up to 8 GiB each/);
  await shots('empty');

  const sent = [];   // the tus requests the page makes: [method, Upload-Offset]
  page.on('request', (req) => {
    if (req.url().includes('/uploads')) sent.push([req.method(), req.headers()['upload-offset'] ?? null]);
  });
  await page.setInputFiles('#upload-file', BIG);
  await page.locator('#upload-title').fill('Camera 1');
  await page.getByRole('button', { name: 'Upload clip' }).click();
  const bar = page.locator('#upload-list progress');
  await bar.waitFor();
  assert.equal(Number(await bar.getAttribute('max')), statSync(BIG).size);

  // halfway: the connection drops
  await page.waitForFunction(() => { const p = document.querySelector('#upload-list progress'); return p && p.value / p.max >= 0.5; },
    null, { timeout: 120000, polling: 20 });
  await browser.context.setOffline(true);
  const status = page.locator('#upload-list .upload-status');
  await page.waitForFunction(() => /connection dropped/i.test(document.querySelector('#upload-list .upload-status')?.textContent ?? ''),
    null, { timeout: 30000 });
  const kept = await serverOffset(sid);
  assert.ok(kept > 0 && kept < statSync(BIG).size, `the server kept ${kept} bytes of ${statSync(BIG).size}`);
  assert.equal(kept % (32 * 1024 * 1024), 0, 'what it kept is whole chunks');
  await shots('offline', '#upload-list');
  await sleep(1500);
  const before = sent.length;
  await browser.context.setOffline(false);

  // back online it asks where the server stands and goes on from there, not from the start
  await page.waitForFunction(() => /Added as a clip/.test(document.querySelector('#upload-list .upload-status')?.textContent ?? ''),
    null, { timeout: 180000, polling: 200 }).catch(async (e) => { throw new Error(`${e.message}: ${await status.innerText()}`); });
  assert.equal(await progress(), 1);
  assert.equal(sent.filter(([m]) => m === 'POST').length, 1, 'one upload was created');
  const resumed = sent.slice(before).filter(([m]) => m !== 'HEAD');
  assert.deepEqual(resumed[0], ['PATCH', String(kept)], `the first PATCH back online starts at ${kept}: ${JSON.stringify(sent)}`);
  const offsets = sent.filter(([m]) => m === 'PATCH').map(([, o]) => Number(o));
  assert.ok(offsets.every((o, i) => i === 0 || o >= offsets[i - 1]), 'no PATCH went back to an earlier offset');
  await shots('done', '#upload-list');

  const clips = await api('GET', `/api/v1/sessions/${sid}/clips`, { token: coach.token });
  assert.equal(clips.body.length, 1);
  assert.deepEqual([clips.body[0].title, clips.body[0].kind, clips.body[0].size_bytes, clips.body[0].offset_sec],
    ['Camera 1', 'video', statSync(BIG).size, 0]);

  // the clip plays in the editor
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Show it' }).click()]);
  await page.waitForFunction(() => document.getElementById('video')?.readyState >= 2, null, { timeout: 30000 });
  await page.locator('#video').evaluate((v) => v.play());
  await page.waitForFunction(() => document.getElementById('video').currentTime > 1, null, { timeout: 20000 });
  const playing = await videoState();
  assert.equal(playing.paused, false);
  assert.ok(Math.abs(playing.duration - 13) < 0.5, `duration ${playing.duration}`);
  await page.locator('#video').evaluate((v) => v.pause());

  // a second camera starting 5 s into the session
  await page.locator('#clips').scrollIntoViewIfNeeded();
  await page.setInputFiles('#upload-file', SMALL);
  await page.locator('#upload-offset').fill('5');
  await page.locator('#upload-title').fill('Camera 2');
  await page.getByRole('button', { name: 'Upload clip' }).click();
  await page.waitForFunction(() => /Added as a clip/.test(document.querySelector('#upload-list .upload-status')?.textContent ?? ''),
    null, { timeout: 60000 });
  await page.reload();
  const select = page.locator('#clip-select');
  assert.deepEqual(await select.locator('option').allInnerTexts(), ['Camera 1', 'Camera 2']);
  const ids = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));

  // same session time across cameras: 9 s into camera 1 (session 9 s) is 4 s into camera 2
  await page.waitForFunction(() => document.getElementById('video')?.readyState >= 1);
  await page.locator('#video').evaluate((v) => { v.currentTime = 9; });
  await page.waitForFunction(() => Math.abs(document.getElementById('video').currentTime - 9) < 0.05);
  await select.selectOption(ids[1]);
  await page.waitForFunction(() => /clips\/\d+$/.test(document.getElementById('video').src) &&
    Math.abs(document.getElementById('video').currentTime - 4) < 0.05, null, { timeout: 20000 });
  assert.match((await videoState()).src, new RegExp(`/clips/${ids[1]}$`));
  await page.locator('#video').evaluate((v) => { v.currentTime = 6; });   // session 11 s
  await page.waitForFunction(() => Math.abs(document.getElementById('video').currentTime - 6) < 0.05);
  await select.selectOption(ids[0]);
  await page.waitForFunction((src) => document.getElementById('video').src.endsWith(src) &&
    Math.abs(document.getElementById('video').currentTime - 11) < 0.05, `/clips/${ids[0]}`, { timeout: 20000 });

  // the offset is editable: camera 2 moved to 7 s, the same 11 s is now 4 s into it
  const move = page.locator(`form.clip-form[data-clip="${ids[1]}"]`);
  await move.locator('input[name="offset_sec"]').fill('7');
  await move.getByRole('button', { name: 'Move clip' }).click();
  await page.waitForFunction((id) => document.querySelector(`form.clip-form[data-clip="${id}"]`)
    .closest('li').querySelector('.clip-start').textContent.includes('0:07'), ids[1]);
  await select.selectOption(ids[1]);
  await page.waitForFunction(() => Math.abs(document.getElementById('video').currentTime - 4) < 0.05, null, { timeout: 20000 });
  const after2 = await api('GET', `/api/v1/sessions/${sid}/clips/${ids[1]}`, { token: coach.token });
  assert.equal(after2.body.offset_sec, 7);
  await shots('two-cameras', '#watch-title');

  expectStatus(page, 409);
  page.problems = page.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p));
  assertQuiet(page);
});
