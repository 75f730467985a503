// roles.test.mjs: every route of the route manifest (lib/routes.def, read
// through bin/stint-routes) under every caller, with the answer its access
// level implies. Nothing here is written per route: a route added to the
// manifest is covered by this file as it stands.
//
// The callers: anonymous, the administrator, the coach who owns the session,
// another coach, an analyst with a viewer share, an analyst with an editor
// share, a viewer-role user with an editor share, a read-scope token of the
// owner's, a revoked token, a disabled user, and the administrator naming a
// session that does not exist. JSON routes are called with each caller's API
// token, pages with a browser signed in as the caller (tokens do not apply).
//
// What the access level implies (lib/route.h, lib/auth.c):
//   nobody signed in (anonymous, revoked token, disabled user): 401 for the
//     API, a redirect to /login for pages;
//   a read-scope token writing: 403;
//   AUTHOR: 403 for the viewer role;
//   COACH (team settings): 403 for the analyst and viewer roles;
//   SESSION_VIEWER: 403 for the coach the session is not shared with;
//   SESSION_EDITOR, DELETED_SESSION_EDITOR: 403 also for viewer shares and
//     the viewer role;
//   a session that does not exist: 404;
//   a task's own routes (/api/v1/tasks/:uuid...): SIGNED_IN in the manifest, the handler checks
//     the task's access (lib/tasks.h): a task of a session follows the session, but a caller who
//     may not see it gets 404, not 403 (its existence is not told): reading (TASK_VIEWER) is 404
//     for the coach the session is not shared with; changing (TASK_EDITOR) also 403 for viewer
//     shares and the viewer role; a task that does not exist: 404;
//   anyone else is let through: the handler answers (its answer, e.g. 404
//     for a row id that does not exist or 415 for the missing body, is the
//     handler's and only has to be neither a refusal nor a server error).
// PUBLIC routes are let through for anonymous callers and the administrator.
// METRICS (/metrics): the administrator, and an anonymous caller from loopback (every test
//   request is one); a credential that is sent is checked: 401 for the revoked token and the
//   disabled user, 403 for every other role.
//
// The requests carry no body. A route's ":uuid" is the owner's session,
// shared as above, except where a call would end it (DELETE of the session,
// POST .../delete): a new session per call; and DELETED_SESSION_EDITOR
// routes get a session deleted for the call. A task route's ":uuid" is a
// task of that session (a new one per call where the call ends it, a new cancelled one for a
// retry). ":id" is a row id that does not
// exist. Each page call uses a browser of its own (a logout ends only that
// login).
//
// Run against a stack: STINT_TEST_URL=http://127.0.0.1:18080 STINT_TEST_PREFIX=var \
//   node --test tests/integration/roles.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import { ADMIN_EMAIL, ADMIN_TOKEN, BASE, Browser, PREFIX, REPO, api, makeUser, routeManifest, stint } from './lib.mjs';

const SKIP = PREFIX ? false : 'STINT_TEST_PREFIX is not set (the stack whose users the tests make)';
const TAG = `roles${randomBytes(4).toString('hex')}`;
const ROUTES = routeManifest().routes;
const NO_ROW = '999999999999';
const LOGIN = 'login';

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

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
  ['missing', 'admin, a session that does not exist'],
];
const who = {};
const fx = {};
const cleanup = [];

const isSessionRoute = (r) => r.access.includes('SESSION');
const isTaskRoute = (r) => r.pattern.startsWith('/api/v1/tasks/:uuid');
/* The access a route is checked with: the manifest's, or a task route's (see above). */
const accessOf = (r) => (isTaskRoute(r) ? (r.method === 'GET' ? 'TASK_VIEWER' : 'TASK_EDITOR') : r.access);
const isPage = (r) => r.format === 'HTML' || r.format === 'FRAGMENT';  // FRAGMENT: seed 000's HTMX fragments
const endsSession = (r) => /\/:uuid\/?$/.test(r.pattern) ? r.method === 'DELETE' : /\/:uuid\/delete$/.test(r.pattern);

/* The callers a route is tried with. */
function callersOf(r) {
  if (r.access === 'PUBLIC') return ['anon', 'admin'];
  return CALLERS.map(([n]) => n).filter((n) =>
    !(isPage(r) && ['read', 'revoked'].includes(n)) && (n !== 'missing' || isSessionRoute(r) || isTaskRoute(r)));
}

/* The answer route r's access level implies for caller n: a status, LOGIN, or 'allowed'. */
function expected(r, n) {
  if (r.access === 'PUBLIC') return 'allowed';
  if (r.access === 'METRICS' && n === 'anon') return 'allowed';  // no credential, a loopback peer
  if (['anon', 'revoked', 'disabled'].includes(n)) return isPage(r) ? LOGIN : 401;
  if (n === 'read' && r.method !== 'GET') return 403;
  if (n === 'missing') return 404;
  if (isTaskRoute(r) && n === 'coach2') return 404;
  const refused = {
    AUTHOR: ['viewerE'],
    SESSION_VIEWER: ['coach2'],
    SESSION_EDITOR: ['coach2', 'anaV', 'viewerE'],
    DELETED_SESSION_EDITOR: ['coach2', 'anaV', 'viewerE'],
    ADMIN: ['owner', 'coach2', 'anaV', 'anaE', 'viewerE', 'read'],
    COACH: ['anaV', 'anaE', 'viewerE'],
    METRICS: ['owner', 'coach2', 'anaV', 'anaE', 'viewerE', 'read'],
    TASK_EDITOR: ['anaV', 'viewerE'],
  }[accessOf(r)] ?? [];
  return refused.includes(n) ? 403 : 'allowed';
}

/* A session owned by the coach, shared with anaV (viewer), anaE and viewerE (editor). */
async function ownedSession(title) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} ${title}` }, token: who.owner.token });
  assert.equal(r.status, 201, r.text);
  for (const [name, role] of [['anaV', 'viewer'], ['anaE', 'editor'], ['viewerE', 'editor']]) {
    const s = await api('POST', `/api/v1/sessions/${r.body.id}/shares`,
      { json: { email: who[name].email, role }, token: who.owner.token });
    assert.equal(s.status, 200, s.text);
  }
  cleanup.push(r.body.id);
  return r.body.id;
}

/* The session id a call of route r as caller n names. */
async function sessionFor(r, n) {
  if (n === 'missing') return randomUUID();
  if (r.access === 'DELETED_SESSION_EDITOR') {
    const id = await ownedSession('to restore');
    assert.equal((await api('DELETE', `/api/v1/sessions/${id}`, { token: who.owner.token })).status, 204);
    return id;
  }
  return endsSession(r) ? ownedSession('to end') : fx.session;
}

/*
 * A task of the owner's session (a new one when the call ends or changes it: a retry's is a new
 * cancelled one), as the owner makes it.
 */
async function taskFor(r, n) {
  if (n === 'missing') return randomUUID();
  const retry = r.pattern.endsWith('/retry');
  if (r.method !== 'DELETE' && !retry && fx.task) return fx.task;
  const t = await api('POST', '/api/v1/tasks',
    { json: { task_type: 'noop', session_id: fx.session, dedupe_key: randomUUID() }, token: who.owner.token });
  assert.equal(t.status, 201, t.text);
  if (retry) assert.equal((await api('DELETE', `/api/v1/tasks/${t.body.task_id}`, { token: who.owner.token })).status, 200);
  else if (r.method !== 'DELETE') fx.task = t.body.task_id;
  return t.body.task_id;
}

/* A browser with caller n's next unused login (none for anonymous) and a CSRF cookie. */
function browserOf(n) {
  const b = new Browser();
  const cookie = who[n].cookies?.pop();
  if (n !== 'anon') assert.ok(cookie, `no login left for ${n}`);
  if (cookie) b.cookies.set('stint_session', cookie);
  b.login = cookie;  // handed back by call() when the rate limit refused the call
  b.cookies.set('stint_csrf', randomBytes(32).toString('hex'));
  return b;
}

/*
 * Calls route r as caller n: { status, location, body }. A 429 is the per-address rate limit, which
 * this many calls from one address can reach: no access decision, so wait as it says and call again.
 * The refused call never reached its handler, so a page call's login is still unused: it goes back
 * to the caller's logins for the next try (each page call is counted one login, not one per try).
 */
async function call(r, n) {
  for (let i = 0; ; i++) {
    const res = await callOnce(r, n);
    if (res.status !== 429 || i === 10) return res;
    if (res.cookie) who[n].cookies.push(res.cookie);
    await new Promise((done) => setTimeout(done, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
}

async function callOnce(r, n) {
  const sid = !r.pattern.includes(':uuid') ? null : isTaskRoute(r) ? await taskFor(r, n) : await sessionFor(r, n);
  // a second ":uuid" (an upload's id, /api/v1/sessions/:uuid/uploads/:uuid) is one that does not exist
  const url = r.pattern.replace(':uuid', sid).replace(/:uuid\b/g, randomUUID()).replace(/:id\b/g, NO_ROW);
  if (isPage(r)) {
    const b = browserOf(n);
    // a form's token is signed for its login (lib/csrf.h): take it from a page, as a browser does
    // (the login form's from the login page, signed before any login)
    if (r.method !== 'GET') {
      const form = await b.get(n === 'anon' || r.access === 'PUBLIC' ? '/login' : '/');
      if (form.status === 429) return { status: 429, location: '', text: form.html, headers: form.headers, cookie: b.login };
    }
    // an HTMX write (body HTMX) is checked by HX-Request and Origin instead of the form's token
    const res = r.method === 'GET' ? await b.get(url)
      : r.body === 'HTMX' ? await b.post(url, {}, { headers: { 'hx-request': 'true', origin: BASE } }) : await b.post(url, {});
    return { status: res.status, location: res.headers.get('location') ?? '', text: res.html, headers: res.headers,
      cookie: b.login };
  }
  const token = n === 'anon' ? null : who[n].token;
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const stream = url.startsWith('/live/') || url.startsWith('/ws/');  // seed 001's sockets are subscriptions too
  if (stream) headers.accept = 'text/event-stream';  // a subscription answers at once, then streams
  const ctrl = new AbortController();
  const res = await fetch(BASE + url, { method: r.method, headers, redirect: 'manual', signal: ctrl.signal });
  const text = res.status === 200 && stream ? '' : await res.text();
  ctrl.abort();
  let body = null;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json') && text) body = JSON.parse(text);
  return { status: res.status, location: res.headers.get('location') ?? '', text, body, headers: res.headers };
}

/* A status, or LOGIN for the redirect to sign in first (a logout's own redirect to /login is not one). */
function outcome(res) {
  if (res.status === 303 && res.location.startsWith('/login?next=')) return LOGIN;
  // htmx's request for a fragment (HX-Request): 401 with HX-Redirect to sign in (lib/auth.c)
  if (res.status === 401 && (res.headers.get('hx-redirect') ?? '').startsWith('/login?next=')) return LOGIN;
  return res.status;
}

const results = new Map();

describe('every route of the manifest under every caller', { skip: SKIP }, () => {
  before(async () => {
    who.anon = {};
    who.admin = { email: ADMIN_EMAIL, token: ADMIN_TOKEN };
    for (const [name, role] of [['owner', 'coach'], ['coach2', 'coach'], ['anaV', 'analyst'], ['anaE', 'analyst'],
      ['viewerE', 'viewer'], ['disabled', 'analyst']]) {
      who[name] = makeUser(role);
    }
    who.missing = { ...who.admin };
    for (const [name, what] of CALLERS) Object.assign(who[name] ??= {}, { name, what });

    // Logins made as /login makes them (the SHA-256 of a random cookie value),
    // one per page call, in one statement.
    const rows = [];
    for (const [name] of CALLERS) {
      const email = who[name].email;
      if (!email) continue;
      const pages = ROUTES.filter((r) => isPage(r) && callersOf(r).includes(name)).length + 1;  // +1: the check below
      who[name].cookies = [];
      for (let i = 0; i < pages; i++) {
        const cookie = randomBytes(32).toString('hex');
        who[name].cookies.push(cookie);
        const hash = createHash('sha256').update(cookie).digest('hex');
        rows.push(`((SELECT id FROM users WHERE email = ${q(email)}), '\\x${hash}'::bytea, now() + interval '1 hour')`);
      }
    }
    sql(`INSERT INTO web_sessions (user_id, token_hash, expires_at) VALUES ${rows.join(', ')}`);
    const home = await browserOf('owner').get('/');
    assert.equal(home.status, 200, 'a login made here works');
    fx.session = await ownedSession('shared');
    who.read.token = stint('token', 'create', '--user', who.owner.email, '--scope', 'read', '--name', `${TAG} read`).trim();
    const t = await api('POST', '/api/v1/tokens', { json: { name: `${TAG} revoked`, scope: 'write' }, token: who.owner.token });
    assert.equal(t.status, 201, t.text);
    assert.equal((await api('DELETE', `/api/v1/tokens/${t.body.id}`, { token: who.owner.token })).status, 204);
    who.revoked.token = t.body.token;
    assert.equal((await api('GET', '/api/v1/tokens', { token: who.disabled.token })).status, 200);
    stint('user', 'disable', who.disabled.email);
  });

  after(async () => {
    for (const id of cleanup) await api('DELETE', `/api/v1/sessions/${id}`);
  });

  it('covers every route of the manifest', () => {
    assert.ok(ROUTES.length >= 61, `${ROUTES.length} routes in the manifest`);
    for (const r of ROUTES) assert.ok(callersOf(r).length >= 2, `${r.method} ${r.pattern}`);
  });

  for (const r of ROUTES) {
    const route = `${r.method} ${r.pattern}`;
    for (const n of callersOf(r)) {
      const want = expected(r, n);
      it(`${route} as ${n} -> ${want}`, async () => {
        const res = await call(r, n);
        const got = outcome(res);
        results.set(`${route}\t${n}`, got);
        const said = `${route} as ${who[n].what}: ${res.status} ${res.location} ${res.text.slice(0, 200)}`;
        if (want === 'allowed') {
          assert.ok(got !== LOGIN && got !== 401 && got !== 403 && got < 500, said);
          // a task route's task exists and is the caller's to see: the handler answers it
          if (isTaskRoute(r)) assert.ok(got < 300, said);
          return;
        }
        assert.equal(got, want, said);
        if (r.format === 'JSON') {
          assert.equal(res.body?.error?.code, { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[got], said);
          if (got === 401) assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="stint"');
        }
      });
    }
  }

  it('the table: allowed (✓) and refused (✗) per caller', (t) => {
    const width = Math.max(...ROUTES.map((r) => r.method.length + r.pattern.length + 1));
    const names = CALLERS.map(([n]) => n);
    t.diagnostic(`${'route'.padEnd(width)}  ${names.map((n) => n.slice(0, 7).padStart(7)).join(' ')}`);
    for (const r of ROUTES) {
      const route = `${r.method} ${r.pattern}`;
      const cells = names.map((n) => {
        if (!callersOf(r).includes(n)) return '—'.padStart(7);
        const got = results.get(`${route}\t${n}`);
        const refused = got === LOGIN || got === 401 || got === 403 || got === 404 && expected(r, n) === 404;
        return (got === undefined ? '?' : `${refused ? '✗' : '✓'}${got}`).padStart(7);
      });
      t.diagnostic(`${route.padEnd(width)}  ${cells.join(' ')}`);
    }
    t.diagnostic(`${ROUTES.length} routes; callers: ${CALLERS.map(([n, w]) => `${n} = ${w}`).join('; ')}`);
  });
});
