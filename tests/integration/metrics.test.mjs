// metrics.test.mjs: GET /metrics (lib/metrics.h, cgi-bin/health.c) against a running stack.
//
// Who may read it: an administrator's token; a request with no credential at all from a loopback
// peer (nginx's $remote_addr; every request of this suite is one, so the refusal of a non-loopback
// anonymous caller is not exercised here: the rule is lib/auth.c's anonymous_loopback, and the
// tests show a sent credential is always checked, never skipped for loopback). The answer is
// Prometheus' text format 0.0.4, each line parsed against its grammar; the counters move by
// exactly the requests sent (tests/run.sh runs the files one at a time: nothing else calls the
// routes used here meanwhile); histogram buckets are cumulative; a task that runs shows its
// outcome; a worker killed with -9 shows as one restart of its pool; a change published while nchan
// is unreachable shows as one publish failure and a backlog that drains once it is back.
//
// Run against a stack: STINT_TEST_URL=http://127.0.0.1:18080 STINT_TEST_PREFIX=var \
//   node --test tests/integration/metrics.test.mjs
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ADMIN_TOKEN, PREFIX, api, createSession, killSpoolers, makeUser, sql, startSpooler, stopSpooler, until } from './lib.mjs';

const TAG = `metrics${randomBytes(4).toString('hex')}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-metrics-'));

after(() => {
  killSpoolers();
  sql(`DELETE FROM tasks WHERE group_key = '${TAG}'`);
  sql(`DELETE FROM sessions WHERE title LIKE '${TAG}%'`);
  rmSync(DIR, { recursive: true, force: true });
});

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = '(?:[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (${VALUE})(?: -?[0-9]+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** Parses an exposition: { types: name -> type, samples: [{ name, labels, value }] }; throws on a bad line. */
function parse(text) {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  const types = new Map();
  const helps = new Set();
  const samples = [];
  for (const line of text.slice(0, -1).split('\n')) {
    let m;
    if ((m = HELP.exec(line))) {
      assert.ok(!helps.has(m[1]), `# HELP ${m[1]} twice`);
      helps.add(m[1]);
    } else if ((m = TYPE.exec(line))) {
      assert.ok(!types.has(m[1]), `# TYPE ${m[1]} twice`);
      types.set(m[1], m[2]);
    } else if ((m = SAMPLE.exec(line))) {
      const labels = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
      samples.push({ name: m[1], labels, value: Number(m[3].replace(/^\+?Inf$/, 'Infinity')) });
    } else {
      assert.fail(`not a line of the text format 0.0.4: ${JSON.stringify(line)}`);
    }
  }
  return { types, samples };
}

/** The family a sample belongs to: its name without a histogram's suffix. */
const family = (name, types) => (types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ''));

async function scrape(token = ADMIN_TOKEN) {
  const r = await api('GET', '/metrics', { token });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parse(r.text);
}

/** The value of the sample name whose labels include want; 0 when there is none. */
function value({ samples }, name, want) {
  const s = samples.find((x) => x.name === name && Object.entries(want).every(([k, v]) => x.labels[k] === v));
  return s ? s.value : 0;
}

const requests = (m, route, status, method = 'GET') =>
  value(m, 'stint_http_requests_total', { method, route, status: String(status) });

test('an administrator token reads it; other callers with a credential are refused', async () => {
  await scrape();
  const coach = makeUser('coach');
  const r = await api('GET', '/metrics', { token: coach.token });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.error.code, 'forbidden');
  const bad = await api('GET', '/metrics', { token: 'not-a-token' });
  assert.equal(bad.status, 401, 'a credential that is sent is checked, even from loopback');
  const cookie = await api('GET', '/metrics', { token: null, headers: { cookie: 'stint_session=nothing' } });
  assert.equal(cookie.status, 401, 'a login cookie is a credential: checked, not skipped');
});

test('with no credential at all, a loopback peer reads it', async () => {
  await scrape(null);
});

test('every line parses; each family has HELP and TYPE; counters end in _total', async () => {
  const m = await scrape();
  for (const s of m.samples) {
    const f = family(s.name, m.types);
    assert.ok(m.types.has(f), `${s.name}: no # TYPE`);
    if (m.types.get(f) === 'counter') assert.match(s.name, /_total$/);
    if (m.types.get(f) === 'histogram') assert.match(s.name, /_(bucket|sum|count)$/);
  }
  for (const [name, type] of [['stint_http_requests_total', 'counter'], ['stint_http_request_duration_seconds', 'histogram'],
    ['stint_pool_restarts_total', 'counter'], ['stint_live_publish_failures_total', 'counter'], ['stint_tasks', 'gauge'],
    ['stint_task_queue_depth', 'gauge'], ['stint_live_unpublished_messages', 'gauge']]) {
    assert.equal(m.types.get(name), type, name);
  }
  for (const pool of ['health', 'sessions', 'pages', 'live']) {
    assert.ok(m.samples.some((s) => s.name === 'stint_pool_restarts_total' && s.labels.pool === pool), pool);
  }
});

test('a route counts exactly the requests sent, under their status (200, 404, 422)', async () => {
  const before = await scrape();
  const N = 7;
  for (let i = 0; i < N; i++) assert.equal((await api('GET', '/api/v1/sessions?limit=1')).status, 200);
  for (let i = 0; i < 3; i++) assert.equal((await api('GET', `/api/v1/sessions/${randomUUID()}`)).status, 404);
  for (let i = 0; i < 2; i++) {
    const r = await api('POST', '/api/v1/sessions', { json: { title: 42 } });
    assert.equal(r.status, 422, r.text);
  }
  const got = await scrape();
  assert.equal(requests(got, '/api/v1/sessions', 200) - requests(before, '/api/v1/sessions', 200), N);
  assert.equal(requests(got, '/api/v1/sessions/:uuid', 404) - requests(before, '/api/v1/sessions/:uuid', 404), 3);
  assert.equal(requests(got, '/api/v1/sessions', 422, 'POST') - requests(before, '/api/v1/sessions', 422, 'POST'), 2);
  const count = (m) => value(m, 'stint_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/sessions' });
  assert.equal(count(got) - count(before), N, 'the latency histogram counts them too');
});

test('histogram buckets are cumulative and +Inf equals _count', async () => {
  const m = await scrape();
  const series = new Map();
  for (const s of m.samples.filter((x) => x.name === 'stint_http_request_duration_seconds_bucket')) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), [Number(le.replace('+Inf', 'Infinity')), s.value]]);
  }
  assert.ok(series.size > 0);
  for (const [key, buckets] of series) {
    for (let i = 1; i < buckets.length; i++) {
      assert.ok(buckets[i][0] > buckets[i - 1][0], `${key}: le ascending`);
      assert.ok(buckets[i][1] >= buckets[i - 1][1], `${key}: cumulative`);
    }
    assert.equal(buckets.at(-1)[0], Infinity, `${key}: ends with +Inf`);
    const labels = JSON.parse(key);
    assert.equal(buckets.at(-1)[1], value(m, 'stint_http_request_duration_seconds_count', labels), `${key}: +Inf = _count`);
    assert.ok(value(m, 'stint_http_request_duration_seconds_sum', labels) >= 0);
  }
});

test('a task shows in the queue depth while queued and under its outcome once it ran', async () => {
  const outcome = (m) => value(m, 'stint_tasks', { type: 'noop', status: 'completed' });
  const before = await scrape();
  const c = await api('POST', '/api/v1/tasks', { json: { task_type: 'noop', group_key: TAG } });
  assert.equal(c.status, 201, c.text);
  const queued = await scrape();
  // still queued after the scrape: queued during it (a stack's own spooler may have taken it; the suite runs none)
  // The gauge is the stack's count of queued tasks: the task is in it while queued. Other tasks
  // (a sweep's, an earlier file's) may come and go meanwhile, so it is compared with the database's
  // own count, read again until the two moments agree.
  const queuedNow = () => Number(sql(`SELECT count(*) FROM tasks WHERE status = 'queued'`)[0]);
  if (sql(`SELECT status FROM tasks WHERE task_id = '${c.body.task_id}'`)[0] === 'queued') {
    let m = queued;
    await until('the queue depth to be the count of queued tasks', async () => {
      const n = queuedNow();
      if (value(m, 'stint_task_queue_depth', {}) === n && n >= 1) return true;
      m = await scrape();
      return false;
    });
  }
  const spooler = startSpooler(path.join(DIR, 'spooler.log'), { STINT_SPOOL_TYPES: 'noop' });
  try {
    await until('the task to complete', () => sql(`SELECT status FROM tasks WHERE task_id = '${c.body.task_id}'`)[0] === 'completed');
  } finally {
    await stopSpooler(spooler);
  }
  // the outcome is the count of completed noop tasks: ours among them (the spooler may have run
  // another test's queued noop too, so the gauge is compared with the database's count)
  const completed = () => Number(sql(`SELECT count(*) FROM tasks WHERE task_type = 'noop' AND status = 'completed'`)[0]);
  const done = await scrape();
  assert.ok(outcome(done) >= outcome(before) + 1, `${outcome(before)} -> ${outcome(done)}`);
  let m = done;
  await until('the completed gauge to be the count of completed noop tasks', async () => {
    if (outcome(m) === completed()) return true;
    m = await scrape();
    return false;
  });
  await until('the queue depth to be the count of queued tasks again', async () => {
    if (value(m, 'stint_task_queue_depth', {}) === queuedNow()) return true;
    m = await scrape();
    return false;
  });
});

test('a worker killed with -9 counts as one restart of its pool', async () => {
  const restarts = (m) => value(m, 'stint_pool_restarts_total', { pool: 'sessions' });
  const before = await scrape();
  const master = readFileSync(path.join(PREFIX, 'run', 'sessions.pid'), 'utf8').trim();
  const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/);
  assert.ok(children.length >= 1 && children[0] !== '', `the sessions pool's workers: ${children}`);
  process.kill(Number(children[0]), 'SIGKILL');
  await until('the restart', async () => restarts(await scrape()) === restarts(before) + 1, 10000);
  await until('the pool to answer', async () => (await api('GET', '/api/v1/sessions?limit=1')).status === 200);
});

test('a publish nchan cannot take counts one failure; the backlog shows until the re-publisher delivers it', async () => {
  const failures = (m) => m.samples.filter((x) => x.name === 'stint_live_publish_failures_total').reduce((a, x) => a + x.value, 0);
  const backlog = (m) => value(m, 'stint_live_unpublished_messages', {});
  const s = await createSession({ title: `${TAG} live` });
  const before = await scrape();
  const sock = path.join(PREFIX, 'run', 'nchan-pub.sock');
  renameSync(sock, `${sock}.away`);
  let during;
  try {
    const r = await api('POST', `/api/v1/sessions/${s.id}/events`,
      { json: [{ t_sec: 1, event_type: 'pass', actor_team: 'A', actor_number: 7 }] });
    assert.equal(r.status, 201, r.text);
    during = await scrape();
  } finally {
    renameSync(`${sock}.away`, sock);
  }
  assert.equal(failures(during) - failures(before), 1, 'one change of one session: its first message failed, the rest wait');
  assert.ok(backlog(during) >= backlog(before) + 1, `backlog ${backlog(before)} -> ${backlog(during)}`);
  await until('the re-publisher to deliver', async () => backlog(await scrape()) <= backlog(before), 15000, { every: 500 });
});
