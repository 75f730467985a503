// The sessions resource end to end through nginx, the handler pools and
// PostgreSQL: what an API client sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createSession } from './lib.mjs';

const NIL = '00000000-0000-4000-8000-000000000000';

test('create, get, list, patch, delete and restore a session', async () => {
  const created = await api('POST', '/api/v1/sessions', {
    json: {
      title: 'Braslovče v Nova KBM Branik', kind: 'match', venue: 'Braslovče',
      starts_at: '2015-01-25T18:00:00+01:00', meta: { league: 'Slovenian 1. DOL' },
    },
  });
  assert.equal(created.status, 201);
  const s = created.body;
  assert.match(s.id, /^[0-9a-f-]{36}$/);
  assert.equal(created.headers.get('location'), `/api/v1/sessions/${s.id}`);
  assert.equal(s.title, 'Braslovče v Nova KBM Branik');
  assert.equal(s.status, 'planned');
  assert.equal(s.processing_status, 'pending');
  assert.equal(new Date(s.starts_at).toISOString(), '2015-01-25T17:00:00.000Z');
  assert.deepEqual(s.meta, { league: 'Slovenian 1. DOL' });
  assert.deepEqual(s.teams, []);

  const got = await api('GET', `/api/v1/sessions/${s.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, s);

  const patched = await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { status: 'live', venue: null } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.status, 'live');
  assert.equal(patched.body.venue, '');
  assert.equal(patched.body.title, s.title, 'fields not in the patch stay');

  const del = await api('DELETE', `/api/v1/sessions/${s.id}`);
  assert.equal(del.status, 204);
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}`)).status, 404);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}`)).status, 404);

  const restored = await api('POST', `/api/v1/sessions/${s.id}/restore`);
  assert.equal(restored.status, 200);
  assert.deepEqual(restored.body, patched.body, 'restore brings the session back identical');
  const again = await api('POST', `/api/v1/sessions/${s.id}/restore`);
  assert.equal(again.status, 404, 'a backup restores once');
});

test('list searches title and venue, filters and paginates', async () => {
  const tag = `q${Date.now()}`;
  for (let i = 0; i < 5; i++) {
    await createSession({ title: `${tag} training ${i}`, kind: 'training', starts_at: `2026-01-0${i + 1}T10:00:00Z` });
  }
  await createSession({ title: 'Climb', kind: 'climb', venue: `${tag} wall`, status: 'live' });
  await createSession({ title: '100% _literal_ match', venue: tag });

  let r = await api('GET', `/api/v1/sessions?q=${tag}&limit=1000`);
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 7);
  r = await api('GET', `/api/v1/sessions?q=${tag}&kind=training&limit=2&offset=0`);
  assert.equal(r.body.total, 5);
  assert.deepEqual(r.body.items.map((s) => s.title), [`${tag} training 4`, `${tag} training 3`], 'newest first');
  r = await api('GET', `/api/v1/sessions?q=${tag}&kind=training&limit=2&offset=4`);
  assert.deepEqual(r.body.items.map((s) => s.title), [`${tag} training 0`]);
  r = await api('GET', `/api/v1/sessions?q=${tag}&status=live`);
  assert.deepEqual(r.body.items.map((s) => s.kind), ['climb']);
  r = await api('GET', `/api/v1/sessions?q=${encodeURIComponent('100%')}`);
  assert.ok(r.body.items.every((s) => s.title.includes('100%')), '% is matched literally');
  r = await api('GET', `/api/v1/sessions?q=${encodeURIComponent('_literal_')}`);
  assert.ok(r.body.items.length >= 1 && r.body.items.every((s) => s.title.includes('_literal_')));
});

test('bad list parameters are refused with the parameter named', async () => {
  for (const [qs, field] of [['limit=0', 'limit'], ['limit=1001', 'limit'], ['limit=ten', 'limit'],
    ['offset=-1', 'offset'], ['status=done', 'status'], ['kind=rugby', 'kind']]) {
    const r = await api('GET', `/api/v1/sessions?${qs}`);
    assert.equal(r.status, 422, qs);
    assert.ok(r.body.error.fields[field], `${qs} names ${field}`);
  }
});

test('bad input gets a clear 4xx and stores nothing', async () => {
  const tag = `bad${Date.now()}`;
  const raw = (body) => ({ body, headers: { 'content-type': 'application/json' } });
  const cases = [
    { ...raw(`{"title": "${tag}"`), status: 400, code: 'malformed_json' },
    { ...raw(`{"title": "${tag}"} trailing`), status: 400, code: 'malformed_json' },
    { ...raw('null'), status: 422 },
    { ...raw(`{"title": "${tag}\\u0000tail"}`), status: 400, code: 'malformed_json' },
    { json: { title: 42 }, status: 422, field: 'title' },
    { json: { title: tag, colour: 'red' }, status: 422, field: 'colour' },
    { json: { title: tag, id: NIL }, status: 422, field: 'id' },
    { json: { title: tag, starts_at: '2026-02-30T10:00:00Z' }, status: 422, field: 'starts_at' },
    { json: { title: tag, starts_at: '2026-01-02T10:00:00Z', ends_at: '2026-01-01T10:00:00Z' }, status: 422, field: 'ends_at' },
    { json: { title: tag, meta: { big: 'x'.repeat(70000) } }, status: 422, field: 'meta' },
    { json: { title: 'x'.repeat(201) }, status: 422, field: 'title' },
    { body: `title=${tag}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
    { json: { title: tag, meta: { blob: 'y'.repeat(2 * 1024 * 1024) } }, status: 413 },
  ];
  for (const c of cases) {
    const r = await api('POST', '/api/v1/sessions', c);
    assert.equal(r.status, c.status, JSON.stringify(c).slice(0, 120));
    assert.equal(typeof r.body.error?.message, 'string', 'error body is the JSON error format');
    if (c.code) assert.equal(r.body.error.code, c.code);
    if (c.field) assert.ok(r.body.error.fields[c.field], `names ${c.field}: ${r.text}`);
  }
  const list = await api('GET', `/api/v1/sessions?q=${tag}`);
  assert.equal(list.body.total, 0, 'nothing was stored');
});

test('a patch that moves one end before the other names ends_at', async () => {
  const s = await createSession({ starts_at: '2026-03-01T10:00:00Z' });
  const r = await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { ends_at: '2026-03-01T09:00:00Z' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.fields.ends_at, 'must not be before starts_at');
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}`)).body.ends_at, null);
});

test('unknown ids, bad UUIDs and wrong methods', async () => {
  assert.equal((await api('GET', `/api/v1/sessions/${NIL}`)).status, 404);
  assert.equal((await api('PATCH', `/api/v1/sessions/${NIL}`, { json: { title: 'x' } })).status, 404);
  assert.equal((await api('POST', `/api/v1/sessions/${NIL}/restore`)).status, 404);
  const bad = await api('GET', "/api/v1/sessions/1'%20OR%20'1'='1");
  assert.equal(bad.status, 404);
  assert.equal(bad.body.error.code, 'not_found');
  const put = await api('PUT', '/api/v1/sessions');
  assert.equal(put.status, 405);
  assert.match(put.headers.get('allow'), /GET/);
  assert.equal((await api('GET', '/api/v1/nothing-here')).status, 404);
});

test('SQL metacharacters and HTML are stored verbatim', async () => {
  const title = `Robert'); DROP TABLE sessions;-- <script>alert(1)</script> & "quotes"`;
  const s = await createSession({ title, venue: '\\%_\'"' });
  const got = await api('GET', `/api/v1/sessions/${s.id}`);
  assert.equal(got.body.title, title);
  assert.equal(got.body.venue, '\\%_\'"');
  assert.equal((await api('GET', '/api/v1/sessions?limit=1')).status, 200, 'the table is still there');
});

test('every response carries the security headers', async () => {
  const r = await api('GET', '/api/v1/sessions?limit=1');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.doesNotMatch(r.headers.get('content-security-policy'), /unsafe-inline/);
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
});

test('health and readiness', async () => {
  const h = await api('GET', '/healthz');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { status: 'ok' });
  const r = await api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.body.database, 'ok');
});

// The status rule (issue 14; lib/sessions.h): planned -> live -> completed | abandoned, an ended
// session live again (a restart, which clears ends_at); every other change a 409 naming the field.
const STATUSES = ['planned', 'live', 'completed', 'abandoned'];
const ALLOWED = new Set(['planned>live', 'live>completed', 'live>abandoned', 'completed>live', 'abandoned>live',
  ...STATUSES.map((x) => `${x}>${x}`)]);
const T0 = '2026-10-03T18:00:00Z', T1 = '2026-10-03T19:30:00Z', T2 = '2026-10-04T09:00:00Z';

async function sessionIn(status) {
  const ended = status === 'completed' || status === 'abandoned';
  return createSession({ title: `status ${status}`, status, starts_at: T0, ...(ended ? { ends_at: T1 } : {}) });
}
const live = (id, data) => api('POST', `/api/v1/sessions/${id}/live`, { json: { type: 'session_update', data } });
const instant = (t) => (t === null ? null : Date.parse(t));

test('status rule: every change of status by PATCH, allowed or refused with 409 naming status', async () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const s = await sessionIn(from);
      const r = await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { status: to, title: 'changed' } });
      const what = `${from} -> ${to}`;
      const after = (await api('GET', `/api/v1/sessions/${s.id}`)).body;
      if (ALLOWED.has(`${from}>${to}`)) {
        assert.equal(r.status, 200, `${what}: ${r.text}`);
        assert.deepEqual([after.status, after.title], [to, 'changed'], what);
      } else {
        assert.equal(r.status, 409, `${what}: ${r.text}`);
        assert.equal(r.body.error.code, 'status_conflict', what);
        assert.match(r.body.error.fields.status, new RegExp(`may not go from ${from} to ${to}: .*planned -> live`), what);
        assert.deepEqual([after.status, after.title], [from, 'status ' + from], `${what}: nothing of the patch stored`);
      }
    }
  }
});

test('status rule: every change of status by a live session_update, allowed or refused with 409 naming data.status', async () => {
  const sent = { live: 'started', completed: 'completed', abandoned: 'abandoned' };
  for (const from of STATUSES) {
    for (const [to, word] of Object.entries(sent)) {
      const s = await sessionIn(from);
      const before = (await api('GET', `/api/v1/sessions/${s.id}/timeline`)).body.messages.length;
      const r = await live(s.id, { status: word });
      const what = `${from} -> ${to} (${word})`;
      const after = (await api('GET', `/api/v1/sessions/${s.id}`)).body;
      const messages = (await api('GET', `/api/v1/sessions/${s.id}/timeline`)).body.messages.length;
      if (ALLOWED.has(`${from}>${to}`)) {
        assert.equal(r.status, 202, `${what}: ${r.text}`);
        assert.equal(after.status, to, what);
        assert.equal(messages, before + 1, `${what}: one session_updated`);
      } else {
        assert.equal(r.status, 409, `${what}: ${r.text}`);
        assert.match(r.body.error.fields['data.status'], new RegExp(`may not go from ${from} to ${to}`), what);
        assert.equal(after.status, from, what);
        assert.equal(messages, before, `${what}: nothing announced`);
      }
    }
  }
});

test('a restart with a new start time clears ends_at; without one the start stays and ends_at is cleared too', async () => {
  // live: the ended session starts again at T2, after its old end (the 422 on data.ends_at before)
  const a = await sessionIn('completed');
  const r = await live(a.id, { status: 'started', starts_at: T2 });
  assert.equal(r.status, 202, r.text);
  let s = (await api('GET', `/api/v1/sessions/${a.id}`)).body;
  assert.deepEqual([s.status, instant(s.starts_at), s.ends_at], ['live', instant(T2), null]);
  assert.equal((await live(a.id, { status: 'completed' })).status, 202);
  s = (await api('GET', `/api/v1/sessions/${a.id}`)).body;
  assert.equal(s.status, 'completed');
  assert.ok(instant(s.ends_at) >= instant(T2), 'the new end is now, after the new start');

  // live, no start time: the old start stays, the old end goes
  const b = await sessionIn('abandoned');
  assert.equal((await live(b.id, { status: 'started' })).status, 202);
  s = (await api('GET', `/api/v1/sessions/${b.id}`)).body;
  assert.deepEqual([s.status, instant(s.starts_at), s.ends_at], ['live', instant(T0), null]);

  // PATCH: the same restart, with and without a new start; a given ends_at is kept
  const c = await sessionIn('completed');
  let p = await api('PATCH', `/api/v1/sessions/${c.id}`, { json: { status: 'live', starts_at: T2 } });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual([instant(p.body.starts_at), p.body.ends_at], [instant(T2), null]);
  const d = await sessionIn('completed');
  p = await api('PATCH', `/api/v1/sessions/${d.id}`, { json: { status: 'live' } });
  assert.deepEqual([instant(p.body.starts_at), p.body.ends_at], [instant(T0), null]);
  const e = await sessionIn('completed');
  const end = '2026-10-04T11:00:00Z';
  p = await api('PATCH', `/api/v1/sessions/${e.id}`, { json: { status: 'live', starts_at: T2, ends_at: end } });
  assert.deepEqual([instant(p.body.starts_at), instant(p.body.ends_at)], [instant(T2), instant(end)]);

  // a patch that changes no status is not checked: an ended session's title still changes
  const f = await sessionIn('abandoned');
  assert.equal((await api('PATCH', `/api/v1/sessions/${f.id}`, { json: { title: 'renamed' } })).status, 200);
  // an unknown session is still a 404, by either route
  assert.equal((await api('PATCH', `/api/v1/sessions/${NIL}`, { json: { status: 'live' } })).status, 404);
});
