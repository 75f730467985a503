// bench/pages.mjs: how long until the editor of a session is usable in
// Debian's headless Chromium (the client side of bench/pages). "Usable": the
// page has loaded and static/editor.js has taken over the events table, that
// is the timeline is shown and the table holds every event of the session
// (its count equals the events count the server wrote). Times are from the
// navigation's start (performance.now() in the page), one fresh page per
// run in the same profile: run 1 is cold (nothing cached), the rest warm.
// Env: URL, SESSION, COOKIE (stint_session=...), RUNS (5), CHROMIUM.
// Prints one JSON line: {"events", "runs": [{dcl_ms, load_ms, usable_ms}]}.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(path.join(here, '../tests/package.json'))('playwright-core');
const { URL: base, SESSION: sid, COOKIE: cookie } = process.env;
const runs = Number(process.env.RUNS ?? 5);

const profile = mkdtempSync(path.join(tmpdir(), 'stint-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1366, height: 768 },
});
try {
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  const out = { events: 0, runs: [] };
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    await page.goto(`${base}/sessions/${sid}`, { waitUntil: 'commit' });
    const total = await page.waitForFunction(() => {
      const count = Number(document.getElementById('events-count')?.textContent);
      const rows = document.querySelectorAll('#event-rows tr[data-id]').length;
      return document.getElementById('timeline')?.hidden === false && count > 0 && rows === count ? count : 0;
    }, null, { timeout: 60000, polling: 'raf' });
    const usable = await page.evaluate(() => performance.now());
    const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
    out.events = await total.jsonValue();
    out.runs.push({ dcl_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd, usable_ms: usable });
    await page.close();
  }
  console.log(JSON.stringify(out));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
