// The server-rendered pages as a browser without JavaScript uses them:
// forms post with a CSRF token and redirect; everything typed is escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createSession, Browser, BASE } from './lib.mjs';

test('the dashboard sets a CSRF cookie and puts the token in its forms', async () => {
  const b = new Browser();
  const login = await b.get('/login');
  assert.equal(login.status, 200);
  assert.match(login.headers.get('content-type'), /^text\/html; charset=utf-8/);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('stint_csrf='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.ok(login.html.includes(`name="csrf" value="${b.cookies.get('stint_csrf')}"`));
  await b.login();
  const page = await b.get('/');
  assert.equal(page.status, 200);
  assert.ok(page.html.includes(`name="csrf" value="${b.cookies.get('stint_csrf')}"`));
  assert.match(page.html, /<h1>Sessions<\/h1>/);
});

test('create, edit, delete and restore through the forms', async () => {
  const b = await new Browser().login();
  const tag = `page${Date.now()}`;
  const created = await b.post('/sessions', { title: `${tag} <b>bold</b>`, kind: 'training', venue: 'Hall & Court', starts_at: '2026-11-22T18:30' });
  assert.equal(created.status, 303);
  const loc = created.headers.get('location');
  const id = loc.match(/^\/sessions\/([0-9a-f-]{36})\?flash=created$/)[1];

  let page = await b.get(loc);
  assert.equal(page.status, 200);
  assert.match(page.html, /Session created\./);
  assert.ok(page.html.includes(`${tag} &lt;b&gt;bold&lt;/b&gt;`), 'title escaped');
  assert.ok(!page.html.includes('<b>bold</b>'));
  assert.ok(page.html.includes('Hall &amp; Court'));
  assert.ok(page.html.includes('value="2026-11-22T18:30"'), 'start shown in the edit form');
  const stored = (await api('GET', `/api/v1/sessions/${id}`)).body;
  assert.equal(stored.starts_at.slice(0, 16), '2026-11-22T18:30');

  const saved = await b.post(`/sessions/${id}`, { title: `${tag} renamed`, kind: 'match', status: 'live', venue: '', starts_at: '', ends_at: '' });
  assert.equal(saved.status, 303);
  page = await b.get(saved.headers.get('location'));
  assert.match(page.html, /Changes saved\./);
  assert.match(page.html, new RegExp(`${tag} renamed`));
  const after = (await api('GET', `/api/v1/sessions/${id}`)).body;
  assert.equal(after.status, 'live');
  assert.equal(after.starts_at, null, 'an emptied date clears it');

  const deleted = await b.post(`/sessions/${id}/delete`, {});
  assert.equal(deleted.status, 303);
  assert.equal(deleted.headers.get('location'), `/?deleted=${id}`);
  page = await b.get(`/?deleted=${id}`);
  assert.match(page.html, new RegExp(`Session “${tag} renamed” deleted\\.`));
  assert.ok(page.html.includes(`action="/sessions/${id}/restore"`));
  assert.equal((await b.get(`/sessions/${id}`)).status, 404);

  const restored = await b.post(`/sessions/${id}/restore`, {});
  assert.equal(restored.status, 303);
  page = await b.get(restored.headers.get('location'));
  assert.match(page.html, /Session restored\./);
});

test('a form without the CSRF token is refused and stores nothing', async () => {
  const b = await new Browser().login();
  const tag = `csrf${Date.now()}`;
  for (const csrf of [null, 'f'.repeat(64), 'short']) {
    const r = await b.post('/sessions', { title: tag }, { csrf });
    assert.equal(r.status, 403);
    assert.match(r.html, /This form has expired/);
  }
  assert.equal((await api('GET', `/api/v1/sessions?q=${tag}`)).body.total, 0);
});

test('a form with mistakes comes back with the fields named and the input kept', async () => {
  const b = await new Browser().login();
  const r = await b.post('/sessions', { title: '', venue: 'Kept "venue"', kind: 'climb' });
  assert.equal(r.status, 422);
  assert.match(r.html, /Title is required\./);
  assert.ok(r.html.includes('value="Kept &quot;venue&quot;"'));
  assert.match(r.html, /<option value="climb" selected>/);
});

test('search, filters, pagination and the empty state', async () => {
  const tag = `dash${Date.now()}`;
  for (let i = 0; i < 23; i++) await createSession({ title: `${tag} #${i}`, kind: i % 2 ? 'match' : 'training' });
  const b = await new Browser().login();
  let page = await b.get(`/?q=${tag}`);
  assert.match(page.html, /1–20 of 23/);
  const next = page.html.match(/href="([^"]+)" rel="next"/)[1].replaceAll('&amp;', '&');
  assert.equal(next, `/?offset=20&q=${tag}`);
  page = await b.get(next);
  assert.match(page.html, /21–23 of 23/);
  page = await b.get(`/?q=${tag}&kind=match`);
  assert.match(page.html, /1–11 of 11/);
  assert.match(page.html, /<option value="match" selected>/);
  page = await b.get(`/?q=${tag}-nothing`);
  assert.match(page.html, /No session matches this search\./);
});

test('unknown pages answer a finished 404 page', async () => {
  const b = await new Browser().login();
  const r = await b.get('/sessions/00000000-0000-4000-8000-000000000000');
  assert.equal(r.status, 404);
  assert.match(r.html, /<title>Not Found · Stint<\/title>/);
  assert.match(r.html, /Back to sessions/);
  assert.equal((await b.get('/no/such/page')).status, 404);
});

test('a page script writing JSON with the login cookie must send the CSRF token', async () => {
  const b = await new Browser().login();
  await b.get('/');
  const without = await b.json('POST', '/api/v1/sessions', { title: 'cookie write' }, { csrfHeader: false });
  assert.equal(without.status, 403);
  assert.equal(without.body.error.code, 'csrf');
  const withToken = await b.json('POST', '/api/v1/sessions', { title: 'cookie write' });
  assert.equal(withToken.status, 201);
  const read = await fetch(`${BASE}/api/v1/sessions/${withToken.body.id}`, { headers: { cookie: b.cookieHeader() } });
  assert.equal(read.status, 200, 'reads need no token');
});
