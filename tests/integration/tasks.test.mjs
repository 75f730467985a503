// tasks.test.mjs: the task queue's API (issue 11, step 1; docs/tasks.md): a task is queued, read,
// listed, cancelled and removed; concurrent requests for the same task get one task (the unique
// index decides); nobody else sees, lists or cancels a task; the session's live channel hears
// task_updated; a spooler listening on "tasks" is woken by a new task.
//
// Run against a stack: bin/stint test tasks
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import { PREFIX, REPO, api, makeUser, sleep, stint, subscribe } from './lib.mjs';

const TAG = `tasks${randomBytes(4).toString('hex')}`;

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

const owner = makeUser('coach');
const other = makeUser('coach');

async function ownSession(user = owner) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session` }, token: user.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

const create = (json, user = owner) => api('POST', '/api/v1/tasks', { json, token: user.token });

test('a task is queued, read, listed, cancelled, then its record removed; each change audited', async () => {
  const sid = await ownSession();
  const c = await create({ task_type: 'noop', session_id: sid, group_key: `${TAG} life`, params: { clip_id: 7 } });
  assert.equal(c.status, 201, c.text);
  const id = c.body.task_id;
  assert.equal(c.headers.get('location'), `/api/v1/tasks/${id}`);
  assert.deepEqual([c.body.session_id, c.body.task_type, c.body.status, c.body.params, c.body.max_attempts, c.body.dedupe_key],
    [sid, 'noop', 'queued', { clip_id: 7 }, 1, '']);
  assert.ok(!('lease_token' in c.body), 'the lease stays the spooler\'s');

  const g = await api('GET', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.equal(g.status, 200);
  assert.deepEqual(g.body, c.body);

  const l = await api('GET', `/api/v1/tasks?session=${sid}`, { token: owner.token });
  assert.equal(l.status, 200);
  assert.deepEqual([l.body.total, l.body.items.map((t) => t.task_id)], [1, [id]]);

  const x = await api('DELETE', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.body.status, 'cancelled');
  assert.deepEqual(sql(`SELECT status FROM tasks WHERE task_id = '${id}'`), ['cancelled']);

  const rm = await api('DELETE', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.equal(rm.status, 204);
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE task_id = '${id}'`), ['0']);
  assert.equal((await api('GET', `/api/v1/tasks/${id}`, { token: owner.token })).status, 404);
  assert.equal((await api('DELETE', `/api/v1/tasks/${id}`, { token: owner.token })).status, 404);

  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`),
    ['task.create', 'task.cancel', 'task.remove']);
});

test('a running task asked to cancel stays running with cancel_requested_at, for its spooler to stop', async () => {
  const sid = await ownSession();
  const c = await create({ task_type: 'noop', session_id: sid });
  assert.equal(c.status, 201);
  const id = c.body.task_id;
  sql(`UPDATE tasks SET status = 'running', lease_token = nextval('task_lease_tokens'),
    lease_expires_at = now() + interval '1 hour', started_at = now() WHERE task_id = '${id}'`);
  const x = await api('DELETE', `/api/v1/tasks/${id}`, { token: owner.token });
  assert.equal(x.status, 202, x.text);
  assert.equal(x.body.status, 'running');
  assert.ok(x.body.cancel_requested_at);
  assert.deepEqual(sql(`SELECT status, cancel_requested_at IS NOT NULL FROM tasks WHERE task_id = '${id}'`), ['running|t']);
  // while it runs, asking for the same task answers it
  const again = await create({ task_type: 'noop', session_id: sid });
  assert.deepEqual([again.status, again.body.task_id], [200, id]);
});

test('10 concurrent requests for the same task of a session give one task: one 201, nine 200', async () => {
  const sid = await ownSession();
  const answers = await Promise.all(Array.from({ length: 10 },
    () => create({ task_type: 'process_report', session_id: sid })));
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 201], answers.map((a) => a.text).join('\n'));
  const ids = new Set(answers.map((a) => a.body.task_id));
  assert.equal(ids.size, 1);
  assert.deepEqual(sql(`SELECT task_id FROM tasks WHERE session_id = '${sid}'`), [...ids]);
  // another dedupe_key is another task; so is one after the first has finished
  const other = await create({ task_type: 'process_report', session_id: sid, dedupe_key: 'b' });
  assert.equal(other.status, 201);
  sql(`UPDATE tasks SET status = 'completed', finished_at = now() WHERE task_id = '${[...ids][0]}'`);
  const next = await create({ task_type: 'process_report', session_id: sid });
  assert.equal(next.status, 201);
  assert.notEqual(next.body.task_id, [...ids][0]);
});

test('another user cannot see, cancel or list a task, with or without a session', async () => {
  const sid = await ownSession();
  const group = `${TAG} private`;
  const inSession = await create({ task_type: 'noop', session_id: sid, group_key: group });
  const alone = await create({ task_type: 'noop', group_key: group });
  assert.deepEqual([inSession.status, alone.status], [201, 201]);
  for (const t of [inSession.body, alone.body]) {
    for (const [method, url] of [['GET', `/api/v1/tasks/${t.task_id}`], ['DELETE', `/api/v1/tasks/${t.task_id}`]]) {
      const r = await api(method, url, { token: other.token });
      assert.equal(r.status, 404, `${method} ${url} as another user: ${r.text}`);
      assert.equal(r.body.error.code, 'not_found');
    }
  }
  for (const q of [`group=${encodeURIComponent(group)}`, `session=${sid}`, 'type=noop', 'limit=1000']) {
    const r = await api('GET', `/api/v1/tasks?${q}`, { token: other.token });
    assert.equal(r.status, 200);
    assert.ok(!r.body.items.some((t) => t.group_key === group), `?${q} shows nothing of the other user's`);
  }
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE group_key = '${group}' AND status = 'queued'`), ['2'],
    'nothing was cancelled');
  // a task of a session the other user may not see cannot be made for it either
  const refused = await create({ task_type: 'noop', session_id: sid }, other);
  assert.equal(refused.status, 422);
  assert.deepEqual(Object.keys(refused.body.error.fields), ['session_id']);
  // once the session is shared as viewer, its tasks are seen but not cancelled
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: other.email, role: 'viewer' }, token: owner.token });
  assert.equal(share.status, 200);
  assert.equal((await api('GET', `/api/v1/tasks/${inSession.body.task_id}`, { token: other.token })).status, 200);
  assert.equal((await api('DELETE', `/api/v1/tasks/${inSession.body.task_id}`, { token: other.token })).status, 403);
  assert.equal((await api('GET', `/api/v1/tasks/${alone.body.task_id}`, { token: other.token })).status, 404);
  // an admin sees both
  const all = await api('GET', `/api/v1/tasks?group=${encodeURIComponent(group)}`);
  assert.deepEqual(all.body.items.map((t) => t.task_id).sort(), [inSession.body.task_id, alone.body.task_id].sort());
});

test("a group's listing answers every task of the group the caller may see, and nothing of other users'", async () => {
  const group = `${TAG} job`;
  const [s1, s2] = [await ownSession(), await ownSession()];
  const mine = [];
  for (const json of [{ session_id: s1 }, { session_id: s2 }, {}, { dedupe_key: 'x' }, {}]) {
    const r = await create({ task_type: 'noop', group_key: group, ...json });
    assert.equal(r.status, 201, r.text);
    mine.push(r.body.task_id);
  }
  const theirs = await create({ task_type: 'noop', group_key: group }, other);
  assert.equal(theirs.status, 201);
  assert.equal((await create({ task_type: 'noop', group_key: `${group} 2` })).status, 201);

  const r = await api('GET', `/api/v1/tasks?group=${encodeURIComponent(group)}`, { token: owner.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 5);
  assert.deepEqual(r.body.items.map((t) => t.task_id).sort(), [...mine].sort());
  const page = await api('GET', `/api/v1/tasks?group=${encodeURIComponent(group)}&limit=2&offset=4`, { token: owner.token });
  assert.deepEqual([page.body.total, page.body.items.length, page.body.limit, page.body.offset], [5, 1, 2, 4]);
  const t = await api('GET', `/api/v1/tasks?group=${encodeURIComponent(group)}`, { token: other.token });
  assert.deepEqual(t.body.items.map((x) => x.task_id), [theirs.body.task_id]);
});

test('an SSE subscriber of the session receives task_updated on create and on cancel', async () => {
  const sid = await ownSession();
  const sub = await subscribe(sid, { token: owner.token });
  assert.equal(sub.status, 200);
  const c = await create({ task_type: 'noop', session_id: sid });
  assert.equal(c.status, 201);
  const x = await api('DELETE', `/api/v1/tasks/${c.body.task_id}`, { token: owner.token });
  assert.equal(x.status, 200);
  const got = await sub.waitFor(2);
  sub.close();
  assert.deepEqual(got.map((m) => [m.event, m.data.type, m.data.data.task_id, m.data.data.status]),
    [['task_updated', 'task_updated', c.body.task_id, 'queued'], ['task_updated', 'task_updated', c.body.task_id, 'cancelled']]);
  assert.deepEqual(got[1].data.data, x.body);
  const timeline = await api('GET', `/api/v1/sessions/${sid}/timeline`, { token: owner.token });
  assert.deepEqual(timeline.body.messages.map((m) => m.type), ['task_updated', 'task_updated']);
});

test('a spooler listening on "tasks" is woken by a new task, with its id', async () => {
  const psql = spawn(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  psql.stdout.on('data', (d) => { out += d; });
  psql.stderr.on('data', (d) => { out += d; });
  psql.stdin.write('LISTEN tasks;\nSELECT pg_sleep(2);\n');
  await sleep(700);
  const c = await create({ task_type: 'noop' });
  assert.equal(c.status, 201);
  psql.stdin.end('SELECT 1;\n');
  await new Promise((done) => psql.on('close', done));
  assert.match(out, new RegExp(`notification "tasks" with payload "${c.body.task_id}"`), out);
});

test('unknown types, bad fields and oversized params are refused with the field named', async () => {
  const cases = [
    [{ task_type: 'mine_bitcoin' }, ['task_type']],
    [{}, ['task_type']],
    [{ task_type: 'noop', session_id: 'x', group_key: '', priority: -1, params: [1] }, ['group_key', 'params', 'priority', 'session_id']],
    [{ task_type: 'noop', status: 'completed' }, ['status']],
    [{ task_type: 'noop', params: { blob: 'x'.repeat(70 * 1024) } }, ['params']],
    [{ task_type: 'noop', session_id: randomUUID() }, ['session_id']],
  ];
  const mine = `SELECT count(*) FROM tasks t JOIN users u ON u.id = t.user_id WHERE u.email = '${owner.email}'`;
  const before = sql(mine);
  for (const [json, fields] of cases) {
    const r = await create(json);
    assert.equal(r.status, 422, JSON.stringify(json));
    assert.deepEqual(Object.keys(r.body.error.fields).sort(), fields, JSON.stringify(json));
  }
  assert.deepEqual(sql(mine), before, 'no refused request made a task');
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE task_type = 'mine_bitcoin'`), ['0']);
});

test('a read-scope token reads tasks but cannot make or cancel one', async () => {
  const read = stint('token', 'create', '--user', owner.email, '--scope', 'read', '--name', `${TAG} read`).trim();
  const c = await create({ task_type: 'noop' });
  assert.equal((await api('GET', `/api/v1/tasks/${c.body.task_id}`, { token: read })).status, 200);
  assert.equal((await api('POST', '/api/v1/tasks', { json: { task_type: 'noop' }, token: read })).status, 403);
  assert.equal((await api('DELETE', `/api/v1/tasks/${c.body.task_id}`, { token: read })).status, 403);
  assert.deepEqual(sql(`SELECT status FROM tasks WHERE task_id = '${c.body.task_id}'`), ['queued']);
});

test("a session's report: process queues one process_report task, status follows it", async () => {
  const sid = await ownSession();
  // refused with what the session lacks, then queued once it has a participant with a device file
  let r = await api('POST', `/api/v1/sessions/${sid}/process`, { token: owner.token });
  assert.deepEqual([r.status, Object.keys(r.body.error.fields)], [422, ['participants']]);
  sql(`INSERT INTO participants (session_id, player, device_id, window_from, window_to)
    VALUES ('${sid}', 'P', 'gps1', '2026-01-10T11:00:00Z', '2026-01-10T12:00:00Z')`);
  r = await api('POST', `/api/v1/sessions/${sid}/process`, { token: owner.token });
  assert.deepEqual([r.status, Object.keys(r.body.error.fields)], [422, ['device_files']]);
  sql(`INSERT INTO device_files (session_id, device_id, path, format, size_bytes)
    VALUES ('${sid}', 'gps1', 'uploads/raw/${sid}/gps1.gpx', 'gpx', 1)`);
  sql(`INSERT INTO participants (session_id, player, device_id, window_from, window_to)
    VALUES ('${sid}', 'Q', 'gps2', '2026-01-10T11:00:00Z', NULL)`);
  sql(`UPDATE sessions SET ends_at = '2026-01-10T10:00:00Z', starts_at = '2026-01-10T09:00:00Z' WHERE id = '${sid}'`);
  r = await api('POST', `/api/v1/sessions/${sid}/process`, { token: owner.token });
  assert.deepEqual([r.status, Object.keys(r.body.error.fields)], [422, ['window']], r.text);
  sql(`UPDATE sessions SET ends_at = NULL WHERE id = '${sid}'`);
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE session_id = '${sid}'`), ['0']);
  const before = await api('GET', `/api/v1/sessions/${sid}/status`, { token: owner.token });
  assert.deepEqual([before.status, before.body.processing_status, before.body.task], [200, 'pending', null]);
  const sub = await subscribe(sid, { token: owner.token });
  const answers = await Promise.all(Array.from({ length: 5 },
    () => api('POST', `/api/v1/sessions/${sid}/process`, { token: owner.token })));
  assert.deepEqual(answers.map((a) => a.status), [202, 202, 202, 202, 202], answers.map((a) => a.text).join('\n'));
  assert.equal(new Set(answers.map((a) => a.body.task_id)).size, 1);
  assert.equal(answers.filter((a) => a.headers.get('location')).length, 1, 'one new task, with its Location');
  const task = answers[0].body;
  assert.deepEqual([task.task_type, task.status, task.max_attempts], ['process_report', 'queued', 3]);
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE session_id = '${sid}'`), ['1']);
  const got = await sub.waitFor(2);
  sub.close();
  assert.deepEqual(got.map((m) => m.event).sort(), ['session_updated', 'task_updated']);
  assert.equal(got.find((m) => m.event === 'session_updated').data.data.processing_status, 'queued');

  sql(`UPDATE tasks SET status = 'running', lease_token = nextval('task_lease_tokens'), lease_expires_at = now() + interval '1 hour',
    progress = 40, progress_message = 'Parsing device 3 of 22' WHERE task_id = '${task.task_id}'`);
  const s = await api('GET', `/api/v1/sessions/${sid}/status`, { token: owner.token });
  assert.deepEqual([s.body.processing_status, s.body.progress, s.body.progress_message, s.body.task.task_id],
    ['queued', 40, 'Parsing device 3 of 22', task.task_id]);
  // a user the session is not shared with learns nothing
  assert.equal((await api('GET', `/api/v1/sessions/${sid}/status`, { token: other.token })).status, 403);
  assert.equal((await api('POST', `/api/v1/sessions/${sid}/process`, { token: other.token })).status, 403);
});
