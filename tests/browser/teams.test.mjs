// Teams and rosters in a real browser (issue 18; Debian's headless Chromium through
// playwright-core): a coach creates a session on the dashboard, opens the editor's teams panel
// from its summary ("Edit teams and rosters" fetches it in place, focus on its heading), enters
// both rosters (a row added with "Add a player", saved through the API without leaving the page, a
// duplicate number refused beside its field), tags by shirt number from the keyboard and sees the
// roster's names in the tagging panel, the events table and the status line; a second page of the
// editor follows a change of the teams live, in its summary and in its opened panel; without
// JavaScript the summary's link opens the panel as a page whose form returns to the editor; the
// club's squad is entered once on /teams and copied into the session. The pages added (the teams
// summary and panel, the panel's page, /teams) have no serious or critical axe-core violation at
// 1366x768 and 390x844, log no console error, and are photographed at both sizes under the test
// output's screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { api, BASE, REPO, makeUser } from '../integration/lib.mjs';
import { launch, newPage, login, assertTidy, assertQuiet, servedHtml, fillPlayer as fillPlayerIn, openTeamsPanel }
  from './browser.mjs';

const TAG = `tm${Date.now()}`;
const SIZES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const SHOTS = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const coach = makeUser('coach');
const diagnostics = [];   // axe findings outside the pages' own content, printed at the end
let browser;
let page;
let sid;

before(async () => {
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, coach.email, coach.password);
});

after(async () => {
  await browser?.close();
  for (const d of diagnostics) console.log(`# axe-core outside the page's content: ${d}`);
});

/**
 * axe-core on the page (within selector when given; page.evaluate runs outside the page's CSP):
 * the serious and critical violations as "rule: target" lines.
 */
async function axeProblems(p, selector) {
  await p.evaluate(AXE);
  const result = await p.evaluate(async (sel) => {
    const r = await window.axe.run(sel ? { include: [sel] } : document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, selector ?? null);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.slice(0, 3).join(', ')}`);
}

/** At each size: axe (within selector), then a screenshot with selector scrolled into view. */
async function checkSizes(p, name, selector) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await p.setViewportSize(viewport);
    await p.waitForTimeout(150);
    // the page's own content; the layout's header is every page's (its findings: a diagnostic)
    assert.deepEqual(await axeProblems(p, selector ?? '#main'), [], `axe-core on ${name} at ${size}`);
    const whole = await axeProblems(p);
    if (whole.length) diagnostics.push(`${name} at ${size}, whole page: ${whole.join('; ')}`);
    if (selector) await p.locator(selector).scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(SHOTS, `${name}-${size}.png`) });
    if (selector) {
      const box = await p.locator(selector).boundingBox();
      assert.ok(box.width <= viewport.width, `${name} at ${size}: the panel fits the screen (${box.width} px)`);
    } else {
      const [main, doc] = await p.evaluate(() => [document.getElementById('main'), document.documentElement]
        .map((el) => el.scrollWidth - el.clientWidth));
      assert.ok(main <= 0, `${name} at ${size}: the content needs no horizontal scroll (${main} px too wide)`);
      if (doc > 0) diagnostics.push(`${name} at ${size}, whole page: ${doc} px wider than the screen`);
    }
  }
  await p.setViewportSize(SIZES.laptop);
}

const cell = (side, n, what) => page.getByLabel(`${side}, player ${n}: ${what}`, { exact: true });

const fillPlayer = (...args) => fillPlayerIn(page, ...args);

test('a coach creates a session and sets both rosters in the teams panel', async () => {
  await page.goto(`${BASE}/`);
  await page.locator('#n-title').fill(`${TAG} league match`);
  await page.locator('#n-kind').selectOption('match');
  await Promise.all([page.waitForURL(/\/sessions\/[0-9a-f-]{36}\?flash=created/),
    page.getByRole('button', { name: 'Create session' }).click()]);
  sid = /\/sessions\/([0-9a-f-]{36})/.exec(page.url())[1];

  // the editor shows a summary; the forms come when asked for, in place, focus on their heading
  const summary = page.locator('#teams.teams-summary');
  assert.equal(await summary.locator('li[data-side="home"] .team-name').textContent(), 'No team yet');
  assert.equal(await page.locator('#teams-form').count(), 0, 'no roster form in the editor as loaded');
  await openTeamsPanel(page);
  assert.equal(await page.locator('.teams-summary').count(), 0, 'the panel took the summary\'s place');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'teams-title', 'focus on the panel\'s heading');
  assert.match(page.url(), new RegExp(`/sessions/${sid}\\?flash=created$`), 'opened without leaving the page');

  const panel = page.locator('#teams');
  await panel.getByLabel('Team name').first().fill(`${TAG} Lions`);
  await page.locator('#home-short').fill('LIO');
  await fillPlayer('Home', 1, '7', 'Anna Novak', { position: 'outside', captain: true });
  await fillPlayer('Home', 2, '00', 'Bea Zupan', { position: 'setter' });
  await fillPlayer('Home', 3, '0', 'Cene Kos', { libero: true });
  for (let i = 4; i <= 12; i++) await fillPlayer('Home', i, String(i + 10), `Home Player ${i}`);
  await panel.getByRole('button', { name: 'Add a player to Home' }).click();
  await fillPlayer('Home', 13, '99', 'Zala Last');
  await page.locator('#visiting-name').fill(`${TAG} Bears`);
  await fillPlayer('Visiting', 1, '9', 'Eva Horvat');
  await fillPlayer('Visiting', 2, '10', 'Fran Kralj', { captain: true });

  await panel.getByRole('button', { name: 'Save teams' }).click();
  await panel.getByText('Teams saved.').waitFor();
  assert.match(page.url(), new RegExp(`/sessions/${sid}\\?flash=created`), 'saved without leaving the page');
  const t = (await api('GET', `/api/v1/sessions/${sid}/teams`, { token: coach.token })).body;
  assert.equal(t.home.name, `${TAG} Lions`);
  assert.equal(t.home.players.length, 13);
  assert.deepEqual(t.home.players.slice(0, 3).map((p) => [p.number, p.name, p.libero, p.captain]),
    [['0', 'Cene Kos', true, false], ['00', 'Bea Zupan', false, false], ['7', 'Anna Novak', false, true]]);
  assert.equal(t.home.players.at(-1).name, 'Zala Last');
  assert.deepEqual(t.visiting.players.map((p) => [p.number, p.name, p.captain]), [['9', 'Eva Horvat', false], ['10', 'Fran Kralj', true]]);
  assertQuiet(page);
});

test('a duplicate shirt number is refused beside its field, nothing saved', async () => {
  await fillPlayer('Visiting', 3, '9', 'Second Nine');
  const panel = page.locator('#teams');
  await panel.getByRole('button', { name: 'Save teams' }).click();
  const status = panel.locator('#teams-status');
  await status.getByText(/Not saved: Visiting, player 3: shirt number is already the number of another player/).waitFor();
  assert.equal(await cell('Visiting', 3, 'shirt number').getAttribute('aria-invalid'), 'true');
  const t = (await api('GET', `/api/v1/sessions/${sid}/teams`, { token: coach.token })).body;
  assert.equal(t.visiting.players.length, 2);
  page.problems = page.problems.filter((p) => !p.includes('status of 422'));
  await cell('Visiting', 3, 'shirt number').fill('');
  await cell('Visiting', 3, 'name').fill('');
  assertQuiet(page);
});

test('the editor shows the roster names: tagging chips, who filter, keyboard tagging, events table', async () => {
  await page.goto(`${BASE}/sessions/${sid}`);
  assert.equal(await page.locator('label[for="w-A-00"]').getAttribute('title'), 'Bea Zupan');
  assert.equal(await page.locator('#v-who option[value="A-7"]').textContent(), '#7 Anna Novak');
  assert.equal(await page.locator('#v-who optgroup').first().getAttribute('label'), `${TAG} Lions`);
  await page.locator('#tag-t').fill('5');
  await page.locator('#events-title').click();   // focus out of the input: keys go to the tagger
  await page.keyboard.press('h');
  await page.keyboard.press('7');
  await page.keyboard.press('#');
  await page.keyboard.press('a');
  await page.locator('#tag-status').getByText(`Added Attack at 0:05.0 ${TAG} Lions #7 Anna Novak.`).waitFor();
  await page.locator('#event-rows tr[data-id]', { hasText: 'Anna Novak' }).waitFor();
  await page.locator('#tag-t').fill('6');
  await page.locator('#events-title').click();
  await page.keyboard.press('h');
  await page.keyboard.press('0');
  await page.keyboard.press('0');
  assert.equal(await page.locator('#w-A-00').isChecked(), true, '"00" picks the player numbered 00');
  await page.keyboard.press('Escape');
  await page.keyboard.press('v');
  await page.keyboard.press('1');
  await page.keyboard.press('0');
  await page.keyboard.press('s');
  await page.locator('#event-rows tr[data-id]', { hasText: 'Fran Kralj' }).waitFor();
  const stored = (await api('GET', `/api/v1/sessions/${sid}/events`, { token: coach.token })).body.items;
  assert.deepEqual(stored.map((e) => [e.t_sec, e.event_type, e.actor_team, e.actor_number]),
    [[5, 'attack', 'A', '7'], [6, 'serve', 'B', '10']]);
  await page.reload();
  assert.match(await page.locator('#ev-' + stored[0].id).textContent(), /7 Anna Novak/);
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}`), 'the editor with its teams summary');
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}/teams`), 'the teams panel\'s page');
  assert.deepEqual(await page.locator('#teams li[data-side]').evaluateAll((lis) => lis.map((li) => li.textContent)),
    [`Home ${TAG} Lions 13 players`, `Visiting ${TAG} Bears 2 players`]);
  await checkSizes(page, 'teams-summary', '#teams');
  await openTeamsPanel(page);
  await checkSizes(page, 'teams-panel', '#teams');
  await page.goto(`${BASE}/sessions/${sid}/teams`);   // the panel's page (the link without a script)
  await checkSizes(page, 'teams-panel-page');
  assertQuiet(page);
});

test('a second page of the editor follows a change of the teams live', async () => {
  const other = await newPage(browser.context);
  await other.goto(`${BASE}/sessions/${sid}`);
  await other.locator('#live-state').getByText(/Live|On/).waitFor({ timeout: 10000 }).catch(() => {});
  const t = (await api('GET', `/api/v1/sessions/${sid}/teams`, { token: coach.token })).body;
  // the summary follows: a third visiting player
  const count = other.locator('#teams li[data-side="visiting"] .team-count');
  assert.equal(await count.textContent(), '2 players');
  t.visiting.players.push({ number: '11', name: 'Gal Third' });
  let r = await api('PUT', `/api/v1/sessions/${sid}/teams`, { json: { visiting: t.visiting }, token: coach.token });
  assert.equal(r.status, 200, r.text);
  await other.locator('#feed').getByText('Teams and rosters changed').first().waitFor();
  await other.waitForFunction(() => document.querySelector('#teams li[data-side="visiting"] .team-count')?.textContent === '3 players');
  // the opened panel follows, and so do the events table's names
  await openTeamsPanel(other);
  assert.equal(await other.getByLabel('Visiting, player 3: name', { exact: true }).inputValue(), 'Gal Third');
  t.home.players.find((p) => p.number === '7').name = 'Anna Novak-Kos';
  r = await api('PUT', `/api/v1/sessions/${sid}/teams`, { json: { home: t.home }, token: coach.token });
  assert.equal(r.status, 200, r.text);
  await other.locator('#event-rows tr[data-id]', { hasText: 'Anna Novak-Kos' }).waitFor();
  await other.waitForFunction(() => document.querySelector('input[name="home.p2.name"]')?.value === 'Anna Novak-Kos');
  assert.equal(await other.getByLabel('Home, player 3: name', { exact: true }).inputValue(), 'Anna Novak-Kos');
  assertQuiet(other);
  await other.close();
});

test('a club enters its squad once on /teams and copies it into the session', async () => {
  await page.goto(`${BASE}/teams`);
  assert.equal(await page.title(), 'Saved teams · Stint');
  await checkSizes(page, 'teams-page-empty');
  const form = page.locator('#new-team');
  await form.getByLabel('Team name').fill(`${TAG} Club Seniors`);
  await form.getByLabel('Short name').fill('CLUB');
  await page.getByLabel('New team, player 1: shirt number', { exact: true }).fill('1');
  await page.getByLabel('New team, player 1: name', { exact: true }).fill('Iva Club');
  await page.getByLabel('New team, player 2: shirt number', { exact: true }).fill('01');
  await page.getByLabel('New team, player 2: name', { exact: true }).fill('Jana Club');
  await page.getByLabel('New team, player 2: libero', { exact: true }).check();
  await Promise.all([page.waitForURL(/\/teams\?flash=team_added/), form.getByRole('button', { name: 'Add team' }).click()]);
  await page.getByText('Team added.').waitFor();
  const saved = (await api('GET', '/api/v1/teams', { token: coach.token })).body.find((x) => x.name === `${TAG} Club Seniors`);
  assert.deepEqual(saved.players.map((p) => [p.number, p.libero]), [['01', true], ['1', false]]);
  await page.locator(`#team-${saved.id} summary`).click();
  assertTidy(await servedHtml(page, `${BASE}/teams`), 'the saved teams page');
  await checkSizes(page, 'teams-page');

  await page.goto(`${BASE}/sessions/${sid}#teams`);
  await openTeamsPanel(page);
  await page.locator('#copy-team').selectOption(String(saved.id));
  await page.locator('#copy-side').selectOption('visiting');
  await Promise.all([page.waitForURL(/flash=team_copied/), page.getByRole('button', { name: 'Copy in' }).click()]);
  await page.getByText('Saved team copied in.').waitFor();
  assert.equal(await page.locator('#teams li[data-side="visiting"]').textContent(), `Visiting ${TAG} Club Seniors 2 players`);
  await openTeamsPanel(page);
  assert.equal(await page.locator('#visiting-name').inputValue(), `${TAG} Club Seniors`);
  assert.equal(await page.getByLabel('Visiting, player 1: shirt number', { exact: true }).inputValue(), '01');
  assert.equal(await page.locator('#v-who option[value="B-01"]').textContent(), '#01 Jana Club');
  assertQuiet(page);
});

test('without JavaScript the summary\'s link opens the panel as a page; its form returns to the editor', async () => {
  const nojs = await launch({ javaScriptEnabled: false });
  try {
    const p = await newPage(nojs.context);
    await login(p, coach.email, coach.password);
    await p.goto(`${BASE}/sessions/${sid}`);
    await Promise.all([p.waitForURL(`${BASE}/sessions/${sid}/teams`),
      p.locator('#teams').getByRole('link', { name: 'Edit teams and rosters' }).click()]);
    assert.equal(await p.title(), `Teams and rosters: ${TAG} league match · Stint`);
    assert.equal(await p.locator('html').getAttribute('lang'), 'en');
    assert.deepEqual(await p.locator('nav.crumbs a').allTextContents(), ['Sessions', `${TAG} league match`]);
    await p.getByLabel('Home, player 1: position', { exact: true }).fill('opposite');
    await Promise.all([p.waitForURL(new RegExp(`/sessions/${sid}\\?flash=teams_saved#teams$`)),
      p.getByRole('button', { name: 'Save teams' }).click()]);
    await p.getByText('Teams saved.').waitFor();
    const t = (await api('GET', `/api/v1/sessions/${sid}/teams`, { token: coach.token })).body;
    assert.equal(t.home.players[0].position, 'opposite');
    assertQuiet(p);
  } finally {
    await nojs.close();
  }
});
