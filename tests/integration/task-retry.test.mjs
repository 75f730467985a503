// task-retry.test.mjs: POST /api/v1/tasks/<id>/retry (issue 11; docs/tasks.md): a failed or
// cancelled task is queued again as the same task, a new attempt cycle (attempts 0, run_after
// now, error and result cleared), audited as task.retry and announced as task_updated; a queued,
// running or completed one answers 409, and so does a retry when the session already has another
// active task of the same type and key (the unique index decides); nobody else may retry a task
// (404 as for a read; 403 for a viewer share or a read-scope token).
//
// Run against a stack: bin/stint test task-retry
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import { ADMIN_TOKEN, PREFIX, REPO, api, makeUser, stint, subscribe } from './lib.mjs';

const TAG = `retry${randomBytes(4).toString('hex')}`;

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

const owner = makeUser('coach');
const other = makeUser('coach');

async function ownSession() {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session` }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function create(json, user = owner) {
  const r = await api('POST', '/api/v1/tasks', { json: { task_type: 'noop', ...json }, token: user.token });
  assert.equal(r.status, 201, r.text);
  return r.body.task_id;
}

/** Makes task id look as a spooler leaves a task that failed for good after two runs. */
function failed(id) {
  sql(`UPDATE tasks SET status = 'failed', attempts = 2, max_attempts = 2, error = 'exit 3: disk full',
    result = '{"partial": true}', progress = 60, progress_message = 'Parsing', started_at = now() - interval '1 minute',
    finished_at = now(), run_after = now() - interval '1 hour' WHERE task_id = '${id}'`);
}

const retry = (id, token = owner.token) => api('POST', `/api/v1/tasks/${id}/retry`, { token });
const audit = (id) => sql(`SELECT action || coalesce(' ' || detail::text, '') FROM audit_log
  WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`);

test('a failed task is queued again as a new attempt cycle: audited, announced, a spooler woken', async () => {
  const sid = await ownSession();
  const sub = await subscribe(sid, { token: owner.token });
  assert.equal(sub.status, 200);
  const id = await create({ session_id: sid, params: { clip_id: 3 } });
  failed(id);
  const r = await retry(id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.task_id, r.body.status, r.body.attempts, r.body.max_attempts, r.body.error, r.body.result,
    r.body.progress, r.body.progress_message, r.body.started_at, r.body.finished_at, r.body.params],
  [id, 'queued', 0, 2, null, null, 0, '', null, null, { clip_id: 3 }]);
  assert.ok(Math.abs(Date.parse(r.body.run_after) - Date.now()) < 60000, `run_after ${r.body.run_after} is now`);
  assert.deepEqual(sql(`SELECT status, attempts, run_after <= now(), lease_token IS NULL FROM tasks WHERE task_id = '${id}'`),
    ['queued|0|t|t']);
  const got = await sub.waitFor(2);  // the create's, then the retry's
  sub.close();
  assert.deepEqual(got.map((m) => [m.event, m.data.data.task_id, m.data.data.status, m.data.data.attempts]),
    [['task_updated', id, 'queued', 0], ['task_updated', id, 'queued', 0]]);
  assert.deepEqual(got[1].data.data, r.body);
  assert.deepEqual(audit(id), ['task.create {"task_type": "noop"}', 'task.retry {"from": "failed"}']);
  // the GET answers the same
  assert.deepEqual((await api('GET', `/api/v1/tasks/${id}`, { token: owner.token })).body, r.body);
});

test('a cancelled task is retried; a task without a session is retried by its maker', async () => {
  const sid = await ownSession();
  const id = await create({ session_id: sid });
  assert.equal((await api('DELETE', `/api/v1/tasks/${id}`, { token: owner.token })).status, 200);
  const r = await retry(id);
  assert.deepEqual([r.status, r.body.status], [200, 'queued'], r.text);
  assert.deepEqual(audit(id).at(-1), 'task.retry {"from": "cancelled"}');

  const alone = await create({ group_key: `${TAG} alone` });
  assert.equal((await api('DELETE', `/api/v1/tasks/${alone}`, { token: owner.token })).status, 200);
  const a = await retry(alone);
  assert.deepEqual([a.status, a.body.status, a.body.session_id], [200, 'queued', null], a.text);
});

test('a queued, running or completed task answers 409 and is not changed', async () => {
  const sid = await ownSession();
  const id = await create({ session_id: sid });
  let r = await retry(id);
  assert.deepEqual([r.status, r.body.error.code], [409, 'conflict'], r.text);
  assert.match(r.body.error.message, /queued or running/);
  sql(`UPDATE tasks SET status = 'running', attempts = 1, lease_token = nextval('task_lease_tokens'),
    lease_expires_at = now() + interval '1 hour', started_at = now() WHERE task_id = '${id}'`);
  r = await retry(id);
  assert.equal(r.status, 409, r.text);
  assert.deepEqual(sql(`SELECT status, attempts FROM tasks WHERE task_id = '${id}'`), ['running|1']);
  sql(`UPDATE tasks SET status = 'completed', lease_token = NULL, lease_expires_at = NULL, finished_at = now()
    WHERE task_id = '${id}'`);
  r = await retry(id);
  assert.equal(r.status, 409, r.text);
  assert.match(r.body.error.message, /completed/);
  assert.deepEqual(sql(`SELECT status FROM tasks WHERE task_id = '${id}'`), ['completed']);
  assert.deepEqual(audit(id), ['task.create {"task_type": "noop"}'], 'nothing audited for a refused retry');
});

test('a retry while the session has another active task of the same type and key: 409, the index decides', async () => {
  const sid = await ownSession();
  const first = await create({ session_id: sid, task_type: 'process_report' });
  failed(first);
  const second = await create({ session_id: sid, task_type: 'process_report' });  // the first is no longer active
  assert.notEqual(first, second);
  const r = await retry(first);
  assert.deepEqual([r.status, r.body.error.code], [409, 'conflict'], r.text);
  assert.match(r.body.error.message, /another queued or running task/);
  assert.deepEqual(sql(`SELECT status FROM tasks WHERE task_id IN ('${first}', '${second}') ORDER BY created_at`),
    ['failed', 'queued']);
  // another key is another task: retried
  const keyed = await create({ session_id: sid, task_type: 'process_report', dedupe_key: 'b' });
  failed(keyed);
  assert.equal((await retry(keyed)).status, 200);
  // once the active one is cancelled, the first is retried
  assert.equal((await api('DELETE', `/api/v1/tasks/${second}`, { token: owner.token })).status, 200);
  assert.equal((await retry(first)).status, 200);
  // and ten concurrent retries of one failed task give one retry: nine 409
  failed(second);
  sql(`UPDATE tasks SET status = 'cancelled', finished_at = now() WHERE task_id = '${first}'`);
  const answers = await Promise.all(Array.from({ length: 10 }, () => retry(second)));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  assert.equal(audit(second).filter((a) => a.startsWith('task.retry')).length, 1);
});

test('another user cannot retry a task (404 as for a read); a viewer share or a read token gets 403', async () => {
  const sid = await ownSession();
  const inSession = await create({ session_id: sid });
  const alone = await create({ group_key: `${TAG} private` });
  failed(inSession);
  failed(alone);
  for (const id of [inSession, alone, randomUUID()]) {
    const r = await retry(id, other.token);
    assert.deepEqual([r.status, r.body.error.code], [404, 'not_found'], r.text);
    assert.equal((await api('GET', `/api/v1/tasks/${id}`, { token: other.token })).status, 404);
  }
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: other.email, role: 'viewer' }, token: owner.token });
  assert.equal(share.status, 200);
  const v = await retry(inSession, other.token);
  assert.deepEqual([v.status, v.body.error.code], [403, 'forbidden'], v.text);
  const read = stint('token', 'create', '--user', owner.email, '--scope', 'read', '--name', `${TAG} read`).trim();
  assert.equal((await retry(inSession, read)).status, 403);
  assert.deepEqual(sql(`SELECT status FROM tasks WHERE task_id IN ('${inSession}', '${alone}')`), ['failed', 'failed']);
  // an editor share may retry it
  const editor = makeUser('analyst');
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: editor.email, role: 'editor' }, token: owner.token })).status, 200);
  assert.equal((await retry(inSession, editor.token)).status, 200);
  // an admin may retry the one without a session
  assert.equal((await retry(alone, ADMIN_TOKEN)).status, 200);
  assert.equal((await api('POST', '/api/v1/tasks/not-a-uuid/retry', { token: owner.token })).status, 404);
});
