// The editor's scout line, court and volleyball detail in a real browser (issue 19): a DataVolley code typed
// key by key is put into words as it grows (the next part and its choices for the skill), the court's zones
// (clicked, and from the keyboard) write the start and end zone into it, Enter stores it through the tag
// queue and the event has the fields an imported line has; the table shows the evaluation's meaning for the
// skill, skill type, combination, zones, set, rotation and phase; an imported match's table filters by set,
// skill type and combination to the rows the API's events say; the legend per skill follows openvolley's
// default decoder ("!" is "Blocked for reattack" for an attack, not "OK"); axe-core finds no serious or
// critical violation on either editor at 1366x768 and 390x844; the 1,031-event editor stays under 100 KB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, BASE, REPO, createSession } from '../integration/lib.mjs';
import { launch, newPage, login, assertTidy, drained, servedHtml } from './browser.mjs';

const OUT = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const SIZES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const AXE = readFileSync(path.join(REPO, 'tests/node_modules/axe-core/axe.min.js'), 'utf8');
const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const TAG = `scout${Date.now()}`;

let browser;
let page;
let live;    // a live volleyball session without video, with rosters
let match;   // example_data.dvw imported: 1,031 events

before(async () => {
  live = await createSession({ title: `${TAG} scouting`, kind: 'match', status: 'live', meta: { sport: 'volleyball' } });
  const teams = await api('PUT', `/api/v1/sessions/${live.id}/teams`, { json: {
    home: { name: 'Lions', players: [{ number: '16', name: 'Ana Kos' }, { number: '00', name: 'Bea Zupan' }] },
    visiting: { name: 'Bears', players: [{ number: '7', name: 'Eva Horvat' }] },
  } });
  assert.equal(teams.status, 200, teams.text);
  const r = await api('POST', `/api/v1/imports?title=${encodeURIComponent(`${TAG} example`)}`, {
    body: readFileSync(path.join(DATA, 'volleyball', 'example_data.dvw')),
    headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  match = r.body.session;
  browser = await launch();
  page = await newPage(browser.context);
  await login(page);
});

after(async () => {
  await browser?.close();
});

const hint = () => page.locator('#scout-hint').textContent();

async function axeAtBothSizes(name) {
  const problems = [];
  mkdirSync(OUT, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(200);
    await page.evaluate(AXE);
    const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
      .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
    problems.push(...found.map((f) => `${name} ${size}: ${f}`));
    await page.screenshot({ path: path.join(OUT, `scout-${name}-${size}.png`) });
  }
  await page.setViewportSize(SIZES.laptop);
  return problems;
}

test('a typed scout code is put into words, takes its zones from the court, and is stored as an imported line is', async () => {
  await page.goto(`${BASE}/sessions/${live.id}`);
  await page.locator('#live-state[data-state="live"]').waitFor();
  const field = page.locator('#scout-code');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('c');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'scout-code', 'C goes to the scout line');
  assert.equal(await field.inputValue(), '', 'the C itself is not typed');
  await field.pressSequentially('*16A', { delay: 30 });
  await page.waitForFunction(() => /Next: skill type/.test(document.querySelector('#scout-hint').textContent));
  assert.match(await hint(), /^Home · #16 Ana Kos · Attack\. Next: skill type \(H High ball attack, M Half ball attack/);
  await field.pressSequentially('H', { delay: 30 });
  await page.waitForFunction(() => /Next: evaluation/.test(document.querySelector('#scout-hint').textContent));
  assert.match(await hint(), /! Blocked for reattack/, 'the choices are the attack\'s own');
  await field.pressSequentially('!V6', { delay: 30 });
  await page.waitForFunction(() => /Enter adds it/.test(document.querySelector('#scout-hint').textContent));
  assert.equal(await hint(), 'Home · #16 Ana Kos · Attack · High ball attack · Blocked for reattack · combination V6. Enter adds it.');

  // the court: start zone 4 clicked, end zone 2 from the keyboard
  await page.locator('#court .zone[data-which="start"][data-zone="4"]').click();
  await page.waitForFunction(() => document.querySelector('#scout-code').value === '*16AH!V6~4');
  await page.locator('#court .zone[data-which="end"][data-zone="2"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /to zone 2/.test(document.querySelector('#scout-hint').textContent));
  assert.equal(await field.inputValue(), '*16AH!V6~42');
  assert.equal(await page.locator('#court .zone[data-which="start"][data-zone="4"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#court .zone[data-which="end"][data-zone="2"]').getAttribute('aria-pressed'), 'true');
  assert.match(await hint(), /from zone 4 · to zone 2\. Enter adds it\./);

  // a wrong code says what is wrong and stores nothing
  await field.fill('*16AH%');
  await page.waitForFunction(() => document.querySelector('#scout-hint').classList.contains('problem'));
  assert.match(await hint(), /Not a code: bad evaluation '%'/);
  await field.press('Enter');
  await page.waitForFunction(() => document.querySelector('#scout-code').value === '*16AH%' &&
    /Not a code/.test(document.querySelector('#scout-hint').textContent));  // back in the line, to be corrected
  await field.fill('*16AH!V6~42');
  await page.waitForFunction(() => /Enter adds it/.test(document.querySelector('#scout-hint').textContent));
  await field.press('Enter');
  // the spaced form, and a visiting code: the roster's shirt
  await field.fill('a07SQ# 1 5');
  await page.waitForFunction(() => /Ace/.test(document.querySelector('#scout-hint').textContent));
  await field.press('Enter');
  // Enter asks the server about the code once more, then queues it: wait for both tags to be stored
  await page.waitForFunction(() => document.querySelectorAll('#tag-recent li.stored').length === 2);
  await drained(page);

  const items = (await api('GET', `/api/v1/sessions/${live.id}/events`)).body.items.sort((a, b) => a.id - b.id);
  assert.equal(items.length, 2, 'the wrong code was not stored');
  const [attack, serve] = items;
  assert.deepEqual([attack.event_type, attack.actor_team, attack.actor_number, attack.source], ['attack', 'A', '16', 'manual']);
  assert.deepEqual(attack.payload, { code: '*16AH!V6~42', skill: 'A', skill_name: 'attack', skill_type: 'H', evaluation: '!',
    evaluation_name: 'Blocked for reattack', attack_code: 'V6', start_zone: 4, end_zone: 2 });
  assert.ok(attack.t_sec > 0, 'the session clock gave the time');
  assert.deepEqual([serve.event_type, serve.actor_team, serve.actor_number, serve.payload.code, serve.payload.start_zone,
    serve.payload.end_zone, serve.payload.evaluation_name], ['serve', 'B', '7', 'a07SQ#~~~15', 1, 5, 'Ace']);

  // the table: the evaluation's meaning for the skill, type, combination, zones, set
  const row = page.locator(`#ev-${attack.id}`);
  await row.waitFor();
  await page.waitForFunction((id) => document.querySelector(`#ev-${id} td:nth-child(6)`)?.textContent === '1', attack.id);
  assert.equal(await row.locator('td.eval abbr').getAttribute('title'), 'Blocked for reattack');
  const cells = await row.locator('td').allTextContents();
  const ms = (await api('GET', `/api/v1/sessions/${live.id}/state`)).body.events.find((x) => x.id === attack.id);
  assert.deepEqual(cells.slice(5, 11), [String(ms.set), String(ms.rotation.A), ms.phase, 'H', 'V6', '4→2']);
  assert.deepEqual([ms.set, ms.phase], [1, 'transition'], 'home serves first: its attack is transition play');
  assert.equal(await row.locator('td abbr').nth(1).getAttribute('title'), 'High ball');
  // the legend: per skill, "!" of an attack is not "OK"
  await page.locator('#eval-legend summary').click();
  const attackRow = await page.locator('#eval-legend tr[data-skill="A"] td').allTextContents();
  assert.deepEqual(attackRow, ['Winning attack', 'Positive, good attack', 'Blocked for reattack', 'Poor, easily dug', 'Blocked', 'Error']);
  const blockRow = await page.locator('#eval-legend tr[data-skill="B"] td').allTextContents();
  assert.equal(blockRow[4], 'Invasion');
  assert.doesNotMatch(await page.locator('label[for="e-ok"]').getAttribute('title'), /^OK$/);
  assert.deepEqual(await axeAtBothSizes('live'), []);
});

test('an imported match shows its detail and filters by set, skill type and combination as its events say', async (t) => {
  const events = (await api('GET', `/api/v1/sessions/${match.id}/events?limit=10000`)).body.items;
  const st = new Map((await api('GET', `/api/v1/sessions/${match.id}/state`)).body.events.map((e) => [e.id, e]));
  const html = await servedHtml(page, `${BASE}/sessions/${match.id}`);
  assert.ok(Buffer.byteLength(html) < 100 * 1024, `the 1,031-event editor is ${Buffer.byteLength(html)} bytes`);
  t.diagnostic(`the 1,031-event editor's HTML: ${Buffer.byteLength(html)} bytes`);
  assertTidy(html, 'the imported match editor');
  await page.goto(`${BASE}/sessions/${match.id}`);
  await page.waitForFunction((n) => document.querySelectorAll('#event-rows tr[data-id]').length === n, events.length,
    { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('#event-rows tr[data-id] td:nth-child(6)')?.textContent !== '');
  const rows = () => page.locator('#event-rows tr[data-id]').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.id)));
  const ids = (pred) => events.filter(pred).map((e) => e.id).sort((a, b) => a - b);
  let want = [];
  // the table is drawn on the next frame after a filter changes: wait for its row count, then compare the rows
  const sorted = async () => {
    await page.waitForFunction((n) => document.querySelectorAll('#event-rows tr[data-id]').length === n, want.length);
    return (await rows()).sort((a, b) => a - b);
  };

  await page.selectOption('#v-set', '2');
  want = ids((e) => st.get(e.id).set === 2);
  assert.deepEqual(await sorted(), want);
  assert.match(page.url(), /set=2/);
  await page.selectOption('#v-stype', 'Q');
  want = ids((e) => st.get(e.id).set === 2 && e.payload.skill_type === 'Q');
  assert.ok(want.length > 0);
  assert.deepEqual(await sorted(), want);
  await page.selectOption('#v-set', '');
  await page.selectOption('#v-stype', '');
  const combo = events.find((e) => e.payload.attack_code)?.payload.attack_code;
  await page.selectOption('#v-combo', combo);
  const withCombo = ids((e) => e.payload.attack_code === combo);
  want = withCombo;
  assert.ok(withCombo.length > 1);
  assert.deepEqual(await sorted(), withCombo);
  const first = page.locator(`#ev-${withCombo[0]}`);
  const cells = await first.locator('td').allTextContents();
  const e0 = events.find((e) => e.id === withCombo[0]);
  assert.equal(cells[9], combo);
  assert.equal(cells[7], st.get(e0.id).phase);
  assert.equal(cells[6], String(st.get(e0.id).rotation[e0.actor_team]));
  assert.equal(cells[5], String(st.get(e0.id).set));
  assert.equal(await first.locator('td.eval abbr').getAttribute('title'), e0.payload.evaluation_name);
  // the filters come back from the address
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr[data-id]').length > 0, null, { timeout: 30000 });
  await page.waitForFunction((n) => document.querySelectorAll('#event-rows tr[data-id]').length === n, withCombo.length);
  assert.equal(await page.locator('#v-combo').inputValue(), combo);
  assert.deepEqual(await axeAtBothSizes('match'), []);
});
