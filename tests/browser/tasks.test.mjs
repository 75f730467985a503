// The editor's tasks panel in a real browser (issue 11): a queued task shows; a real spooler
// (bin/stint-spooler running tests/spool-task.sh, started by tests/integration/lib.mjs's startSpooler)
// runs it, and each task_updated it publishes moves the progress bar and its message live,
// without a reload; Cancel stops a running task (its process group killed), Retry queues a
// failed one again with its error cleared; "Process report" adds a task at the top; a removed
// record disappears; a viewer sees the tasks but no button. Tidy, no console errors, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BASE, REPO, alive, api, killRun, makeUser, sql, startSpooler, stopSpooler, until,
} from '../integration/lib.mjs';
import { launch, newPage, login, screenshots, assertTidy, assertQuiet, servedHtml } from './browser.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const TAG = `tasks${randomBytes(4).toString('hex')}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-panel-'));
const owner = makeUser('coach');

let browser;
let page;
let sid;
let spooler = null;

/** Starts a spooler of the spool_test type (its own process group), its log in DIR. */
const runSpooler = () => startSpooler(path.join(DIR, 'spooler.log'), { STINT_SPOOL_TYPES: 'spool_test',
  STINT_SPOOL_LEASE_S: '5', STINT_SPOOL_HEARTBEAT_S: '1', STINT_SPOOL_GRACE_S: '1', STINT_SPOOL_KILL_GRACE_S: '1' });

async function create(params) {
  const r = await api('POST', '/api/v1/tasks', { json: { task_type: 'spool_test', session_id: sid, dedupe_key: randomBytes(4).toString('hex'),
    params }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.task_id;
}

const task = (p, id) => p.locator(`#task-${id}`);
const badge = (p, id, text) => task(p, id).locator('.task-status', { hasText: new RegExp(`^${text}$`) });

/** Marks the page so that a reload would show: the mark is gone after one. */
const mark = (p) => p.evaluate(() => { window.notReloaded = true; });
const notReloaded = async (p) => assert.equal(await p.evaluate(() => window.notReloaded), true, 'the page was not reloaded');

before(async () => {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session` }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  sid = r.body.id;
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, owner.email, owner.password);
});

after(async () => {
  await stopSpooler(spooler);
  await browser?.close();
  killRun(path.join(DIR, 'sleep'));
  sql(`DELETE FROM tasks WHERE session_id = '${sid}'`);
  rmSync(DIR, { recursive: true, force: true });
});

test('a queued task shows; the spooler runs it and its progress bar moves live, without a reload', async () => {
  const id = await create({ mode: 'slow', marker: path.join(DIR, 'slow') });
  await page.goto(`${BASE}/sessions/${sid}`);
  await page.locator('#live-state[data-state="live"]').waitFor();
  await badge(page, id, 'Queued').waitFor();
  assert.equal(await task(page, id).locator('progress').getAttribute('value'), '0');
  assert.equal(await task(page, id).getByRole('button', { name: /Cancel/ }).count(), 1);
  assert.equal(await page.locator('#tasks-count').textContent(), '1');
  await mark(page);
  spooler = runSpooler();
  // progress 50 "Slowly", then 4 s of sleep: the bar and the message follow the task_updated messages
  await task(page, id).locator('progress[value="50"]').waitFor();
  await badge(page, id, 'Running').waitFor();
  assert.equal(await task(page, id).locator('.task-message').textContent(), 'Slowly');
  assert.equal(await task(page, id).locator('.task-percent').textContent(), '50 %');
  assert.match(await task(page, id).locator('.task-times').textContent(), / · started .* UTC\+00:00 · attempt 1 of 2$/);
  assert.equal(await page.locator('#feed li', { hasText: 'Spool test: running' }).count(), 1);
  await badge(page, id, 'Completed').waitFor({ timeout: 20000 });
  assert.equal(await task(page, id).locator('progress').getAttribute('value'), '100');
  assert.match(await task(page, id).locator('.task-times').textContent(), / · finished /);
  assert.equal(await task(page, id).locator('button').count(), 0, 'neither Cancel nor Retry for a completed task');
  await notReloaded(page);
  assertQuiet(page);
});

test('Cancel stops a running task: its process group is killed and the panel shows it cancelled', async () => {
  const marker = path.join(DIR, 'sleep');
  const id = await create({ mode: 'sleep', marker });
  await task(page, id).locator('.task-message', { hasText: 'Sleeping' }).waitFor();
  await badge(page, id, 'Running').waitFor();
  assert.equal(await page.locator('#task-list > li').first().getAttribute('id'), `task-${id}`, 'a new task appears at the top');
  assert.equal(await page.locator('#tasks-count').textContent(), '2');
  await until('the run', () => existsSync(marker));
  const [pid, , grandchild] = readFileSync(marker, 'utf8').trim().split(' ');
  await task(page, id).getByRole('button', { name: /Cancel/ }).click();
  await badge(page, id, 'Cancelled').waitFor({ timeout: 15000 });
  assert.equal(sql(`SELECT status FROM tasks WHERE task_id = '${id}'`)[0], 'cancelled');
  await until('the process group to be gone', () => !alive(pid) && !alive(grandchild), 5000);
  assert.equal(await task(page, id).getByRole('button', { name: /Retry/ }).count(), 1);
  await notReloaded(page);
  assertQuiet(page);
});

test('a failed task shows its error; Retry queues it again with the error cleared', async () => {
  const id = await create({ mode: 'fail' });
  await badge(page, id, 'Failed').waitFor({ timeout: 20000 });
  assert.equal(await task(page, id).locator('.task-error').textContent(), 'some early noise\nsomething broke on attempt 2');
  await stopSpooler(spooler);  // so that the retried task stays queued for the page to show
  await task(page, id).getByRole('button', { name: /Retry/ }).click();
  await badge(page, id, 'Queued').waitFor();
  assert.equal(await task(page, id).locator('.task-error').count(), 0);
  assert.equal(await task(page, id).locator('progress').getAttribute('value'), '0');
  assert.doesNotMatch(await task(page, id).locator('.task-times').textContent(), /attempt|started|finished/);
  assert.equal(await page.locator('#task-status').textContent(), 'Task queued again.');
  assert.deepEqual(sql(`SELECT status, attempts, error IS NULL FROM tasks WHERE task_id = '${id}'`), ['queued|0|t']);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'task.retry' AND target_id = '${id}' AND detail->>'from' = 'failed'`)[0], '1');
  // and cancelled again while queued
  await task(page, id).getByRole('button', { name: /Cancel/ }).click();
  await badge(page, id, 'Cancelled').waitFor();
  await notReloaded(page);
  assertQuiet(page);
});

test('Process report without participants says what is missing; with them it adds the report task at the top; a removed record disappears', async () => {
  const before = Number(await page.locator('#tasks-count').textContent());
  await page.getByRole('button', { name: 'Process report' }).click();
  await page.locator('.problem', { hasText: /no participants: add the players and their devices first/ }).waitFor();
  assert.equal(await page.locator('#tasks-count').textContent(), String(before));
  // the browser logs the refused request; that one line is expected, and nothing else
  assert.deepEqual(page.problems.splice(0), [
    'console: Failed to load resource: the server responded with a status of 422 (Unprocessable Content)']);
  // a player with a GPS watch's real file: now there is something to report on
  const p = await api('POST', `/api/v1/sessions/${sid}/participants`,
    { json: { player: 'Eva Kos', team_side: 'A', number: '7', device_id: 'watch-1' }, token: owner.token });
  assert.equal(p.status, 201, p.text);
  const u = await api('POST', `/api/v1/sessions/${sid}/device-data?device=watch-1&name=test.tcx`, {
    body: readFileSync(path.join(DATA, 'gps', 'test.tcx')), headers: { 'content-type': 'application/octet-stream' },
    token: owner.token });
  assert.equal(u.status, 201, u.text);
  await page.getByRole('button', { name: 'Process report' }).click();
  const top = page.locator('#task-list > li').first();
  await top.locator('.task-type', { hasText: /^Report$/ }).waitFor();
  await top.locator('.task-status', { hasText: /^Queued$/ }).waitFor();
  assert.equal(await page.locator('#tasks-count').textContent(), String(before + 1));
  const [report] = sql(`SELECT task_id FROM tasks WHERE session_id = '${sid}' AND task_type = 'process_report'`);
  assert.equal(await top.getAttribute('id'), `task-${report}`);
  // a finished record removed through the API leaves the panel
  const done = (await api('GET', `/api/v1/tasks?session=${sid}&status=completed`, { token: owner.token })).body.items[0].task_id;
  assert.equal((await api('DELETE', `/api/v1/tasks/${done}`, { token: owner.token })).status, 204);
  await task(page, done).waitFor({ state: 'detached' });
  assert.equal(await page.locator('#tasks-count').textContent(), String(before));
  await notReloaded(page);
  assertTidy(await servedHtml(page, `${BASE}/sessions/${sid}`), 'the editor with its tasks panel');
  await page.locator('#tasks').scrollIntoViewIfNeeded();
  await screenshots(page, 'editor-tasks');
  assertQuiet(page);
});

test('a viewer sees the tasks, live, but no button', async () => {
  const viewer = makeUser('analyst');
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: viewer.email, role: 'viewer' }, token: owner.token });
  assert.equal(share.status, 200);
  const other = await launch();
  try {
    const p = await newPage(other.context);
    await login(p, viewer.email, viewer.password);
    await p.goto(`${BASE}/sessions/${sid}`);
    await p.locator('#live-state[data-state="live"]').waitFor();
    assert.ok(await p.locator('#task-list > li').count() >= 3);
    assert.equal(await p.locator('#tasks button, #tasks form').count(), 0, 'no button and no form');
    const id = await create({ mode: 'ok' });
    await badge(p, id, 'Queued').waitFor();
    assert.equal(await task(p, id).locator('button').count(), 0);
    assertTidy(await servedHtml(p, `${BASE}/sessions/${sid}`), 'the tasks panel as a viewer sees it');
    assertQuiet(p);
  } finally {
    await other.close();
  }
});
