// seeds/002.test.mjs: seed 002 (the e-shop's task sessions, ../shared/seeds/002_*.txt) as its own
// client would use Stint, its base URL http://HOST/eshop (docs/compat.md). The seed's documented
// calls, in its order, with its payloads:
//   0. "Session Lifecycle", with a spooler running the seed's types (conf/tasks.conf): a normal
//      task's session goes when it completes; a scraping task never has one; a scenario-generation
//      session stays completed until a save_scenario task of its short id completes
//   1. create_task(IMAGE_ANALYSIS, user_id="user123", short_id="short_456", product_id="product_123",
//      priority=NORMAL): a session is created       -> POST /eshop/api/v1/sessions
//   2. create_task(SCRAPING, url=..., user_id, short_id): NO session is created
//   3. session_service.get_session(task_id)          -> GET /eshop/api/v1/sessions/task/<task_id>
//   4. session_service.get_sessions_by_short_id("short_456") -> GET /eshop/api/v1/sessions/short_456
//   5. session_service.remove_session(task_id)       -> DELETE /eshop/api/v1/sessions/task/<task_id>
//   6. GET /api/v1/sessions/short_456: {short_id, sessions: [...], total_sessions: 1, timestamp}
//   7. GET /api/v1/sessions/task/task_789: the session object
//   8. DELETE /api/v1/sessions/task/task_789: the session is removed
// (cleanup_old_sessions(7) is the retention sweep of the seed's types, retention_days 7: not a call.)
// The task ids are Stint's (UUIDs), not the seed's example "task_789".
//
// Run against a stack: bin/stint test seeds/002
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PREFIX, REPO, api, makeUser, sleep } from '../integration/lib.mjs';

const E = '/eshop/api/v1/sessions';
const SHORT = 'short_456';
const FIELDS = ['created_at', 'short_id', 'status', 'task_id', 'task_type', 'updated_at', 'user_id'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const shop = makeUser('coach');   // the e-shop's service account
const other = makeUser('coach');  // someone else: sees none of its sessions
const fx = {};

/* The seed's session object, as "Session Response Structure" lists it. */
function assertSession(s, { taskType, taskId, status = 'active' }) {
  assert.deepEqual(Object.keys(s).sort(), FIELDS);
  assert.equal(s.short_id, SHORT);
  assert.equal(s.task_type, taskType);
  if (taskId) assert.equal(s.task_id, taskId);
  assert.equal(s.user_id, 'user123');
  assert.equal(s.status, status);
  assert.match(s.created_at, ISO);
  assert.match(s.updated_at, ISO);
}

// --- 0. the lifecycle, run by a spooler of the stack (the test stack runs none of its own) ---

const LIFE = 'short_lifecycle';
let spooler = null;

/* A spooler with the stack's settings (PREFIX/stint.env), claiming only the seed's types. */
function startSpooler() {
  const env = { PATH: process.env.PATH, STINT_SPOOL_POLL_S: '1', STINT_SPOOL_BACKOFF_S: '0',
    STINT_SPOOL_TYPES: 'image_analysis,scenario_generation,save_scenario,scraping' };
  for (const line of readFileSync(path.join(PREFIX, 'stint.env'), 'utf8').split('\n')) {
    const m = /^(STINT_[A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m && !(m[1] in env)) env[m[1]] = m[2].replaceAll("'\\''", "'");
  }
  spooler = spawn(path.join(REPO, 'bin/stint-spooler'), ['--var-dir', PREFIX], { env, stdio: 'ignore', detached: true });
}

after(() => {
  if (spooler && spooler.exitCode === null) process.kill(-spooler.pid, 'SIGKILL');
});

/* The status of task id's session (404: none), once check(status) holds; within 15 s. */
async function sessionUntil(id, check) {
  for (const deadline = Date.now() + 15000; ; await sleep(100)) {
    const r = await api('GET', `${E}/task/${id}`, { token: shop.token });
    const got = r.status === 200 ? r.body.status : r.status;
    if (check(got)) return got;
    if (Date.now() > deadline) throw new Error(`task ${id}: still ${got}`);
  }
}

const register = (taskType) => api('POST', E, { token: shop.token,
  json: { task_type: taskType, user_id: 'user123', short_id: LIFE } });

test('0. lifecycle: a normal task\'s session is active while it runs and removed when it completes', async () => {
  const r = await register('image_analysis');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'active');
  startSpooler();
  assert.equal(await sessionUntil(r.body.task_id, (s) => s === 404), 404);
});

test('0. lifecycle: a scraping task runs and never has a session', async () => {
  const r = await register('scraping');
  assert.equal(r.status, 202, r.text);
  const t = r.body.task_id;
  for (const deadline = Date.now() + 15000; (await api('GET', `/api/v1/tasks/${t}`, { token: shop.token })).status !== 404;) {
    assert.equal((await api('GET', `${E}/task/${t}`, { token: shop.token })).status, 404);
    assert.ok(Date.now() < deadline, 'the scraping task ran');
    await sleep(100);
  }
  assert.equal((await api('GET', `${E}/${LIFE}`, { token: shop.token })).body.total_sessions, 0);
});

test('0. lifecycle: a scenario-generation session stays completed until save_scenario completes', async () => {
  const scenario = await register('scenario_generation');
  assert.equal(scenario.status, 201, scenario.text);
  assert.equal(await sessionUntil(scenario.body.task_id, (s) => s === 'completed'), 'completed');
  await sleep(1500);  // and it stays
  const kept = await api('GET', `${E}/${LIFE}`, { token: shop.token });
  assert.deepEqual(kept.body.sessions.map((s) => [s.task_id, s.task_type, s.status]),
    [[scenario.body.task_id, 'scenario_generation', 'completed']]);
  const save = await register('save_scenario');
  assert.equal(save.status, 201, save.text);
  assert.equal(await sessionUntil(scenario.body.task_id, (s) => s === 404), 404);
  assert.equal(await sessionUntil(save.body.task_id, (s) => s === 404), 404);
  assert.equal((await api('GET', `${E}/${LIFE}`, { token: shop.token })).body.total_sessions, 0);
  // the calls below find their tasks as they were registered: no spooler runs them
  const exited = new Promise((done) => spooler.once('exit', done));
  spooler.kill('SIGTERM');
  await exited;
});

test('1. create_task(IMAGE_ANALYSIS, short_id="short_456", ...) creates a session', async () => {
  const r = await api('POST', E, { token: shop.token, json: {
    task_type: 'image_analysis', user_id: 'user123', short_id: SHORT, product_id: 'product_123', priority: 'normal',
  } });
  assert.equal(r.status, 201, r.text);
  assertSession(r.body, { taskType: 'image_analysis' });
  fx.task = r.body.task_id;
  // the keyword arguments are the task's input
  const t = await api('GET', `/api/v1/tasks/${fx.task}`, { token: shop.token });
  assert.equal(t.body.group_key, SHORT);
  assert.deepEqual(t.body.params, { user_id: 'user123', product_id: 'product_123', priority: 'normal' });
});

test('2. create_task(SCRAPING, ...) creates no session', async () => {
  const r = await api('POST', E, { token: shop.token, json: {
    task_type: 'scraping', url: 'https://example.com', user_id: 'user123', short_id: SHORT, priority: 'normal',
  } });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.session, null);
  fx.scraping = r.body.task_id;
  assert.equal((await api('GET', `${E}/task/${fx.scraping}`, { token: shop.token })).status, 404);
});

test('3. get_session(task_id): the session of a task', async () => {
  const r = await api('GET', `${E}/task/${fx.task}`, { token: shop.token });
  assert.equal(r.status, 200, r.text);
  assertSession(r.body, { taskType: 'image_analysis', taskId: fx.task });
});

test('4. get_sessions_by_short_id("short_456"): all sessions of the short id, scraping left out', async () => {
  const r = await api('GET', `${E}/${SHORT}`, { token: shop.token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.sessions.map((s) => s.task_id), [fx.task]);
});

test('5. remove_session(task_id) removes it', async () => {
  const extra = await api('POST', E, { token: shop.token,
    json: { task_type: 'content_analysis', user_id: 'user123', short_id: SHORT } });
  assert.equal(extra.status, 201, extra.text);
  const r = await api('DELETE', `${E}/task/${extra.body.task_id}`, { token: shop.token });
  assert.equal(r.status, 204, r.text);
  assert.equal((await api('GET', `${E}/task/${extra.body.task_id}`, { token: shop.token })).status, 404);
});

test('6. GET /api/v1/sessions/short_456: the documented response', async () => {
  const r = await api('GET', `${E}/${SHORT}`, { token: shop.token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.body).sort(), ['sessions', 'short_id', 'timestamp', 'total_sessions']);
  assert.equal(r.body.short_id, SHORT);
  assert.equal(r.body.total_sessions, 1);
  assert.equal(r.body.sessions.length, 1);
  assertSession(r.body.sessions[0], { taskType: 'image_analysis', taskId: fx.task });
  assert.match(r.body.timestamp, ISO);
  assert.ok(Math.abs(Date.parse(r.body.timestamp) - Date.now()) < 60000, r.body.timestamp);
  // someone else's client sees none of them
  const o = await api('GET', `${E}/${SHORT}`, { token: other.token });
  assert.equal(o.status, 200, o.text);
  assert.equal(o.body.total_sessions, 0);
});

test('7. GET /api/v1/sessions/task/task_789: the documented response', async () => {
  const r = await api('GET', `${E}/task/${fx.task}`, { token: shop.token });
  assert.equal(r.status, 200, r.text);
  assertSession(r.body, { taskType: 'image_analysis', taskId: fx.task });
  assert.equal((await api('GET', `${E}/task/${fx.task}`, { token: other.token })).status, 404);
  assert.equal((await api('GET', `${E}/task/task_789`, { token: shop.token })).status, 404);
});

test('8. DELETE /api/v1/sessions/task/task_789 removes the session', async () => {
  assert.equal((await api('DELETE', `${E}/task/${fx.task}`, { token: other.token })).status, 404);
  const r = await api('DELETE', `${E}/task/${fx.task}`, { token: shop.token });
  assert.equal(r.status, 204, r.text);
  const after = await api('GET', `${E}/${SHORT}`, { token: shop.token });
  assert.equal(after.body.total_sessions, 0);
  assert.deepEqual(after.body.sessions, []);
});

test('a registration names its bad fields; a short id is one path segment of at most 64 bytes', async () => {
  const r = await api('POST', E, { token: shop.token, json: { task_type: 'teleport', short_id: '' } });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['short_id']);
  for (const short of ['a/b', '..', 'x'.repeat(65)]) {
    const bad = await api('POST', E, { token: shop.token, json: { task_type: 'image_analysis', short_id: short } });
    assert.equal(bad.status, 422, bad.text);
    assert.deepEqual(Object.keys(bad.body.error.fields), ['short_id']);
  }
  const long = await api('POST', E, { token: shop.token, json: { task_type: 'image_analysis', short_id: 'x'.repeat(64) } });
  assert.equal(long.status, 201, long.text);
  assert.equal((await api('GET', `${E}/${'x'.repeat(64)}`, { token: shop.token })).body.total_sessions, 1);
  const t = await api('POST', E, { token: shop.token, json: { task_type: 'teleport', short_id: SHORT } });
  assert.equal(t.status, 422, t.text);
  assert.deepEqual(Object.keys(t.body.error.fields), ['task_type']);
});
