// task-policy.test.mjs: what is kept of a task that ended, by its type's policy (issue 11; docs/tasks.md,
// "Record policies"), with the real spooler: remove_on removes the record in the transaction that ends
// the task (also a queued one cancelled through the API); tracked = no keeps no record however the task
// ends, though it ran; keep_until holds a group's records until its follow-up completes, which removes
// them and its own record; the retention sweep (`bin/stint-spooler --sweep-once`, and the daemon's
// periodic one) removes exactly the records older than their type's retention_days. Each removal is
// audited (task.remove, with its reason) and announced (task_updated with "removed": true).
//
// The types are the test_* blocks of conf/tasks.conf, all run by tests/spool-task.sh. The test stack
// runs no spooler (tests/run.sh: STINT_SPOOLER=off): this file starts its own (lib.mjs, startSpooler)
// with the stack's settings (PREFIX/stint.env), claiming only the test_* types.
//
// Run against a stack: bin/stint test task-policy
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  PREFIX, REPO, api, killRun, killSpoolers, makeUser, spoolerEnv, sql, startSpooler, stopSpooler, subscribe, until,
} from './lib.mjs';

const TAG = `policy${randomBytes(4).toString('hex')}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-policy-'));
const TYPES = 'test_removed,test_untracked,test_scenario,test_save_scenario';
const SETTINGS = { STINT_SPOOL_TYPES: TYPES, STINT_SPOOL_LEASE_S: '3', STINT_SPOOL_HEARTBEAT_S: '1', STINT_SPOOL_GRACE_S: '2',
  STINT_SPOOL_KILL_GRACE_S: '1' };

/** Starts a spooler of the test_* types with a short lease; its log DIR/name.log. */
const runSpooler = (name, settings = {}) => startSpooler(path.join(DIR, `${name}.log`), { ...SETTINGS, ...settings });

const owner = makeUser('coach');

async function ownSession() {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session` }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function create(type, params, { sessionId, group } = {}) {
  const json = { task_type: type, params: { tag: TAG, ...params } };
  if (sessionId) json.session_id = sessionId;
  if (group) json.group_key = group;
  const r = await api('POST', '/api/v1/tasks', { json, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.task_id;
}

const row = (id, cols) => sql(`SELECT ${cols} FROM tasks WHERE task_id = '${id}'`)[0];
const gone = (id) => sql(`SELECT count(*) FROM tasks WHERE task_id = '${id}'`)[0] === '0';
const finished = (id) => ['completed', 'failed', 'cancelled'].includes(row(id, 'status'));
/** The task's audit rows: action, and for task.remove its reason (and follow_up when there is one). */
const audit = (id) => sql(`SELECT action || coalesce(' ' || (detail->>'reason'), '') || coalesce(' ' || (detail->>'follow_up'), '')
  FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`);
const answers404 = async (id) => (await api('GET', `/api/v1/tasks/${id}`, { token: owner.token })).status === 404;

after(() => {
  killSpoolers();
  killRun(path.join(DIR, 'reaped'));  // the sleeping grandchild of the run whose spooler died
  sql(`DELETE FROM tasks WHERE params->>'tag' = '${TAG}'`);
  rmSync(DIR, { recursive: true, force: true });
});

test('remove_on: a queued task cancelled through the API is removed at once, audited and announced', async () => {
  // no spooler runs yet: the task stays queued until the cancel
  const sid = await ownSession();
  const sub = await subscribe(sid, { token: owner.token });
  const id = await create('test_removed', { mode: 'ok' }, { sessionId: sid });
  const x = await api('DELETE', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.body.status, 'cancelled');
  assert.equal(x.body.removed, true);
  assert.ok(gone(id));
  assert.ok(await answers404(id));
  assert.deepEqual(audit(id), ['task.create', 'task.cancel', 'task.remove remove_on']);
  await sub.waitFor(2);
  sub.close();
  const seen = sub.messages.filter((m) => m.event === 'task_updated' && m.data.data.task_id === id)
    .map((m) => [m.data.data.status, m.data.data.removed ?? false]);
  assert.deepEqual(seen, [['queued', false], ['cancelled', true]]);
});

test('remove_on: a completed record is removed as it completes; a failed one (not listed) stays', async () => {
  const sid = await ownSession();
  const sub = await subscribe(sid, { token: owner.token });
  const marker = path.join(DIR, 'removed');
  const spooler = runSpooler('a');
  const ok = await create('test_removed', { mode: 'touch', marker }, { sessionId: sid });
  const bad = await create('test_removed', { mode: 'fail' });
  await until('the completed record to go', () => gone(ok));
  assert.equal(readFileSync(marker, 'utf8').trim(), `${ok} 1`, 'it ran');
  assert.ok(await answers404(ok));
  assert.deepEqual(audit(ok), ['task.create', 'task.claim', 'task.complete', 'task.remove remove_on']);
  await sub.waitFor(3);
  sub.close();
  const seen = sub.messages.filter((m) => m.event === 'task_updated' && m.data.data.task_id === ok)
    .map((m) => [m.data.data.status, m.data.data.removed ?? false]);
  assert.deepEqual(seen, [['queued', false], ['running', false], ['completed', true]]);
  await until('the failing task to end', () => finished(bad));
  assert.equal(row(bad, 'status, attempts'), 'failed|1');
  const got = await api('GET', `/api/v1/tasks/${bad}`, { token: owner.token });
  assert.equal(got.status, 200);
  assert.match(got.body.error, /something broke on attempt 1/);
  assert.deepEqual(audit(bad), ['task.create', 'task.claim', 'task.fail']);
  await stopSpooler(spooler);
});

test('tracked = no: the task runs, then no record is kept, whether it completes or fails', async () => {
  const sid = await ownSession();
  const sub = await subscribe(sid, { token: owner.token });
  const marker = path.join(DIR, 'untracked');
  const ok = await create('test_untracked', { mode: 'touch', marker }, { sessionId: sid });
  const bad = await create('test_untracked', { mode: 'fail' });
  // while it waits, the row is the queue: it is there and readable
  const queued = await api('GET', `/api/v1/tasks/${ok}`, { token: owner.token });
  assert.equal(queued.status, 200);
  assert.equal(queued.body.status, 'queued');
  const spooler = runSpooler('b');
  await until('both records to go', () => gone(ok) && gone(bad));
  assert.equal(readFileSync(marker, 'utf8').trim(), `${ok} 1`, 'it ran');
  assert.ok(await answers404(ok));
  assert.ok(await answers404(bad));
  const list = await api('GET', `/api/v1/tasks?type=test_untracked&session=${sid}`, { token: owner.token });
  assert.equal(list.body.total, 0);
  assert.deepEqual(audit(ok), ['task.create', 'task.claim', 'task.complete', 'task.remove untracked']);
  assert.deepEqual(audit(bad), ['task.create', 'task.claim', 'task.fail', 'task.remove untracked']);
  await sub.waitFor(3);
  sub.close();
  const seen = sub.messages.filter((m) => m.event === 'task_updated' && m.data.data.task_id === ok)
    .map((m) => [m.data.data.status, m.data.data.removed ?? false]);
  assert.deepEqual(seen, [['queued', false], ['running', false], ['completed', true]]);
  await stopSpooler(spooler);
});

test('tracked = no: a task whose spooler died is removed as the reaper ends it', async () => {
  const marker = path.join(DIR, 'reaped');
  const first = runSpooler('e');
  const id = await create('test_untracked', { mode: 'sleep', marker });
  await until('the run', () => existsSync(marker));
  process.kill(-first.pid, 'SIGKILL');
  const second = runSpooler('f');
  await until('the reaper to end it (max_attempts 1) and its record to go', () => gone(id));
  assert.deepEqual(audit(id), ['task.create', 'task.claim', 'task.reap', 'task.remove untracked']);
  assert.match(readFileSync(path.join(DIR, 'f.log'), 'utf8'), /ended or re-queued 1 tasks whose lease expired/);
  await stopSpooler(second);
});

test('keep_until: a group\'s records are kept until its follow-up completes, which removes them and itself', async () => {
  const group = `${TAG}-g`;
  const other = `${TAG}-h`;
  const spooler = runSpooler('c');
  const s1 = await create('test_scenario', { mode: 'ok' }, { group });
  const s2 = await create('test_scenario', { mode: 'fail' }, { group });
  const s3 = await create('test_scenario', { mode: 'ok' }, { group: other });
  const loose = await create('test_scenario', { mode: 'ok' });
  await until('the scenarios to end', () => finished(s1) && finished(s2) && finished(s3) && gone(loose));
  // remove_on = completed, failed does not touch a held record (one with a group)...
  assert.equal(row(s1, 'status'), 'completed');
  assert.equal(row(s2, 'status'), 'failed');
  assert.equal(row(s3, 'status'), 'completed');
  // ...but a record without a group is held by nothing
  assert.deepEqual(audit(loose), ['task.create', 'task.claim', 'task.complete', 'task.remove remove_on']);
  // a follow-up that fails releases nothing
  const failedSave = await create('test_save_scenario', { mode: 'fail' }, { group });
  await until('the failing follow-up to end', () => finished(failedSave));
  assert.equal(row(failedSave, 'status'), 'failed');
  assert.ok(!gone(s1) && !gone(s2));
  // the follow-up completes: its group's scenarios and its own record go, in its transaction
  const save = await create('test_save_scenario', { mode: 'ok' }, { group });
  await until('the follow-up to end', () => gone(save));
  for (const id of [s1, s2]) {
    assert.ok(gone(id), `${id} removed`);
    assert.ok(await answers404(id));
    assert.equal(audit(id).at(-1), `task.remove keep_until ${save}`);
  }
  assert.deepEqual(audit(save), ['task.create', 'task.claim', 'task.complete', `task.remove keep_until ${save}`]);
  // one transaction: now() is the transaction's, so the completion's and the removals' audit rows share one time
  assert.deepEqual(sql(`SELECT count(DISTINCT at) FROM audit_log WHERE target_type = 'task' AND action IN ('task.complete',
    'task.remove') AND target_id IN ('${save}', '${s1}', '${s2}') AND (action = 'task.remove' OR target_id = '${save}')`), ['1']);
  // another group's record and the failed follow-up stay
  assert.equal(row(s3, 'status'), 'completed');
  assert.equal(row(failedSave, 'status'), 'failed');
  await stopSpooler(spooler);
});

/** Inserts a finished record of type, finished `age` ago (a PostgreSQL interval), with group (or none). */
function aged(type, age, { group = null, status = 'completed' } = {}) {
  const finishedAt = age === null ? 'NULL' : `now() - interval '${age}'`;
  const st = age === null ? 'queued' : status;
  return sql(`INSERT INTO tasks (task_type, group_key, params, status, user_id, created_at, finished_at)
    VALUES ('${type}', ${group === null ? 'NULL' : `'${group}'`}, '{"tag": "${TAG}"}', '${st}',
    (SELECT id FROM users WHERE email = '${owner.email}'), now() - interval '40 days', ${finishedAt}) RETURNING task_id`)[0];
}

function sweepOnce() {
  return execFileSync(path.join(REPO, 'bin/stint-spooler'), ['--var-dir', PREFIX, '--sweep-once'],
    { env: spoolerEnv(SETTINGS), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

test('the retention sweep removes exactly the records older than their type\'s retention_days, each audited', () => {
  const expired = {
    spool2d: aged('spool_test', '2 days'),                         // retention 1 day
    save4d: aged('test_save_scenario', '4 days', { status: 'failed' }), // 3 days
    sync15d: aged('recorder_sync', '15 days', { status: 'cancelled' }), // 14 days
    looseScenario2d: aged('test_scenario', '2 days'),              // held only with a group
    report8d: aged('process_report', '8 days'),                    // 7 days
  };
  const kept = {
    spool12h: aged('spool_test', '12 hours'),
    save2d: aged('test_save_scenario', '2 days'),
    sync10d: aged('recorder_sync', '10 days'),
    heldScenario30d: aged('test_scenario', '30 days', { group: `${TAG}-held` }), // kept until its follow-up
    queued: aged('spool_test', null),                                // not finished
    undeclared: aged('not_declared', '100 days'),                   // no policy this spooler knows
  };
  assert.equal(sweepOnce(), `removed ${Object.keys(expired).length} finished records`);
  for (const [name, id] of Object.entries(expired)) {
    assert.ok(gone(id), `${name} removed`);
    assert.deepEqual(audit(id), ['task.remove retention'], name);
  }
  for (const [name, id] of Object.entries(kept)) {
    assert.ok(!gone(id), `${name} kept`);
    assert.deepEqual(audit(id), [], name);
  }
  assert.equal(sweepOnce(), 'removed 0 finished records');
});

test('the spooler sweeps by itself every spool_sweep_s', async () => {
  const spooler = runSpooler('d', { STINT_SPOOL_SWEEP_S: '1' });
  await until('the spooler to start', () => existsSync(path.join(DIR, 'd.log'))
    && readFileSync(path.join(DIR, 'd.log'), 'utf8').includes('sweeping every 1 s'));
  const old = aged('spool_test', '3 days');
  const young = aged('spool_test', '1 hour');
  await until('the old record to be swept', () => gone(old), 10000);
  assert.deepEqual(audit(old), ['task.remove retention']);
  assert.ok(!gone(young));
  await stopSpooler(spooler);
});
