// The editor's recordings panel in a real browser (issue 13): a coach links the recording that
// starts near the session's start from the picker, without JavaScript's help; the panel then plays
// it from a presigned URL of the S3 test server (a real clip's audio), shows its overview image and
// places it on the session's timeline with the events; a click on the timeline plays from that
// moment. The page passes tidy and logs no console error (so the Content-Security-Policy lets the
// bucket's media in). A screenshot of the panel while it plays is saved as
// $STINT_TEST_OUT/screenshots/recordings-panel.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { api, BASE, REPO, makeUser } from '../integration/lib.mjs';
import { realRecording, removeRecorders, sql } from '../integration/recorder-fixture.mjs';
import { launch, newPage, login, assertTidy, assertQuiet, servedHtml } from './browser.mjs';

const TAG = `recui${randomBytes(3).toString('hex')}`;
const OUT = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const START = '2032-03-14T18:30:00Z';

let browser;
let page;
let sid;
let row;
const coach = makeUser('coach');

before(async () => {
  ({ row } = await realRecording(`${TAG}-court`, `${TAG}-final`, '2032-03-14T18:29:52Z', 'Final, court 1'));
  const s = await api('POST', '/api/v1/sessions', { token: coach.token,
    json: { title: `${TAG} Lakeside vs Harbour`, kind: 'match', starts_at: START, ends_at: '2032-03-14T18:30:40Z' } });
  assert.equal(s.status, 201, s.text);
  sid = s.body.id;
  const ev = await api('POST', `/api/v1/sessions/${sid}/events`, { token: coach.token, json: { events: [
    { t_sec: 1.5, event_type: 'serve', actor_team: 'A' }, { t_sec: 4.2, event_type: 'reception', actor_team: 'B' },
    { t_sec: 6.8, event_type: 'set', actor_team: 'B' }, { t_sec: 8.1, event_type: 'attack', actor_team: 'B' },
    { t_sec: 9.0, event_type: 'point', actor_team: 'B' }] } });
  assert.equal(ev.status, 201, ev.text);
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, coach.email, coach.password);
});

after(async () => {
  await browser?.close();
  await removeRecorders(TAG);
});

test('the picker links the nearest recording; the panel plays it from the bucket on the session timeline', async () => {
  await page.goto(`${BASE}/sessions/${sid}`);
  const panel = page.locator('#recordings');
  await panel.getByText('No recording is linked to this session.').waitFor();
  await panel.locator('.rec-picker strong', { hasText: 'Final, court 1' }).waitFor();
  await Promise.all([page.waitForURL(/flash=recording_linked/), panel.getByRole('button', { name: 'Link Final, court 1' }).click()]);
  await panel.getByText('Recording linked.').waitFor();
  assert.deepEqual(sql(`SELECT recorder_session_id FROM sessions WHERE id = '${sid}'`), [String(row)]);
  assert.equal(await panel.locator('.rec-offset').textContent(), '−0:08.0');

  const audio = panel.locator('#rec-audio');
  const src = await audio.getAttribute('src');
  assert.ok(src.startsWith(`${process.env.STINT_S3_ENDPOINT}/`) && src.includes('X-Amz-Signature='), src);
  const img = panel.locator('#rec-overview');
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.getElementById('rec-overview').naturalWidth > 0);
  assert.equal(await img.evaluate((i) => i.naturalWidth), 1200, 'the overview image came from the bucket');

  // the recording starts 8 s before the session: its bar sits right of the axis start, events above
  const bar = await panel.locator('rect.rec-bar').evaluate((r) => [Number(r.getAttribute('x')), Number(r.getAttribute('width'))]);
  assert.equal(bar[0], 0);
  assert.equal(await panel.locator('rect.rec-tick').count(), 5);

  // a click on the timeline at the serve (1.5 s into the session) plays the recording 9.5 s in
  const tl = panel.locator('#rec-timeline');
  const box = await tl.boundingBox();
  const t0 = Number(await panel.getAttribute('data-t0'));
  const t1 = Number(await panel.getAttribute('data-t1'));
  await tl.click({ position: { x: ((1.5 - t0) / (t1 - t0)) * box.width, y: box.height / 2 } });
  await page.waitForFunction(() => {
    const a = document.getElementById('rec-audio');
    return !a.paused && a.currentTime > 9.7 && a.readyState >= 3;
  }, null, { timeout: 15000 });
  const state = await audio.evaluate((a) => ({ paused: a.paused, t: a.currentTime, error: a.error, duration: a.duration }));
  assert.equal(state.error, null);
  assert.ok(state.duration > 15 && state.duration < 17, `the clip's audio (${state.duration} s)`);
  const head = Number(await panel.locator('#rec-playhead').getAttribute('x'));
  assert.ok(head > bar[0], 'the playhead follows the player');

  mkdirSync(OUT, { recursive: true });
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: path.join(OUT, 'recordings-panel.png') });
  await page.screenshot({ path: path.join(OUT, 'recordings-editor.png'), fullPage: false });
  assertQuiet(page);
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}`), 'the editor with its recordings panel');
});
