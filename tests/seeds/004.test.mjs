// seeds/004.test.mjs: seed 004 (Player1's report, ../shared/seeds/004_*.txt) as its React client
// would use Stint, its base URL Stint's (docs/compat.md). The seed's documented calls, in its order:
//   1. POST /api/sessions/{id}/process/: "Triggers the Celery task. Returns 202 Accepted."
//   2. GET /api/sessions/{id}/status/: "Returns current processing status and report URL."
//      (processing_status: PENDING, QUEUED, PROCESSING, COMPLETED, FAILED; report_url; last_processed_at)
//   3. the "Process Report" button: PENDING/FAILED -> POST; PROCESSING -> poll status; COMPLETED ->
//      "View Report" at report_url
//   4. "Avoid processing the same session multiple times simultaneously": a second POST while one
//      is queued is the same processing
// A spooler started by this file runs the report (bin/stint-report): the client sees PROCESSING,
// then COMPLETED with a report_url that downloads the HTML report; a device file broken on disk
// afterwards makes the next run FAILED, naming the device and the line, the previous report kept.
//
// Run against a stack: bin/stint test seeds/004
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { PREFIX, REPO, api, killSpoolers, makeUser, sql, startSpooler, stopSpooler, until } from '../integration/lib.mjs';

const GPS = path.join(process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data'), 'gps');
after(killSpoolers);

const STATUSES = ['PENDING', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'];
const fx = {};

test('before: a session the coach owns, shared with an analyst as viewer', async () => {
  fx.coach = makeUser('coach');
  fx.analyst = makeUser('analyst');
  const s = await api('POST', '/api/v1/sessions', { token: fx.coach.token,
    json: { title: 'Player1 training', kind: 'training', starts_at: '2026-11-22T18:00:00Z' } });
  assert.equal(s.status, 201, s.text);
  fx.id = s.body.id;
  // a player and the file of their GPS unit: what a report is made of (docs/report.md)
  const p = await api('POST', `/api/v1/sessions/${fx.id}/participants`, { token: fx.coach.token,
    json: { player: 'Ana', team_side: 'A', number: '7', device_id: 'gps-7' } });
  assert.equal(p.status, 201, p.text);
  const u = await api('POST', `/api/v1/sessions/${fx.id}/device-data?device=gps-7&name=test.tcx&format=tcx`,
    { token: fx.coach.token, body: readFileSync(path.join(GPS, 'test.tcx')),
      headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(u.status, 201, u.text);
  const share = await api('POST', `/api/v1/sessions/${fx.id}/shares`, { token: fx.coach.token,
    json: { email: fx.analyst.email, role: 'viewer' } });
  assert.equal(share.status, 200, share.text);
});

/* The client's poll: GET status/, its fields as the seed names them. */
async function status(token = fx.coach.token, id = fx.id) {
  const r = await api('GET', `/api/sessions/${id}/status/`, { token });
  assert.equal(r.status, 200, r.text);
  assert.ok(STATUSES.includes(r.body.processing_status), r.body.processing_status);
  assert.ok('report_url' in r.body && 'last_processed_at' in r.body, r.text);
  return r.body;
}

test('2 and 3. a session never processed is PENDING: the button says "Process Report"', async () => {
  const s = await status();
  assert.equal(s.processing_status, 'PENDING');
  assert.equal(s.report_url, null);
  assert.equal(s.last_processed_at, null);
});

test('1. a session with nothing to report on: 422 naming what is missing, as the native route', async () => {
  const e = await api('POST', '/api/v1/sessions', { token: fx.coach.token, json: { title: 'Player1 empty' } });
  const r = await api('POST', `/api/sessions/${e.body.id}/process/`, { token: fx.coach.token });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(Object.keys(r.body.error.fields), ['participants'], r.text);
  const s = await api('GET', `/api/sessions/${e.body.id}/status/`, { token: fx.coach.token });
  assert.equal(s.body.processing_status, 'PENDING');
});

test('1. POST process/ answers 202 Accepted, and the status is QUEUED', async () => {
  const r = await api('POST', `/api/sessions/${fx.id}/process/`, { token: fx.coach.token });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.processing_status, 'QUEUED');
  assert.equal(r.body.task.task_type, 'process_report');
  fx.task = r.body.task.task_id;
  const s = await status();
  assert.equal(s.processing_status, 'QUEUED');
  assert.equal(s.report_url, null);
  // the native API says the same, in its own spelling
  const n = await api('GET', `/api/v1/sessions/${fx.id}/status`, { token: fx.coach.token });
  assert.equal(n.body.processing_status, 'queued');
});

test('4. a second POST while it is queued is the same processing', async () => {
  const r = await api('POST', `/api/sessions/${fx.id}/process/`, { token: fx.coach.token });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.task.task_id, fx.task);
});

test('who may: a viewer polls but may not trigger; others see no session', async () => {
  assert.equal((await status(fx.analyst.token)).processing_status, 'QUEUED');
  const v = await api('POST', `/api/sessions/${fx.id}/process/`, { token: fx.analyst.token });
  assert.equal(v.status, 403, v.text);
  const stranger = makeUser('coach');
  assert.equal((await api('GET', `/api/sessions/${fx.id}/status/`, { token: stranger.token })).status, 403);
  assert.equal((await api('GET', `/api/sessions/${fx.id}/status/`, { token: null })).status, 401);
  const missing = '00000000-0000-4000-8000-000000000000';
  assert.equal((await api('POST', `/api/sessions/${missing}/process/`, { token: fx.coach.token })).status, 404);
});

test('3. run by a spooler: PROCESSING, then COMPLETED with report_url, the button "View Report"', async () => {
  const seen = new Set();
  const spooler = startSpooler(path.join(process.env.STINT_TEST_OUT ?? '/tmp', 'seed004-spooler.log'), {}, [], { stackUser: true });
  let last;
  await until('the report is COMPLETED', async () => {
    last = await status();
    seen.add(last.processing_status);
    return last.processing_status === 'COMPLETED';
  }, 60000, { every: 50, detail: () => JSON.stringify(last) });
  await stopSpooler(spooler);
  // every state the client polled is one of the seed's, in the seed's order
  const order = ['QUEUED', 'PROCESSING', 'COMPLETED'];
  assert.ok([...seen].every((x) => order.includes(x)), [...seen].join());
  assert.match(last.report_url, new RegExp(`^/media/sessions/${fx.id}/artifacts/\\d+$`));
  assert.ok(Date.parse(last.last_processed_at) > Date.now() - 120000, last.last_processed_at);
  const page = await api('GET', last.report_url, { token: fx.coach.token });
  assert.equal(page.status, 200, `${page.status} ${page.text}`);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.text, /Ana/);
  // the viewer opens it too
  const viewer = await api('GET', last.report_url, { token: fx.analyst.token });
  assert.equal(viewer.status, 200, `${viewer.status} ${viewer.text}`);
  fx.report = last.report_url;
});

test('3. a run that fails is FAILED with the device and line; the client may process again', async () => {
  const [stored] = sql(`SELECT path FROM device_files WHERE session_id = '${fx.id}' AND device_id = 'gps-7'`);
  writeFileSync(path.join(PREFIX, stored), readFileSync(path.join(GPS, 'test.tcx')).subarray(0, 20000));
  const r = await api('POST', `/api/sessions/${fx.id}/process/`, { token: fx.coach.token });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.processing_status, 'QUEUED');
  const spooler = startSpooler(path.join(process.env.STINT_TEST_OUT ?? '/tmp', 'seed004-spooler.log'), {}, [], { stackUser: true });
  let last;
  await until('the report is FAILED', async () => {
    last = await status();
    return last.processing_status === 'FAILED';
  }, 60000, { every: 100, detail: () => JSON.stringify(last) });
  await stopSpooler(spooler);
  const n = await api('GET', `/api/v1/sessions/${fx.id}/status`, { token: fx.coach.token });
  assert.match(JSON.stringify(n.body), /gps-7.*line \d+/, n.text);
  // the previous report stays where it was
  assert.equal(last.report_url, fx.report);
  assert.equal((await api('GET', fx.report, { token: fx.coach.token })).status, 200);
});
