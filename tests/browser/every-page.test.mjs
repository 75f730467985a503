// Every page finished on every screen (issue 18): each page the server
// renders, visited in Debian's headless Chromium at 1366x768 and 390x844,
// has a title and a lang, is in the site layout, has no horizontal scroll
// (the document is no wider than the window) and nothing below its footer,
// 0 serious or critical axe-core violations, and a
// screenshot in the test output (STINT_TEST_OUT/screenshots/every-*.png).
// Then what the issue found, one test each: the live board follows the
// newest stored events, labels the set counts, keeps a shirt number without
// a roster, says "Live" only while the session is live; one time format in
// pages; free event types normalised and labelled; a match's replay rally by
// rally against its video (a match filmed in parts: each rally from the clip
// that shows it), with no climbing fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, BASE, REPO, createSession, makeUser } from '../integration/lib.mjs';
import { launch, newPage, login, makeVideo } from './browser.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const OUT = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const TAG = `ep${Date.now()}`;
// the one way pages show a moment (lib/timeshow.c, static/time.js); the test stack runs in UTC
const SHOWN_TIME = /\b\d{4}-\d\d-\d\d \d\d:\d\d UTC[+-]\d\d:\d\d\b/;

let browser;
let page;
let match;   // the imported example_data.dvw: 1,031 events, teams with rosters
let clip;    // the one-rally KATS-BEDS import with its video (21 events)
let empty;   // a session created from nothing: no teams, no roster, no video
let climb;

const dvw = (name) => readFileSync(path.join(DATA, 'volleyball', name));

async function importMatch(name, query = '') {
  const r = await api('POST', `/api/v1/imports?title=${encodeURIComponent(`${TAG} ${name}`)}${query}`,
    { body: dvw(name), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  return r.body.session;
}

before(async () => {
  match = await importMatch('example_data.dvw');
  // the video goes up into a scratch session, then the import takes it (as tests/integration/attack-media does)
  const scratch = await createSession({ title: `${TAG} scratch` });
  const up = await api('POST', `/api/v1/sessions/${scratch.id}/clips/upload?kind=video`, {
    body: readFileSync(path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4')),
    headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(up.status, 201, up.text);
  clip = await importMatch('190301_kats_beds-clip.dvw', `&video=${encodeURIComponent(up.body.path.replace(/^media\//, ''))}`);
  empty = await createSession({ title: `${TAG} empty`, kind: 'match' });
  climb = await createSession({ title: `${TAG} climb`, kind: 'climb' });
  browser = await launch();
  page = await newPage(browser.context);
  await login(page);
});

after(async () => {
  await browser?.close();
});

/**
 * Visits url at both sizes: title, lang, no horizontal scroll, axe-core with
 * no serious or critical violation, a screenshot each. Returns the problems
 * found (a list of strings), so one test reports every page's.
 */
async function check(p, name, url, { status = 200, ready } = {}) {
  const problems = [];
  mkdirSync(OUT, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await p.setViewportSize(viewport);
    // the same page again with another #fragment is no new load: reload it
    const res = await p.goto(url, { waitUntil: 'load' }) ?? await p.reload({ waitUntil: 'load' });
    if (res.status() !== status) problems.push(`${name}: HTTP ${res.status()}, not ${status}`);
    if (ready) await ready(p);
    await p.waitForTimeout(300);
    const facts = await p.evaluate(() => ({
      title: document.title.trim(),
      lang: document.documentElement.lang,
      scrollWidth: document.scrollingElement.scrollWidth,
      innerWidth: window.innerWidth,
      layout: !!document.querySelector('header.top') && !!document.querySelector('main#main'),
      // nothing hangs below the footer (the events table's screen-reader labels once made the editor 37,703 px tall)
      height: document.scrollingElement.scrollHeight,
      footEnd: Math.ceil((document.querySelector('footer.foot')?.getBoundingClientRect().bottom ?? 0) + window.scrollY),
    }));
    if (!facts.title) problems.push(`${name} ${size}: no title`);
    if (!facts.lang) problems.push(`${name} ${size}: no lang`);
    if (!facts.layout) problems.push(`${name} ${size}: not in the site layout`);
    if (facts.height > Math.max(facts.footEnd, viewport.height) + 1) {
      problems.push(`${name} ${size}: ${facts.height} px tall, the footer ends at ${facts.footEnd}`);
    }
    if (facts.scrollWidth > facts.innerWidth) {
      const wide = await p.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`));
      problems.push(`${name} ${size}: ${facts.scrollWidth} px wide in ${facts.innerWidth} (${wide.join(', ')})`);
    }
    await p.evaluate(AXE);
    const violations = await p.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
      .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`));
    for (const v of violations) problems.push(`${name} ${size}: axe ${v}`);
    await p.screenshot({ path: path.join(OUT, `every-${name}-${size}.png`), fullPage: false });
  }
  return problems;
}

const editorReady = (n) => async (p) => {
  await p.waitForFunction((count) => document.querySelectorAll('#event-rows tr[data-id]').length >= count, n,
    { timeout: 30000 });
};

test('every page: title, lang, layout, no horizontal scroll, axe 0 serious/critical, at 1366x768 and 390x844', async () => {
  // a task in the empty session's tasks panel
  const task = await api('POST', '/api/v1/tasks', { json: { task_type: 'noop', session_id: empty.id } });
  assert.ok(task.status < 300, task.text);
  const pages = [
    ['dashboard', `${BASE}/`],
    ['editor-match-1031', `${BASE}/sessions/${match.id}`, { ready: editorReady(30) }],
    ['editor-empty', `${BASE}/sessions/${empty.id}`],
    ['session-teams', `${BASE}/sessions/${match.id}/teams`],
    ['session-teams-empty', `${BASE}/sessions/${empty.id}/teams`],
    ['tasks', `${BASE}/sessions/${empty.id}#tasks`],
    ['stats', `${BASE}/sessions/${match.id}/stats`],
    ['season', `${BASE}/season?sessions=${match.id}`],
    ['board', `${BASE}/sessions/${match.id}/board`],
    ['live', `${BASE}/sessions/${match.id}/live`],
    ['replay-match', `${BASE}/sessions/${match.id}/replay`],
    ['replay-messages', `${BASE}/sessions/${match.id}/replay?view=messages`],
    ['replay-climb', `${BASE}/sessions/${climb.id}/replay`],
    ['survey', `${BASE}/sessions/${match.id}/survey`],
    ['account', `${BASE}/account`],
    ['settings-thresholds', `${BASE}/settings/thresholds`],
    ['error-404-session', `${BASE}/sessions/00000000-0000-4000-8000-000000000000`, { status: 404 }],
    ['error-404-page', `${BASE}/no/such/page`, { status: 404 }],
  ];
  pages.push(['editor-clip-video', `${BASE}/sessions/${clip.id}`, { ready: editorReady(21) }],
    ['replay-clip-video', `${BASE}/sessions/${clip.id}/replay`]);
  // a token in the table, so the phone layout has a Revoke to show
  await page.goto(`${BASE}/account`);
  await page.locator('#t-name').fill(`${TAG} a token with a long name for the phone`);
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByText('Your new token').waitFor();
  const problems = [];
  for (const [name, url, opts] of pages) problems.push(...await check(page, name, url, opts));
  // signed out: the sign-in page
  const out = await launch();
  try {
    problems.push(...await check(await newPage(out.context), 'sign-in', `${BASE}/login`));
  } finally {
    await out.close();
  }
  // a viewer meets the 403 page
  const viewer = makeUser('viewer');
  const v = await launch();
  try {
    const vp = await newPage(v.context);
    await login(vp, viewer.email, viewer.password);
    problems.push(...await check(vp, 'error-403', `${BASE}/settings/thresholds`, { status: 403 }));
  } finally {
    await v.close();
  }
  assert.deepEqual(problems, []);
});

test('on a phone the token table keeps Revoke and the header keeps Sign out on screen', async () => {
  await page.setViewportSize(SIZES.phone);
  await page.goto(`${BASE}/account`);
  for (const name of ['Sign out', /^Revoke/]) {
    const box = await page.getByRole('button', { name }).first().boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= SIZES.phone.width, `${name} is on screen: ${JSON.stringify(box)}`);
  }
  await page.goto(`${BASE}/sessions/${match.id}/live`);
  for (const sel of ['.side-b .team', '#score-b']) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box && box.x + box.width <= SIZES.phone.width, `${sel} is on screen: ${JSON.stringify(box)}`);
  }
  await page.setViewportSize(SIZES.desktop);
});

test('stats and board are pages in the layout; their scripts still get the fragments', async () => {
  await page.goto(`${BASE}/sessions/${match.id}/stats`);
  assert.equal(await page.title(), `Statistics: ${match.title} · Stint`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.locator('#stats-teams').waitFor();
  const part = await (await page.request.get(`${BASE}/sessions/${match.id}/stats?part=tables`)).text();
  assert.ok(!part.includes('<html') && part.includes('id="stats-teams"'), 'the tables alone for the editor');
  await page.goto(`${BASE}/sessions/${match.id}/board`);
  assert.match(await page.title(), /· Stint$/);
  const board = await (await page.request.get(`${BASE}/sessions/${match.id}/board?part=board`)).text();
  assert.ok(!board.includes('<html') && board.includes('class="scoreboard"'), 'the board alone for live.js');
});

test('the live board: newest stored events first, sets labelled, shirt numbers without a roster, Live only when live', async () => {
  const live = await newPage(browser.context);
  try {
    // the imported match is completed: its stream is followed but it is not "Live"
    assert.equal((await api('PATCH', `/api/v1/sessions/${match.id}`, { json: { status: 'completed' } })).status, 200);
    await live.goto(`${BASE}/sessions/${match.id}/live`);
    await live.locator('#live-state[data-state="live"]').waitFor();
    assert.equal(await live.locator('#live-state').textContent(), 'Up to date');
    assert.deepEqual(await live.locator('.sets-label').allTextContents(), ['Sets won', 'Sets won']);
    // a tag for a moment early in the match is the newest stored: it shows first
    const r = await api('POST', `/api/v1/sessions/${match.id}/events`, { json: { events: [
      { t_sec: 3, event_type: 'time_out', actor_team: 'B', actor_number: null }] } });
    assert.equal(r.status, 201, r.text);
    await live.locator('.recent li').first().filter({ hasText: 'Time out' }).waitFor();
    assert.match(await live.locator('.recent li').first().textContent(), /0:03\.0\s*Time out\s*Nova KBM Branik/);
    // a session with no roster: the number stays
    assert.equal((await api('PATCH', `/api/v1/sessions/${empty.id}`, { json: { status: 'live' } })).status, 200);
    await live.goto(`${BASE}/sessions/${empty.id}/live`);
    await live.locator('#live-state[data-state="live"]').waitFor();
    assert.equal(await live.locator('#live-state').textContent(), 'Live');
    assert.equal((await api('POST', `/api/v1/sessions/${empty.id}/events`, { json: { events: [
      { t_sec: 12, event_type: 'attack', actor_team: 'A', actor_number: 7, payload: { evaluation: '#' } }] } })).status, 201);
    await live.locator('.recent li', { hasText: 'Attack' }).waitFor();
    assert.match(await live.locator('.recent li').first().textContent(), /Attack\s*Team A · 7\s*#/);
  } finally {
    await live.close();
  }
});

test('one time format in pages: the zone with its UTC offset, no 12-hour clock, no bare UTC', async () => {
  assert.equal((await api('PATCH', `/api/v1/sessions/${empty.id}`, { json: { starts_at: '2026-11-22T10:00:00Z' } })).status, 200);
  const texts = [];
  for (const url of [`${BASE}/?q=${TAG}`, `${BASE}/account`, `${BASE}/sessions/${empty.id}`]) {
    await page.goto(url);
    texts.push(await page.locator('main').innerText());
  }
  const all = texts.join('\n');
  assert.match(texts[0], /2026-11-22 10:00 UTC\+00:00/, 'the dashboard');
  assert.match(texts[1], SHOWN_TIME, 'the account page');
  assert.match(texts[2], /2026-11-22 10:00 UTC\+00:00/, 'the editor');
  assert.doesNotMatch(all, /\d\d:\d\d:\d\d\.\d+\+00:00/, 'no raw database time');
  assert.doesNotMatch(all, /\b\d{1,2}:\d\d:\d\d [AP]M\b/, 'no 12-hour clock');
  assert.doesNotMatch(all.replace(new RegExp(SHOWN_TIME.source, 'g'), ''), /\d UTC\b/, 'no time in bare UTC');
  assert.equal(await page.locator('meta[name="time-zone"]').getAttribute('content'), 'UTC');
  // the browser's helper writes what the server writes
  const shown = await page.evaluate(async () => (await import('/static/time.js')).showTime('2026-11-22T10:00:00Z'));
  assert.equal(shown, '2026-11-22 10:00 UTC+00:00');
  // in another zone, summer time included, as lib/timeshow.c writes it (tests/unit/test_labels.c)
  const paris = await page.evaluate(async () => {
    document.querySelector('meta[name="time-zone"]').content = 'Europe/Paris';
    const { showTime } = await import('/static/time.js?zone=paris');  // a fresh module reads the zone again
    return [showTime('2026-11-22T10:00:00Z'), showTime('2026-07-01T10:00:00Z')];
  });
  assert.deepEqual(paris, ['2026-11-22 11:00 UTC+01:00', '2026-07-01 12:00 UTC+02:00']);
});

test('"Other type" takes "Time out" (stored time_out, shown "Time out"), from the script and from the plain form', async () => {
  await page.goto(`${BASE}/sessions/${empty.id}`);
  await page.locator('#tag-t').fill('42');
  await page.locator('#tag-other').fill('Time out');
  await page.locator('#tag-other').press('Enter');
  await page.locator('#event-rows tr', { hasText: 'Time out' }).first().waitFor();
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const res = await page.request.post(`${BASE}/sessions/${empty.id}/events`,
    { form: { csrf, t_sec: '43', other_type: ' Free-kick ', event_type: '', who: '', number: '', evaluation: '' },
      maxRedirects: 0 });
  assert.equal(res.status(), 303);
  const bad = await page.request.post(`${BASE}/sessions/${empty.id}/events`,
    { form: { csrf, t_sec: '44', other_type: 'Time out!', event_type: '' }, maxRedirects: 0 });
  assert.equal(bad.status(), 422);
  assert.match(await bad.text(), /letters, digits, spaces/);
  const events = (await api('GET', `/api/v1/sessions/${empty.id}/events?limit=100`)).body.items;
  assert.deepEqual(events.filter((e) => e.t_sec >= 42).map((e) => e.event_type), ['time_out', 'free_kick']);
  await page.goto(`${BASE}/sessions/${empty.id}`);
  assert.equal(await page.locator('#event-rows tr', { hasText: 'Free kick' }).count(), 1);
  // the sport's label table: a football session suggests football's types by name
  const football = await createSession({ title: `${TAG} football`, kind: 'match', meta: { sport: 'football' } });
  await page.goto(`${BASE}/sessions/${football.id}`);
  assert.equal(await page.locator('#type-list option[value="yellow_card"]').textContent(), 'Yellow card');
  assert.equal(await page.locator('#v-type option[value="kick_off"]').textContent(), 'Kick-off');
});

test('a match replays rally by rally against its video; climbing fields only for climbs', async () => {
  await page.goto(`${BASE}/sessions/${clip.id}/replay`);
  const rallies = page.locator('.rally');
  assert.ok(await rallies.count() > 0, 'rallies listed');
  assert.equal(await page.locator('#replay-holds').count(), 0, 'no holds for a match');
  assert.equal(await page.locator('#replay-frame').count(), 0, 'no pose frames for a match');
  assert.match(await rallies.first().locator('.rally-events').textContent(), /Serve/);
  // the video is 15.5 s long: from 8 s, the first rally's link takes it back to the rally's start
  await page.locator('#replay-video').evaluate((v) => new Promise((ok) => {
    v.addEventListener('seeked', ok, { once: true });
    v.currentTime = 8;
  }));
  const first = rallies.first();
  const t = Number(await first.getAttribute('data-t'));
  await first.locator('a.seek').click();
  await page.waitForFunction((want) => Math.abs(document.getElementById('replay-video').currentTime - want) < 1, t);
  assert.equal(await first.getAttribute('aria-current'), 'true');
  assert.match(await page.locator('#replay-now').textContent(), /Now: Rally 1/);
  await page.goto(`${BASE}/sessions/${match.id}/replay`);
  assert.ok(await page.locator('.rally').count() > 50, 'the whole match, rally by rally');
  await page.goto(`${BASE}/sessions/${match.id}/replay?view=messages`);
  await page.locator('#replay-play').waitFor();
  assert.equal(await page.locator('#replay-holds').count(), 0, 'the live messages of a match: no holds either');
  await page.goto(`${BASE}/sessions/${climb.id}/replay`);
  assert.equal(await page.locator('#replay-holds').count(), 1, 'holds for a climb');
  assert.equal(await page.locator('#replay-frame').count(), 1, 'pose frames for a climb');
});

test('a match filmed in two parts replays each rally from the clip that shows it, its evaluations in words', async () => {
  const s = await createSession({ title: `${TAG} two halves`, kind: 'match', meta: { sport: 'volleyball' } });
  const dir = mkdtempSync(path.join(tmpdir(), 'stint-replay-'));
  const ids = [];
  for (const [n, offset] of [[1, 0], [2, 20]]) {
    const file = path.join(dir, `part${n}.mp4`);
    makeVideo(file, 10, 'testsrc2=size=320x180:rate=10');
    const up = await api('POST', `/api/v1/sessions/${s.id}/clips/upload?kind=video&title=Part%20${n}&offset_sec=${offset}`,
      { body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(up.status, 201, up.text);
    ids.push(up.body.id);
  }
  rmSync(dir, { recursive: true, force: true });
  const ev = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: { events: [
    { t_sec: 1, event_type: 'serve', actor_team: 'A', actor_number: '9' },
    { t_sec: 3, event_type: 'point', actor_team: 'A' },
    { t_sec: 21, event_type: 'serve', actor_team: 'B', actor_number: '4' },
    { t_sec: 24, code: 'a07AH#' },
    { t_sec: 25, event_type: 'point', actor_team: 'B' },
  ] } });
  assert.equal(ev.status, 201, ev.text);
  await page.goto(`${BASE}/sessions/${s.id}/replay`);
  const rallies = page.locator('.rally');
  assert.equal(await rallies.count(), 2);
  const src = (n) => new URL(`/media/sessions/${s.id}/clips/${ids[n]}`, BASE).href;
  assert.equal(await page.locator('#replay-video').evaluate((v) => v.src), src(0), 'the page opens on the first part');
  assert.deepEqual([await rallies.nth(1).getAttribute('data-t'), await rallies.nth(1).getAttribute('data-src')],
    ['1.00', `/media/sessions/${s.id}/clips/${ids[1]}`], 'rally 2 starts 1 s into the second part');
  assert.match(await rallies.nth(1).locator('.rally-events').textContent(), /#\s*Winning attack/);
  await rallies.nth(1).locator('a.seek').click();
  await page.waitForFunction((want) => {
    const v = document.getElementById('replay-video');
    return v.src === want && Math.abs(v.currentTime - 1) < 0.5;
  }, src(1), { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('.rally:nth-child(2)').getAttribute('aria-current') === 'true');
  assert.equal(await rallies.nth(0).getAttribute('aria-current'), null, 'rally 1 (at 1 s of the first part) is not marked');
  await rallies.nth(0).locator('a.seek').click();
  await page.waitForFunction((want) => document.getElementById('replay-video').src === want, src(0), { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('.rally:nth-child(1)').getAttribute('aria-current') === 'true');
});
