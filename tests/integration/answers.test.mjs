// The endings the handlers share (lib/fail.c: stint_found_or_fail,
// stint_answer_text; lib/http.c: stint_req_write): a row that is not there
// is 404 not_found with the handler's own message, in the route's format;
// a module's text goes out as it is, with the route's status and type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, api, createSession } from './lib.mjs';

const NIL = '00000000-0000-0000-0000-000000000000';
const MISSING = '999999999';

test('a missing row is 404 not_found with each handler\'s message', async () => {
  const s = await createSession();
  const event = `There is no such event in this session.`;
  const clip = `There is no such clip in this session.`;
  const artifact = `There is no such artifact in this session.`;
  const cases = [
    ['GET', `/api/v1/sessions/${NIL}`, 'There is no session with this id.'],
    ['POST', `/api/v1/sessions/${s.id}/restore`, 'There is no deleted session with this id to restore.'],
    ['DELETE', `/api/v1/sessions/${s.id}/shares/${MISSING}`, 'There is no such share.'],
    ['DELETE', `/api/v1/tokens/${MISSING}`, 'There is no such token.'],
    ['GET', `/api/v1/sessions/${s.id}/events/${MISSING}`, event],
    ['PATCH', `/api/v1/sessions/${s.id}/events/${MISSING}`, event, { t_sec: 1 }],
    ['DELETE', `/api/v1/sessions/${s.id}/events/${MISSING}`, event],
    ['GET', `/api/v1/sessions/${NIL}/rollup`, 'There is no session with this id.'],
    ['GET', `/api/v1/sessions/${s.id}/clips/${MISSING}`, clip],
    ['PATCH', `/api/v1/sessions/${s.id}/clips/${MISSING}`, clip, { title: 'x' }],
    ['DELETE', `/api/v1/sessions/${s.id}/clips/${MISSING}`, clip],
    ['GET', `/media/sessions/${s.id}/clips/${MISSING}`, clip],
    ['GET', `/api/v1/sessions/${s.id}/artifacts/${MISSING}`, artifact],
    ['DELETE', `/api/v1/sessions/${s.id}/artifacts/${MISSING}`, artifact],
    ['GET', `/media/sessions/${s.id}/artifacts/${MISSING}`, artifact],
  ];
  for (const [method, url, message, json] of cases) {
    const res = await api(method, url, { json });
    assert.equal(res.status, 404, `${method} ${url}`);
    assert.deepEqual(res.body, { error: { code: 'not_found', message } }, `${method} ${url}`);
  }
});

test('a module\'s text is sent as it is, with the route\'s status and type', async () => {
  const s = await createSession();
  const shares = await api('GET', `/api/v1/sessions/${s.id}/shares`);
  assert.equal(shares.status, 200);
  assert.deepEqual(shares.body, []);
  const timeline = await api('GET', `/api/v1/sessions/${s.id}/timeline`);
  assert.equal(timeline.status, 200);
  assert.deepEqual(timeline.body, { messages: [], last_seq: 0 });
  const clip = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', uri: 'https://example.org/a.mp4' } });
  assert.equal(clip.status, 201);
  assert.equal(clip.headers.get('content-type'), 'application/json');
  const csv = await api('GET', `/api/v1/sessions/${s.id}/export/events.csv`);
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
  assert.equal(csv.headers.get('content-disposition'), `attachment; filename="${s.id}-events.csv"`);
  const gone = await api('GET', `/api/v1/sessions/${NIL}/export/events.csv`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.message, 'There is no session with this id.');
});

test('a form about a missing row answers the 404 page with the handler\'s message', async () => {
  const s = await createSession();
  const b = await new Browser().login();
  await b.get(`/sessions/${s.id}`);
  const cases = [
    [`/sessions/${s.id}/events/${MISSING}/delete`, {}, 'There is no such event in this session.'],
    [`/sessions/${s.id}/events/${MISSING}`, { t_sec: '1', event_type: 'serve' }, 'There is no such event in this session.'],
    [`/sessions/${s.id}/clips/${MISSING}`, { offset_sec: '0' }, 'There is no such clip in this session.'],
    [`/account/tokens/${MISSING}/revoke`, {}, 'There is no such token.'],
  ];
  for (const [url, fields, message] of cases) {
    const res = await b.post(url, fields);
    assert.equal(res.status, 404, url);
    assert.match(res.headers.get('content-type'), /^text\/html/, url);
    assert.ok(res.html.includes(message), `${url}: ${message}`);
  }
});
