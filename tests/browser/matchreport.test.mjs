// The match report in headless Chromium (issue 19): for every real DataVolley file of ../shared/data/volleyball,
// imported through the API, GET /sessions/<id>/report printed to PDF (A4, the page's own @page) is exactly one
// page; the report and the stats page with its charts at 1366x768 and 390x844 have 0 serious or critical axe-core
// violations and no horizontal scroll of the document, with screenshots ($STINT_TEST_OUT/screenshots/
// matchreport-*.png); the stored report artifact (self-contained) also prints to one page; the report's HTML as
// served passes tidy.
//
// Run against a stack: bin/stint test browser/matchreport
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { api, BASE, REPO } from '../integration/lib.mjs';
import { launch, newPage, login, assertQuiet, assertTidy, servedHtml } from './browser.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const OUT = path.join(process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests/out'), 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const FILES = readdirSync(path.join(DATA, 'volleyball')).filter((f) => f.endsWith('.dvw')).sort();

let browser;
let page;
const sessions = {};

/* Pages of a PDF: its /Type /Page objects (not /Pages). */
const pdfPages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

before(async () => {
  for (const f of FILES) {
    const r = await api('POST', `/api/v1/imports?title=${encodeURIComponent(`report ${f}`)}`,
      { body: readFileSync(path.join(DATA, 'volleyball', f)), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(r.status, 201, r.text);
    sessions[f] = r.body.session.id;
  }
  browser = await launch();
  page = await newPage(browser.context);
  await login(page);
  mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await browser?.close();
});

for (const f of FILES) {
  test(`${f}: the match report prints to one A4 page`, async () => {
    const url = `${BASE}/sessions/${sessions[f]}/report`;
    const res = await page.goto(url);
    assert.equal(res.status(), 200);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    writeFileSync(path.join(OUT, `matchreport-${f}.pdf`), pdf);
    assert.equal(pdfPages(pdf), 1, `${f}: ${pdfPages(pdf)} pages`);
    // the box scores have a row per player with an action, the sets their scores from the events
    const stats = (await api('GET', `/api/v1/sessions/${sessions[f]}/stats`)).body;
    const rows = await page.locator('table.mr-box tbody tr').count();
    assert.equal(rows, stats.players.length);
    assert.equal(await page.locator('table.mr-sets tbody tr').count(), stats.sets.length);
    assertQuiet(page);
  });
}

test('the report and the stats page with charts: axe 0 serious/critical, no horizontal scroll, at both sizes', async () => {
  const sid = sessions['example_data.dvw'];
  const problems = [];
  for (const [name, url] of [['report', `${BASE}/sessions/${sid}/report`], ['stats', `${BASE}/sessions/${sid}/stats`],
    ['stats-player', `${BASE}/sessions/${sid}/stats?team=A&player=12#charts`]]) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      const res = await page.goto(url, { waitUntil: 'load' }) ?? await page.reload({ waitUntil: 'load' });
      assert.equal(res.status(), 200);
      const facts = await page.evaluate(() => ({ lang: document.documentElement.lang, title: document.title,
        scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth }));
      if (!facts.lang || !facts.title) problems.push(`${name} ${size}: no lang or title`);
      if (facts.scrollWidth > facts.innerWidth) problems.push(`${name} ${size}: ${facts.scrollWidth} px wide in ${facts.innerWidth}`);
      await page.evaluate(AXE);
      const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
        .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`));
      for (const v of violations) problems.push(`${name} ${size}: axe ${v}`);
      await page.screenshot({ path: path.join(OUT, `matchreport-${name}-${size}.png`), fullPage: name === 'report' });
    }
  }
  await page.setViewportSize(SIZES.desktop);
  assert.deepEqual(problems, []);
  // the charts are on the page with their accessible names
  await page.goto(`${BASE}/sessions/${sid}/stats`);
  for (const title of ['Attack direction: Braslovče', 'Serve zones: Nova KBM Branik', 'Points per rotation']) {
    assert.equal(await page.getByRole('img', { name: title, exact: true }).count(), 1, title);
  }
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}/report`), 'the match report');
  assertQuiet(page);
});

test('stored from the stats page: the report artifact opens self-contained and prints to one page', async () => {
  const sid = sessions['PM06.dvw'] ?? sessions[FILES[0]];
  await page.goto(`${BASE}/sessions/${sid}/stats`);
  await Promise.all([page.waitForURL(/flash=report_stored#downloads$/),
    page.getByRole('button', { name: 'Store the report, charts and CSVs as downloads' }).click()]);
  await page.getByRole('status').filter({ hasText: 'Match report, charts and CSVs stored' }).waitFor();
  const link = page.locator('ul.downloads a', { hasText: /_report\.html$/ });
  assert.equal(await link.count(), 1);
  const href = await link.getAttribute('href');
  const external = [];
  page.on('request', (req) => { if (!req.url().startsWith(`${BASE}${href}`)) external.push(req.url()); });
  const res = await page.goto(`${BASE}${href}`);
  assert.equal(res.status(), 200);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  assert.equal(pdfPages(pdf), 1);
  assert.deepEqual(external, [], 'nothing fetched from elsewhere');
  page.removeAllListeners('request');
  assertQuiet(page);
});
