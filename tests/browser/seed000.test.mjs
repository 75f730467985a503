// Seed 000's HTMX snippets (../shared/seeds/000_*.txt, "UI Integration" and "Pattern 3") as they are
// written, run by htmx itself (npm htmx.org) in Debian's headless Chromium, in a page of Stint's
// origin whose browser is signed in (docs/compat.md, "Seed 000"): the dashboard loads into its div,
// the create button posts its hx-vals and its after-request toast runs, the editor link fills
// #modal-content, and the polled stats line is replaced by the server's every 5 s. The same
// button on a page of another origin creates nothing: htmx's HX-Request header needs a CORS
// preflight that Stint never grants.
//
// Run against a stack: bin/stint test browser/seed000
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { api, BASE, REPO, makeUser } from '../integration/lib.mjs';
import { launch, newPage, login, assertQuiet } from './browser.mjs';

const HTMX = readFileSync(path.join(REPO, 'tests/node_modules/htmx.org/dist/htmx.min.js'), 'utf8');
const coach = makeUser('coach');
let browser;
let page;
let sid;

/* A page holding the seed's snippets (its HTML as written, ids added to find them), htmx inline. */
function hostPage(id) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>VolleySense</title>
<script>${HTMX}</script>
<script>window.toasts = []; function showToast(message, kind) { window.toasts.push([message, kind]); }</script>
</head><body>
<div id="dashboard"
  hx-get="/_api/sessions/ui/dashboard"
  hx-trigger="load"
  hx-swap="innerHTML">
  Loading sessions...
</div>
<button id="create"
  class="btn btn-primary"
  hx-post="/_api/sessions"
  hx-vals='{"title": "My Session", "venue": "Court 1"}'
  hx-swap="none"
  hx-on::after-request="showToast('Session created!', 'success')">
  Create Session
</button>
<a id="view"
  hx-get="/_api/sessions/ui/editor/${id}"
  hx-target="#modal-content"
  hx-swap="innerHTML"
  class="btn btn-sm">
  View Session
</a>
<div id="modal-content"></div>
<div id="stats"
  hx-get="/_api/sessions/${id}"
  hx-trigger="every 5s"
  hx-swap="outerHTML">
  Training Session - 0 events
</div>
</body></html>`;
}

/* Another site's page: the seed's button aimed at Stint (htmx's selfRequestsOnly lifted, as an attacker would). */
const forgedPage = () => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title>
<script>${HTMX}</script><script>htmx.config.selfRequestsOnly = false;</script></head><body>
<button id="create" hx-post="${BASE}/_api/sessions" hx-vals='{"title": "Forged from elsewhere", "venue": "x"}'
  hx-swap="none">Create Session</button></body></html>`;

before(async () => {
  const s = await api('POST', '/api/v1/sessions', { token: coach.token, json: { title: 'Training Session', venue: 'Gym A' } });
  assert.equal(s.status, 201, s.text);
  sid = s.body.id;
  const e = await api('POST', `/api/v1/sessions/${sid}/events`, { token: coach.token, json: { events: [
    { t_sec: 30.0, event_type: 'custom_rotation', payload: { from_position: 'MB', to_position: 'RS' } }] } });
  assert.equal(e.status, 201, e.text);
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, coach.email, coach.password);
  // the host page lies on Stint's own origin, as the seed's templates would be served beside it
  await browser.context.route(`${BASE}/seed000-host.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostPage(sid) }));
  await browser.context.route('http://elsewhere.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: forgedPage() }));
});

after(async () => {
  await browser?.close();
});

const sessionsTitled = async (title) =>
  (await api('GET', `/api/v1/sessions?q=${encodeURIComponent(title)}`, { token: coach.token })).body.items
    .filter((s) => s.title === title);

test('the seed\'s snippets, run by htmx on a page of Stint\'s origin', async () => {
  await page.goto(`${BASE}/seed000-host.html`);
  // hx-trigger="load": the dashboard's content replaces "Loading sessions..."
  await page.locator('#dashboard h1', { hasText: 'Sessions' }).waitFor();
  assert.equal(await page.locator('#dashboard header.top').count(), 0, 'no layout inside the div');
  assert.ok(await page.locator('#dashboard').getByText('Training Session').count() > 0);

  // hx-post with hx-vals, hx-swap none: created, and the after-request toast ran
  await page.locator('#create').click();
  await page.waitForFunction(() => window.toasts.length === 1);
  assert.deepEqual(await page.evaluate(() => window.toasts), [['Session created!', 'success']]);
  const made = await sessionsTitled('My Session');
  assert.equal(made.length, 1);
  assert.equal(made[0].venue, 'Court 1');

  // the editor into #modal-content
  await page.locator('#view').click();
  await page.locator('#modal-content h1', { hasText: 'Training Session' }).waitFor();
  assert.equal(await page.locator('#modal-content header.top').count(), 0);

  // every 5 s the stats line is replaced by the server's: title - total events, and it polls on
  await page.locator('#modal-content').getByText('Training Session - 1 events').waitFor({ timeout: 12000 });
  await api('POST', `/api/v1/sessions/${sid}/events`, { token: coach.token, json: { events: [
    { t_sec: 31.0, event_type: 'timeout_called' }] } });
  await page.locator('#modal-content').getByText('Training Session - 2 events').waitFor({ timeout: 12000 });
  assertQuiet(page);
});

test('the same button on another origin\'s page creates nothing (HX-Request needs a preflight Stint refuses)', async () => {
  const other = await newPage(browser.context);
  await other.goto('http://elsewhere.test/volleysense.html');
  const failed = other.waitForEvent('requestfailed', (r) => r.url().endsWith('/_api/sessions'));
  await other.locator('#create').click();
  await failed;
  await other.close();
  assert.deepEqual(await sessionsTitled('Forged from elsewhere'), []);
});
