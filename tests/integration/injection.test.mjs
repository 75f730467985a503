// The injection suite: what an attacker types is stored verbatim and shown
// escaped, or refused with a clear 4xx; nothing crashes or reaches SQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createSession, Browser, BASE, ADMIN_TOKEN } from './lib.mjs';

const NASTY = `<script>alert(1)</script>"'&<img src=x onerror=alert(2)>'; DROP TABLE users; --\\%_`;
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;&#39;; DROP TABLE users; --\\%_';

test('every text field stores the text verbatim and every page shows it escaped', async () => {
  const s = await createSession({ title: NASTY, venue: NASTY, meta: { note: NASTY } });
  const got = (await api('GET', `/api/v1/sessions/${s.id}`)).body;
  assert.equal(got.title, NASTY);
  assert.equal(got.venue, NASTY);
  assert.equal(got.meta.note, NASTY);
  const ev = await api('POST', `/api/v1/sessions/${s.id}/events`, { json: [{ t_sec: 1, event_type: 'note', payload: { text: NASTY } }] });
  assert.equal(ev.status, 201);
  const clip = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', uri: 'https://example.org/x.mp4', title: NASTY } });
  assert.equal(clip.body.title, NASTY);
  const tok = await api('POST', '/api/v1/tokens', { json: { name: NASTY.slice(0, 100), scope: 'read' } });
  assert.equal(tok.status, 201);

  const b = await new Browser().login();
  for (const url of [`/?q=${encodeURIComponent('DROP TABLE')}`, `/sessions/${s.id}`, '/account']) {
    const page = await b.get(url);
    assert.equal(page.status, 200, url);
    assert.ok(!page.html.includes('<script>alert(1)</script>'), `${url} shows raw script`);
    assert.ok(!page.html.includes('<img src=x'), `${url} shows a raw img`);
  }
  const dash = await b.get(`/?q=${encodeURIComponent('DROP TABLE')}`);
  assert.ok(dash.html.includes(ESCAPED), 'the dashboard shows the escaped title');
  const search = await b.get(`/?q=${encodeURIComponent(NASTY)}`);
  assert.ok(search.html.includes(`value="${ESCAPED}"`), 'the search box echoes the query escaped');
  assert.equal((await api('GET', '/api/v1/sessions?limit=1')).status, 200, 'tables intact');
});

test('deeply nested and oversized JSON is refused cleanly', async () => {
  const deep = `{"title":"x","meta":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
  const r = await api('POST', '/api/v1/sessions', { body: deep, headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'malformed_json');
  const nested = { title: 'nested ok', meta: { a: JSON.parse(`${'['.repeat(200)}1${']'.repeat(200)}`) } };
  assert.equal((await api('POST', '/api/v1/sessions', { json: nested })).status, 201, 'reasonable nesting is fine');
  const big = await api('POST', '/api/v1/sessions', { json: { title: 'x', meta: { b: 'y'.repeat(3 * 1024 * 1024) } } });
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'too_large');
});

test('path traversal in file names and download paths gets nowhere', async () => {
  const s = await createSession();
  for (const file of ['../../../../etc/passwd', '/etc/passwd', 'a/../../b.mp4', 'media/../x', '.', 'ok/./x.mp4']) {
    const r = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', file } });
    assert.equal(r.status, 422, file);
  }
  for (const url of [`/media/sessions/${s.id}/clips/..%2f..%2fetc%2fpasswd`, `/media/sessions/${s.id}/clips/1%00`,
    `/media/sessions/${s.id}/artifacts/-1`, '/static/../../../etc/passwd', '/_files/media/x', '/_nchan_sub/sessions/x']) {
    const res = await fetch(BASE + url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await res.text();
    assert.ok([400, 404].includes(res.status), `${url}: ${res.status}`);
    assert.ok(!text.includes('root:x:0:0'), url);
  }
  const imp = await api('POST', '/api/v1/imports?video=..%2F..%2F..%2Fetc%2Fpasswd', { body: 'x', headers: { 'content-type': 'text/plain' } });
  assert.equal(imp.status, 422);
});

test('header values with control characters are refused', async () => {
  const s = await createSession();
  const r = await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: [{ t_sec: 1, event_type: 'x' }], headers: { 'idempotency-key': 'a\tb' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'bad_idempotency_key');
  assert.equal((await api('GET', `/api/v1/sessions/${s.id}/events`)).body.total, 0);
});

test('a body of a hundred thousand distinct keys is answered at once', async () => {
  const keys = Array.from({ length: 90000 }, (_, i) => `"k${i}":0`).join(',');
  const started = Date.now();
  const r = await api('POST', '/api/v1/sessions', { body: `{${keys}}`, headers: { 'content-type': 'application/json' } });
  const ms = Date.now() - started;
  assert.equal(r.status, 422);
  assert.ok(Object.keys(r.body.error.fields).length <= 100, 'at most 100 problems named');
  // generous: a loaded machine answers in well under a second; a quadratic parser takes minutes
  assert.ok(ms < 20000, `answered in ${ms} ms`);
});
