// task-panel.test.mjs: the editor's tasks panel as a browser without JavaScript uses it (issue 11):
// the session's tasks with status, progress bar, message, error and times, escaped; the Cancel,
// Retry and "Process report" forms post with the CSRF token and redirect back to the panel; a form
// without the token changes nothing; a task of another session cannot be named; a viewer sees the
// panel without any form. (The live updates are tests/browser/tasks.test.mjs.)
//
// Run against a stack: bin/stint test task-panel
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Browser, PREFIX, REPO, api, makeUser } from './lib.mjs';

const TAG = `panel${randomBytes(4).toString('hex')}`;

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

const owner = makeUser('coach');

async function ownSession() {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session` }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function create(json) {
  const r = await api('POST', '/api/v1/tasks', { json: { task_type: 'noop', ...json }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.task_id;
}

/** The panel's item of task id in html ('' when absent). */
function item(html, id) {
  const start = html.indexOf(`<li class="task" id="task-${id}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</li>', start));
}

const status = (id) => sql(`SELECT status FROM tasks WHERE task_id = '${id}'`)[0];

test('the panel lists the tasks, newest first, with status, progress bar, message, error and times, escaped', async () => {
  const sid = await ownSession();
  const failed = await create({ session_id: sid, dedupe_key: 'a' });
  const running = await create({ session_id: sid, dedupe_key: 'b' });
  const queued = await create({ session_id: sid, task_type: 'process_report' });
  sql(`UPDATE tasks SET created_at = created_at - interval '2 minutes' WHERE task_id = '${failed}';
    UPDATE tasks SET created_at = created_at - interval '1 minute' WHERE task_id = '${running}';
    UPDATE tasks SET status = 'failed', attempts = 1, error = '<script>alert(1)</script> & "boom"',
      started_at = '2026-12-07T02:10:00Z', finished_at = '2026-12-07T02:11:00Z' WHERE task_id = '${failed}';
    UPDATE tasks SET status = 'running', attempts = 1, lease_token = nextval('task_lease_tokens'),
      lease_expires_at = now() + interval '1 hour', started_at = now(), progress = 42,
      progress_message = 'Parsing <b>device</b> 3 of 22' WHERE task_id = '${running}'`);
  const b = await new Browser().login(owner.email, owner.password);
  const page = await b.get(`/sessions/${sid}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /<h2 id="tasks-title">Tasks <span class="count" id="tasks-count">3<\/span><\/h2>/);
  const order = [queued, running, failed].map((id) => page.html.indexOf(`id="task-${id}"`));
  assert.ok(order.every((at) => at > 0) && order[0] < order[1] && order[1] < order[2], 'newest first');

  const r = item(page.html, running);
  assert.match(r, /<strong class="task-type">No-op<\/strong> <span class="badge badge-running task-status">Running<\/span>/);
  assert.match(r, /<progress max="100" value="42" aria-label="No-op: progress">42 %<\/progress>/);
  assert.ok(r.includes('<p class="task-message">Parsing &lt;b&gt;device&lt;/b&gt; 3 of 22</p>'), 'message escaped');
  assert.match(r, / · attempt 1 of 1/);
  assert.match(r, /action="\/sessions\/[0-9a-f-]{36}\/tasks\/cancel"/);
  assert.ok(!r.includes('/tasks/retry'), 'no Retry for a running task');

  const f = item(page.html, failed);
  assert.ok(f.includes('<p class="task-error">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;boom&quot;</p>'), 'error escaped');
  assert.ok(!page.html.includes('<script>alert(1)'));
  assert.match(f, /Queued <time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC\+00:00<\/time> · started <time datetime="2026-12-07T02:10:00\+00:00">2026-12-07 02:10 UTC\+00:00<\/time> · finished <time datetime="2026-12-07T02:11:00\+00:00">2026-12-07 02:11 UTC\+00:00<\/time>/);
  assert.match(f, /action="\/sessions\/[0-9a-f-]{36}\/tasks\/retry"/);
  assert.ok(!f.includes('/tasks/cancel'), 'no Cancel for a failed task');

  const q = item(page.html, queued);
  assert.match(q, /<strong class="task-type">Report<\/strong> <span class="badge badge-queued task-status">Queued<\/span>/);
  assert.match(q, /value="0"/);
  assert.ok(page.html.includes(`<input type="hidden" name="csrf" value="${b.cookies.get('stint_csrf')}"><input type="hidden" name="task_id" value="${queued}">`));
  // the test stack's analyzers (tests/analyzers.conf; analyzers.test.mjs posts this form)
  assert.ok(page.html.includes('id="analyze-form"'), 'analyzers declared: a Re-analyze control');
  const select = page.html.slice(page.html.indexOf('<select id="analyze-name"'), page.html.indexOf('</select>', page.html.indexOf('<select id="analyze-name"')));
  assert.deepEqual([...select.matchAll(/<option value="([^"]+)">/g)].map((m) => m[1]),
    ['scene-cuts', 'loudness', 'test-exit', 'test-badline', 'test-slow']);
  assert.match(page.html, /<p class="muted" id="tasks-empty" hidden>/);
});

test('Cancel, Retry and Process report post with the CSRF token and redirect back to the panel', async () => {
  const sid = await ownSession();
  const id = await create({ session_id: sid });
  const b = await new Browser().login(owner.email, owner.password);
  await b.get(`/sessions/${sid}`);

  let r = await b.post(`/sessions/${sid}/tasks/cancel`, { task_id: id });
  assert.equal(r.status, 303, r.html);
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=task_cancelled#tasks`);
  assert.equal(status(id), 'cancelled');
  let page = await b.get(r.headers.get('location'));
  assert.match(page.html, /Task cancelled\./);
  assert.match(item(page.html, id), /badge-cancelled task-status">Cancelled</);

  // a second Cancel of the finished task keeps its record (the API's DELETE would remove it)
  r = await b.post(`/sessions/${sid}/tasks/cancel`, { task_id: id });
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=task_finished#tasks`);
  assert.equal(status(id), 'cancelled');

  r = await b.post(`/sessions/${sid}/tasks/retry`, { task_id: id });
  assert.equal(r.status, 303, r.html);
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=task_retried#tasks`);
  assert.deepEqual(sql(`SELECT status, attempts FROM tasks WHERE task_id = '${id}'`), ['queued|0']);
  page = await b.get(r.headers.get('location'));
  assert.match(page.html, /Task queued again\./);
  r = await b.post(`/sessions/${sid}/tasks/retry`, { task_id: id });
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=task_active#tasks`);

  // a running task is asked to stop
  sql(`UPDATE tasks SET status = 'running', lease_token = nextval('task_lease_tokens'), lease_expires_at = now() + interval '1 hour'
    WHERE task_id = '${id}'`);
  r = await b.post(`/sessions/${sid}/tasks/cancel`, { task_id: id });
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=task_stopping#tasks`);
  page = await b.get(r.headers.get('location'));
  assert.match(item(page.html, id), /badge-running task-status">Stopping</);
  assert.ok(!item(page.html, id).includes('/tasks/cancel'), 'no second Cancel while it stops');

  // no participants yet: nothing is queued, and the page says what to add
  r = await b.post(`/sessions/${sid}/process`, {});
  assert.equal(r.status, 303, r.html);
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=process_participants#tasks`);
  assert.match((await b.get(r.headers.get('location'))).html, /No report yet: the session has no participants\./);
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE session_id = '${sid}' AND task_type = 'process_report'`), ['0']);
  const p = await api('POST', `/api/v1/sessions/${sid}/participants`,
    { json: { player: 'Eva Kos', device_id: 'watch-1' }, token: owner.token });
  assert.equal(p.status, 201, p.text);
  r = await b.post(`/sessions/${sid}/process`, {});
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=process_device_files#tasks`);
  const u = await api('POST', `/api/v1/sessions/${sid}/device-data?device=watch-1&name=test.tcx`, {
    body: readFileSync(path.join(process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data'), 'gps', 'test.tcx')),
    headers: { 'content-type': 'application/octet-stream' }, token: owner.token });
  assert.equal(u.status, 201, u.text);
  r = await b.post(`/sessions/${sid}/process`, {});
  assert.equal(r.status, 303, r.html);
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=process_queued#tasks`);
  const [report] = sql(`SELECT task_id FROM tasks WHERE session_id = '${sid}' AND task_type = 'process_report' AND status = 'queued'`);
  assert.ok(report);
  page = await b.get(r.headers.get('location'));
  assert.match(page.html, /Report queued\./);
  assert.match(item(page.html, report), /<strong class="task-type">Report<\/strong>/);
  r = await b.post(`/sessions/${sid}/process`, {});
  assert.equal(r.headers.get('location'), `/sessions/${sid}?flash=process_active#tasks`);
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE session_id = '${sid}' AND task_type = 'process_report'`), ['1']);

  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`),
    ['task.create', 'task.cancel', 'task.retry', 'task.cancel_request']);
});

test('a panel form without the CSRF token, or naming a task of another session, changes nothing', async () => {
  const sid = await ownSession();
  const elsewhere = await ownSession();
  const id = await create({ session_id: sid });
  const theirs = await create({ session_id: elsewhere });
  const b = await new Browser().login(owner.email, owner.password);
  await b.get(`/sessions/${sid}`);
  for (const csrf of [null, 'f'.repeat(64)]) {
    for (const url of [`/sessions/${sid}/tasks/cancel`, `/sessions/${sid}/process`]) {
      const r = await b.post(url, { task_id: id }, { csrf });
      assert.equal(r.status, 403, url);
      assert.match(r.html, /This form has expired/);
    }
  }
  assert.equal(status(id), 'queued');
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE session_id = '${sid}'`), ['1'], 'no report queued');

  // a task of another session (even one the user may change) is not this session's
  const other = await b.post(`/sessions/${sid}/tasks/cancel`, { task_id: theirs });
  assert.equal(other.status, 404);
  assert.match(other.html, /There is no task with this id in this session\./);
  assert.equal(status(theirs), 'queued');
  for (const task_id of ['', 'not-a-uuid']) {
    const bad = await b.post(`/sessions/${sid}/tasks/retry`, { task_id });
    assert.equal(bad.status, 422);
    assert.match(bad.html, /The form did not name a task \(task_id\)\./);
  }
  const analyze = await b.post(`/sessions/${sid}/analyze`, { analyzer: 'scenecut' });
  assert.equal(analyze.status, 422, 'an analyzer the server does not declare');
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE session_id = '${sid}'`), ['1']);
});

test('a viewer sees the panel and its tasks, without a form; their posts are refused', async () => {
  const sid = await ownSession();
  const id = await create({ session_id: sid });
  const viewer = makeUser('analyst');
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: viewer.email, role: 'viewer' }, token: owner.token });
  assert.equal(share.status, 200);
  const b = await new Browser().login(viewer.email, viewer.password);
  const page = await b.get(`/sessions/${sid}`);
  assert.equal(page.status, 200);
  assert.match(item(page.html, id), /badge-queued task-status">Queued</);
  for (const form of ['/tasks/cancel', '/tasks/retry', '/process"', 'id="process-form"', 'id="analyze-form"']) {
    assert.ok(!page.html.includes(form), `no ${form} for a viewer`);
  }
  assert.equal((await b.post(`/sessions/${sid}/tasks/cancel`, { task_id: id })).status, 403);
  assert.equal((await b.post(`/sessions/${sid}/process`, {})).status, 403);
  assert.equal(status(id), 'queued');
});
