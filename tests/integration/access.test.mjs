// access.test.mjs: who may do what (issue 6, "each role against each route").
//
// One user per role (the built-in admin for admin), a session owned by a
// coach and shared with others, then a table of (route, caller) -> the answer
// expected: every JSON route and the pages, for anonymous callers, each role,
// shares as viewer and editor, a read-scope token, a revoked token and a
// disabled user. The table is printed as a diagnostic (allowed ✓ / refused ✗).
// (roles.test.mjs tries every route of the manifest with every caller; the
// rows here also check what an allowed call does.)
// Then the rules around it: lists and the dashboard hide other users'
// sessions, CSRF, the login lockout, logout, the account page's tokens, and
// the audit log.
//
// Sign-in attempts are limited per address by nginx (30/min, burst 20) for
// the whole suite, so this file posts to /login only 8 times: the admin and
// the owner sign in through the form, the lockout spends 6 attempts, and the
// other browsers get their login record straight from the database (the same
// row /login makes: the SHA-256 of a random cookie value), which the server
// checks exactly as it checks any other.
//
// Run against a stack: STINT_TEST_URL=http://127.0.0.1:18080 STINT_TEST_PREFIX=var \
//   node --test tests/integration/access.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';

import { ADMIN_EMAIL, ADMIN_TOKEN, BASE, Browser, PREFIX, REPO, api, makeUser, stint } from './lib.mjs';

const SKIP = PREFIX ? false : 'STINT_TEST_PREFIX is not set (the stack whose users the tests make)';
const TAG = `acc${randomBytes(4).toString('hex')}`;

/*
 * Rows of the database as text lines (bin/stint psql). Not through stint() of
 * lib.mjs: that puts --prefix last, and `bin/stint psql` only reads --prefix
 * before psql's own arguments.
 */
function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const userId = (email) => Number(sql(`SELECT id FROM users WHERE email = ${q(email)}`)[0]);

/*
 * A browser signed in as user id without posting to /login: a login record
 * made as /login makes it (see the file's comment). Checks it works.
 */
async function signedIn(id) {
  const cookie = randomBytes(32).toString('hex');
  const hash = createHash('sha256').update(cookie).digest('hex');
  sql(`INSERT INTO web_sessions (user_id, token_hash, expires_at)
    VALUES (${Number(id)}, '\\x${hash}'::bytea, now() + interval '12 hours')`);
  const b = new Browser();
  b.cookies.set('stint_session', cookie);
  const home = await b.get('/');
  assert.equal(home.status, 200, `signed in as user ${id}`);
  return b;
}

/* A request with a browser's cookies but as JSON (the API with the login cookie). */
async function withCookie(browser, method, url, { json, token } = {}) {
  const headers = { cookie: browser.cookieHeader() };
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(BASE + url, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

// --- the callers -----------------------------------------------------------------------

// name -> { what, email, password, id, token, browser }; filled in before().
const who = {};
const CALLERS = [
  ['anon', 'anonymous'],
  ['admin', 'admin'],
  ['owner', 'coach, owner'],
  ['coach2', 'another coach'],
  ['anaV', 'analyst, viewer share'],
  ['anaE', 'analyst, editor share'],
  ['viewerE', 'viewer role, editor share'],
  ['read', 'read-scope token'],
  ['revoked', 'revoked token'],
  ['disabled', 'disabled user'],
];
const fx = {};          // sessions and users the rows act on
const cleanup = [];     // sessions to delete afterwards (as admin)

/* A session owned by the coach, shared like the main one (anaV viewer, anaE and viewerE editor). */
async function ownedSession(title) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} ${title}` }, token: who.owner.token });
  assert.equal(r.status, 201, r.text);
  for (const [name, role] of [['anaV', 'viewer'], ['anaE', 'editor'], ['viewerE', 'editor']]) {
    const s = await api('POST', `/api/v1/sessions/${r.body.id}/shares`,
      { json: { email: who[name].email, role }, token: who.owner.token });
    assert.equal(s.status, 200, s.text);
  }
  cleanup.push(r.body.id);
  return r.body;
}

/* The same, deleted by its owner (for restore). */
async function deletedSession(title) {
  const s = await ownedSession(title);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}`, { token: who.owner.token })).status, 204);
  return s;
}

/* A new token of the owner's, made through the API: { id, token }. */
async function ownerToken() {
  const r = await api('POST', '/api/v1/tokens', { json: { name: `${TAG} victim`, scope: 'read' }, token: who.owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// --- the table --------------------------------------------------------------------------
//
// expect: caller -> the status expected; 'login' is a 303 to /login (pages,
// nobody signed in); a 303 elsewhere is the form's success. An entry
// { want, todo } is what should happen but does not (a known bug, reported).
// A caller missing from expect does not apply to the row ('—' in the table).

const LOGIN = 'login';
const json = (method, url, body) => (c) => api(method, url(), { json: body?.(c), token: c.token ?? null });
const page = (url) => (c) => c.browser.get(url());
const form = (url, fields = () => ({})) => (c) => c.browser.post(url(), fields(c));

/* Same answer for every signed-in user; anonymous, revoked and disabled callers refused. */
const everyone = (ok, refused = 401) => ({
  anon: refused, admin: ok, owner: ok, coach2: ok, anaV: ok, anaE: ok, viewerE: ok, read: ok,
  revoked: refused, disabled: refused,
});
/* Read access to the main session: not for the other coach. */
const readers = (ok) => ({ ...everyone(ok), coach2: 403 });
/* Write access to a session: owner, admin, editor shares of non-viewers. */
const editors = (ok) => ({ ...everyone(ok), coach2: 403, anaV: 403, viewerE: 403, read: 403 });
/* Pages: the API callers less the tokens, anonymous sent to sign in. */
const pages = (expect) => {
  const { read, revoked, ...rest } = expect;
  return { ...rest, anon: LOGIN, disabled: LOGIN };
};

const ROWS = [
  // JSON API
  { route: 'GET /api/v1/sessions', expect: everyone(200),
    run: json('GET', () => `/api/v1/sessions?q=${TAG}`) },
  { route: 'POST /api/v1/sessions', expect: { ...everyone(201), viewerE: 403, read: 403 },
    run: json('POST', () => '/api/v1/sessions', (c) => ({ title: `${TAG} created by ${c.name}` })) },
  { route: 'GET /api/v1/sessions/{id}', expect: readers(200),
    run: json('GET', () => `/api/v1/sessions/${fx.session.id}`) },
  { route: 'PATCH /api/v1/sessions/{id}', expect: editors(200),
    run: json('PATCH', () => `/api/v1/sessions/${fx.session.id}`, (c) => ({ venue: `set by ${c.name}` })) },
  { route: 'DELETE /api/v1/sessions/{id}', expect: editors(204),
    run: async (c) => api('DELETE', `/api/v1/sessions/${(await ownedSession('to delete')).id}`, { token: c.token ?? null }) },
  // A deleted session is judged by its backup, shares included.
  { route: 'POST /api/v1/sessions/{id}/restore', expect: editors(200),
    run: async (c) => api('POST', `/api/v1/sessions/${(await deletedSession('to restore')).id}/restore`, { token: c.token ?? null }) },
  { route: 'GET /api/v1/sessions/{id}/shares', expect: readers(200),
    run: json('GET', () => `/api/v1/sessions/${fx.session.id}/shares`) },
  { route: 'POST /api/v1/sessions/{id}/shares', expect: editors(200),
    run: json('POST', () => `/api/v1/sessions/${fx.session.id}/shares`, () => ({ email: fx.spare.email, role: 'viewer' })) },
  { route: 'DELETE /api/v1/sessions/{id}/shares/{user_id}', expect: editors(204),
    run: async (c) => {
      const share = await api('POST', `/api/v1/sessions/${fx.session.id}/shares`,
        { json: { email: fx.spare.email, role: 'viewer' }, token: who.owner.token });
      assert.equal(share.status, 200, share.text);
      return api('DELETE', `/api/v1/sessions/${fx.session.id}/shares/${fx.spare.id}`, { token: c.token ?? null });
    } },
  { route: 'GET /api/v1/tokens', expect: everyone(200), run: json('GET', () => '/api/v1/tokens') },
  { route: 'POST /api/v1/tokens', expect: { ...everyone(201), read: 403 },
    run: async (c) => {
      const r = await api('POST', '/api/v1/tokens', { json: { name: `${TAG} by ${c.name}`, scope: 'read' }, token: c.token ?? null });
      if (r.status === 201) assert.equal((await api('DELETE', `/api/v1/tokens/${r.body.id}`, { token: c.token })).status, 204);
      return r;
    } },
  { route: "DELETE /api/v1/tokens/{id} (the owner's token)",
    expect: { ...everyone(404), owner: 204, read: 403 },
    run: async (c) => api('DELETE', `/api/v1/tokens/${(await ownerToken()).id}`, { token: c.token ?? null }) },

  // Pages (browsers signed in with the login cookie; forms carry the CSRF token)
  { route: 'GET /', expect: pages(everyone(200)), run: page(() => '/') },
  { route: 'GET /sessions/{id}', expect: pages(readers(200)), run: page(() => `/sessions/${fx.session.id}`),
    next: () => `/sessions/${fx.session.id}` },
  { route: 'POST /sessions (create form)', expect: pages({ ...everyone(303), viewerE: 403 }),
    run: form(() => '/sessions', (c) => ({ title: `${TAG} form by ${c.name}`, kind: 'training' })) },
  { route: 'POST /sessions/{id} (edit form)', expect: pages(editors(303)),
    run: form(() => `/sessions/${fx.session.id}`, (c) => ({
      title: fx.session.title, kind: 'other', status: 'planned', venue: `form by ${c.name}`, starts_at: '', ends_at: '',
    })) },
  { route: 'POST /sessions/{id}/delete', expect: pages(editors(303)),
    run: async (c) => c.browser.post(`/sessions/${(await ownedSession('to delete by form')).id}/delete`, {}) },
  { route: 'POST /sessions/{id}/restore',
    expect: pages(editors(303)),
    run: async (c) => c.browser.post(`/sessions/${(await deletedSession('to restore by form')).id}/restore`, {}) },
  { route: 'GET /account', expect: pages(everyone(200)), run: page(() => '/account'), next: () => '/account' },
  { route: 'POST /account/tokens', expect: pages(everyone(201)),
    run: form(() => '/account/tokens', (c) => ({ name: `${TAG} page ${c.name}`, scope: 'read' })) },
  { route: "POST /account/tokens/{id}/revoke (the owner's token)", expect: pages({ ...everyone(404), owner: 303 }),
    run: async (c) => c.browser.post(`/account/tokens/${(await ownerToken()).id}/revoke`, {}) },
];

/* What an answer counts as in the table: its status, or 'login' for a redirect to /login. */
function outcome(res) {
  if (res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login')) return LOGIN;
  return res.status;
}
const allowed = (o) => o !== LOGIN && o >= 200 && o < 400;
const results = new Map();  // `${route}\t${caller}` -> outcome

describe('each role against each route', { skip: SKIP }, () => {
  before(async () => {
    who.anon = { token: null, browser: new Browser() };
    await who.anon.browser.get('/login');  // a CSRF cookie: its posts are refused for who it is, not for CSRF
    who.admin = { email: ADMIN_EMAIL, token: ADMIN_TOKEN, id: userId(ADMIN_EMAIL), browser: await new Browser().login() };
    for (const [name, role] of [['owner', 'coach'], ['coach2', 'coach'], ['anaV', 'analyst'], ['anaE', 'analyst'],
      ['viewerE', 'viewer'], ['disabled', 'analyst']]) {
      const u = makeUser(role);
      const id = userId(u.email);
      who[name] = { ...u, id, browser: name === 'owner' ? await new Browser().login(u.email, u.password) : await signedIn(id) };
    }
    for (const [name, what] of CALLERS) Object.assign(who[name] ??= {}, { name, what });
    fx.spare = makeUser('analyst');  // shared and unshared by the share rows
    fx.spare.id = userId(fx.spare.email);

    // The main session: a coach's, shared as viewer and editor.
    const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} coach session` }, token: who.owner.token });
    assert.equal(r.status, 201, r.text);
    fx.session = r.body;
    cleanup.push(fx.session.id);
    assert.equal(fx.session.owner_id, who.owner.id, 'the creator owns the session');
    for (const [name, role] of [['anaV', 'viewer'], ['anaE', 'editor'], ['viewerE', 'editor'], ['disabled', 'editor']]) {
      const s = await api('POST', `/api/v1/sessions/${fx.session.id}/shares`, { json: { email: who[name].email, role }, token: who.owner.token });
      assert.equal(s.status, 200, s.text);
    }

    // A read-scope token of the owner's.
    who.read.token = stint('token', 'create', '--user', who.owner.email, '--scope', 'read', '--name', `${TAG} read`).trim();

    // A token that worked, then was revoked through the API.
    const t = await ownerToken();
    assert.equal((await api('GET', '/api/v1/tokens', { token: t.token })).status, 200);
    assert.equal((await api('DELETE', `/api/v1/tokens/${t.id}`, { token: who.owner.token })).status, 204);
    who.revoked.token = t.token;

    // A user whose token and cookie worked until an administrator disabled them.
    const d = who.disabled;
    assert.equal((await api('GET', `/api/v1/sessions/${fx.session.id}`, { token: d.token })).status, 200);
    assert.equal((await d.browser.get(`/sessions/${fx.session.id}`)).status, 200);
    stint('user', 'disable', d.email);
  });

  for (const row of ROWS) {
    for (const [name] of CALLERS) {
      if (!(name in row.expect)) continue;
      const e = row.expect[name];
      const want = typeof e === 'object' ? e.want : e;
      it(`${row.route} as ${name} -> ${want}`, { todo: e.todo }, async () => {
        const res = await row.run(who[name]);
        const got = outcome(res);
        results.set(`${row.route}\t${name}`, got);
        assert.equal(got, want, `${row.route} as ${who[name].what}: ${res.status} ${res.headers.get('location') ?? ''} ` +
          `${(res.text ?? res.html ?? '').slice(0, 300)}`);
        if (typeof got === 'number' && got >= 400 && row.route.includes(' /api/')) {
          assert.equal(res.body.error.code, { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[got]);
          if (got === 401) assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="stint"');
        }
        if (got === LOGIN) {
          // back to the page after signing in; after a form, to the dashboard
          const next = new URL(res.headers.get('location'), BASE).searchParams.get('next');
          assert.equal(next, row.next?.() ?? '/');
        }
      });
    }
  }

  it('the table: allowed (✓) and refused (✗) per caller', (t) => {
    const width = Math.max(...ROWS.map((r) => r.route.length));
    const names = CALLERS.map(([n]) => n);
    t.diagnostic(`${'route'.padEnd(width)}  ${names.map((n) => n.padStart(8)).join(' ')}`);
    for (const row of ROWS) {
      const cells = names.map((n) => {
        if (!(n in row.expect)) return '—'.padStart(8);
        const got = results.get(`${row.route}\t${n}`);
        const e = row.expect[n];
        const mark = got === undefined ? '?' : (allowed(got) ? '✓' : '✗') + String(got) + (e.todo ? '!' : '');
        return mark.padStart(8);
      });
      t.diagnostic(`${row.route.padEnd(width)}  ${cells.join(' ')}`);
    }
    t.diagnostic(`callers: ${CALLERS.map(([n, w]) => `${n} = ${w}`).join('; ')}`);
    const bugs = ROWS.some((r) => Object.values(r.expect).some((e) => e.todo));
    t.diagnostic(`login = 303 to /login${bugs ? "; ! = a known bug (expected otherwise, see the test's todo)" : ''}`);
  });
});

// --- the rules around the table --------------------------------------------------------------

describe('access rules', { skip: SKIP }, () => {
  after(async () => {
    for (const id of cleanup) await api('DELETE', `/api/v1/sessions/${id}`);
  });

  it("another user's session is invisible in lists and on the dashboard", async () => {
    const title = fx.session.title;
    const list = async (name) => (await api('GET', `/api/v1/sessions?q=${TAG}+coach+session`, { token: who[name].token })).body;
    for (const name of ['admin', 'owner', 'anaV', 'anaE', 'viewerE']) {
      assert.deepEqual((await list(name)).items.map((s) => s.id), [fx.session.id], `${name} sees it`);
    }
    assert.deepEqual(await list('coach2'), { items: [], total: 0, limit: 50, offset: 0 }, 'not even counted');
    const all = await api('GET', `/api/v1/sessions?q=${TAG}&limit=1000`, { token: who.coach2.token });
    assert.ok(all.body.items.every((s) => s.owner_id === who.coach2.id), 'the other coach sees only their own');

    for (const name of ['admin', 'owner', 'anaV']) {
      const dash = await who[name].browser.get(`/?q=${encodeURIComponent(title)}`);
      assert.ok(dash.html.includes(`href="/sessions/${fx.session.id}"`), `${name}'s dashboard shows it`);
    }
    const dash = await who.coach2.browser.get(`/?q=${TAG}`);
    assert.equal(dash.status, 200);
    assert.ok(!dash.html.includes(title) && !dash.html.includes(fx.session.id), "the other coach's dashboard does not");
  });

  it("the dashboard's deleted notice names only sessions the caller may restore", async () => {
    const s = await deletedSession('secret title');
    const notice = `Session “${s.title}” deleted.`;
    for (const name of ['owner', 'admin', 'anaE']) {
      assert.ok((await who[name].browser.get(`/?deleted=${s.id}`)).html.includes(notice), `${name} is offered to restore`);
    }
    for (const name of ['coach2', 'anaV', 'viewerE']) {
      const dash = await who[name].browser.get(`/?deleted=${s.id}`);
      assert.equal(dash.status, 200);
      assert.ok(!dash.html.includes(s.title), `${name} is shown the title of a deleted session they cannot restore`);
    }
    assert.equal((await api('GET', `/api/v1/sessions/${s.id}`, { token: who.anaE.token })).status, 404);
  });

  it('a restored session keeps its shares', async () => {
    const s = await deletedSession('restored with shares');
    const r = await api('POST', `/api/v1/sessions/${s.id}/restore`, { token: who.owner.token });
    assert.equal(r.status, 200, r.text);
    const shares = await api('GET', `/api/v1/sessions/${s.id}/shares`, { token: who.owner.token });
    assert.deepEqual(shares.body.map((x) => [x.email, x.role]).sort(),
      [[who.anaV.email, 'viewer'], [who.anaE.email, 'editor'], [who.viewerE.email, 'editor']].sort());
    assert.equal((await api('PATCH', `/api/v1/sessions/${s.id}`, { json: { venue: 'back' }, token: who.anaE.token })).status, 200);
  });

  it('the login cookie works on the JSON API; a Bearer header, when sent, decides alone', async () => {
    const b = who.anaV.browser;
    assert.equal((await withCookie(b, 'GET', `/api/v1/sessions/${fx.session.id}`)).status, 200);
    assert.equal((await withCookie(b, 'PATCH', `/api/v1/sessions/${fx.session.id}`, { json: { venue: 'x' } })).status, 403);
    const bad = await withCookie(b, 'GET', `/api/v1/sessions/${fx.session.id}`, { token: `st_${'0'.repeat(64)}` });
    assert.equal(bad.status, 401);
  });

  it('a viewer shared as editor, and a read-scope token, change nothing', async () => {
    const before = (await api('GET', `/api/v1/sessions/${fx.session.id}`)).body;
    await api('PATCH', `/api/v1/sessions/${fx.session.id}`, { json: { title: 'hijacked' }, token: who.viewerE.token });
    await api('PATCH', `/api/v1/sessions/${fx.session.id}`, { json: { title: 'hijacked' }, token: who.read.token });
    await who.viewerE.browser.post(`/sessions/${fx.session.id}`, { title: 'hijacked', kind: 'other', status: 'planned' });
    assert.deepEqual((await api('GET', `/api/v1/sessions/${fx.session.id}`)).body, before);
  });

  it('a form post without the CSRF token is refused (403) even when signed in, and changes nothing', async () => {
    const b = who.owner.browser;
    const before = (await api('GET', `/api/v1/sessions/${fx.session.id}`)).body;
    for (const csrf of [null, 'f'.repeat(64)]) {
      const edit = await b.post(`/sessions/${fx.session.id}`, { title: 'csrf attack', kind: 'other', status: 'planned' }, { csrf });
      assert.equal(edit.status, 403, `edit with csrf=${csrf}`);
      assert.equal((await b.post(`/sessions/${fx.session.id}/delete`, {}, { csrf })).status, 403);
      assert.equal((await b.post('/account/tokens', { name: 'csrf', scope: 'write' }, { csrf })).status, 403);
      assert.equal((await b.post('/logout', {}, { csrf })).status, 403);
    }
    assert.deepEqual((await api('GET', `/api/v1/sessions/${fx.session.id}`)).body, before, 'nothing changed');
    assert.equal((await b.get('/')).status, 200, 'still signed in: the logout without a token did nothing');
  });

  it('the account page shows a new token once; revoking it there makes it fail', async () => {
    const b = who.owner.browser;
    const name = `${TAG} from the page`;
    const made = await b.post('/account/tokens', { name, scope: 'write' });
    assert.equal(made.status, 201);
    const token = made.html.match(/<code class="token">(st_[0-9a-f]{64})<\/code>/)?.[1];
    assert.ok(token, 'the new token is on the page');
    assert.match(made.html, /shown once/);
    assert.equal((await api('GET', `/api/v1/sessions/${fx.session.id}`, { token })).status, 200, 'it works');

    const again = await b.get('/account');
    assert.equal(again.status, 200);
    assert.ok(again.html.includes(name), 'listed by name');
    assert.ok(!again.html.includes(token.slice(3)), 'but never shown again');

    const id = (await api('GET', '/api/v1/tokens', { token })).body.find((t) => t.name === name).id;
    assert.ok(again.html.includes(`action="/account/tokens/${id}/revoke"`));
    const revoked = await b.post(`/account/tokens/${id}/revoke`, {});
    assert.equal(revoked.status, 303);
    assert.equal(revoked.headers.get('location'), '/account?revoked=1');
    const gone = await api('GET', `/api/v1/sessions/${fx.session.id}`, { token });
    assert.equal(gone.status, 401, 'a revoked token is refused');
    assert.equal(gone.body.error.code, 'unauthorized');
    assert.equal((await b.post(`/account/tokens/${id}/revoke`, {})).status, 404, 'revoked once');
  });

  it('5 wrong passwords lock the account: the 6th attempt, even right, answers 429 with Retry-After', async () => {
    const u = makeUser('coach');
    const b = new Browser();
    await b.get('/login');
    for (let i = 1; i <= 5; i++) {
      const r = await b.post('/login', { email: u.email, password: `wrong${i}`, next: '/' });
      assert.equal(r.status, 401, `wrong password ${i}`);
      assert.match(r.html, /The email or the password is wrong\./);
    }
    const locked = await b.post('/login', { email: u.email, password: u.password, next: '/' });
    assert.equal(locked.status, 429, 'the right password while locked');
    const retry = Number(locked.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 30, `Retry-After: ${locked.headers.get('retry-after')}`);
    assert.match(locked.html, /Too many failed attempts for this account\. Try again in \d+ seconds\./);
    assert.ok(!b.cookies.get('stint_session'), 'no login cookie');
    const failed = sql(`SELECT count(*) FROM audit_log WHERE action = 'login.failed'
      AND target_type = 'user' AND target_id = ${q(userId(u.email))}`);
    assert.deepEqual(failed, ['5'], 'each failure is in the audit log');
    // The lockout is per account: its API token still works (scripts are not locked out).
    assert.equal((await api('GET', '/api/v1/tokens', { token: u.token })).status, 200);
  });

  it('logout ends the login: the old cookie leads to the login page and the API refuses it', async () => {
    const b = who.coach2.browser;
    const old = b.cookies.get('stint_session');
    assert.ok(old);
    const out = await b.post('/logout', {});
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/login?signed_out=1');
    assert.match(out.headers.getSetCookie().find((c) => c.startsWith('stint_session=')) ?? '', /Max-Age=0/);
    const stale = new Browser();
    stale.cookies.set('stint_session', old);
    const home = await stale.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/login?next=%2F');
    assert.equal((await withCookie(stale, 'GET', '/api/v1/sessions')).status, 401);
  });

  it('the audit log records who changed what', async () => {
    const rows = sql(`SELECT a.action || ' ' || coalesce(u.email, '-') FROM audit_log a
      LEFT JOIN users u ON u.id = a.user_id WHERE a.target_type = 'session' AND a.target_id = ${q(fx.session.id)}
      ORDER BY a.id`);
    const has = (line) => assert.ok(rows.includes(line), `audit_log lacks "${line}"; has:\n${rows.join('\n')}`);
    has(`session.create ${who.owner.email}`);
    has(`session.share ${who.owner.email}`);
    has(`session.update ${who.anaE.email}`);
    has(`session.update ${ADMIN_EMAIL}`);
    has(`session.share ${who.anaE.email}`);
    has(`session.unshare ${who.owner.email}`);
    assert.ok(!rows.some((r) => r.endsWith(who.coach2.email) || r.endsWith(who.anaV.email)), 'nothing by those refused');
    const mine = sql(`SELECT DISTINCT action FROM audit_log WHERE user_id = ${who.owner.id} ORDER BY 1`);
    for (const action of ['login', 'session.create', 'session.delete', 'session.restore', 'session.share',
      'session.unshare', 'session.update', 'token.create', 'token.revoke']) {
      assert.ok(mine.includes(action), `no ${action} by the owner in ${mine}`);
    }
    const share = sql(`SELECT detail->>'email' FROM audit_log WHERE action = 'session.share'
      AND target_id = ${q(fx.session.id)} ORDER BY id LIMIT 1`);
    assert.deepEqual(share, [who.anaV.email], 'a share records with whom');
  });
  // A session's document is read in the same round trip as the caller's
  // access check (the route's prefetch, lib/server.c): it must reach only
  // those the check lets through, and never be older than the request.
  it("a caller refused a session gets none of its document; a change shows in the next read", async () => {
    const id = fx.session.id;
    const secret = fx.session.title;
    for (const name of ['coach2', 'revoked', 'disabled', 'anon']) {
      const r = await api('GET', `/api/v1/sessions/${id}`, { token: who[name].token ?? null });
      assert.ok([401, 403].includes(r.status), `${name}: ${r.status}`);
      assert.ok(!r.text.includes(secret) && !r.text.includes('"teams"'), `${name} got part of the session: ${r.text}`);
    }
    const outsider = await signedIn(who.coach2.id);  // coach2's own browser has logged out above
    for (const view of ['', '/stats', '/live', '/board', '/replay']) {
      const p = await outsider.get(`/sessions/${id}${view}`);
      assert.equal(p.status, 403, view);
      assert.ok(!p.html.includes(secret), `the other coach saw the title on /sessions/{id}${view}`);
    }
    const renamed = `${secret} (renamed)`;
    try {
      assert.equal((await api('PATCH', `/api/v1/sessions/${id}`, { json: { title: renamed }, token: who.owner.token })).status, 200);
      assert.equal((await api('GET', `/api/v1/sessions/${id}`, { token: who.anaV.token })).body.title, renamed);
      assert.equal((await withCookie(who.anaV.browser, 'GET', `/api/v1/sessions/${id}`)).body.title, renamed);
      for (const view of ['', '/board']) {
        assert.ok((await who.anaV.browser.get(`/sessions/${id}${view}`)).html.includes(renamed), view);
      }
    } finally {
      await api('PATCH', `/api/v1/sessions/${id}`, { json: { title: secret }, token: who.owner.token });
    }
  });
});
