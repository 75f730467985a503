// spooler.test.mjs: bin/stint-spooler (issue 11, step 2; docs/tasks.md): a queued task runs and
// completes with its progress and result; a failing program is retried up to max_attempts, then
// failed with its stderr's tail; a completion under a lease that is no longer the spooler's is
// refused; a spooler killed with -9 has its task re-run by another once the lease expires, with
// exactly one result; a cancel kills the running task's process group; a run past its type's time
// limit fails naming the limit, its process group gone; the session's SSE subscribers hear
// task_updated for running and completed; `bin/stint spooler` adds a spooler to the running stack,
// which `bin/stint status` lists.
//
// The test stack runs no spooler (tests/run.sh: STINT_SPOOLER=off): this file starts its own
// (lib.mjs, startSpooler), with the stack's settings (PREFIX/stint.env), a short lease, and only the types spool_test
// (tests/spool-task.sh) and noop.
//
// Run against a stack: bin/stint test spooler
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  PREFIX, alive, api, killRun, killSpoolers, makeUser, sleep, sql, startSpooler, stint, stopSpooler,
  subscribe, until,
} from './lib.mjs';

const TAG = `spool${randomBytes(4).toString('hex')}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-spool-'));

/** Starts a spooler of spool_test and noop with a short lease; its log DIR/name.log. */
const runSpooler = (name, settings = {}) => startSpooler(path.join(DIR, `${name}.log`), {
  STINT_SPOOL_TYPES: 'spool_test,noop', STINT_SPOOL_LEASE_S: '3', STINT_SPOOL_HEARTBEAT_S: '1', STINT_SPOOL_GRACE_S: '2',
  STINT_SPOOL_KILL_GRACE_S: '1', ...settings,
});

const owner = makeUser('coach');

async function ownSession() {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session` }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function create(params, sessionId, type = 'spool_test') {
  const json = { task_type: type, group_key: TAG, params };
  if (sessionId) json.session_id = sessionId;
  const r = await api('POST', '/api/v1/tasks', { json, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.task_id;
}

const row = (id, cols) => sql(`SELECT ${cols} FROM tasks WHERE task_id = '${id}'`)[0];
const finished = (id) => ['completed', 'failed', 'cancelled'].includes(row(id, 'status'));

after(() => {
  killSpoolers();
  for (const f of ['sleep', 'once', 'cancel', 'limit']) killRun(path.join(DIR, f));
  sql(`DELETE FROM tasks WHERE group_key = '${TAG}'`);
  rmSync(DIR, { recursive: true, force: true });
});

test('a queued task runs, reports progress, and completes with its result; SSE hears running and completed', async () => {
  const sid = await ownSession();
  const sub = await subscribe(sid, { token: owner.token });
  assert.equal(sub.status, 200);
  const spooler = runSpooler('a');
  const id = await create({ mode: 'ok' }, sid);
  await until('the task to finish', () => finished(id));
  assert.deepEqual(row(id, "status, attempts, progress, progress_message, result->>'answer', result->>'task', error IS NULL," +
    ' lease_token IS NULL, started_at IS NOT NULL, finished_at IS NOT NULL'),
  `completed|1|100|Almost there|42|${id}|t|t|t|t`);
  const got = await api('GET', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.deepEqual(got.body.result, { answer: 42, task: id, attempt: 1 });
  await sub.waitFor(5);
  sub.close();
  const seen = sub.messages.filter((m) => m.event === 'task_updated' && m.data.data.task_id === id)
    .map((m) => [m.data.data.status, m.data.data.progress, m.data.data.progress_message]);
  assert.deepEqual(seen, [['queued', 0, ''], ['running', 0, ''], ['running', 30, 'Half way'], ['running', 90, 'Almost there'],
    ['completed', 100, 'Almost there']]);
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`),
    ['task.create', 'task.claim', 'task.complete']);
  await stopSpooler(spooler);
});

test('a failing program is retried up to max_attempts, then failed with the tail of its stderr', async () => {
  const spooler = runSpooler('b');
  const id = await create({ mode: 'fail' });
  await until('the task to fail', () => finished(id));
  assert.deepEqual(row(id, "status, attempts, max_attempts, replace(error, chr(10), ' / '), result IS NULL, lease_token IS NULL"),
    'failed|2|2|some early noise / something broke on attempt 2|t|t');
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`),
    ['task.create', 'task.claim', 'task.retry', 'task.claim', 'task.fail']);
  await stopSpooler(spooler);
});

test('a completion under a lease that is no longer the spooler\'s changes nothing', async () => {
  const spooler = runSpooler('c');
  const marker = path.join(DIR, 'slow');
  const id = await create({ mode: 'slow', marker });
  await until('the task to run', () => row(id, 'progress') === '50');
  // another spooler took the task over (as after a reap and a new claim): a new token
  const [token] = sql(`UPDATE tasks SET lease_token = nextval('task_lease_tokens'), lease_owner = 'elsewhere:1/0',
    lease_expires_at = now() + interval '1 hour' WHERE task_id = '${id}' RETURNING lease_token`);
  await sleep(6000);
  assert.equal(row(id, 'status, lease_token, lease_owner, result IS NULL, progress'), `running|${token}|elsewhere:1/0|t|50`);
  assert.equal(existsSync(`${marker}.runs`), false, 'the child was stopped when its lease was lost');
  assert.match(readFileSync(path.join(DIR, 'c.log'), 'utf8'), new RegExp(`task ${id}: lease lost`));
  // a stale token in the spooler's fenced completion (SPOOL_COMPLETE's WHERE): refused, nothing changes
  const stale = sql(`WITH u AS (UPDATE tasks SET status = 'completed', result = '{"stale": true}', finished_at = now(),
    lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL WHERE task_id = '${id}'
    AND lease_token = ${Number(token) - 1} AND status = 'running' RETURNING task_id) SELECT count(*) FROM u`);
  assert.deepEqual(stale, ['0']);
  assert.equal(row(id, 'status, result IS NULL'), 'running|t');
  sql(`UPDATE tasks SET status = 'failed', lease_token = NULL, lease_expires_at = NULL, lease_owner = NULL WHERE task_id = '${id}'`);
  await stopSpooler(spooler);
});

test('a spooler killed with -9: another re-runs its task once the lease expires, and one result is stored', async () => {
  const marker = path.join(DIR, 'once');
  const first = runSpooler('d1');
  const id = await create({ mode: 'once', marker });
  await until('the first run', () => existsSync(marker));
  const [childPid] = readFileSync(marker, 'utf8').trim().split(' ');
  assert.equal(row(id, 'status, attempts'), 'running|1');
  process.kill(-first.pid, 'SIGKILL');  // the spooler only: its child has a process group of its own
  await until('the spooler to die', () => !alive(first.pid));
  await until('its child to die with it', () => !alive(childPid), 5000).catch((e) => {
    throw new Error(`${e.message}: ${readFileSync(`/proc/${childPid}/status`, 'utf8')} ${readFileSync(path.join(DIR, 'd1.log'), 'utf8')}`);
  });
  const second = runSpooler('d2');
  await until('the task to finish', () => finished(id), 20000);
  assert.equal(row(id, "status, attempts, result->>'attempt', lease_token IS NULL"), 'completed|2|2|t');
  assert.deepEqual(readFileSync(`${marker}.runs`, 'utf8').trim().split('\n'), ['run 2']);
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`),
    ['task.create', 'task.claim', 'task.reap', 'task.claim', 'task.complete']);
  await stopSpooler(second);
});

test('a cancel of a running task kills its process group and marks it cancelled', async () => {
  const sid = await ownSession();
  const spooler = runSpooler('e');
  const marker = path.join(DIR, 'cancel');
  const id = await create({ mode: 'sleep', marker }, sid);
  await until('the run', () => existsSync(marker));
  const [pid, pgid, grandchild] = readFileSync(marker, 'utf8').trim().split(' ');
  assert.equal(pid, pgid, 'the child leads a process group of its own');
  assert.notEqual(pgid, String(spooler.pid));
  assert.ok(alive(grandchild));
  const x = await api('DELETE', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.equal(x.status, 202);
  await until('the task to be cancelled', () => finished(id));
  assert.equal(row(id, 'status, lease_token IS NULL, finished_at IS NOT NULL'), 'cancelled|t|t');
  await until('the group to be gone', () => !alive(pid) && !alive(grandchild), 5000);
  await stopSpooler(spooler);
});

test('SIGTERM: the spooler stops claiming and hands a task still running after the grace period back', async () => {
  const spooler = runSpooler('f');
  const marker = path.join(DIR, 'sleep');
  const id = await create({ mode: 'sleep', marker });
  await until('the run', () => existsSync(marker));
  const [pid] = readFileSync(marker, 'utf8').trim().split(' ');
  assert.deepEqual(await stopSpooler(spooler, 10000), { code: 0, signal: null });
  assert.equal(alive(pid), false);
  assert.equal(row(id, 'status, attempts, lease_token IS NULL'), 'queued|0|t');
  sql(`UPDATE tasks SET status = 'cancelled', finished_at = now() WHERE task_id = '${id}'`);
});

test('a run past its type\'s time limit fails, naming the limit, and its process group is gone', async () => {
  const spooler = runSpooler('g', { STINT_SPOOL_TYPES: 'test_time_limit' });
  const marker = path.join(DIR, 'limit');
  const id = await create({ mode: 'sleep', marker }, undefined, 'test_time_limit');
  await until('the run', () => existsSync(marker));
  const [pid, pgid, grandchild] = readFileSync(marker, 'utf8').trim().split(' ');
  assert.equal(pid, pgid);
  assert.ok(alive(grandchild));
  await until('the task to fail', () => finished(id), 10000);
  const got = await api('GET', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.equal(got.body.status, 'failed');
  assert.equal(got.body.attempts, 1);
  assert.equal(got.body.error, 'time limit of 2 s exceeded');
  const ran = (new Date(got.body.finished_at) - new Date(got.body.started_at)) / 1000;
  assert.ok(ran >= 2 && ran < 5, `stopped ${ran} s after it started`);
  await until('the group to be gone', () => !alive(pid) && !alive(grandchild), 5000);
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`),
    ['task.create', 'task.claim', 'task.fail']);
  await stopSpooler(spooler);
});

test('bin/stint spooler starts one more spooler on the running stack; status lists it; stop ends it', async () => {
  const out = stint('spooler', '--concurrency', '2', '--types', 'noop');
  const m = /^(spooler-\d+): started \(pid (\d+), 2 slots, types noop, log (\S+)\)$/m.exec(out);
  assert.ok(m, out);
  const [, name, pid, log] = m;
  assert.equal(readFileSync(path.join(PREFIX, 'run', `${name}.pid`), 'utf8').trim(), pid);
  assert.equal(log, path.join(PREFIX, 'log', `${name}.log`));
  assert.match(stint('status'), new RegExp(`^${name} +${pid} +running$`, 'm'));
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const r = await api('POST', '/api/v1/tasks', { json: { task_type: 'noop', group_key: TAG }, token: owner.token });
    assert.equal(r.status, 201, r.text);
    ids.push(r.body.task_id);
  }
  await until('its tasks to complete', () => ids.every((id) => row(id, 'status') === 'completed'));
  const text = readFileSync(log, 'utf8');
  assert.match(text, /with 2 slots/);
  for (const id of ids) assert.match(text, new RegExp(`task ${id} \\(noop\\): completed`));
  assert.match(stint('spooler', 'stop', name), new RegExp(`${name}: stopped \\(pid ${pid}\\)`));
  assert.equal(alive(pid), false);
  assert.equal(existsSync(path.join(PREFIX, 'run', `${name}.pid`)), false);
  assert.doesNotMatch(stint('status'), new RegExp(`^${name} `, 'm'));
});
