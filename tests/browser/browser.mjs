// Helpers for the browser tests: Debian's headless Chromium driven by
// playwright-core (never a downloaded browser), pages that record their
// console errors, sign-in through the login form, screenshots and tidy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { BASE, PREFIX, REPO, ADMIN_EMAIL, ADMIN_PASSWORD, stint } from '../integration/lib.mjs';

export const CHROMIUM = process.env.STINT_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = path.join(REPO, 'tests/out/screenshots');
export const SIZES = { laptop: { width: 1366, height: 768 }, tablet: { width: 820, height: 1180 } };

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required'];

/**
 * Starts Chromium with a fresh profile (options: more context options, e.g.
 * javaScriptEnabled: false). Returns { context, close() }: a persistent
 * context whose pages share the login cookie.
 */
export async function launch(options = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'stint-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: SIZES.laptop, acceptDownloads: true,
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page that records console errors and uncaught exceptions in page.problems. */
export async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  return page;
}

/**
 * Forgets the console's note about an answer with this status (a form sent
 * back with 422 on purpose, say): Chromium logs every non-2xx load as an error.
 */
export function expectStatus(page, status) {
  page.problems = page.problems.filter((p) => !p.includes(`status of ${status} `));
}

/** Fails when the page logged a console error or threw. */
export function assertQuiet(page) {
  assert.deepEqual(page.problems, [], 'no console errors');
}

/** Signs in through the login form (as the administrator unless told otherwise). */
export async function login(page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(`${BASE}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** Screenshots of the page at each size under tests/out/screenshots/<name>-<size>.png. */
export async function screenshots(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size}.png`) });
  }
  await page.setViewportSize(before);
}

/**
 * Runs `tidy -e -q` on html; fails on any error (warnings are allowed), and
 * when tidy cannot run (not installed: bin/stint deps): no check is no pass.
 */
export function assertTidy(html, what) {
  let out = '';
  try {
    execFileSync('tidy', ['-e', '-q'], { input: html, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    // tidy exits 1 for warnings only, 2 for errors; anything else: it did not run
    if (err.status !== 1 && err.status !== 2) assert.fail(`tidy did not run on ${what}: ${err.message}`);
    out = `${err.stderr ?? ''}`;
    if (err.status === 1) out = '';
  }
  const errors = out.split('\n').filter((l) => / - Error: /.test(l));
  assert.deepEqual(errors, [], `tidy errors in ${what}`);
}

/** The page's HTML as the server sent it (not the DOM after scripts ran). */
export async function servedHtml(page, url) {
  const res = await page.request.get(url);
  assert.equal(res.status(), 200, `GET ${url}`);
  return res.text();
}

/**
 * A test pattern video made with ffmpeg into file (x264, crf 12, `seconds` long, from the lavfi
 * source, e.g. 'testsrc2=size=1280x720:rate=25,noise=alls=30:allf=t' so it does not compress away).
 */
export function makeVideo(file, seconds, source) {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-t', String(seconds), '-c:v', 'libx264',
    '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file]);
}

/** The large upload video: 13 s of 720p test pattern with noise, about 250 MB. */
export const BIG_VIDEO_SOURCE = 'testsrc2=size=1280x720:rate=25,noise=alls=30:allf=t';

/** Fills row n of side's roster ('Home' or 'Visiting') in the editor's teams panel. */
export async function fillPlayer(page, side, n, number, name, { position, libero, captain } = {}) {
  const cell = (what) => page.getByLabel(`${side}, player ${n}: ${what}`, { exact: true });
  await cell('shirt number').fill(number);
  await cell('name').fill(name);
  if (position) await cell('position').fill(position);
  if (libero) await cell('libero').check();
  if (captain) await cell('captain').check();
}

/**
 * Opens the editor's teams panel: its summary's "Edit teams and rosters" brings the panel in place
 * (static/teams.js fetches it); returns when the panel's form is there.
 */
export async function openTeamsPanel(page) {
  await page.locator('#teams').getByRole('link', { name: 'Edit teams and rosters' }).click();
  await page.locator('#teams-form').waitFor();
}

/** Waits until the editor's tag queue holds no tag (timeout in ms). */
export async function drained(page, timeout = 60000) {
  await page.waitForFunction(() => document.querySelector('#tag-queue').dataset.pending === '0', null, { timeout });
}

/**
 * Puts a low per-address rate limit (2 r/s, burst 1) on the event POSTs of session sid in the test
 * stack's nginx (files under PREFIX/nginx/extra-http and extra, then `bin/stint reload`); returns a
 * function that removes it (and reloads). Other requests are not limited.
 */
export function lowRateLimit(sid, name = 'tagging-test') {
  const id = name.replace(/\W/g, '_');
  const zone = path.join(PREFIX, `nginx/extra-http/${name}.conf`);
  const limit = path.join(PREFIX, `nginx/extra/${name}.conf`);
  writeFileSync(zone, `map "$request_method $uri" $${id}_key {\n\t"~^POST /api/v1/sessions/${sid}/events$" ` +
    `$binary_remote_addr;\n\tdefault "";\n}\nlimit_req_zone $${id}_key zone=${id}:1m rate=2r/s;\n`);
  writeFileSync(limit, `limit_req zone=${id} burst=1 nodelay;\n`);
  stint('reload');
  return () => {
    rmSync(zone, { force: true });
    rmSync(limit, { force: true });
    stint('reload');
  };
}
