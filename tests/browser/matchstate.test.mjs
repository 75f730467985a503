// The editor's match state in a real browser (issue 19): the Match card shows score, set, server and rotations,
// each event row its set, score before it and server; a point tagged elsewhere (the API) reaches the page
// through the live stream and the card and rows follow without a reload. The page passes tidy and logs no
// console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { api, BASE } from '../integration/lib.mjs';
import { launch, newPage, login, assertTidy, assertQuiet, servedHtml } from './browser.mjs';

let browser;
let page;
let sid;

before(async () => {
  const s = await api('POST', '/api/v1/sessions', { json: { title: 'Match state', kind: 'match' } });
  assert.equal(s.status, 201, s.text);
  sid = s.body.id;
  const ev = await api('POST', `/api/v1/sessions/${sid}/events`, { json: { events: [
    { t_sec: 1, event_type: 'serve', actor_team: 'A' }, { t_sec: 2, event_type: 'point', actor_team: 'B' },
    { t_sec: 3, event_type: 'serve', actor_team: 'B' }, { t_sec: 4, event_type: 'point', actor_team: 'B' }] } });
  assert.equal(ev.status, 201, ev.text);
  browser = await launch();
  page = await newPage(browser.context);
  await login(page);
});

after(async () => {
  await browser?.close();
});

test('the Match card and the event rows follow the score live', async () => {
  await page.goto(`${BASE}/sessions/${sid}`);
  await page.locator('#live-state[data-state="live"]').waitFor();
  const line = page.locator('#match-state');
  assert.equal(await line.textContent(), 'Set 1: 0–2 · sets 0–0 · Team B serving · rotation 1 · 6');
  await page.locator('#ev-' + (await api('GET', `/api/v1/sessions/${sid}/state`)).body.events[3].id + ' .ms',
    { hasText: 'S1 0–1 · B' }).waitFor();
  const r = await api('POST', `/api/v1/sessions/${sid}/events`, { json: { events: [
    { t_sec: 5, event_type: 'serve', actor_team: 'B' }, { t_sec: 6, event_type: 'point', actor_team: 'A' }] } });
  assert.equal(r.status, 201, r.text);
  await page.locator('#match-state', { hasText: 'Set 1: 1–2' }).waitFor();
  assert.equal(await line.textContent(), 'Set 1: 1–2 · sets 0–0 · Team A serving · rotation 6 · 6');
  await page.locator(`#ev-${r.body.ids[1]} .ms`, { hasText: 'S1 0–2 · B' }).waitFor();
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}`), 'the editor of a match');
  assertQuiet(page);
});
