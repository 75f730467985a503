// attack-auth.test.mjs: the sign-in and CSRF probes of issue 17 (items 5, 6
// and 7, and the CSRF test gaps), kept so that these holes stay closed:
// - the `next` of /login never leads to another host (control characters,
//   "//", "/\", absolute URLs), through the form POST and the GET's field;
// - a CSRF token is signed for the caller's own login: a `stint_csrf` cookie
//   that another origin on the same host planted (its own anonymous token,
//   or the token of another login) is refused; a write whose Origin (or
//   Referer) is another site is refused unless it is a script's API token;
// - the lockout answers an unknown email as it answers a known one;
// - the import form's own CSRF check, the event and clip forms with a bad
//   token and as a viewer, and the login form's CSRF.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { ADMIN_TOKEN, BASE, Browser, PREFIX, REPO, api, makeUser } from './lib.mjs';

const SKIP = PREFIX ? false : 'STINT_TEST_PREFIX is not set (the stack whose users the tests make)';
const TAG = `aa${randomBytes(4).toString('hex')}`;
const FOREIGN = [`${new URL(BASE).protocol}//${new URL(BASE).hostname}:${Number(new URL(BASE).port) + 1}`,
  'http://evil.example', 'null'];

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

/* A form POST from browser b with extra headers (Origin, Referer): { status, headers, html }. */
async function postWith(b, url, fields, headers) {
  const form = new URLSearchParams(fields);
  form.set('csrf', b.cookies.get('stint_csrf') ?? '');
  const res = await fetch(BASE + url, {
    method: 'POST',
    headers: { cookie: b.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form.toString(),
    redirect: 'manual',
  });
  b.remember(res);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/* The answer of a JSON call with browser b's cookie and CSRF header plus headers. */
async function jsonWith(b, method, url, body, headers = {}) {
  const res = await fetch(BASE + url, {
    method,
    headers: { cookie: b.cookieHeader(), 'content-type': 'application/json',
      'x-csrf-token': b.cookies.get('stint_csrf'), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

const tokenNames = (email) => sql(`SELECT t.name FROM api_tokens t JOIN users u ON u.id = t.user_id
  WHERE u.email = ${q(email)} AND t.revoked_at IS NULL ORDER BY t.name`);

describe('open redirect through /login?next= (issue 17 item 5)', { skip: SKIP }, () => {
  let user;
  before(() => { user = makeUser('coach'); });

  // The decoded next values an attacker tries; each must lead to "/".
  const attacks = ['/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/\0/evil.example',
    '/\\evil.example', '/\\/evil.example', '//evil.example', '///evil.example', '/\t\t//evil.example',
    '/\x7f/evil.example', '/\x1b/evil.example', 'https://evil.example/',
    'http:evil.example', '\t//evil.example', ' //evil.example', 'javascript:alert(1)', ''];

  it('the form POST redirects every attack to / and a local path to itself', async () => {
    for (const next of [...attacks, '/sessions?x=1']) {
      const b = new Browser();
      await b.get('/login');
      const res = await b.post('/login', { email: user.email, password: user.password, next });
      assert.equal(res.status, 303, `next=${JSON.stringify(next)}: ${res.html.slice(0, 200)}`);
      const want = next === '/sessions?x=1' ? next : '/';
      assert.equal(res.headers.get('location'), want, `next=${JSON.stringify(next)}`);
    }
  });

  it("the GET's hidden field carries / for every attack, percent-encoded in the query", async () => {
    const b = new Browser();
    for (const next of attacks.filter((n) => n !== '')) {
      const page = await b.get(`/login?next=${encodeURIComponent(next)}`);
      assert.equal(page.status, 200);
      const field = page.html.match(/name="next" value="([^"]*)"/);
      assert.ok(field, 'the form has a next field');
      assert.equal(field[1], '/', `next=${JSON.stringify(next)} in the form`);
    }
    // the raw forms of the report: /%09/evil.example and friends, undecoded by the client
    for (const raw of ['/%09/evil.example', '/%0a/evil.example', '/%0d/evil.example', '/%00/evil.example',
      '/%5Cevil.example', '%2F%2Fevil.example', '/%2F/evil.example']) {
      const page = await b.get(`/login?next=${raw}`);
      assert.equal(page.html.match(/name="next" value="([^"]*)"/)[1], '/', `next=${raw}`);
    }
  });
});

describe('CSRF tokens are bound to the login, writes to the origin (issue 17 item 6)', { skip: SKIP }, () => {
  let owner, viewer, victim, session;

  before(async () => {
    owner = makeUser('coach');
    viewer = makeUser('viewer');
    victim = await new Browser().login(owner.email, owner.password);
    const s = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} csrf` }, token: owner.token });
    assert.equal(s.status, 201, s.text);
    session = s.body.id;
    const sh = await api('POST', `/api/v1/sessions/${session}/shares`,
      { json: { email: viewer.email, role: 'viewer' }, token: owner.token });
    assert.equal(sh.status, 200, sh.text);
  });

  after(async () => {
    if (session) await api('DELETE', `/api/v1/sessions/${session}`, { token: ADMIN_TOKEN });
  });

  it('the CSRF secret is a file of mode 0600 under the prefix, in no log', () => {
    const file = path.join(PREFIX, 'csrf-secret');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const secret = readFileSync(file, 'utf8').trim();
    assert.match(secret, /^[0-9a-f]{64}$/);
    for (const log of readdirSync(path.join(PREFIX, 'log'))) {
      assert.ok(!readFileSync(path.join(PREFIX, 'log', log), 'utf8').includes(secret), `not in log/${log}`);
    }
  });

  it('the sign-in answer carries a token for the new login: its forms post at once', async () => {
    const b = new Browser();
    await b.get('/login');
    const anon = b.cookies.get('stint_csrf');
    const res = await b.post('/login', { email: owner.email, password: owner.password, next: '/' });
    assert.equal(res.status, 303);
    assert.notEqual(b.cookies.get('stint_csrf'), anon, 'a new token with the login cookie');
    const made = await b.post('/account/tokens', { name: `${TAG}-first`, scope: 'read' });
    assert.equal(made.status, 201, made.html.slice(0, 300));
    const page = await b.get('/account');
    assert.ok(page.html.includes(`name="csrf" value="${b.cookies.get('stint_csrf')}"`), 'the page keeps that token');
  });

  it("a planted cookie is refused: another origin's own token, another login's, or any chosen value", async () => {
    const attacker = new Browser();
    await attacker.get('/login');
    const anonToken = attacker.cookies.get('stint_csrf');  // what any page on the host can get
    const other = await new Browser().login(viewer.email, viewer.password);
    const otherLogin = other.cookies.get('stint_csrf');    // signed for the attacker's own login
    const ownerOther = await new Browser().login(owner.email, owner.password);
    const sameUserOtherLogin = ownerOther.cookies.get('stint_csrf');
    for (const [what, planted] of [['an anonymous token', anonToken], ['another user\'s login', otherLogin],
      ['another login of the same user', sameUserOtherLogin], ['a chosen value', 'ab'.repeat(32)],
      ['a chosen signed-looking value', `${'ab'.repeat(32)}.${'cd'.repeat(32)}`]]) {
      const b = new Browser();
      b.cookies.set('stint_session', victim.cookies.get('stint_session'));
      // planted again before each request: a refusal's page gives the victim a good token
      b.cookies.set('stint_csrf', planted);
      const name = `${TAG}-planted`;
      const form = await b.post('/account/tokens', { name, scope: 'write' });
      assert.equal(form.status, 403, `form with ${what}`);
      assert.match(form.html, /This form has expired/);
      b.cookies.set('stint_csrf', planted);
      const js = await b.json('POST', '/api/v1/sessions', { title: `${TAG} planted` });
      assert.equal(js.status, 403, `X-CSRF-Token with ${what}`);
      assert.equal(js.body.error.code, 'csrf');
      b.cookies.set('stint_csrf', planted);
      const out = await b.post('/logout', {});
      assert.equal(out.status, 403, `logout with ${what}`);
      assert.deepEqual(tokenNames(owner.email).filter((n) => n === name), [], 'no token was made');
    }
    assert.deepEqual(sql(`SELECT count(*) FROM sessions WHERE title = ${q(`${TAG} planted`)}`), ['0']);
    // the victim's own token still works
    assert.equal((await victim.post('/account/tokens', { name: `${TAG}-own`, scope: 'read' })).status, 201);
  });

  it('the login form refuses a missing, mismatched or forged token (login CSRF)', async () => {
    for (const [what, cookie, field] of [['none', null, null], ['a mismatch', 'own', 'x'.repeat(129)],
      ['a forged pair', `${'ab'.repeat(32)}.${'cd'.repeat(32)}`, `${'ab'.repeat(32)}.${'cd'.repeat(32)}`],
      ['an old unsigned pair', 'ab'.repeat(32), 'ab'.repeat(32)]]) {
      const b = new Browser();
      await b.get('/login');
      if (cookie !== 'own') {
        if (cookie === null) b.cookies.delete('stint_csrf');
        else b.cookies.set('stint_csrf', cookie);
      }
      const res = await b.post('/login', { email: owner.email, password: owner.password, next: '/' }, { csrf: field });
      assert.equal(res.status, 403, `login with ${what}`);
      assert.ok(!b.cookies.get('stint_session'), `no login cookie with ${what}`);
    }
  });

  it('a write whose Origin or Referer is another site is refused, in the format of its route', async () => {
    const name = `${TAG}-origin`;
    for (const origin of FOREIGN) {
      const form = await postWith(victim, '/account/tokens', { name, scope: 'read' }, { origin });
      assert.equal(form.status, 403, `form from ${origin}`);
      assert.match(form.headers.get('content-type'), /^text\/html/);
      const js = await jsonWith(victim, 'POST', '/api/v1/sessions', { title: `${TAG} origin` }, { origin });
      assert.equal(js.status, 403, `JSON POST from ${origin}`);
      assert.equal(js.body.error.code, 'csrf');
      const patch = await jsonWith(victim, 'PATCH', `/api/v1/sessions/${session}`, { title: `${TAG} moved` }, { origin });
      assert.equal(patch.status, 403, `PATCH from ${origin}`);
      const del = await jsonWith(victim, 'DELETE', `/api/v1/sessions/${session}`, undefined, { origin });
      assert.equal(del.status, 403, `DELETE from ${origin}`);
      const login = new Browser();
      await login.get('/login');
      const signIn = await postWith(login, '/login', { email: owner.email, password: owner.password, next: '/' },
        { origin });
      assert.equal(signIn.status, 403, `sign-in from ${origin}`);
      assert.ok(!login.cookies.get('stint_session'));
    }
    const ref = await postWith(victim, '/account/tokens', { name, scope: 'read' },
      { referer: 'http://evil.example/page' });
    assert.equal(ref.status, 403, 'a foreign Referer without Origin');
    const near = await postWith(victim, '/account/tokens', { name, scope: 'read' }, { referer: `${BASE}.evil.example/` });
    assert.equal(near.status, 403, 'a Referer that only starts like the origin');
    assert.deepEqual(tokenNames(owner.email).filter((n) => n === name), [], 'nothing was made');
    assert.deepEqual(sql(`SELECT title FROM sessions WHERE id = ${q(session)} AND deleted_at IS NULL`), [`${TAG} csrf`]);
  });

  it('the own origin, a same-origin Referer, no header, and an API token without cookie still write', async () => {
    const ok1 = await postWith(victim, '/account/tokens', { name: `${TAG}-o1`, scope: 'read' }, { origin: BASE });
    assert.equal(ok1.status, 201);
    const ok2 = await postWith(victim, '/account/tokens', { name: `${TAG}-o2`, scope: 'read' }, { referer: `${BASE}/account` });
    assert.equal(ok2.status, 201);
    const ok3 = await postWith(victim, '/account/tokens', { name: `${TAG}-o3`, scope: 'read' }, {});
    assert.equal(ok3.status, 201);
    const script = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} script` }, token: owner.token,
      headers: { origin: 'http://evil.example' } });
    assert.equal(script.status, 201, 'a script with a Bearer token and no cookie is no browser');
    await api('DELETE', `/api/v1/sessions/${script.body.id}`, { token: owner.token });
    const both = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} both` }, token: owner.token,
      headers: { origin: 'http://evil.example', cookie: `stint_session=${victim.cookies.get('stint_session')}` } });
    assert.equal(both.status, 403, 'a Bearer token with the cookie from another site is refused');
  });

  // The test gaps: the event and clip forms and the import form's own check.
  it('the four event and clip forms refuse a bad token and a viewer, and change nothing', async () => {
    const ev = await api('POST', `/api/v1/sessions/${session}/events`, { json: { events: [{ t_sec: 12, event_type: 'note' }] },
      token: owner.token });
    assert.equal(ev.status, 201, ev.text);
    const eventId = ev.body.ids[0];
    assert.ok(eventId, ev.text);
    const forms = [
      [`/sessions/${session}/events`, { t_sec: '5', event_type: 'serve' }],
      [`/sessions/${session}/events/${eventId}`, { t_sec: '7', event_type: 'attack' }],
      [`/sessions/${session}/events/${eventId}/delete`, {}],
      [`/sessions/${session}/clips/999999999`, { label: 'x' }],
    ];
    const anon = new Browser();
    await anon.get('/login');
    const bViewer = await new Browser().login(viewer.email, viewer.password);
    await bViewer.get(`/sessions/${session}`);
    for (const [url, fields] of forms) {
      for (const [what, csrf] of [['no token', null], ['a mismatched token', 'f'.repeat(129)]]) {
        const r = await victim.post(url, fields, { csrf });
        assert.equal(r.status, 403, `${url} with ${what}`);
        assert.match(r.html, /This form has expired/);
      }
      const planted = new Browser();
      planted.cookies.set('stint_session', victim.cookies.get('stint_session'));
      planted.cookies.set('stint_csrf', anon.cookies.get('stint_csrf'));
      const p = await planted.post(url, fields);
      assert.equal(p.status, 403, `${url} with a planted anonymous token`);
      const v = await bViewer.post(url, fields);
      assert.equal(v.status, 403, `${url} as a viewer`);
      assert.match(v.html, /You may view this session but not change it\./);
    }
    assert.deepEqual(sql(`SELECT count(*) FROM events WHERE session_id = ${q(session)}`), ['1'], 'no event added or deleted');
    assert.deepEqual(sql(`SELECT event_type FROM events WHERE id = ${Number(eventId)}`), ['note'], 'not edited');
  });

  it("the import form's own CSRF check (multipart) refuses bad tokens and a viewer, storing nothing", async () => {
    const title = `${TAG} import`;
    const send = async (b, csrf) => {
      const fd = new FormData();
      if (csrf !== null) fd.set('csrf', csrf);
      fd.set('title', title);
      fd.set('file', new Blob(['3DATAVOLLEYSCOUT\r\n'], { type: 'application/octet-stream' }), 'm.dvw');
      const res = await fetch(`${BASE}/sessions/import`, { method: 'POST', body: fd, redirect: 'manual',
        headers: { cookie: b.cookieHeader() } });
      return { status: res.status, html: await res.text() };
    };
    const anon = new Browser();
    await anon.get('/login');
    for (const [what, csrf] of [['no token', null], ['a mismatched token', 'f'.repeat(129)],
      ['another origin\'s token', anon.cookies.get('stint_csrf')]]) {
      const r = await send(victim, csrf);
      assert.equal(r.status, 403, `import with ${what}`);
      assert.match(r.html, /This form has expired/);
    }
    const planted = new Browser();
    planted.cookies.set('stint_session', victim.cookies.get('stint_session'));
    planted.cookies.set('stint_csrf', anon.cookies.get('stint_csrf'));
    const p = await send(planted, anon.cookies.get('stint_csrf'));
    assert.equal(p.status, 403, 'import with a planted anonymous cookie and field');
    const viewerRole = makeUser('viewer');
    const bv = await new Browser().login(viewerRole.email, viewerRole.password);
    const v = await send(bv, bv.cookies.get('stint_csrf'));
    assert.equal(v.status, 403, 'a viewer may not import');
    assert.match(v.html, /Viewers cannot create sessions\./);
    assert.deepEqual(sql(`SELECT count(*) FROM sessions WHERE title = ${q(title)}`), ['0'], 'no session stored');
  });
});

describe('the lockout does not tell which emails have accounts (issue 17 item 7)', { skip: SKIP }, () => {
  /* Six sign-ins with wrong passwords for email: the statuses, and the 6th answer. */
  async function sixWrong(email) {
    const b = new Browser();
    await b.get('/login');
    const statuses = [];
    let last;
    for (let i = 1; i <= 6; i++) {
      last = await b.post('/login', { email, password: `wrong-${i}`, next: '/' });
      statuses.push(last.status);
    }
    return { statuses, last };
  }
  const message = (html) => (html.match(/<p class="error" role="alert">([^<]*)<\/p>/) ?? [])[1];

  it('an unknown email is locked after five failures exactly as a known one, with the same Retry-After', async () => {
    const known = makeUser('coach');
    const unknown = `nobody-${randomBytes(4).toString('hex')}@test.local`;
    const k = await sixWrong(known.email);
    const u = await sixWrong(unknown.toUpperCase());
    assert.deepEqual(k.statuses, [401, 401, 401, 401, 401, 429]);
    assert.deepEqual(u.statuses, k.statuses, 'the unknown email answers the same');
    assert.equal(u.last.headers.get('retry-after'), k.last.headers.get('retry-after'));
    assert.equal(message(u.last.html), message(k.last.html));
    assert.match(message(u.last.html), /^Too many failed attempts/);
    // a 7th attempt, right or wrong, is still locked for both
    const b = new Browser();
    await b.get('/login');
    assert.equal((await b.post('/login', { email: known.email, password: known.password, next: '/' })).status, 429);
    assert.equal((await b.post('/login', { email: unknown, password: 'x', next: '/' })).status, 429);
  });

  it('a success clears the count', async () => {
    const u = makeUser('analyst');
    const b = new Browser();
    await b.get('/login');
    for (let i = 0; i < 4; i++) assert.equal((await b.post('/login', { email: u.email, password: 'nope', next: '/' })).status, 401);
    assert.deepEqual(sql(`SELECT failures FROM login_failures WHERE email = ${q(u.email)}`), ['4']);
    assert.equal((await b.post('/login', { email: u.email.toUpperCase(), password: u.password, next: '/' })).status, 303);
    assert.deepEqual(sql(`SELECT count(*) FROM login_failures WHERE email = ${q(u.email)}`), ['0']);
    const again = new Browser();
    await again.get('/login');
    for (let i = 0; i < 4; i++) assert.equal((await again.post('/login', { email: u.email, password: 'nope', next: '/' })).status, 401);
  });
});
