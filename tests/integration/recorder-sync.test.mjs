// recorder-sync.test.mjs: discovery of the recorder bucket (issue 13; docs/recorder.md) against the
// real S3 test server (tests/s3/server.mjs: s3rver verifying SigV4, with this run's key pair, refusing
// anonymous requests). The test builds session-recorder's layout through S3 PUTs: three recorders,
// one holding over 1,000 objects (so listings are paged), open recordings (chunks/), closed ones,
// malformed metadata.json files and a recording without one. Then, with a spooler of its own running
// only recorder_sync tasks (bin/stint-recorder-sync):
//   - POST /api/v1/recorder/sync discovers everything, GET /api/v1/recorder/sessions lists it;
//   - a second sync of the unchanged bucket makes only list requests (counted in the server's own
//     request log, and in the task's result); --verify reads each metadata.json with If-None-Match
//     and every one answers 304;
//   - a closed, a new, a deleted and a repaired recording are reflected by the next sync;
//   - S3 unreachable, and a wrong secret or access key: the task fails with a message naming the
//     endpoint or the setting, and no row changes;
//   - the secret key appears in no log, task or answer;
//   - the viewer role and anonymous callers cannot list or sync; one sync at a time.
//
// Run against a stack: bin/stint test recorder-sync
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  PREFIX, REPO, api, killSpoolers, makeUser, sleep, sql, stackEnv, startSpooler, stopSpooler,
} from './lib.mjs';
import { S3, recordingMeta, recordingObjects } from '../s3/client.mjs';

const TAG = `rs${randomBytes(3).toString('hex')}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-recsync-'));
const REQUEST_LOG = process.env.STINT_TEST_S3_LOG;

const ENV = stackEnv();
const SECRET = readFileSync(ENV.STINT_S3_SECRET_KEY_FILE, 'utf8').trim();
const s3 = new S3({ endpoint: ENV.STINT_S3_ENDPOINT, bucket: ENV.STINT_S3_BUCKET, accessKey: ENV.STINT_S3_ACCESS_KEY,
  secretKey: SECRET });
const R1 = `${TAG}-court1`;   // 210 closed recordings: 1,051 objects, two listing pages
const R2 = `${TAG}-court2`;   // 2 closed, 3 open
const R3 = `${TAG}-court3`;   // malformed: bad JSON, a bad start_time, no metadata.json

let spooler = null;

/** A spooler running only recorder_sync tasks, with the stack's settings and `settings` over them; its log in DIR. */
const runSpooler = (name, settings = {}) => startSpooler(path.join(DIR, `${name}.log`),
  { STINT_SPOOL_TYPES: 'recorder_sync', STINT_SPOOL_LEASE_S: '10', STINT_SPOOL_HEARTBEAT_S: '2', ...settings });

/** Requests the S3 server has logged so far (one JSON object each). */
function s3Log() {
  return readFileSync(REQUEST_LOG, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const coach = makeUser('coach');
const analyst = makeUser('analyst');
const viewer = makeUser('viewer');

const taskRow = (id) => {
  const [status, error, result] = sql(`SELECT status || '|' || coalesce(error, '') || '|' || coalesce(result::text, '')
    FROM tasks WHERE task_id = '${id}'`)[0].split('|');
  return { status, error, result: result ? JSON.parse(result) : null };
};

/** POST /api/v1/recorder/sync as `token`, then waits for the task to finish: its row. */
async function sync(token = coach.token) {
  const r = await api('POST', '/api/v1/recorder/sync', { token });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.task_type, 'recorder_sync');
  const deadline = Date.now() + 120000;
  for (;;) {
    const row = taskRow(r.body.task_id);
    if (['completed', 'failed', 'cancelled'].includes(row.status)) return { id: r.body.task_id, ...row };
    if (Date.now() > deadline) throw new Error(`the sync ${r.body.task_id} did not finish: ${row.status}`);
    await sleep(200);
  }
}

const list = async (query, token = coach.token) => {
  const r = await api('GET', `/api/v1/recorder/sessions?${query}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body;
};

const mine = () => sql(`SELECT count(*) || '|' || coalesce(max(updated_at)::text, '') || '|' ||
  count(deleted_at) FROM recorder_sessions WHERE recorder_id LIKE '${TAG}-%'`)[0];

const START = new Date(Date.UTC(2026, 10, 20, 9, 0, 0));
const at = (min) => new Date(START.getTime() + min * 60000);

before(async () => {
  const objects = [
    [`${R1}/metadata.json`, JSON.stringify({ id: R1, name: 'Court 1' })],
    [`${R2}/metadata.json`, JSON.stringify({ id: R2, name: 'Court 2' })],
    [`${R3}/metadata.json`, JSON.stringify({ id: R3, name: 'Court 3' })],
  ];
  for (let i = 0; i < 210; i++) objects.push(...recordingObjects(R1, `r${String(i).padStart(4, '0')}`, at(i * 10), 540));
  for (let i = 0; i < 2; i++) objects.push(...recordingObjects(R2, `closed${i}`, at(3000 + i * 60), 1800));
  for (let i = 0; i < 3; i++) objects.push(...recordingObjects(R2, `open${i}`, at(4000 + i * 60), 600, { closed: false }));
  objects.push([`${R3}/sessions/badjson/metadata.json`, '{"id": "badjson", "start_time": '],
    [`${R3}/sessions/badjson/data.ogg`, 'ogg'],
    [`${R3}/sessions/badtime/metadata.json`, JSON.stringify({ id: 'badtime', start_time: 'last Tuesday' })],
    [`${R3}/sessions/nometa/data.ogg`, 'ogg']);
  assert.ok(objects.length > 1000);
  await S3.each(objects, ([k, b]) => s3.put(k, b));
  spooler = runSpooler('main');
});

after(async () => {
  killSpoolers();
  s3.close();
  sql(`DELETE FROM recorders WHERE recorder_id LIKE '${TAG}-%'`);
  rmSync(DIR, { recursive: true, force: true });
});

let first;

test('a sync discovers every recorder and recording, paging through more than 1,000 keys', async () => {
  const before = s3Log().length;
  first = await sync();
  assert.equal(first.status, 'completed', first.error);
  const r = first.result;
  assert.deepEqual([r.recorders, r.recordings, r.created, r.updated, r.deleted, r.malformed, r.open],
    [3, 218, 218, 0, 0, 3, 6]);
  // 1 root listing + 2 pages for court1 (1,051 keys) + 1 each for court2 and court3; 3 recorders'
  // metadata.json + 217 recordings' (nometa has none)
  assert.deepEqual(r.requests, { list: 5, get: 220, not_modified: 0, total: 225 });
  const log = s3Log().slice(before);
  assert.equal(log.length, 225, 'the server saw what the task counted');
  assert.equal(log.filter((l) => l.query['list-type'] === '2').length, 5);
  assert.equal(log.filter((l) => l.query['continuation-token']).length, 1, 'one page followed by its token');
  assert.ok(log.every((l) => l.status === 200), JSON.stringify(log.find((l) => l.status !== 200)));

  const page = await list(`recorder=${R1}&limit=100&offset=200`);
  assert.deepEqual([page.total, page.items.length, page.limit, page.offset], [210, 10, 100, 200]);
  const oldest = page.items.at(-1);
  assert.deepEqual([oldest.recording_id, oldest.name, oldest.recorder_name, oldest.start_time, oldest.duration_s,
    oldest.is_closed, oldest.files, oldest.error, oldest.deleted_at],
  ['r0000', 'Recording r0000', 'Court 1', '2026-11-20T09:00:00+00:00', 540, true,
    ['flac', 'ogg', 'overview', 'waveform'], null, null]);
  assert.equal(oldest.duration_ns, 540e9);
  assert.ok(!JSON.stringify(page).includes('metadata.json'), 'no object keys');

  const open = await list(`recorder=${R2}&closed=false`);
  assert.deepEqual(open.items.map((i) => [i.recording_id, i.files, i.end_time]),
    [['open2', [], null], ['open1', [], null], ['open0', [], null]]);
  const window = await list(`from=${at(3000).toISOString()}&to=${at(3061).toISOString()}`);
  assert.deepEqual(window.items.map((i) => i.recording_id), ['closed1', 'closed0']);

  const bad = await list(`recorder=${R3}`);
  assert.deepEqual(bad.items.map((i) => [i.recording_id, i.error, i.start_time]).sort(), [
    ['badjson', 'metadata.json: not a JSON object', null],
    ['badtime', 'metadata.json: start_time is missing or not an RFC 3339 date-time', null],
    ['nometa', 'metadata.json: missing', null],
  ]);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'recorder.sync'
    AND detail->>'created' = '218'`)[0], '1', 'the sync is audited');
});

test('a second sync of the unchanged bucket makes only list requests; --verify gets 304 for each', async () => {
  const rows = mine();
  const before = s3Log().length;
  const second = await sync(analyst.token);
  assert.equal(second.status, 'completed', second.error);
  const r = second.result;
  assert.deepEqual([r.recordings, r.created, r.updated, r.deleted, r.malformed], [218, 0, 0, 0, 3]);
  assert.deepEqual(r.requests, { list: 5, get: 0, not_modified: 0, total: 5 });
  const log = s3Log().slice(before);
  assert.equal(log.length, 5);
  assert.ok(log.every((l) => l.method === 'GET' && l.query['list-type'] === '2'), JSON.stringify(log));
  assert.equal(mine(), rows, 'no row changed');

  // by hand, as docs/recorder.md shows: every metadata.json read again with If-None-Match
  const run = spawnSync(path.join(REPO, 'bin/stint-recorder-sync'), ['--verify'],
    { env: { PATH: process.env.PATH, ...ENV }, input: '', encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1));
  assert.deepEqual(result.requests, { list: 5, get: 220, not_modified: 220, total: 225 });
  assert.match(run.stdout, /^progress \d+ /m);
  assert.equal(mine(), rows, 'no row changed');
});

test('closed, new, deleted and repaired recordings are reflected by the next sync', async () => {
  // open0 closes: chunks gone, files written, metadata rewritten
  for (let i = 0; i < 3; i++) await s3.del(`${R2}/sessions/open0/chunks/${String(i).padStart(6, '0')}.flac`);
  for (const [k, b] of recordingObjects(R2, 'open0', at(4000), 600)) await s3.put(k, b);
  // a new recording, one deleted, one repaired
  for (const [k, b] of recordingObjects(R2, 'new0', at(5000), 120)) await s3.put(k, b);
  for (const [k] of recordingObjects(R1, 'r0005', at(50), 540)) await s3.del(k);
  await s3.put(`${R3}/sessions/badtime/metadata.json`, recordingMeta(R3, 'badtime', at(6000), 60, true));

  const third = await sync();
  assert.equal(third.status, 'completed', third.error);
  const r = third.result;
  assert.deepEqual([r.recordings, r.created, r.updated, r.deleted, r.malformed, r.open], [218, 1, 2, 1, 2, 4]);
  assert.deepEqual([r.requests.list, r.requests.get], [5, 3], 'only the changed metadata.json files are read');

  const court2 = await list(`recorder=${R2}`);
  const byId = Object.fromEntries(court2.items.map((i) => [i.recording_id, i]));
  assert.deepEqual([byId.open0.is_closed, byId.open0.files.length, byId.new0.duration_s], [true, 4, 120]);
  assert.equal((await list(`recorder=${R1}`)).total, 209);
  const gone = (await list(`recorder=${R1}&deleted=true&to=${at(51).toISOString()}&from=${at(49).toISOString()}`)).items;
  assert.equal(gone.length, 1);
  assert.equal(gone[0].recording_id, 'r0005');
  assert.ok(gone[0].deleted_at);
  const fixed = (await list(`recorder=${R3}`)).items.find((i) => i.recording_id === 'badtime');
  assert.deepEqual([fixed.error, fixed.start_time], [null, '2026-11-24T13:00:00+00:00']);

  // back in the bucket: the same row again, no longer deleted
  for (const [k, b] of recordingObjects(R1, 'r0005', at(50), 540)) await s3.put(k, b);
  const fourth = await sync();
  assert.deepEqual([fourth.result.created, fourth.result.updated, fourth.result.deleted], [0, 1, 0]);
  assert.equal((await list(`recorder=${R1}`)).total, 210);
});

test('S3 unreachable or refusing: the sync fails naming the endpoint or the setting, and nothing changes', async () => {
  const rows = mine();
  await stopSpooler(spooler);
  const dead = 'http://127.0.0.1:1';
  spooler = runSpooler('unreachable', { STINT_S3_ENDPOINT: dead });
  const down = await sync();
  assert.equal(down.status, 'failed');
  assert.match(down.error, /S3 unreachable at http:\/\/127\.0\.0\.1:1: /);
  assert.equal(mine(), rows);

  await stopSpooler(spooler);
  spooler = runSpooler('secret', { STINT_S3_SECRET_KEY: 'not-the-secret', STINT_S3_SECRET_KEY_FILE: '' });
  const refused = await sync();
  assert.equal(refused.status, 'failed');
  assert.match(refused.error, /refused the request signature \(SignatureDoesNotMatch\): check s3_secret_key/);
  assert.equal(mine(), rows);
  await stopSpooler(spooler);

  const run = spawnSync(path.join(REPO, 'bin/stint-recorder-sync'), [],
    { env: { PATH: process.env.PATH, ...ENV, STINT_S3_ACCESS_KEY: 'nobody' }, input: '', encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /does not know the access key \(InvalidAccessKeyId\): check s3_access_key/);
  const off = spawnSync(path.join(REPO, 'bin/stint-recorder-sync'), [],
    { env: { PATH: process.env.PATH, ...ENV, STINT_S3_BUCKET: 'Not_A_Bucket' }, input: '', encoding: 'utf8' });
  assert.equal(off.status, 100, 'bad settings: no retry');
  assert.match(off.stderr, /s3_bucket: must be 3 to 63/);
  assert.equal(mine(), rows);

  spooler = runSpooler('main2');
  const again = await sync();
  assert.equal(again.status, 'completed', again.error);
  assert.deepEqual([again.result.created, again.result.updated, again.result.deleted], [0, 0, 0]);
});

test('the secret key is in no log, task or answer', async () => {
  assert.ok(SECRET.length >= 20);
  const files = [];
  for (const dir of [path.join(PREFIX, 'log'), DIR, path.dirname(REQUEST_LOG)]) {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isFile()) files.push(p);
    }
  }
  assert.ok(files.some((f) => f.endsWith('recorder.log')), 'the handler log is searched');
  for (const f of files) assert.ok(!readFileSync(f, 'latin1').includes(SECRET), `the secret is in ${f}`);
  // compared here, never sent to the database (whose log could keep a statement)
  const stored = sql(`SELECT coalesce(error, '') || coalesce(result::text, '') || params::text FROM tasks
    UNION ALL SELECT detail::text FROM audit_log`);
  assert.ok(stored.length > 0 && stored.every((t) => !t.includes(SECRET)), 'the secret is in a task or the audit log');
  const page = await list('limit=1000&deleted=true');
  assert.ok(!JSON.stringify(page).includes(SECRET));
});

test('the viewer role and anonymous callers can neither list nor sync; one sync at a time', async () => {
  for (const [method, url] of [['GET', '/api/v1/recorder/sessions'], ['POST', '/api/v1/recorder/sync']]) {
    assert.equal((await api(method, url, { token: viewer.token })).status, 403, `${method} ${url} as a viewer`);
    assert.equal((await api(method, url, { token: null })).status, 401, `${method} ${url} anonymous`);
  }
  await stopSpooler(spooler);  // nothing runs them: both requests see a queued task
  const [a, b] = await Promise.all([api('POST', '/api/v1/recorder/sync', { token: coach.token }),
    api('POST', '/api/v1/recorder/sync', { token: analyst.token })]);
  assert.deepEqual([a.status, b.status], [202, 202]);
  assert.equal(a.body.task_id, b.body.task_id);
  assert.equal(sql(`SELECT count(*) FROM tasks WHERE task_type = 'recorder_sync' AND status IN ('queued', 'running')`)[0], '1');
  spooler = runSpooler('last');
  const done = await sync();
  assert.equal(done.status, 'completed', done.error);
});

test('a spooler queues the periodic sync itself, at its start and every recorder_sync_interval_s; one at a time', async () => {
  await stopSpooler(spooler);
  const before = Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'task.create'
    AND detail->>'task_type' = 'recorder_sync'`)[0]);
  const since = sql('SELECT now()')[0];
  const two = [runSpooler('periodic-a', { STINT_RECORDER_SYNC_INTERVAL_S: '2' }),
    runSpooler('periodic-b', { STINT_RECORDER_SYNC_INTERVAL_S: '2' })];
  const finished = () => sql(`SELECT count(*) FROM tasks WHERE task_type = 'recorder_sync' AND user_id IS NULL
    AND status = 'completed' AND created_at >= '${since}'`)[0];
  const deadline = Date.now() + 60000;
  while (Number(finished()) < 2 && Date.now() < deadline) await sleep(250);
  for (const child of two) await stopSpooler(child);
  assert.ok(Number(finished()) >= 2, 'two periodic syncs completed, without anyone asking');
  // two spoolers, each asking every 2 s: never two syncs at once
  const overlapping = sql(`SELECT count(*) FROM tasks a JOIN tasks b ON a.task_id < b.task_id
    WHERE a.task_type = 'recorder_sync' AND b.task_type = 'recorder_sync' AND a.created_at >= '${since}'
    AND b.created_at >= '${since}' AND a.started_at < b.finished_at AND b.started_at < a.finished_at`)[0];
  assert.equal(overlapping, '0');
  const made = Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'task.create'
    AND detail->>'task_type' = 'recorder_sync'`)[0]) - before;
  assert.ok(made >= 2, `${made} syncs queued`);
  // the tasks have no user: a coach does not see them, an admin does
  const theirs = await api('GET', '/api/v1/tasks?type=recorder_sync&limit=100', { token: coach.token });
  assert.ok(theirs.body.items.every((t) => t.user_id !== null));
  const all = await api('GET', '/api/v1/tasks?type=recorder_sync&limit=100');
  assert.ok(all.body.items.some((t) => t.user_id === null));
});
