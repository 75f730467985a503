// seeds/004.test.mjs: seed 004 (Player1's report, ../shared/seeds/004_*.txt) as its React client
// would use Stint, its base URL Stint's (docs/compat.md). The seed's documented calls, in its order:
//   1. POST /api/sessions/{id}/process/: "Triggers the Celery task. Returns 202 Accepted."
//   2. GET /api/sessions/{id}/status/: "Returns current processing status and report URL."
//      (processing_status: PENDING, QUEUED, PROCESSING, COMPLETED, FAILED; report_url; last_processed_at)
//   3. the "Process Report" button: PENDING/FAILED -> POST; PROCESSING -> poll status; COMPLETED ->
//      "View Report" at report_url
//   4. "Avoid processing the same session multiple times simultaneously": a second POST while one
//      is queued is the same processing
// Reaching PROCESSING and COMPLETED needs the report program (bin/stint-report, the report issue):
// this file checks what the API gives before it, the PENDING and QUEUED states.
//
// Run against a stack: bin/stint test seeds/004
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { api, createSession, makeUser } from '../integration/lib.mjs';

const STATUSES = ['PENDING', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'];
const fx = {};

test('before: a session the coach owns, shared with an analyst as viewer', async () => {
  fx.coach = makeUser('coach');
  fx.analyst = makeUser('analyst');
  const s = await api('POST', '/api/v1/sessions', { token: fx.coach.token,
    json: { title: 'Player1 training', kind: 'training', starts_at: '2026-11-22T18:00:00Z' } });
  assert.equal(s.status, 201, s.text);
  fx.id = s.body.id;
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
