// openapi.test.mjs: docs/openapi.yaml against the code and the running server.
//
// 1. Every operation in the document is called for real (a table of examples
//    keyed by operationId; an operation without one fails), and each answer
//    must be documented for it: status, required headers, body schema.
// 2. Both ways: every JSON route of the route manifest (lib/routes.def, read
//    through bin/stint-routes) is documented, and every documented operation
//    is a route in it.
// 3. Field and parameter rules: the document's schemas and the server agree
//    on which inputs are valid.
// 4. Security: every operation but the two probes requires a credential and
//    answers 401 without one; the access rules (roles, shares, token scopes, the
//    CSRF header of cookie-authenticated writes) are examples. Every route
//    under every caller is roles.test.mjs.
//
// Files and streams (downloads, uploads, server-sent events) are checked for
// status, headers and content type; their bytes are not validated by a schema.
//
// Run against a stack: STINT_TEST_URL=http://127.0.0.1:18080 STINT_TEST_PREFIX=var \
//   node --test tests/integration/openapi.test.mjs
// Without STINT_TEST_URL only the checks that need no server run.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import WebSocket from 'ws';
import YAML from 'yaml';

import { ADMIN_EMAIL, ADMIN_TOKEN, Browser, PREFIX, makeUser, routeManifest, tokenFor } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = (process.env.STINT_TEST_URL ?? '').replace(/\/+$/, '');
const doc = YAML.parse(readFileSync(path.join(ROOT, 'docs', 'openapi.yaml'), 'utf8'));
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// --- the document -----------------------------------------------------------

const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/* The value at JSON pointer ptr ("#/a/b") in the document, or undefined. */
function at(ptr) {
  return ptr.slice(2).split('/').reduce(
    (o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/* Follow an OpenAPI $ref chain from ptr: [pointer of the target, target]. */
function follow(ptr) {
  let obj = at(ptr);
  while (obj?.$ref) {
    ptr = obj.$ref;
    obj = at(ptr);
  }
  return [ptr, obj];
}

/* operationId -> { method, path, op, ptr } */
const operations = new Map();
for (const [p, item] of Object.entries(doc.paths)) {
  for (const m of HTTP_METHODS) {
    if (item[m]) {
      operations.set(item[m].operationId, {
        method: m.toUpperCase(), path: p, op: item[m], ptr: `#/paths/${escapePointer(p)}/${m}`,
      });
    }
  }
}

// The whole document is one schema resource, so every "#/components/..." $ref
// resolves as in the document; its OpenAPI-only top-level keys are declared as
// keywords without meaning. Schemas are compiled by JSON pointer, in strict mode.
const DOC_ID = 'https://stint.invalid/openapi.yaml';
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks',
  'components', 'security', 'tags', 'externalDocs']);
ajv.addSchema(doc, DOC_ID);

function validator(ptr) {
  const fragment = ptr.slice(1).split('/').map(encodeURIComponent).join('/');
  const v = ajv.getSchema(`${DOC_ID}#${fragment}`);
  assert.ok(v, `no schema at ${ptr}`);
  return v;
}

function isValid(ptr, value) {
  return validator(ptr)(value);
}

function assertValid(ptr, value, what) {
  const v = validator(ptr);
  assert.ok(v(value), `${what}: ${ajv.errorsText(v.errors, { dataVar: 'body' })}\n` +
    `got: ${JSON.stringify(value)?.slice(0, 2000)}`);
}

/* Header and query values are text; an integer or number schema is checked on the number. */
function headerValue(schemaPtr, text) {
  const [, schema] = follow(schemaPtr);
  if (schema?.type === 'integer' && /^-?\d+$/.test(text)) return Number(text);
  if (schema?.type === 'number' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}

// --- the server ---------------------------------------------------------------

/* The body of a stream that was not read (check() looks only at its status and headers). */
const UNREAD = Symbol('unread');

/*
 * One request; body is the parsed JSON answer, the text, or null when empty.
 * Sent with the administrator's token unless `token` names another (null: none).
 * `headers` are added. A successful answer is not read as text with `binary`
 * (body: a Buffer of the bytes) or `stream` (body: UNREAD, the connection is
 * closed once the headers arrived); `timeout` (ms) bounds the whole request.
 */
async function call(method, url, {
  json, raw, type, token = ADMIN_TOKEN, headers: extra = {}, binary = false, stream = false, timeout = 60000,
} = {}) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  let body = raw;
  if (json !== undefined) {
    body = JSON.stringify(json);
    type ??= 'application/json';
  }
  if (type) headers['content-type'] = type;
  Object.assign(headers, extra);
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new Error(`${method} ${url}: no answer in ${timeout} ms`)), timeout);
  try {
    // a 429 is the per-address rate limit (200 r/s, burst 400) that this many calls in a row
    // reach: wait as Retry-After says and ask again, as a client would (no example expects 429)
    let res;
    for (let tries = 0; ; tries++) {
      res = await fetch(BASE + url, { method, headers, body, redirect: 'manual', signal: ctrl.signal });
      if (res.status !== 429 || tries === 20) break;
      await res.arrayBuffer();
      await new Promise((done) => setTimeout(done, 1000 * Number(res.headers.get('retry-after') ?? 1)));
    }
    if (stream && res.status < 300) {
      ctrl.abort();
      return { res, body: UNREAD };
    }
    if (binary && res.status < 300) return { res, body: Buffer.from(await res.arrayBuffer()) };
    return { res, body: parse(await res.text()) };
  } finally {
    clearTimeout(timer);
  }
}

function parse(text) {
  let parsed = text === '' ? null : text;
  try {
    parsed = JSON.parse(text);
  } catch { /* not JSON: kept as text, and no schema will accept it */ }
  return parsed;
}

/* The documented media type for Content-Type type: exact, then type/*, then * / *. */
function mediaType(content, type) {
  return [type, `${type.split('/')[0]}/*`, '*/*'].find((t) => t in content);
}

const seen = new Map();  // operationId -> statuses answered

/*
 * Check one answer of operation opId against the document: its status is
 * documented for opId, headers marked required are there (and every
 * documented header that is there matches its schema), and the body
 * validates against the documented schema of its media type (no body when
 * none is documented). Error bodies must also be an Error.
 */
function check(opId, res, body) {
  const o = operations.get(opId);
  assert.ok(o, `no operation ${opId} in the document`);
  const status = String(res.status);
  const what = `${opId} ${o.method} ${o.path} -> ${status}`;
  assert.ok(status in o.op.responses,
    `${what}: status not documented (documented: ${Object.keys(o.op.responses).join(', ')}); ` +
    `body: ${JSON.stringify(body)}`);
  seen.set(opId, new Set([...(seen.get(opId) ?? []), status]));

  const [rptr, response] = follow(`${o.ptr}/responses/${status}`);
  for (const name of Object.keys(response.headers ?? {})) {
    const [hptr, header] = follow(`${rptr}/headers/${escapePointer(name)}`);
    const value = res.headers.get(name);
    if (header.required) assert.notEqual(value, null, `${what}: header ${name} is missing`);
    if (value !== null) {
      assertValid(`${hptr}/schema`, headerValue(`${hptr}/schema`, value), `${what}: header ${name}`);
    }
  }
  if (!response.content) {
    assert.equal(body, null, `${what}: no body is documented`);
    return body;
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const documented = type && mediaType(response.content, type);
  assert.ok(documented,
    `${what}: Content-Type ${type || '(none)'} is not one of ${Object.keys(response.content)}`);
  if (body === UNREAD || !response.content[documented].schema) return body;  // a stream or a file
  assertValid(`${rptr}/content/${escapePointer(documented)}/schema`, body, what);
  if (res.status >= 400) assertValid('#/components/schemas/Error', body, `${what} (Error)`);
  return body;
}

// --- fixtures -------------------------------------------------------------------

/* One value from the test stack's database (bin/stint psql; --prefix must come first). */
function sql(query) {
  return execFileSync(path.join(ROOT, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
}

const TAG = `oa${randomUUID().slice(0, 8)}`;  // marks this run's sessions
const created = [];  // ids to delete afterwards
const fx = {};       // shared fixtures, made in before()
const UNKNOWN_TOKEN = `st_${'0'.repeat(64)}`;

/* Create a session through the API (checked as createSession). */
async function newSession(fields = {}) {
  const { res, body } = await call('POST', '/api/v1/sessions',
    { json: { title: `${TAG} fixture`, ...fields } });
  if (res.status === 201) created.push(body.id);
  check('createSession', res, body);
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

const sessionUrl = (id) => `/api/v1/sessions/${id}`;
const sharesUrl = (id) => `/api/v1/sessions/${id}/shares`;

/* Create an API token for the administrator through the API (checked as createToken). */
async function newToken(scope = 'write', token = ADMIN_TOKEN) {
  const { res, body } = await call('POST', '/api/v1/tokens', { json: { name: `${TAG} ${scope}`, scope }, token });
  check('createToken', res, body);
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

/* Call operation opId (checked) and expect a status. */
async function expectCall(opId, status, method, url, opts) {
  const { res, body } = await call(method, url, opts);
  check(opId, res, body);
  assert.equal(res.status, status, `${method} ${url}: ${JSON.stringify(body)}`);
  return body;
}
const fieldsOf = (body) => Object.keys(body?.error?.fields ?? {}).sort();
const instant = (s) => new Date(s).getTime();
const FULL_INPUT = {
  title: `${TAG} Lakeside VC vs Harbour Spikers`,
  kind: 'match',
  venue: 'Lakeside Sports Hall',
  status: 'live',
  starts_at: '2026-11-22T18:30:00+01:00',
  ends_at: '2026-11-22T20:30:00.5+01:00',
  meta: { competition: 'Regional league', round: 7, nested: { ok: [1, 'two', null] } },
  data: { holds: [{ x: 0.25, y: 0.5 }] },
};

// A session's timeline, media and live fixtures.
const tl = (suffix = '', id = fx.tl.id) => `/api/v1/sessions/${id}${suffix}`;
const DATA = process.env.STINT_DATA_DIR ?? path.join(ROOT, '..', 'shared', 'data');
const files = new Map();
/* A test file of ../shared/data/volleyball (read once). */
function dataFile(name) {
  if (!files.has(name)) files.set(name, readFileSync(path.join(DATA, 'volleyball', name)));
  return files.get(name);
}
const MP4_NAME = '2019_03_01-KATS-BEDS-clip.mp4';
const TUS = { 'tus-resumable': '1.0.0' };   // resumable uploads (tus 1.0)
const TUS_BYTES = 'application/offset+octet-stream';
const tusMeta = (o) => Object.entries(o).map(([k, v]) => `${k} ${Buffer.from(String(v)).toString('base64')}`).join(',');
const RALLY = [
  { t_sec: 10, event_type: 'serve', actor_team: 'A', actor_number: 7, payload: { evaluation: '#' } },
  { t_sec: 12.5, event_type: 'attack', actor_team: 'B', actor_number: 3, payload: { evaluation: '=' } },
  { t_sec: 14, event_type: 'timeout', actor_team: 'B' },
  { t_sec: 20, event_type: 'end_of_set' },
];
const TRICKY_EVENT = { t_sec: 30.125, event_type: 'note', payload: { text: 'comma, "quote"\nand a line', n: [1, 2] } };
const IDEM_BODY = JSON.stringify([{ t_sec: 40, event_type: 'reception', actor_team: 'A', actor_number: 7, payload: { evaluation: '+' } }]);
const CSV_HEADER = 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload';
const ARTIFACT_NAME = 'Match report – set 1.pdf';
const ARTIFACT_BODY = Buffer.from('%PDF-1.4 not really a PDF');
const POSE_FRAME = { timestamp: 12.033, frame: 361, keypoints: [{ name: 'nose', x: 0.512, y: 0.231, confidence: 0.97 }] };

/* A call with the administrator's login cookie, as a page's script makes it: with X-CSRF-Token unless csrf is false. */
function cookieCall(method, url, json, { csrf = true } = {}) {
  const headers = { cookie: fx.browser.cookieHeader() };
  if (csrf) headers['x-csrf-token'] = fx.browser.cookies.get('stint_csrf');
  return call(method, url, { json, token: null, headers });
}

// Paths whose 405 answer has a wrong Allow (a known server bug; see the todo test).
const ALLOW_BUG_PATHS = new Set(['/api/v1/sessions/{id}/clips/upload', '/api/v1/sessions/{id}/artifacts/upload']);

// --- examples: at least one per operation --------------------------------------
//
// operationId -> [{ name, status, run(): {res, body}, then?(body, res) }]. Every
// answer goes through check(); `status` is the one this example must get.

const examples = {
  checkHealth: [
    { name: 'the process answers', status: 200, run: () => call('GET', '/healthz') },
  ],
  checkReadiness: [
    { name: 'the database answers', status: 200, run: () => call('GET', '/readyz') },
  ],
  getMetrics: [
    { name: 'an administrator reads the exposition', status: 200, run: () => call('GET', '/metrics'),
      then: (body, res) => {
        assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
        assert.match(body, /^# HELP stint_http_requests_total /m);
      } },
    { name: 'no credential from loopback (every test request is)', status: 200, run: () => call('GET', '/metrics', { token: null }) },
    { name: 'a coach is refused', status: 403, run: () => call('GET', '/metrics', { token: fx.coach.token }) },
    { name: 'a credential sent from loopback is still checked', status: 401,
      run: () => call('GET', '/metrics', { token: 'not-a-token' }) },
  ],
  listSessions: [
    {
      name: 'first page with the defaults', status: 200,
      run: () => call('GET', '/api/v1/sessions'),
      then: (b) => assert.deepEqual([b.limit, b.offset], [50, 0]),
    },
    {
      name: 'search, filters and paging', status: 200,
      run: () => call('GET', `/api/v1/sessions?q=${TAG}+LAKESIDE&status=live&kind=match&limit=1&offset=0`),
      then: (b) => {
        assert.deepEqual(b.items.map((s) => s.id), [fx.session.id]);
        assert.equal(b.total, 1);
      },
    },
    {
      name: 'search by venue, matched literally', status: 200,
      run: () => call('GET', `/api/v1/sessions?q=${encodeURIComponent('%')}${TAG}`),
      then: (b) => assert.equal(b.total, 0),
    },
    {
      name: 'empty parameters count as not sent', status: 200,
      run: () => call('GET', '/api/v1/sessions?q=&status=&kind=&limit=&offset='),
    },
    {
      name: 'every invalid parameter is named', status: 422,
      run: () => call('GET', `/api/v1/sessions?q=${'x'.repeat(201)}&status=done&kind=golf&limit=0&offset=-1`),
      then: (b) => assert.deepEqual(fieldsOf(b), ['kind', 'limit', 'offset', 'q', 'status']),
    },
    {
      name: 'a read-only token may list', status: 200,
      run: () => call('GET', `/api/v1/sessions?q=${TAG}+LAKESIDE`, { token: fx.readToken }),
      then: (b) => assert.ok(b.items.some((s) => s.id === fx.session.id)),
    },
    {
      name: "another user's sessions are not in the list", status: 200,
      run: () => call('GET', `/api/v1/sessions?q=${TAG}`, { token: fx.coach.token }),
      then: (b) => assert.deepEqual([b.items, b.total], [[], 0]),
    },
    {
      name: 'no credentials', status: 401,
      run: () => call('GET', '/api/v1/sessions', { token: null }),
      then: (b, res) => {
        assert.equal(b.error.code, 'unauthorized');
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="stint"');
      },
    },
    {
      name: 'a token that does not exist', status: 401,
      run: () => call('GET', '/api/v1/sessions', { token: UNKNOWN_TOKEN }),
    },
  ],
  createSession: [
    {
      name: 'every writable field', status: 201,
      run: () => call('POST', '/api/v1/sessions', { json: FULL_INPUT }),
      then: (b, res) => {
        assert.equal(res.headers.get('location'), sessionUrl(b.id));
        for (const k of ['title', 'kind', 'venue', 'status', 'meta', 'data']) {
          assert.deepEqual(b[k], FULL_INPUT[k], k);
        }
        assert.equal(instant(b.starts_at), instant(FULL_INPUT.starts_at));
        assert.equal(instant(b.ends_at), instant(FULL_INPUT.ends_at));
        assert.deepEqual([b.owner_id, b.processing_status, b.report_url, b.teams],
          [fx.adminId, 'pending', null, []], 'the creator owns it');
      },
    },
    {
      name: 'only a title: the defaults', status: 201,
      run: () => call('POST', '/api/v1/sessions', { json: { title: `${TAG} minimal`, venue: null } }),
      then: (b) => {
        assert.deepEqual([b.kind, b.status, b.venue, b.meta, b.data, b.starts_at, b.ends_at],
          ['other', 'planned', '', {}, {}, null, null]);
      },
    },
    {
      name: 'malformed JSON', status: 400,
      run: () => call('POST', '/api/v1/sessions', { raw: '{"title": ', type: 'application/json' }),
      then: (b) => assert.equal(b.error.code, 'malformed_json'),
    },
    {
      name: 'a NUL character escaped in a string', status: 400,
      run: () => call('POST', '/api/v1/sessions', { json: { title: 'a\u0000b' } }),
    },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('POST', '/api/v1/sessions', { raw: '{"title":"x"}', type: 'text/plain' }),
    },
    {
      name: 'charset parameter on the content type is fine', status: 201,
      run: () => call('POST', '/api/v1/sessions',
        { raw: JSON.stringify({ title: `${TAG} charset` }), type: 'application/json; charset=utf-8' }),
    },
    {
      name: 'missing title, unknown and read-only fields all named', status: 422,
      run: () => call('POST', '/api/v1/sessions', { json: { colour: 'red', id: randomUUID(), teams: [] } }),
      then: (b) => {
        assert.deepEqual(fieldsOf(b), ['colour', 'id', 'teams', 'title']);
        assert.equal(b.error.fields.id, 'is read-only');
      },
    },
    {
      name: 'ends before it starts', status: 422,
      run: () => call('POST', '/api/v1/sessions', {
        json: { title: 'x', starts_at: '2026-11-22T10:00:00Z', ends_at: '2026-11-22T09:59:59Z' },
      }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['ends_at']),
    },
    {
      name: 'meta over 64 KiB', status: 422,
      run: () => call('POST', '/api/v1/sessions', { json: { title: 'x', meta: { a: 'x'.repeat(65536) } } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['meta']),
    },
    {
      name: 'a body over 1 MiB', status: 413,
      run: () => call('POST', '/api/v1/sessions',
        { json: { title: 'x', meta: { a: 'x'.repeat(1100 * 1024) } } }),
    },
    {
      name: 'a coach creates and owns a session', status: 201,
      run: () => call('POST', '/api/v1/sessions', { json: { title: `${TAG} coach's` }, token: fx.coach.token }),
      then: (b) => assert.equal(b.owner_id, fx.coach.id),
    },
    {
      name: 'a user whose role is viewer cannot create', status: 403,
      run: () => call('POST', '/api/v1/sessions', { json: { title: `${TAG} viewer's` }, token: fx.viewer.token }),
      then: (b) => assert.equal(b.error.code, 'forbidden'),
    },
    {
      name: 'a read-only token cannot create', status: 403,
      run: () => call('POST', '/api/v1/sessions', { json: { title: `${TAG} read` }, token: fx.readToken }),
    },
  ],
  getSession: [
    {
      name: 'an existing session', status: 200,
      run: () => call('GET', sessionUrl(fx.session.id)),
      then: (b) => assert.deepEqual(b, fx.session),
    },
    { name: 'an unknown id', status: 404, run: () => call('GET', sessionUrl(randomUUID())) },
    { name: 'an id that is not a UUID', status: 404, run: () => call('GET', sessionUrl('42')) },
    {
      name: "another user's session", status: 403,
      run: () => call('GET', sessionUrl(fx.session.id), { token: fx.coach.token }),
      then: (b) => assert.equal(b.error.code, 'forbidden'),
    },
  ],
  updateSession: [
    {
      name: 'change some fields, clear the venue', status: 200,
      run: async () => {
        fx.patched = await newSession({ venue: 'Old hall', meta: { a: 1, b: 2 }, status: 'live' });
        return call('PATCH', sessionUrl(fx.patched.id),
          { json: { status: 'completed', venue: null, meta: { c: 3 } } });
      },
      then: (b) => {
        assert.deepEqual([b.status, b.venue, b.meta, b.title], ['completed', '', { c: 3 }, fx.patched.title]);
        assert.ok(instant(b.updated_at) >= instant(fx.patched.updated_at));
      },
    },
    {
      name: 'a planned session ended before it was live (the status rule)', status: 409,
      run: async () => call('PATCH', sessionUrl((await newSession()).id), { json: { status: 'completed' } }),
      then: (b) => assert.deepEqual([b.error.code, fieldsOf(b)], ['status_conflict', ['status']]),
    },
    {
      name: 'an empty patch', status: 200,
      run: async () => call('PATCH', sessionUrl((await newSession()).id), { json: {} }),
    },
    {
      name: 'an unknown id', status: 404,
      run: () => call('PATCH', sessionUrl(randomUUID()), { json: { title: 'x' } }),
    },
    {
      name: 'an id that is not a UUID', status: 404,
      run: () => call('PATCH', sessionUrl('not-a-uuid'), { json: { title: 'x' } }),
    },
    {
      name: 'null title and a read-only field', status: 422,
      run: () => call('PATCH', sessionUrl(fx.session.id), { json: { title: null, updated_at: null } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['title', 'updated_at']),
    },
    {
      name: 'moving only ends_at before the stored starts_at', status: 422,
      run: () => call('PATCH', sessionUrl(fx.session.id), { json: { ends_at: '2026-11-22T00:00:00Z' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['ends_at']),
    },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('PATCH', sessionUrl(fx.session.id), { raw: 'title=x', type: 'application/x-www-form-urlencoded' }),
    },
    {
      name: 'malformed JSON', status: 400,
      run: () => call('PATCH', sessionUrl(fx.session.id), { raw: '{"title" "x"}', type: 'application/json' }),
    },
    {
      name: 'a body over 1 MiB', status: 413,
      run: () => call('PATCH', sessionUrl(fx.session.id), { json: { data: { a: 'x'.repeat(1100 * 1024) } } }),
    },
    {
      name: 'a read-only token cannot change', status: 403,
      run: () => call('PATCH', sessionUrl(fx.session.id), { json: { title: 'x' }, token: fx.readToken }),
    },
    {
      name: "another user's session: refused before the body is looked at", status: 403,
      run: () => call('PATCH', sessionUrl(fx.session.id), { json: { colour: 'red' }, token: fx.coach.token }),
    },
    {
      name: 'an unknown id: not found before the body is looked at', status: 404,
      run: () => call('PATCH', sessionUrl(randomUUID()), { json: { colour: 'red' } }),
    },
  ],
  deleteSession: [
    {
      name: 'an existing session', status: 204,
      run: async () => {
        fx.deleted = await newSession();
        return call('DELETE', sessionUrl(fx.deleted.id));
      },
      then: async () => {
        const { res, body } = await call('GET', sessionUrl(fx.deleted.id));
        check('getSession', res, body);
        assert.equal(res.status, 404);
      },
    },
    { name: 'an unknown id', status: 404, run: () => call('DELETE', sessionUrl(randomUUID())) },
    {
      name: "another user's session", status: 403,
      run: () => call('DELETE', sessionUrl(fx.session.id), { token: fx.coach.token }),
    },
  ],
  restoreSession: [
    {
      name: 'a deleted session comes back as it was', status: 200,
      run: async () => {
        fx.archived = await newSession({ ...FULL_INPUT, title: `${TAG} archived` });
        const { res, body } = await call('DELETE', sessionUrl(fx.archived.id));
        check('deleteSession', res, body);
        return call('POST', `${sessionUrl(fx.archived.id)}/restore`);
      },
      then: (b) => assert.deepEqual(b, fx.archived),
    },
    {
      name: 'restored already', status: 404,
      run: () => call('POST', `${sessionUrl(fx.archived.id)}/restore`),
    },
    {
      name: 'never deleted', status: 404,
      run: () => call('POST', `${sessionUrl(fx.session.id)}/restore`),
    },
    { name: 'an unknown id', status: 404, run: () => call('POST', `${sessionUrl(randomUUID())}/restore`) },
    {
      name: "another user's deleted session", status: 403,
      run: () => call('POST', `${sessionUrl(fx.deleted.id)}/restore`, { token: fx.coach.token }),
    },
  ],
  listShares: [
    {
      name: 'not shared with anyone yet', status: 200,
      run: () => call('GET', sharesUrl(fx.shared.id)),
      then: (b) => assert.deepEqual(b, []),
    },
    {
      name: "another user's session", status: 403,
      run: () => call('GET', sharesUrl(fx.shared.id), { token: fx.coach.token }),
    },
    { name: 'an unknown session', status: 404, run: () => call('GET', sharesUrl(randomUUID())) },
  ],
  shareSession: [
    {
      name: 'share as viewer: the user may read, not change', status: 200,
      run: () => call('POST', sharesUrl(fx.shared.id),
        { json: { email: fx.analyst.email.toUpperCase(), role: 'viewer' } }),
      then: async (b) => {
        assert.equal(b.length, 1);
        assert.deepEqual([b[0].user_id, b[0].email, b[0].role], [fx.analyst.id, fx.analyst.email, 'viewer']);
        await expectCall('getSession', 200, 'GET', sessionUrl(fx.shared.id), { token: fx.analyst.token });
        await expectCall('updateSession', 403, 'PATCH', sessionUrl(fx.shared.id),
          { json: { venue: 'x' }, token: fx.analyst.token });
        const list = await expectCall('listSessions', 200, 'GET', `/api/v1/sessions?q=${TAG}`, { token: fx.analyst.token });
        assert.deepEqual(list.items.map((s) => s.id), [fx.shared.id], 'a shared session is in the list');
        assert.deepEqual(await expectCall('listShares', 200, 'GET', sharesUrl(fx.shared.id), { token: fx.analyst.token }), b);
      },
    },
    {
      name: 'share again as editor: the role changes, the user may change the session', status: 200,
      run: () => call('POST', sharesUrl(fx.shared.id), { json: { email: fx.analyst.email, role: 'editor' } }),
      then: async (b) => {
        assert.deepEqual(b.map((x) => [x.email, x.role]), [[fx.analyst.email, 'editor']]);
        await expectCall('updateSession', 200, 'PATCH', sessionUrl(fx.shared.id),
          { json: { venue: 'changed by an editor' }, token: fx.analyst.token });
      },
    },
    {
      name: 'a user whose role is viewer, shared as editor, still only reads', status: 200,
      run: () => call('POST', sharesUrl(fx.shared.id), { json: { email: fx.viewer.email, role: 'editor' } }),
      then: async (b) => {
        assert.deepEqual(b.map((x) => x.email), [fx.analyst.email, fx.viewer.email].sort(), 'ordered by email');
        await expectCall('getSession', 200, 'GET', sessionUrl(fx.shared.id), { token: fx.viewer.token });
        await expectCall('updateSession', 403, 'PATCH', sessionUrl(fx.shared.id),
          { json: { venue: 'x' }, token: fx.viewer.token });
      },
    },
    {
      name: 'an editor may share in turn', status: 200,
      run: () => call('POST', sharesUrl(fx.shared.id),
        { json: { email: fx.coach.email, role: 'viewer' }, token: fx.analyst.token }),
      then: (b) => assert.equal(b.length, 3),
    },
    {
      name: 'no user with this email', status: 422,
      run: () => call('POST', sharesUrl(fx.shared.id), { json: { email: `nobody-${TAG}@test.local`, role: 'viewer' } }),
      then: (b) => assert.deepEqual(b.error.fields, { email: 'is not a user of this server' }),
    },
    {
      name: 'missing email, unknown role and field', status: 422,
      run: () => call('POST', sharesUrl(fx.shared.id), { json: { role: 'owner', colour: 'red' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['colour', 'email', 'role']),
    },
    {
      name: 'a user who may only read cannot share', status: 403,
      run: () => call('POST', sharesUrl(fx.shared.id),
        { json: { email: fx.coach.email, role: 'editor' }, token: fx.viewer.token }),
    },
    {
      name: 'a read-only token cannot share', status: 403,
      run: () => call('POST', sharesUrl(fx.shared.id), { json: { email: fx.coach.email, role: 'editor' }, token: fx.readToken }),
    },
    {
      name: 'an unknown session', status: 404,
      run: () => call('POST', sharesUrl(randomUUID()), { json: { email: fx.analyst.email, role: 'viewer' } }),
    },
    {
      name: 'malformed JSON', status: 400,
      run: () => call('POST', sharesUrl(fx.shared.id), { raw: '{"email":', type: 'application/json' }),
    },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('POST', sharesUrl(fx.shared.id), { raw: 'email=x', type: 'application/x-www-form-urlencoded' }),
    },
  ],
  unshareSession: [
    {
      name: 'stop sharing: the user no longer sees the session', status: 204,
      run: () => call('DELETE', `${sharesUrl(fx.shared.id)}/${fx.coach.id}`),
      then: async () => {
        await expectCall('getSession', 403, 'GET', sessionUrl(fx.shared.id), { token: fx.coach.token });
        const list = await expectCall('listShares', 200, 'GET', sharesUrl(fx.shared.id));
        assert.ok(!list.some((x) => x.user_id === fx.coach.id));
      },
    },
    {
      name: 'not shared with this user (any more)', status: 404,
      run: () => call('DELETE', `${sharesUrl(fx.shared.id)}/${fx.coach.id}`),
    },
    {
      name: 'a user id that is not a number', status: 404,
      run: () => call('DELETE', `${sharesUrl(fx.shared.id)}/abc`),
    },
    {
      name: 'an unknown session', status: 404,
      run: () => call('DELETE', `${sharesUrl(randomUUID())}/${fx.analyst.id}`),
    },
    {
      name: 'a user who may only read cannot unshare', status: 403,
      run: () => call('DELETE', `${sharesUrl(fx.shared.id)}/${fx.analyst.id}`, { token: fx.viewer.token }),
    },
    {
      name: 'a read-only token cannot unshare', status: 403,
      run: () => call('DELETE', `${sharesUrl(fx.shared.id)}/${fx.analyst.id}`, { token: fx.readToken }),
    },
  ],
  listTokens: [
    {
      name: "the caller's tokens, newest first, without secrets", status: 200,
      run: () => call('GET', '/api/v1/tokens'),
      then: (b) => {
        assert.ok(b.length >= 2, 'the admin token of lib.mjs and the read token');
        assert.ok(b.every((t) => !('token' in t)));
        assert.deepEqual(b.map((t) => t.id), b.map((t) => t.id).sort((x, y) => y - x));
        assert.ok(b.some((t) => t.scope === 'read'));
      },
    },
    {
      name: 'a read-only token may list', status: 200,
      run: () => call('GET', '/api/v1/tokens', { token: fx.readToken }),
    },
    {
      name: 'each user sees only their own', status: 200,
      run: () => call('GET', '/api/v1/tokens', { token: fx.coach.token }),
      then: (b) => assert.equal(b.length, 1),
    },
    { name: 'no credentials', status: 401, run: () => call('GET', '/api/v1/tokens', { token: null }) },
  ],
  createToken: [
    {
      name: 'a token, shown once, that works', status: 201,
      run: () => call('POST', '/api/v1/tokens', { json: { name: `${TAG} script`, scope: 'read' } }),
      then: async (b) => {
        assert.deepEqual([b.name, b.scope, b.last_used_at], [`${TAG} script`, 'read', null]);
        await expectCall('listSessions', 200, 'GET', '/api/v1/sessions?limit=1', { token: b.token });
        const list = await expectCall('listTokens', 200, 'GET', '/api/v1/tokens');
        const listed = list.find((t) => t.id === b.id);
        assert.ok(listed && !('token' in listed), 'listed, without its secret');
        assert.ok(!JSON.stringify(list).includes(b.token.slice(3)));
        await expectCall('deleteToken', 204, 'DELETE', `/api/v1/tokens/${b.id}`);
      },
    },
    {
      name: 'missing name, unknown scope and field', status: 422,
      run: () => call('POST', '/api/v1/tokens', { json: { scope: 'admin', colour: 'red' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['colour', 'name', 'scope']),
    },
    {
      name: 'a name over 100 characters', status: 422,
      run: () => call('POST', '/api/v1/tokens', { json: { name: 'x'.repeat(101), scope: 'read' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['name']),
    },
    {
      name: 'a read-only token cannot create tokens', status: 403,
      run: () => call('POST', '/api/v1/tokens', { json: { name: 'x', scope: 'write' }, token: fx.readToken }),
    },
    {
      name: 'malformed JSON', status: 400,
      run: () => call('POST', '/api/v1/tokens', { raw: '{"name"', type: 'application/json' }),
    },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('POST', '/api/v1/tokens', { raw: 'name=x&scope=read', type: 'application/x-www-form-urlencoded' }),
    },
    {
      name: 'a body over 1 MiB', status: 413,
      run: () => call('POST', '/api/v1/tokens', { json: { name: 'x'.repeat(1100 * 1024), scope: 'read' } }),
    },
  ],
  deleteToken: [
    {
      name: 'revoke a token: it stops working at once', status: 204,
      run: async () => {
        fx.revoked = await newToken('write');
        await expectCall('listSessions', 200, 'GET', '/api/v1/sessions?limit=1', { token: fx.revoked.token });
        return call('DELETE', `/api/v1/tokens/${fx.revoked.id}`);
      },
      then: async () => {
        const b = await expectCall('listSessions', 401, 'GET', '/api/v1/sessions?limit=1', { token: fx.revoked.token });
        assert.equal(b.error.code, 'unauthorized');
      },
    },
    {
      name: 'a token revokes itself', status: 204,
      run: async () => {
        const t = await newToken('write');
        fx.selfRevoked = t;
        return call('DELETE', `/api/v1/tokens/${t.id}`, { token: t.token });
      },
      then: () => expectCall('listTokens', 401, 'GET', '/api/v1/tokens', { token: fx.selfRevoked.token }),
    },
    {
      name: 'revoked already', status: 404,
      run: () => call('DELETE', `/api/v1/tokens/${fx.revoked.id}`),
    },
    {
      name: "another user's token, even for an admin", status: 404,
      run: async () => {
        const [coachToken] = await expectCall('listTokens', 200, 'GET', '/api/v1/tokens', { token: fx.coach.token });
        return call('DELETE', `/api/v1/tokens/${coachToken.id}`);
      },
      then: () => expectCall('listTokens', 200, 'GET', '/api/v1/tokens', { token: fx.coach.token }),
    },
    { name: 'an id that is not a number', status: 404, run: () => call('DELETE', '/api/v1/tokens/abc') },
    {
      name: 'a read-only token cannot revoke', status: 403,
      run: async () => {
        const [own] = await expectCall('listTokens', 200, 'GET', '/api/v1/tokens', { token: fx.readToken });
        return call('DELETE', `/api/v1/tokens/${own.id}`, { token: fx.readToken });
      },
    },
  ],

  // --- tasks -------------------------------------------------------------------------
  listTasks: [
    {
      name: "a session's tasks", status: 200,
      run: async () => {
        fx.listed = await expectCall('createTask', 201, 'POST', '/api/v1/tasks',
          { json: { task_type: 'noop', session_id: fx.session.id, dedupe_key: `${TAG} list`, group_key: TAG } });
        return call('GET', `/api/v1/tasks?session=${fx.session.id}&type=noop&status=queued`);
      },
      then: (b) => {
        assert.ok(b.items.some((t) => t.task_id === fx.listed.task_id));
        assert.ok(b.items.every((t) => t.session_id === fx.session.id && t.status === 'queued'));
      },
    },
    {
      name: "another user's group is empty to them", status: 200,
      run: () => call('GET', `/api/v1/tasks?group=${encodeURIComponent(TAG)}`, { token: fx.coach.token }),
      then: (b) => assert.deepEqual([b.items, b.total], [[], 0]),
    },
    { name: 'a read-only token may list', status: 200, run: () => call('GET', '/api/v1/tasks?limit=1', { token: fx.readToken }) },
    { name: 'empty parameters count as not sent', status: 200, run: () => call('GET', '/api/v1/tasks?session=&group=&type=&status=') },
    {
      name: 'bad filters', status: 422,
      run: () => call('GET', '/api/v1/tasks?session=x&status=done&type=Noop&limit=0'),
      then: (b) => assert.deepEqual(fieldsOf(b), ['limit', 'session', 'status', 'type']),
    },
    { name: 'no credentials', status: 401, run: () => call('GET', '/api/v1/tasks', { token: null }) },
  ],
  createTask: [
    {
      name: 'a task of a session', status: 201,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'noop', session_id: fx.session.id,
        dedupe_key: `${TAG} once`, params: { clip_id: 3, ratio: 0.125 }, priority: 5 } }),
      then: (b, res) => {
        fx.task = b;
        assert.equal(res.headers.get('location'), `/api/v1/tasks/${b.task_id}`);
        assert.deepEqual([b.status, b.max_attempts, b.priority, b.params, b.attempts, b.progress],
          ['queued', 1, 5, { clip_id: 3, ratio: 0.125 }, 0, 0]);
      },
    },
    {
      name: 'the same task again answers the active one', status: 200,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'noop', session_id: fx.session.id, dedupe_key: `${TAG} once` } }),
      then: (b) => assert.deepEqual([b.task_id, b.priority], [fx.task.task_id, 5]),
    },
    {
      name: 'a task of no session, in a group', status: 201,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'noop', group_key: `${TAG} job`, session_id: null } }),
      then: (b) => assert.deepEqual([b.session_id, b.group_key, b.user_id], [null, `${TAG} job`, fx.adminId]),
    },
    {
      name: 'an unknown type, an unknown field, a priority out of range', status: 422,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'mine_bitcoin', colour: 'red', priority: 1001 } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['colour', 'priority']),
    },
    {
      name: 'a type that is not declared', status: 422,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'mine_bitcoin' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['task_type']),
    },
    {
      name: 'a session the caller cannot see', status: 422,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'noop', session_id: fx.session.id }, token: fx.coach.token }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['session_id']),
    },
    {
      name: 'a session the caller may only read', status: 403,
      run: async () => {
        fx.readable = await newSession({ title: `${TAG} tasks viewer` });
        await expectCall('shareSession', 200, 'POST', sharesUrl(fx.readable.id), { json: { email: fx.analyst.email, role: 'viewer' } });
        return call('POST', '/api/v1/tasks', { json: { task_type: 'noop', session_id: fx.readable.id }, token: fx.analyst.token });
      },
    },
    {
      name: 'a read-only token', status: 403,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'noop' }, token: fx.readToken }),
    },
    { name: 'malformed JSON', status: 400, run: () => call('POST', '/api/v1/tasks', { raw: '{"task_type"', type: 'application/json' }) },
    { name: 'not JSON', status: 415, run: () => call('POST', '/api/v1/tasks', { raw: 'task_type=noop', type: 'application/x-www-form-urlencoded' }) },
    {
      name: 'a body over 1 MiB', status: 413,
      run: () => call('POST', '/api/v1/tasks', { json: { task_type: 'noop', params: { x: 'x'.repeat(1100 * 1024) } } }),
    },
  ],
  getTask: [
    {
      name: 'a task', status: 200,
      run: () => call('GET', `/api/v1/tasks/${fx.task.task_id}`),
      then: (b) => assert.deepEqual(b, fx.task),
    },
    { name: "another user's task is not found", status: 404, run: () => call('GET', `/api/v1/tasks/${fx.task.task_id}`, { token: fx.coach.token }) },
    { name: 'an unknown task', status: 404, run: () => call('GET', `/api/v1/tasks/${randomUUID()}`) },
  ],
  cancelTask: [
    {
      name: "another user's task is not found", status: 404,
      run: () => call('DELETE', `/api/v1/tasks/${fx.task.task_id}`, { token: fx.coach.token }),
    },
    {
      name: 'a read-only token', status: 403,
      run: () => call('DELETE', `/api/v1/tasks/${fx.task.task_id}`, { token: fx.readToken }),
    },
    {
      name: 'a viewer of the session', status: 403,
      run: async () => {
        fx.readableTask = await expectCall('createTask', 201, 'POST', '/api/v1/tasks', { json: { task_type: 'noop', session_id: fx.readable.id } });
        return call('DELETE', `/api/v1/tasks/${fx.readableTask.task_id}`, { token: fx.analyst.token });
      },
    },
    {
      name: 'a queued task is cancelled', status: 200,
      run: () => call('DELETE', `/api/v1/tasks/${fx.task.task_id}`),
      then: (b) => {
        assert.equal(b.status, 'cancelled');
        assert.ok(b.finished_at);
      },
    },
    {
      name: "a finished task's record is removed", status: 204,
      run: () => call('DELETE', `/api/v1/tasks/${fx.task.task_id}`),
      then: () => expectCall('getTask', 404, 'GET', `/api/v1/tasks/${fx.task.task_id}`),
    },
    {
      name: 'a running task is asked to stop', status: 202,
      run: () => {
        // what a spooler's claim does (the next step of issue 11)
        sql(`UPDATE tasks SET status = 'running', lease_token = nextval('task_lease_tokens'), lease_expires_at = now() + interval '1 hour',
          started_at = now() WHERE task_id = '${fx.readableTask.task_id}'`);
        return call('DELETE', `/api/v1/tasks/${fx.readableTask.task_id}`);
      },
      then: (b) => {
        assert.equal(b.status, 'running');
        assert.ok(b.cancel_requested_at);
        sql(`UPDATE tasks SET status = 'cancelled', lease_token = NULL, lease_expires_at = NULL, finished_at = now()
          WHERE task_id = '${fx.readableTask.task_id}'`);
      },
    },
    { name: 'an unknown task', status: 404, run: () => call('DELETE', `/api/v1/tasks/${randomUUID()}`) },
  ],
  retryTask: [
    {
      name: 'a cancelled task is queued again', status: 200,
      run: async () => {
        fx.retried = await expectCall('createTask', 201, 'POST', '/api/v1/tasks', { json: { task_type: 'noop', group_key: `${TAG} retry` } });
        await expectCall('cancelTask', 200, 'DELETE', `/api/v1/tasks/${fx.retried.task_id}`);
        return call('POST', `/api/v1/tasks/${fx.retried.task_id}/retry`);
      },
      then: (b) => assert.deepEqual([b.task_id, b.status, b.attempts, b.error], [fx.retried.task_id, 'queued', 0, null]),
    },
    { name: 'a queued task', status: 409, run: () => call('POST', `/api/v1/tasks/${fx.retried.task_id}/retry`) },
    {
      name: "another user's task is not found", status: 404,
      run: () => call('POST', `/api/v1/tasks/${fx.retried.task_id}/retry`, { token: fx.coach.token }),
    },
    { name: 'a read-only token', status: 403, run: () => call('POST', `/api/v1/tasks/${fx.retried.task_id}/retry`, { token: fx.readToken }) },
    { name: 'an unknown task', status: 404, run: () => call('POST', `/api/v1/tasks/${randomUUID()}/retry`) },
  ],

  processSession: [
    {
      name: 'a session without participants', status: 422,
      run: async () => {
        fx.processed = await newSession({ title: `${TAG} process` });
        return call('POST', `${sessionUrl(fx.processed.id)}/process`);
      },
      then: (b) => assert.deepEqual(Object.keys(b.error.fields), ['participants']),
    },
    {
      name: "the session's report is queued", status: 202,
      run: async () => {
        // a participant with its device's file (the rows the device-data upload writes)
        sql(`INSERT INTO participants (session_id, player, device_id) VALUES ('${fx.processed.id}', 'P', 'gps1')`);
        sql(`INSERT INTO device_files (session_id, device_id, path, format, size_bytes)
          VALUES ('${fx.processed.id}', 'gps1', 'uploads/raw/${fx.processed.id}/gps1.gpx', 'gpx', 1)`);
        return call('POST', `${sessionUrl(fx.processed.id)}/process`);
      },
      then: async (b, res) => {
        fx.report = b;
        assert.equal(res.headers.get('location'), `/api/v1/tasks/${b.task_id}`);
        assert.deepEqual([b.task_type, b.session_id, b.status], ['process_report', fx.processed.id, 'queued']);
        const s = await expectCall('getSession', 200, 'GET', sessionUrl(fx.processed.id));
        assert.equal(s.processing_status, 'queued');
      },
    },
    {
      name: 'asked again: the same task', status: 202,
      run: () => call('POST', `${sessionUrl(fx.processed.id)}/process`),
      then: (b, res) => {
        assert.equal(b.task_id, fx.report.task_id);
        assert.equal(res.headers.get('location'), null);
      },
    },
    {
      name: 'a viewer of the session', status: 403,
      run: () => call('POST', `${sessionUrl(fx.readable.id)}/process`, { token: fx.analyst.token }),
    },
    { name: 'an unknown session', status: 404, run: () => call('POST', `${sessionUrl(randomUUID())}/process`) },
  ],
  getSessionStatus: [
    {
      name: 'a session being processed', status: 200,
      run: () => call('GET', `${sessionUrl(fx.processed.id)}/status`),
      then: (b) => assert.deepEqual([b.processing_status, b.progress, b.task.task_id, b.report_url],
        ['queued', 0, fx.report.task_id, null]),
    },
    {
      name: 'a session never processed', status: 200,
      run: () => call('GET', `${sessionUrl(fx.shared.id)}/status`),
      then: (b) => assert.deepEqual([b.processing_status, b.task], ['pending', null]),
    },
    { name: "another user's session", status: 403, run: () => call('GET', `${sessionUrl(fx.session.id)}/status`, { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', `${sessionUrl(randomUUID())}/status`) },
  ],
  analyzeSession: [
    {
      name: "the session's clips analyzed again by one analyzer", status: 202,
      run: async () => {
        fx.analyzed = await newSession({ title: `${TAG} analyze` });
        const up = await call('POST', `${sessionUrl(fx.analyzed.id)}/clips/upload?kind=video`,
          { raw: dataFile(MP4_NAME), type: 'video/mp4' });
        assert.equal(up.res.status, 201);
        fx.analyzedClip = up.body;
        return call('POST', `${sessionUrl(fx.analyzed.id)}/analyze`, { json: { analyzer: 'scene-cuts' } });
      },
      then: (b) => {
        assert.deepEqual(b.items.map((t) => [t.task_type, t.session_id, t.params, t.dedupe_key]),
          [['analyze_clip', fx.analyzed.id, { analyzer: 'scene-cuts', clip_id: fx.analyzedClip.id },
            `scene-cuts:${fx.analyzedClip.id}`]]);
      },
    },
    {
      name: 'one clip', status: 202,
      run: () => call('POST', `${sessionUrl(fx.analyzed.id)}/analyze`, { json: { analyzer: 'loudness', clip_id: fx.analyzedClip.id } }),
      then: (b) => assert.deepEqual(b.items.map((t) => t.params), [{ analyzer: 'loudness', clip_id: fx.analyzedClip.id }]),
    },
    {
      name: 'an unknown analyzer and a clip of another session', status: 422,
      run: () => call('POST', `${sessionUrl(fx.analyzed.id)}/analyze`, { json: { analyzer: 'mind-reader', clip_id: 1e15 } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['analyzer']),
    },
    {
      name: 'a viewer of the session', status: 403,
      run: () => call('POST', `${sessionUrl(fx.readable.id)}/analyze`, { json: { analyzer: 'loudness' }, token: fx.analyst.token }),
    },
    { name: 'malformed JSON', status: 400, run: () => call('POST', `${sessionUrl(fx.analyzed.id)}/analyze`, { raw: '{"analyzer"', type: 'application/json' }) },
    { name: 'an unknown session', status: 404, run: () => call('POST', `${sessionUrl(randomUUID())}/analyze`, { json: { analyzer: 'loudness' } }) },
  ],

  // --- the recorder bucket (tests/integration/recorder-sync.test.mjs runs the syncs) -----
  listRecordings: [
    {
      name: 'the recordings, filtered', status: 200,
      run: () => call('GET', '/api/v1/recorder/sessions?closed=true&from=2000-01-01T00:00:00Z&limit=5&offset=0'),
      then: (b) => assert.deepEqual([b.limit, b.offset], [5, 0]),
    },
    {
      name: 'bad filters', status: 422,
      run: () => call('GET', '/api/v1/recorder/sessions?from=yesterday&closed=maybe&limit=0'),
      then: (b) => assert.deepEqual(fieldsOf(b), ['closed', 'from', 'limit']),
    },
    { name: 'the viewer role', status: 403, run: () => call('GET', '/api/v1/recorder/sessions', { token: fx.viewer.token }) },
  ],
  syncRecorder: [
    {
      name: 'a sync is queued, asked again: the same task', status: 202,
      run: () => call('POST', '/api/v1/recorder/sync'),
      then: async (b) => {
        assert.deepEqual([b.task_type, b.session_id], ['recorder_sync', null]);
        const again = await expectCall('syncRecorder', 202, 'POST', '/api/v1/recorder/sync', { token: fx.coach.token });
        assert.equal(again.task_id, b.task_id);
      },
    },
    { name: 'a read-only token', status: 403, run: () => call('POST', '/api/v1/recorder/sync', { token: fx.readToken }) },
  ],

  // --- a session's timeline: events, rollup, exports -----------------------------
  addEvents: [
    {
      name: 'a batch as {"events": [...]}', status: 201,
      run: () => call('POST', tl('/events'), { json: { events: RALLY } }),
      then: async (b) => {
        assert.equal(b.inserted, RALLY.length);
        assert.deepEqual(b.ids, [...b.ids].sort((x, y) => x - y));
        fx.eventIds = b.ids;
        const list = await expectCall('listEvents', 200, 'GET', tl('/events'));
        const mine = list.items.filter((e) => b.ids.includes(e.id));
        assert.deepEqual(mine.map((e) => [e.t_sec, e.event_type, e.actor_team, e.actor_number, e.payload, e.source]),
          RALLY.map((e) => [e.t_sec, e.event_type, e.actor_team ?? null, e.actor_number == null ? null : String(e.actor_number),
            e.payload ?? {}, 'manual']), 'shirt numbers sent as integers answer as strings');
      },
    },
    {
      name: 'a bare array, with an Idempotency-Key', status: 201,
      run: () => call('POST', tl('/events'), { raw: IDEM_BODY, type: 'application/json', headers: { 'idempotency-key': `${TAG}-k1` } }),
      then: (b, res) => {
        assert.equal(res.headers.get('idempotent-replayed'), null);
        fx.idem = b;
      },
    },
    {
      name: 'the same key and body again: the first answer, nothing added', status: 201,
      run: async () => {
        fx.countBefore = (await expectCall('listEvents', 200, 'GET', tl('/events?limit=1'))).total;
        return call('POST', tl('/events'), { raw: IDEM_BODY, type: 'application/json', headers: { 'idempotency-key': `${TAG}-k1` } });
      },
      then: async (b, res) => {
        assert.equal(res.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(b, fx.idem);
        assert.equal((await expectCall('listEvents', 200, 'GET', tl('/events?limit=1'))).total, fx.countBefore);
      },
    },
    {
      name: 'the same key with another body', status: 422,
      run: () => call('POST', tl('/events'), { json: [{ t_sec: 1, event_type: 'note' }], headers: { 'idempotency-key': `${TAG}-k1` } }),
      then: (b) => assert.deepEqual([b.error.code, b.error.fields], ['idempotency_key_reused', undefined]),
    },
    {
      name: 'an Idempotency-Key over 200 characters', status: 400,
      run: () => call('POST', tl('/events'), { json: [{ t_sec: 1, event_type: 'note' }], headers: { 'idempotency-key': 'k'.repeat(201) } }),
      then: (b) => assert.equal(b.error.code, 'bad_idempotency_key'),
    },
    {
      name: 'every problem named by position and field', status: 422,
      run: () => call('POST', tl('/events'), {
        json: [{ t_sec: 1, event_type: 'serve' }, { t_sec: 2, event_type: 'serve', colour: 'red' },
          { t_sec: 3, event_type: 'serve', id: 7, source: 'x' }, { t_sec: -1, event_type: 'Serve!', actor_team: 'C', actor_number: 1000 },
          { event_type: 'serve', payload: [] }],
      }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['events[1].colour', 'events[2].id', 'events[2].source',
        'events[3].actor_number', 'events[3].actor_team', 'events[3].event_type', 'events[3].t_sec',
        'events[4].payload', 'events[4].t_sec']),
    },
    {
      name: 'a payload over 16 KiB', status: 422,
      run: () => call('POST', tl('/events'), { json: [{ t_sec: 1, event_type: 'note', payload: { a: 'x'.repeat(16400) } }] }),
      then: (b) => assert.deepEqual(b.error.fields, { 'events[0].payload': 'is too large' }),
    },
    {
      name: 'a clip_id that is not a clip of this session', status: 422,
      run: () => call('POST', tl('/events'), { json: [{ t_sec: 1, event_type: 'serve' }, { t_sec: 1, event_type: 'serve', clip_id: 900000000 }] }),
      then: (b) => assert.deepEqual(b.error.fields, { 'events[1].clip_id': 'is not a clip of this session' }),
    },
    {
      name: 'no events', status: 422,
      run: () => call('POST', tl('/events'), { json: { events: [] } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['events']),
    },
    {
      name: 'a field other than events', status: 422,
      run: () => call('POST', tl('/events'), { json: { events: RALLY, colour: 'red' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['colour']),
    },
    {
      name: 'malformed JSON', status: 400,
      run: () => call('POST', tl('/events'), { raw: '[{"t_sec": 1,', type: 'application/json' }),
      then: (b) => assert.equal(b.error.code, 'malformed_json'),
    },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('POST', tl('/events'), { raw: 't_sec=1', type: 'application/x-www-form-urlencoded' }),
    },
    {
      name: 'a body over 16 MiB', status: 413,
      run: () => call('POST', tl('/events'), { json: [{ t_sec: 1, event_type: 'note', payload: { a: 'x'.repeat(17 * 1024 * 1024) } }] }),
      then: (b) => assert.equal(b.error.code, 'too_large'),
    },
    {
      name: 'with the login cookie and X-CSRF-Token', status: 201,
      run: () => cookieCall('POST', tl('/events'), [{ t_sec: 90, event_type: 'note' }]),
    },
    {
      name: 'with the login cookie but without X-CSRF-Token', status: 403,
      run: () => cookieCall('POST', tl('/events'), [{ t_sec: 90, event_type: 'note' }], { csrf: false }),
      then: (b) => assert.equal(b.error.code, 'csrf'),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/events'), { json: RALLY, token: fx.watcher.token }),
      then: (b) => assert.equal(b.error.code, 'forbidden'),
    },
    {
      name: 'a read-only token', status: 403,
      run: () => call('POST', tl('/events'), { json: RALLY, token: fx.readToken }),
    },
    { name: 'an unknown session', status: 404, run: () => call('POST', tl('/events', randomUUID()), { json: RALLY }) },
  ],
  importEventsCsv: [
    {
      name: "another session's export reads back the same", status: 201,
      run: async () => {
        const src = await newSession({ title: `${TAG} csv source` });
        fx.csvSource = src;
        await expectCall('addEvents', 201, 'POST', tl('/events', src.id), { json: [...RALLY, TRICKY_EVENT] });
        const csv = await expectCall('exportEventsCsv', 200, 'GET', tl('/export/events.csv', src.id));
        fx.csvCopy = await newSession({ title: `${TAG} csv copy` });
        return call('POST', tl('/import/events.csv', fx.csvCopy.id), { raw: csv, type: 'text/csv' });
      },
      then: async (b) => {
        assert.equal(b.inserted, RALLY.length + 1);
        const key = (e) => [e.t_sec, e.event_type, e.actor_team, e.actor_number, e.payload];
        const [from, to] = await Promise.all([fx.csvSource, fx.csvCopy].map((s) =>
          expectCall('listEvents', 200, 'GET', tl('/events', s.id))));
        assert.deepEqual(to.items.map(key), from.items.map(key));
        assert.ok(to.items.every((e) => e.source === 'import:csv'));
      },
    },
    {
      name: 'problems of the CSV named by row and column', status: 422,
      run: () => call('POST', tl('/import/events.csv'), {
        raw: `${CSV_HEADER}\r\n,1,serve,A,7,,\r\n,soon,serve,A,7,,\r\n,3,serve\r\n,4,serve,,,,{oops\r\n`, type: 'text/csv',
      }),
      then: (b) => {
        assert.equal(b.error.code, 'invalid_csv');
        assert.deepEqual(fieldsOf(b), ['row 2.t_sec', 'row 3', 'row 4.payload']);
      },
    },
    {
      name: 'a wrong header', status: 422,
      run: () => call('POST', tl('/import/events.csv'), { raw: 't,type\r\n1,serve\r\n', type: 'text/csv' }),
      then: (b) => assert.deepEqual([b.error.code, fieldsOf(b)], ['invalid_csv', ['row 0']]),
    },
    {
      name: 'then the field rules, named by position', status: 422,
      run: () => call('POST', tl('/import/events.csv'), {
        raw: `${CSV_HEADER}\r\n,1,serve,A,7,,\r\n,2,serve,C,7,,\r\n`, type: 'text/csv; charset=utf-8',
      }),
      then: (b) => assert.deepEqual([b.error.code, fieldsOf(b)], ['invalid_fields', ['events[1].actor_team']]),
    },
    {
      name: 'not sent as text/csv', status: 415,
      run: () => call('POST', tl('/import/events.csv'), { raw: `${CSV_HEADER}\r\n`, type: 'application/json' }),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/import/events.csv'), { raw: `${CSV_HEADER}\r\n,1,serve,,,,\r\n`, type: 'text/csv', token: fx.watcher.token }),
    },
    {
      name: 'an unknown session', status: 404,
      run: () => call('POST', tl('/import/events.csv', randomUUID()), { raw: `${CSV_HEADER}\r\n`, type: 'text/csv' }),
    },
  ],
  listEvents: [
    {
      name: 'first page with the defaults, in timeline order', status: 200,
      run: () => call('GET', tl('/events')),
      then: (b) => {
        assert.deepEqual([b.limit, b.offset, b.total >= RALLY.length], [1000, 0, true]);
        const order = b.items.map((e) => [e.t_sec, e.id]);
        assert.deepEqual(order, [...order].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
      },
    },
    {
      name: 'filters and paging', status: 200,
      run: () => call('GET', tl('/events?type=serve&team=A&player=7&from=0&to=100.5&limit=1&offset=0')),
      then: (b) => {
        assert.equal(b.total, RALLY.filter((e) => e.event_type === 'serve' && e.actor_team === 'A' && e.actor_number === 7).length);
        assert.equal(b.items.length, 1);
        assert.deepEqual([b.items[0].event_type, b.items[0].actor_team, b.items[0].actor_number], ['serve', 'A', '7']);
      },
    },
    {
      name: 'empty parameters count as not sent', status: 200,
      run: () => call('GET', tl('/events?type=&team=&player=&from=&to=&limit=&offset=')),
    },
    {
      name: 'every invalid parameter is named', status: 422,
      run: () => call('GET', tl('/events?type=Serve&team=C&player=x&from=-1&to=abc&limit=10001&offset=-1')),
      then: (b) => assert.deepEqual(fieldsOf(b), ['from', 'limit', 'offset', 'player', 'team', 'to', 'type']),
    },
    {
      name: 'a user the session is shared with as viewer may list', status: 200,
      run: () => call('GET', tl('/events'), { token: fx.watcher.token }),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/events'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/events', randomUUID())) },
  ],
  getEvent: [
    {
      name: 'an event', status: 200,
      run: () => call('GET', tl(`/events/${fx.eventIds[0]}`)),
      then: async (b) => {
        const list = await expectCall('listEvents', 200, 'GET', tl('/events'));
        assert.deepEqual(b, list.items.find((e) => e.id === fx.eventIds[0]));
      },
    },
    { name: 'an unknown id', status: 404, run: () => call('GET', tl('/events/999999999999')) },
    { name: 'an id that is not a number', status: 404, run: () => call('GET', tl('/events/abc')) },
    {
      name: 'an event of another session', status: 404,
      run: () => call('GET', tl(`/events/${fx.eventIds[0]}`, fx.csvCopy.id)),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl(`/events/${fx.eventIds[0]}`), { token: fx.coach.token }) },
  ],
  updateEvent: [
    {
      name: 'change some fields, clear the team', status: 200,
      run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { json: { t_sec: 101.25, actor_team: null, payload: { evaluation: '!' } } }),
      then: (b) => {
        assert.deepEqual([b.id, b.t_sec, b.actor_team, b.actor_number, b.payload],
          [fx.eventIds[1], 101.25, null, String(RALLY[1].actor_number), { evaluation: '!' }]);
      },
    },
    { name: 'an empty patch', status: 200, run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { json: {} }) },
    {
      name: 'null where not allowed, read-only and unknown fields', status: 422,
      run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { json: { t_sec: null, event_type: 'x/y', id: 1, colour: 'red', clip_id: 0 } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['clip_id', 'colour', 'event_type', 'id', 't_sec']),
    },
    {
      name: 'a clip_id that is not a clip of this session', status: 422,
      run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { json: { clip_id: 900000000 } }),
      then: (b) => assert.ok(fieldsOf(b).length === 1 && fieldsOf(b)[0].endsWith('clip_id'), JSON.stringify(b)),
    },
    {
      name: 'not a JSON object', status: 422,
      run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { json: ['t_sec'] }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['(body)']),
    },
    { name: 'an unknown id', status: 404, run: () => call('PATCH', tl('/events/999999999999'), { json: { t_sec: 1 } }) },
    {
      name: 'malformed JSON', status: 400,
      run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { raw: '{"t_sec"', type: 'application/json' }),
    },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { raw: 't_sec=1', type: 'text/plain' }),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('PATCH', tl(`/events/${fx.eventIds[1]}`), { json: { t_sec: 1 }, token: fx.watcher.token }),
    },
  ],
  deleteEvent: [
    {
      name: 'an event', status: 204,
      run: () => call('DELETE', tl(`/events/${fx.eventIds.at(-1)}`)),
      then: () => expectCall('getEvent', 404, 'GET', tl(`/events/${fx.eventIds.at(-1)}`)),
    },
    { name: 'deleted already', status: 404, run: () => call('DELETE', tl(`/events/${fx.eventIds.at(-1)}`)) },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('DELETE', tl(`/events/${fx.eventIds[0]}`), { token: fx.watcher.token }),
    },
  ],
  getRollup: [
    {
      name: 'counts that add up to the events, and KPIs', status: 200,
      run: () => call('GET', tl('/rollup', fx.csvSource.id)),
      then: async (b) => {
        const events = await expectCall('listEvents', 200, 'GET', tl('/events', fx.csvSource.id));
        assert.equal(b.rows.reduce((n, r) => n + r.count, 0), events.total);
        const a7 = b.players.find((p) => p.team_side === 'A' && p.number === '7');
        assert.deepEqual([a7.serves, a7.serve_aces, a7.serve_ace_pct, a7.player_name], [1, 1, 100, null]);
        const b3 = b.players.find((p) => p.team_side === 'B' && p.number === '3');
        assert.deepEqual([b3.attack_attempts, b3.attack_errors, b3.attack_kill_pct, b3.attack_efficiency], [1, 1, 0, -1]);
      },
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/rollup'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/rollup', randomUUID())) },
  ],
  describeScoutCode: [
    {
      name: 'a code typed so far, in words, with the next part', status: 200,
      run: () => call('GET', tl('/scout-code?code=*7AH', fx.csvSource.id)),
      then: (b) => assert.deepEqual([b.complete, b.part, b.words.slice(0, 3)], [false, 'evaluation', ['Home', '#7', 'Attack']]),
    },
    {
      name: 'a whole code and its event', status: 200,
      run: () => call('GET', tl('/scout-code?code=*7AH%23V6%204%202', fx.csvSource.id)),
      then: (b) => assert.deepEqual([b.complete, b.code, b.event.payload.attack_code], [true, '*7AH#V6~42', 'V6']),
    },
    { name: 'a wrong code', status: 422, run: () => call('GET', tl('/scout-code?code=*7AH%25', fx.csvSource.id)) },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/scout-code?code=*7'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/scout-code?code=*7', randomUUID())) },
  ],
  getMatchState: [
    {
      name: 'the state before every event', status: 200,
      run: () => call('GET', tl('/state', fx.csvSource.id)),
      then: async (b) => {
        const events = await expectCall('listEvents', 200, 'GET', tl('/events', fx.csvSource.id));
        assert.equal(b.events.length, events.total);
        assert.equal(b.rules.set_points, 25);
      },
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/state'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/state', randomUUID())) },
  ],
  getSessionStats: [
    {
      name: 'serve, reception and attack per team and player from the events', status: 200,
      run: () => call('GET', tl('/stats', fx.csvSource.id)),
      then: async (b) => {
        const a7 = b.players.find((p) => p.team === 'A' && p.number === '7');
        assert.deepEqual([a7.serve.attempts, a7.serve.aces, b.teams.A.serve.aces >= 1], [1, 1, true]);
        const b3 = b.players.find((p) => p.team === 'B' && p.number === '3');
        assert.deepEqual([b3.attack.attempts, b3.attack.errors, b3.attack.kill_pct, b3.attack.efficiency], [1, 1, 0, -100]);
        assert.equal(b.by_rotation.length, 12);
      },
    },
    {
      name: "one player's actions", status: 200,
      run: () => call('GET', tl('/stats?team=B&player=3', fx.csvSource.id)),
      then: (b) => assert.deepEqual([b.players.map((p) => p.team + p.number), b.filter.player], [['B3'], '3']),
    },
    { name: 'a phase that is none', status: 422, run: () => call('GET', tl('/stats?phase=serve', fx.csvSource.id)) },
    { name: 'a player without team', status: 422, run: () => call('GET', tl('/stats?player=3', fx.csvSource.id)) },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/stats'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/stats', randomUUID())) },
  ],
  getSeasonStats: [
    {
      name: 'one session as a season: its own counts', status: 200,
      run: () => call('GET', `/api/v1/stats?sessions=${fx.csvSource.id}`),
      then: async (b) => {
        const one = (await call('GET', tl('/stats', fx.csvSource.id))).body;
        assert.deepEqual([b.sessions.map((x) => x.id), b.totals.A.serve, b.totals.B.attack], [[fx.csvSource.id], one.teams.A.serve, one.teams.B.attack]);
      },
    },
    { name: 'a team in a date range', status: 200, run: () => call('GET', '/api/v1/stats?team=Nobody&from=2026-01-01&to=2026-12-31') },
    { name: 'a bad date', status: 422, run: () => call('GET', '/api/v1/stats?team=Nobody&from=2026-02-30') },
    { name: "another user's session: as one that does not exist", status: 404, run: () => call('GET', `/api/v1/stats?sessions=${fx.csvSource.id}`, { token: fx.coach.token }) },
  ],
  rebuildRollup: [
    {
      name: 'the same rollup, recounted', status: 200,
      run: async () => {
        fx.rollup = await expectCall('getRollup', 200, 'GET', tl('/rollup'));
        return call('POST', tl('/rollup/rebuild'));
      },
      then: (b) => assert.deepEqual(b, fx.rollup),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/rollup/rebuild'), { token: fx.watcher.token }),
    },
    { name: 'an unknown session', status: 404, run: () => call('POST', tl('/rollup/rebuild', randomUUID())) },
  ],
  exportEventsCsv: [
    {
      name: 'every event, one a row', status: 200,
      run: () => call('GET', tl('/export/events.csv')),
      then: async (b, res) => {
        assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
        assert.equal(res.headers.get('content-disposition'), `attachment; filename="${fx.tl.id}-events.csv"`);
        const { total } = await expectCall('listEvents', 200, 'GET', tl('/events?limit=1'));
        assert.equal(b.split('\r\n').length, total + 2, 'header, rows, and the empty string after the last CRLF');
      },
    },
    {
      name: 'a user the session is shared with as viewer may export', status: 200,
      run: () => call('GET', tl('/export/events.csv'), { token: fx.watcher.token }),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/export/events.csv'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/export/events.csv', randomUUID())) },
  ],
  exportRollupCsv: [
    {
      name: 'the rollup rows', status: 200,
      run: () => call('GET', tl('/export/rollup.csv', fx.csvSource.id)),
      then: async (b, res) => {
        assert.equal(res.headers.get('content-disposition'), `attachment; filename="${fx.csvSource.id}-rollup.csv"`);
        const rollup = await expectCall('getRollup', 200, 'GET', tl('/rollup', fx.csvSource.id));
        assert.deepEqual(b.split('\r\n').slice(1, -1),
          rollup.rows.map((r) => [r.team_side ?? '', r.number ?? '', r.event_type, r.count].join(',')));
      },
    },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/export/rollup.csv', randomUUID())) },
  ],
  exportSheetEventsCsv: [
    {
      name: 'every event, one a row, named from date and teams', status: 200,
      run: () => call('GET', tl('/export/sheet/events.csv', fx.csvSource.id)),
      then: async (b, res) => {
        assert.match(res.headers.get('content-disposition'), /^attachment; filename="(undated|\d{4}-\d\d-\d\d)_/);
        const { total } = await expectCall('listEvents', 200, 'GET', tl('/events?limit=1', fx.csvSource.id));
        assert.equal(b.split('\r\n').length, total + 2);
      },
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/export/sheet/events.csv'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/export/sheet/events.csv', randomUUID())) },
  ],
  exportSheetPlayersCsv: [
    {
      name: 'a row per player of the stats', status: 200,
      run: () => call('GET', tl('/export/sheet/players.csv', fx.csvSource.id)),
      then: async (b) => {
        const stats = await expectCall('getSessionStats', 200, 'GET', tl('/stats', fx.csvSource.id));
        assert.equal(b.split('\r\n').length, stats.players.length + 2);
      },
    },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/export/sheet/players.csv', randomUUID())) },
  ],
  storeMatchReport: [
    {
      name: 'the report, the charts and the CSVs as artifacts', status: 201,
      run: () => call('POST', tl('/match-report?team=A&player=7', fx.csvSource.id)),
      then: async (b) => {
        assert.deepEqual(b.artifacts.map((a) => a.type),
          ['match_report', ...Array(10).fill('chart'), 'export', 'export']);
        assert.ok(b.artifacts.every((a) => a.meta.source === 'match_report' && a.size_bytes > 0));
      },
    },
    { name: 'a player without a team', status: 422, run: () => call('POST', tl('/match-report?player=7', fx.csvSource.id)),
      then: (b) => assert.deepEqual(fieldsOf(b), ['team']) },
    { name: 'a viewer share may not store', status: 403, run: () => call('POST', tl('/match-report'), { token: fx.watcher.token }) },
    { name: 'an unknown session', status: 404, run: () => call('POST', tl('/match-report', randomUUID())) },
  ],

  // --- media: clips, artifacts, downloads ---------------------------------------------
  uploadClip: [
    {
      name: 'a video file as the body', status: 201,
      run: () => call('POST', tl('/clips/upload?kind=video&title=Broadcast%20camera&offset_sec=2'),
        { raw: dataFile(MP4_NAME), type: 'video/mp4' }),
      then: (b) => {
        fx.clip = b;
        assert.deepEqual([b.kind, b.title, b.offset_sec, b.content_type, b.size_bytes, b.uri],
          ['video', 'Broadcast camera', 2, 'video/mp4', dataFile(MP4_NAME).length, null]);
        assert.ok(Math.abs(b.duration_sec - 15.9) < 0.1, `duration ${b.duration_sec}`);
        assert.equal(b.media_url, `/media/sessions/${fx.tl.id}/clips/${b.id}`);
      },
    },
    {
      name: 'a body that is not media', status: 415,
      run: () => call('POST', tl('/clips/upload?kind=video'), { raw: 'just text', type: 'video/mp4' }),
      then: (b) => assert.equal(b.error.code, 'not_media'),
    },
    {
      name: 'no body', status: 400,
      run: () => call('POST', tl('/clips/upload?kind=audio')),
      then: (b) => assert.equal(b.error.code, 'no_file'),
    },
    {
      name: 'no kind, an offset that is not a number', status: 422,
      run: () => call('POST', tl('/clips/upload?offset_sec=soon'), { raw: 'x', type: 'application/octet-stream' }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['kind', 'offset_sec']),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/clips/upload?kind=video'), { raw: 'x', type: 'video/mp4', token: fx.watcher.token }),
    },
    { name: 'an unknown session', status: 404, run: () => call('POST', tl('/clips/upload?kind=video', randomUUID()), { raw: 'x' }) },
  ],
  registerClip: [
    {
      name: 'a reference by URI', status: 201,
      run: () => call('POST', tl('/clips'), {
        json: { kind: 'audio', title: 'DJ set', uri: 'https://media.example.org/set.ogg', offset_sec: 30, duration_sec: 600, meta: { a: 1 } },
      }),
      then: (b) => {
        fx.refClip = b;
        assert.deepEqual([b.uri, b.path, b.media_url, b.content_type, b.size_bytes, b.duration_sec, b.meta],
          ['https://media.example.org/set.ogg', null, null, null, null, 600, { a: 1 }]);
      },
    },
    {
      name: 'a file uploaded into the same session: ffprobe gives the duration', status: 201,
      run: async () => {
        fx.fileSession = await newSession({ title: `${TAG} registered file` });
        fx.fileUpload = await expectCall('uploadClip', 201, 'POST', tl('/clips/upload?kind=video', fx.fileSession.id),
          { raw: dataFile(MP4_NAME), type: 'video/mp4' });
        return call('POST', tl('/clips', fx.fileSession.id), { json: { kind: 'video', file: fx.fileUpload.path.replace(/^media\//, '') } });
      },
      then: (b) => {
        assert.deepEqual([b.path, b.uri, b.title, b.offset_sec], [fx.fileUpload.path, null, '', 0]);
        assert.equal(b.duration_sec, fx.clip.duration_sec);
        assert.equal(b.media_url, `/media/sessions/${fx.fileSession.id}/clips/${b.id}`);
      },
    },
    {
      name: 'a file uploaded into another session', status: 422,
      run: () => call('POST', tl('/clips', fx.csvCopy.id), { json: { kind: 'video', file: fx.clip.path.replace(/^media\//, '') } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['file']),
    },
    {
      name: 'both uri and file', status: 422,
      run: () => call('POST', tl('/clips'), { json: { kind: 'video', uri: 'https://x.org/a.mp4', file: 'a.mp4' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['uri']),
    },
    { name: 'neither uri nor file', status: 422, run: () => call('POST', tl('/clips'), { json: { kind: 'video' } }) },
    {
      name: 'a URI that is not https:// or s3://', status: 422,
      run: () => call('POST', tl('/clips'), { json: { kind: 'video', uri: 'file:///etc/passwd' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['uri']),
    },
    {
      name: 'a file outside the media folder', status: 422,
      run: () => call('POST', tl('/clips'), { json: { kind: 'video', file: '../../etc/passwd' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['file']),
    },
    {
      name: 'a file that is not there', status: 422,
      run: () => call('POST', tl('/clips'), { json: { kind: 'video', file: `${TAG}/nothing.mp4` } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['file']),
    },
    {
      name: 'an unknown kind, fields only uploads set', status: 422,
      run: () => call('POST', tl('/clips'), { json: { kind: 'hologram', uri: 'https://x.org/a', content_type: 'video/mp4', size_bytes: 1 } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['content_type', 'kind', 'size_bytes']),
    },
    {
      name: 'a path leading out of the import folder', status: 422,
      run: () => call('POST', tl('/clips'), { json: { path: '../media/x.mp4' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['path']),
    },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('POST', tl('/clips'), { raw: 'kind=video', type: 'application/x-www-form-urlencoded' }),
    },
    { name: 'malformed JSON', status: 400, run: () => call('POST', tl('/clips'), { raw: '{"kind":', type: 'application/json' }) },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/clips'), { json: { kind: 'video', uri: 'https://x.org/a.mp4' }, token: fx.watcher.token }),
    },
  ],
  listClips: [
    {
      name: 'by offset', status: 200,
      run: () => call('GET', tl('/clips')),
      then: (b) => assert.deepEqual(b.map((c) => c.id), [fx.clip.id, fx.refClip.id]),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/clips'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/clips', randomUUID())) },
  ],
  getClip: [
    {
      name: 'a clip', status: 200,
      run: () => call('GET', tl(`/clips/${fx.clip.id}`)),
      then: (b) => assert.deepEqual(b, fx.clip),
    },
    { name: 'an unknown id', status: 404, run: () => call('GET', tl('/clips/999999999')) },
    { name: 'an id that is not a number', status: 404, run: () => call('GET', tl('/clips/first')) },
    { name: 'a clip of another session', status: 404, run: () => call('GET', tl(`/clips/${fx.clip.id}`, fx.csvCopy.id)) },
    { name: "another user's session", status: 403, run: () => call('GET', tl(`/clips/${fx.clip.id}`), { token: fx.coach.token }) },
  ],
  updateClip: [
    {
      name: 'move a clip: its events move with it', status: 200,
      run: async () => {
        const added = await expectCall('addEvents', 201, 'POST', tl('/events'),
          { json: [{ t_sec: 5, event_type: 'serve', clip_id: fx.clip.id }] });
        fx.clipEvent = added.ids[0];
        return call('PATCH', tl(`/clips/${fx.clip.id}`), { json: { offset_sec: 12.5 } });
      },
      then: async (b) => {
        assert.equal(b.offset_sec, 12.5);
        const e = await expectCall('getEvent', 200, 'GET', tl(`/events/${fx.clipEvent}`));
        assert.equal(e.t_sec, 5 + 10.5);
      },
    },
    {
      name: 'a move that would put an event before 0', status: 422,
      run: () => call('PATCH', tl(`/clips/${fx.clip.id}`), { json: { offset_sec: -100 } }),
      then: async (b) => {
        assert.deepEqual(fieldsOf(b), ['offset_sec']);
        assert.equal((await expectCall('getEvent', 200, 'GET', tl(`/events/${fx.clipEvent}`))).t_sec, 15.5, 'nothing moved');
      },
    },
    {
      name: 'clear the title and duration, replace meta', status: 200,
      run: () => call('PATCH', tl(`/clips/${fx.refClip.id}`), { json: { title: null, duration_sec: null, meta: { b: 2 } } }),
      then: (b) => assert.deepEqual([b.title, b.duration_sec, b.meta, b.offset_sec], ['', null, { b: 2 }, 30]),
    },
    {
      name: 'fields that cannot change', status: 422,
      run: () => call('PATCH', tl(`/clips/${fx.refClip.id}`), { json: { kind: 'video', uri: 'https://x.org/b.mp4', offset_sec: null } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['kind', 'offset_sec', 'uri']),
    },
    { name: 'an unknown id', status: 404, run: () => call('PATCH', tl('/clips/999999999'), { json: { title: 'x' } }) },
    {
      name: 'not sent as application/json', status: 415,
      run: () => call('PATCH', tl(`/clips/${fx.refClip.id}`), { raw: 'title=x', type: 'text/plain' }),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('PATCH', tl(`/clips/${fx.refClip.id}`), { json: { title: 'x' }, token: fx.watcher.token }),
    },
  ],
  deleteClip: [
    {
      name: 'its events stay, without the clip', status: 204,
      run: async () => {
        const clip = await expectCall('registerClip', 201, 'POST', tl('/clips'), { json: { kind: 'video', uri: 'https://x.org/gone.mp4' } });
        fx.goneClip = clip;
        const added = await expectCall('addEvents', 201, 'POST', tl('/events'), { json: [{ t_sec: 1, event_type: 'note', clip_id: clip.id }] });
        fx.orphan = added.ids[0];
        return call('DELETE', tl(`/clips/${clip.id}`));
      },
      then: async () => {
        await expectCall('getClip', 404, 'GET', tl(`/clips/${fx.goneClip.id}`));
        assert.equal((await expectCall('getEvent', 200, 'GET', tl(`/events/${fx.orphan}`))).clip_id, null);
      },
    },
    { name: 'deleted already', status: 404, run: () => call('DELETE', tl(`/clips/${fx.goneClip.id}`)) },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('DELETE', tl(`/clips/${fx.refClip.id}`), { token: fx.watcher.token }),
    },
  ],
  downloadClip: [
    {
      name: 'the whole file', status: 200,
      run: () => call('GET', fx.clip.media_url, { binary: true }),
      then: (b, res) => {
        assert.equal(res.headers.get('content-type'), 'video/mp4');
        assert.ok(b.equals(dataFile(MP4_NAME)));
      },
    },
    {
      name: 'a byte range', status: 206,
      run: () => call('GET', fx.clip.media_url, { binary: true, headers: { range: 'bytes=100-199' } }),
      then: (b, res) => {
        assert.equal(res.headers.get('content-range'), `bytes 100-199/${dataFile(MP4_NAME).length}`);
        assert.ok(b.equals(dataFile(MP4_NAME).subarray(100, 200)));
      },
    },
    {
      name: 'a user the session is shared with as viewer', status: 206,
      run: () => call('GET', fx.clip.media_url, { binary: true, token: fx.watcher.token, headers: { range: 'bytes=0-0' } }),
    },
    {
      name: 'a reference clip has no file here', status: 404,
      run: () => call('GET', `/media/sessions/${fx.tl.id}/clips/${fx.refClip.id}`, { binary: true }),
      then: (b) => assert.equal(b.error.code, 'not_stored'),
    },
    {
      name: 'a range past the end', status: 416,
      run: () => call('GET', fx.clip.media_url, { binary: true, headers: { range: 'bytes=99999999-' } }),
      then: (b, res) => assert.equal(res.headers.get('content-range'), `bytes */${dataFile(MP4_NAME).length}`),
    },
    { name: 'an unknown clip', status: 404, run: () => call('GET', `/media/sessions/${fx.tl.id}/clips/999999999`, { binary: true }) },
    { name: "another user's session", status: 403, run: () => call('GET', fx.clip.media_url, { binary: true, token: fx.coach.token }) },
    { name: 'no credentials', status: 401, run: () => call('GET', fx.clip.media_url, { binary: true, token: null }) },
  ],
  uploadArtifact: [
    {
      name: 'a file with its content type', status: 201,
      run: () => call('POST', tl(`/artifacts/upload?type=report&name=${encodeURIComponent(ARTIFACT_NAME)}`),
        { raw: ARTIFACT_BODY, type: 'application/pdf' }),
      then: (b) => {
        fx.artifact = b;
        assert.deepEqual([b.type, b.name, b.content_type, b.size_bytes], ['report', ARTIFACT_NAME, 'application/pdf', ARTIFACT_BODY.length]);
        assert.equal(b.download_url, `/media/sessions/${fx.tl.id}/artifacts/${b.id}`);
      },
    },
    {
      name: 'no type, no name', status: 422,
      run: () => call('POST', tl('/artifacts/upload'), { raw: 'x', type: 'text/plain' }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['name', 'type']),
    },
    {
      name: 'a type that is not a name', status: 422,
      run: () => call('POST', tl('/artifacts/upload?type=Match%20Report&name=x'), { raw: 'x', type: 'text/plain' }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['type']),
    },
    {
      name: 'no body', status: 400,
      run: () => call('POST', tl('/artifacts/upload?type=report&name=x')),
      then: (b) => assert.equal(b.error.code, 'no_file'),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/artifacts/upload?type=report&name=x'), { raw: 'x', type: 'text/plain', token: fx.watcher.token }),
    },
  ],
  listArtifacts: [
    {
      name: 'oldest first', status: 200,
      run: () => call('GET', tl('/artifacts')),
      then: (b) => assert.deepEqual(b, [fx.artifact]),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/artifacts'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/artifacts', randomUUID())) },
  ],
  getArtifact: [
    { name: 'an artifact', status: 200, run: () => call('GET', tl(`/artifacts/${fx.artifact.id}`)), then: (b) => assert.deepEqual(b, fx.artifact) },
    { name: 'an unknown id', status: 404, run: () => call('GET', tl('/artifacts/999999999')) },
    { name: "another user's session", status: 403, run: () => call('GET', tl(`/artifacts/${fx.artifact.id}`), { token: fx.coach.token }) },
  ],
  downloadArtifact: [
    {
      name: 'the file, as an attachment', status: 200,
      run: () => call('GET', fx.artifact.download_url, { binary: true }),
      then: (b, res) => {
        assert.ok(b.equals(ARTIFACT_BODY));
        assert.equal(res.headers.get('content-type'), 'application/pdf');
        assert.equal(res.headers.get('content-disposition'), `attachment; filename*=UTF-8''${encodeURIComponent(ARTIFACT_NAME)}`);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      },
    },
    {
      name: 'a byte range', status: 206,
      run: () => call('GET', fx.artifact.download_url, { binary: true, headers: { range: 'bytes=1-2' } }),
      then: (b) => assert.ok(b.equals(ARTIFACT_BODY.subarray(1, 3))),
    },
    {
      name: 'a range past the end', status: 416,
      run: () => call('GET', fx.artifact.download_url, { binary: true, headers: { range: `bytes=${ARTIFACT_BODY.length}-` } }),
    },
    { name: 'an unknown artifact', status: 404, run: () => call('GET', `/media/sessions/${fx.tl.id}/artifacts/999999999`, { binary: true }) },
    { name: "another user's session", status: 403, run: () => call('GET', fx.artifact.download_url, { binary: true, token: fx.coach.token }) },
  ],
  uploadOptions: [
    { name: 'the tus versions and extensions', status: 204, run: () => call('OPTIONS', tl('/uploads')) },
  ],
  createUpload: [
    {
      name: 'a video of the clip\'s size, starting at 3 s', status: 201,
      run: () => call('POST', tl('/uploads'), { headers: { ...TUS, 'upload-length': String(dataFile(MP4_NAME).length),
        'upload-metadata': tusMeta({ kind: 'video', filename: 'side.mp4', title: 'Side camera', offset_sec: 3 }) } }),
      then: (b, res) => {
        fx.upload = res.headers.get('location');
        assert.equal(fx.upload, tl(`/uploads/${b.id}`));
      },
    },
    {
      name: 'larger than Tus-Max-Size', status: 413,
      run: () => call('POST', tl('/uploads'), { headers: { ...TUS, 'upload-length': String(8 * 1024 ** 3 + 1),
        'upload-metadata': tusMeta({ kind: 'video' }) } }),
    },
    {
      name: 'no Tus-Resumable', status: 412,
      run: () => call('POST', tl('/uploads'), { headers: { 'upload-length': '10', 'upload-metadata': tusMeta({ kind: 'video' }) } }),
    },
    {
      name: 'no kind', status: 422,
      run: () => call('POST', tl('/uploads'), { headers: { ...TUS, 'upload-length': '10', 'upload-metadata': tusMeta({ filename: 'a.pdf' }) } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['kind']),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/uploads'), { token: fx.watcher.token,
        headers: { ...TUS, 'upload-length': '10', 'upload-metadata': tusMeta({ kind: 'video' }) } }),
    },
  ],
  getUpload: [
    {
      name: 'nothing sent yet', status: 200, run: () => call('GET', fx.upload),
      then: (b, res) => {
        assert.deepEqual([b.upload_offset, b.upload_length, b.kind], [0, dataFile(MP4_NAME).length, 'video']);
        assert.equal(res.headers.get('upload-offset'), '0');
      },
    },
    { name: 'no such upload', status: 404, run: () => call('GET', tl(`/uploads/${randomUUID()}`)) },
  ],
  patchUpload: [
    {
      name: 'the first half', status: 204,
      run: () => call('PATCH', fx.upload, { raw: dataFile(MP4_NAME).subarray(0, 1000000), type: TUS_BYTES,
        headers: { ...TUS, 'upload-offset': '0' } }),
      then: (b, res) => assert.equal(res.headers.get('upload-offset'), '1000000'),
    },
    {
      name: 'at the wrong offset', status: 409,
      run: () => call('PATCH', fx.upload, { raw: dataFile(MP4_NAME).subarray(0, 10), type: TUS_BYTES,
        headers: { ...TUS, 'upload-offset': '0' } }),
      then: (b, res) => assert.equal(res.headers.get('upload-offset'), '1000000'),
    },
    {
      name: 'past Upload-Length', status: 413,
      run: () => call('PATCH', fx.upload, { raw: Buffer.concat([dataFile(MP4_NAME).subarray(1000000), Buffer.alloc(1)]),
        type: TUS_BYTES, headers: { ...TUS, 'upload-offset': '1000000' } }),
    },
    {
      name: 'not application/offset+octet-stream', status: 415,
      run: () => call('PATCH', fx.upload, { raw: dataFile(MP4_NAME).subarray(1000000), type: 'video/mp4',
        headers: { ...TUS, 'upload-offset': '1000000' } }),
    },
    {
      name: 'the rest: a clip at 3 s', status: 204,
      run: () => call('PATCH', fx.upload, { raw: dataFile(MP4_NAME).subarray(1000000), type: TUS_BYTES,
        headers: { ...TUS, 'upload-offset': '1000000' } }),
      then: async (b, res) => {
        const clip = await expectCall('getClip', 200, 'GET', res.headers.get('stint-clip'));
        assert.deepEqual([clip.title, clip.offset_sec, clip.size_bytes], ['Side camera', 3, dataFile(MP4_NAME).length]);
        const done = await expectCall('getUpload', 200, 'GET', fx.upload);
        assert.deepEqual([done.finished, done.upload_offset, done.clip_id], [true, dataFile(MP4_NAME).length, clip.id],
          'a finished upload is kept as a record naming its clip');
      },
    },
    {
      name: 'a file that is not the declared kind', status: 415,
      run: async () => {
        const { res } = await call('POST', tl('/uploads'), { headers: { ...TUS, 'upload-length': '9',
          'upload-metadata': tusMeta({ kind: 'audio' }) } });
        return call('PATCH', res.headers.get('location'), { raw: 'not audio', type: TUS_BYTES, headers: { ...TUS, 'upload-offset': '0' } });
      },
      then: (b) => assert.equal(b.error.code, 'not_media'),
    },
  ],
  deleteUpload: [
    {
      name: 'an upload and its bytes', status: 204,
      run: async () => {
        const { res } = await call('POST', tl('/uploads'), { headers: { ...TUS, 'upload-length': '9',
          'upload-metadata': tusMeta({ kind: 'audio' }) } });
        fx.dropped = res.headers.get('location');
        return call('DELETE', fx.dropped, { headers: TUS });
      },
    },
    { name: 'removed already', status: 404, run: () => call('DELETE', fx.dropped, { headers: TUS }) },
  ],
  deleteArtifact: [
    {
      name: 'the artifact and its file', status: 204,
      run: () => call('DELETE', tl(`/artifacts/${fx.artifact.id}`)),
      then: async () => {
        await expectCall('getArtifact', 404, 'GET', tl(`/artifacts/${fx.artifact.id}`));
        await expectCall('downloadArtifact', 404, 'GET', fx.artifact.download_url);
      },
    },
    { name: 'deleted already', status: 404, run: () => call('DELETE', tl(`/artifacts/${fx.artifact.id}`)) },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('DELETE', tl(`/artifacts/${fx.artifact.id}`), { token: fx.watcher.token }),
    },
  ],

  // --- participants and device files (issue 12) ----------------------------------------------
  createParticipant: [
    {
      name: 'a player with a unit', status: 201,
      run: () => call('POST', tl('/participants'), { json: { player: `${TAG} Ana`, team_side: 'A', number: '7', device_id: 'GPS-07' } }),
      then: (b) => {
        fx.participant = b;
        assert.deepEqual([b.player, b.team_side, b.number, b.device_id, b.device_file], [`${TAG} Ana`, 'A', '7', 'GPS-07', null]);
      },
    },
    {
      name: 'bad fields, each named', status: 422,
      run: () => call('POST', tl('/participants'), { json: { player: '', team_side: 'C', number: '12a', colour: 'red' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['colour', 'number', 'player', 'team_side']),
    },
    {
      name: 'a unit another participant wears', status: 422,
      run: () => call('POST', tl('/participants'), { json: { player: 'Bor', device_id: 'GPS-07' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['device_id']),
    },
    { name: 'not JSON', status: 400, run: () => call('POST', tl('/participants'), { raw: '{"player": ', type: 'application/json' }) },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/participants'), { json: { player: 'V' }, token: fx.watcher.token }),
    },
  ],
  listParticipants: [
    { name: 'by side and number', status: 200, run: () => call('GET', tl('/participants')), then: (b) => assert.deepEqual(b, [fx.participant]) },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/participants'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/participants', randomUUID())) },
  ],
  getParticipant: [
    { name: 'a participant', status: 200, run: () => call('GET', tl(`/participants/${fx.participant.id}`)), then: (b) => assert.deepEqual(b, fx.participant) },
    { name: 'an unknown id', status: 404, run: () => call('GET', tl('/participants/999999999')) },
  ],
  patchParticipant: [
    {
      name: 'a time window', status: 200,
      run: () => call('PATCH', tl(`/participants/${fx.participant.id}`), { json: { window_from: '2026-03-14T18:00:00Z', window_to: '2026-03-14T19:30:00+01:00' } }),
      then: (b) => assert.deepEqual([b.player, b.window_from, b.window_to], [fx.participant.player, '2026-03-14T18:00:00+00:00', '2026-03-14T18:30:00+00:00']),
    },
    {
      name: 'a window that ends before it starts', status: 422,
      run: () => call('PATCH', tl(`/participants/${fx.participant.id}`), { json: { window_to: '2026-03-14T17:00:00Z' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['window_to']),
    },
    { name: 'an unknown id', status: 404, run: () => call('PATCH', tl('/participants/999999999'), { json: { player: 'X' } }) },
  ],
  uploadDeviceData: [
    {
      name: 'a TCX file as the body', status: 201,
      run: () => call('POST', tl('/device-data?device=GPS-07&name=test.tcx'), { raw: readFileSync(path.join(DATA, 'gps', 'test.tcx')), type: 'application/octet-stream' }),
      then: (b) => {
        fx.deviceFile = b;
        assert.deepEqual([b.device_id, b.format, b.samples, b.parse_status, b.t_from], ['GPS-07', 'tcx', 384, 'ok', '2012-12-26T21:29:53+00:00']);
      },
    },
    {
      name: 'several files, multipart', status: 201,
      run: () => {
        const form = new FormData();
        form.append('GPS-11', new Blob([readFileSync(path.join(DATA, 'gps', 'garmin-fenix-5-run.fit'))]), 'run.fit');
        form.append('GPS-12', new Blob([readFileSync(path.join(DATA, 'gps', 'Mojstrovka.gpx'))]), 'Mojstrovka.gpx');
        return call('POST', tl('/device-data'), { raw: form });
      },
      then: (b) => assert.deepEqual(b.device_files.map((f) => [f.device_id, f.format, f.parse_status]),
        [['GPS-11', 'fit', 'ok'], ['GPS-12', 'gpx', 'warning']]),
    },
    {
      name: 'a truncated file: its line, and nothing stored', status: 422,
      run: () => call('POST', tl('/device-data?device=GPS-13'), { raw: readFileSync(path.join(DATA, 'gps', 'test.tcx')).subarray(0, 4000), type: 'application/octet-stream' }),
      then: async (b) => {
        assert.equal(b.error.code, 'unreadable_file');
        assert.match(b.error.fields.body, /^line \d+: /);
        assert.equal(sql(`SELECT count(*) FROM device_files WHERE device_id = 'GPS-13' AND session_id = '${fx.tl.id}'`)[0], '0');
      },
    },
    {
      name: 'no device', status: 422,
      run: () => call('POST', tl('/device-data'), { raw: 'time,hr\n0,80\n', type: 'text/csv' }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['device']),
    },
    { name: 'no body', status: 400, run: () => call('POST', tl('/device-data?device=GPS-14')) },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/device-data?device=GPS-15'), { raw: 'time,hr\n0,80\n', type: 'text/csv', token: fx.watcher.token }),
    },
  ],
  listDeviceFiles: [
    {
      name: 'one a unit', status: 200, run: () => call('GET', tl('/device-data')),
      then: (b) => assert.deepEqual(b.map((f) => f.device_id), ['GPS-07', 'GPS-11', 'GPS-12']),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/device-data'), { token: fx.coach.token }) },
  ],
  downloadDeviceFile: [
    {
      name: 'the original bytes', status: 200,
      run: () => call('GET', fx.deviceFile.download_url, { binary: true }),
      then: (b, res) => {
        assert.ok(b.equals(readFileSync(path.join(DATA, 'gps', 'test.tcx'))));
        assert.equal(res.headers.get('content-disposition'), "attachment; filename*=UTF-8''test.tcx");
      },
    },
    {
      name: 'a byte range', status: 206,
      run: () => call('GET', fx.deviceFile.download_url, { binary: true, headers: { range: 'bytes=0-4' } }),
      then: (b) => assert.equal(b.toString(), '<?xml'),
    },
    { name: 'an unknown id', status: 404, run: () => call('GET', tl('/device-data/999999999/download')) },
    { name: "another user's session", status: 403, run: () => call('GET', fx.deviceFile.download_url, { token: fx.coach.token }) },
  ],
  deleteParticipant: [
    { name: 'the participant', status: 204, run: () => call('DELETE', tl(`/participants/${fx.participant.id}`)) },
    { name: 'deleted already', status: 404, run: () => call('DELETE', tl(`/participants/${fx.participant.id}`)) },
  ],

  // --- load thresholds (issue 12) -------------------------------------------------------------
  listThresholds: [
    {
      name: 'every row, the default one with the literature values', status: 200,
      run: () => call('GET', '/api/v1/thresholds', { token: fx.analyst.token }),
      then: (b) => {
        const def = b.find((t) => t.team === '' && t.valid_from === '1970-01-01');
        assert.deepEqual([def.zone1_mps, def.zone4_mps, def.sprint_mps, def.hr_max_bpm, def.chronic_days], [2, 7, 7, 190, 28]);
      },
    },
    { name: 'a viewer', status: 403, run: () => call('GET', '/api/v1/thresholds', { token: fx.viewer.token }) },
  ],
  putThresholds: [
    {
      name: "a coach sets a team's row from a date", status: 201,
      run: () => call('PUT', '/api/v1/thresholds', { json: { team: `${TAG} FC`, valid_from: '2026-08-01', sprint_mps: 7.5, zone4_mps: 7.5 }, token: fx.coach.token }),
      then: (b) => assert.deepEqual([b.team, b.valid_from, b.sprint_mps, b.hsr_mps], [`${TAG} FC`, '2026-08-01', 7.5, 5.5]),
    },
    {
      name: 'the same row again replaces it', status: 200,
      run: () => call('PUT', '/api/v1/thresholds', { json: { team: `${TAG} FC`, valid_from: '2026-08-01', hsr_mps: 6 } }),
      then: (b) => assert.deepEqual([b.hsr_mps, b.sprint_mps], [6, 7]),
    },
    {
      name: 'zones that do not increase, HRmax under HRrest', status: 422,
      run: () => call('PUT', '/api/v1/thresholds', { json: { team: '', valid_from: '2026-01-01', zone2_mps: 1.5, hr_rest_bpm: 200 } }),
      then: (b) => assert.deepEqual(Object.keys(b.error.fields).sort(), ['hr_max_bpm', 'zone2_mps']),
    },
    {
      name: 'an analyst reads but does not change', status: 403,
      run: () => call('PUT', '/api/v1/thresholds', { json: { team: '', valid_from: '2026-01-01' }, token: fx.analyst.token }),
    },
    { name: 'not JSON', status: 400, run: () => call('PUT', '/api/v1/thresholds', { raw: '{"team": ', type: 'application/json' }) },
  ],
  deleteThresholds: [
    {
      name: "a team's row", status: 204,
      run: () => call('DELETE', `/api/v1/thresholds?team=${encodeURIComponent(`${TAG} FC`)}&valid_from=2026-08-01`),
    },
    {
      name: 'deleted already', status: 404,
      run: () => call('DELETE', `/api/v1/thresholds?team=${encodeURIComponent(`${TAG} FC`)}&valid_from=2026-08-01`),
    },
    { name: 'the default row', status: 409, run: () => call('DELETE', '/api/v1/thresholds?team=&valid_from=1970-01-01') },
    { name: 'a date that does not exist', status: 422, run: () => call('DELETE', '/api/v1/thresholds?valid_from=2026-02-30') },
  ],

  // --- teams and rosters (issue 18) ------------------------------------------------------------
  listSavedTeams: [
    { name: 'a viewer reads them', status: 200, run: () => call('GET', '/api/v1/teams', { token: fx.viewer.token }) },
  ],
  createSavedTeam: [
    {
      name: "a coach saves the club's squad", status: 201,
      run: () => call('POST', '/api/v1/teams', { json: { name: `${TAG} Club`, short_name: 'CLB', colour: '#AA0011',
        players: [{ number: '7', name: 'Anna', captain: true }, { number: '00', name: 'Bea', position: 'libero', libero: true }] },
        token: fx.coach.token }),
      then: (b) => {
        fx.savedTeam = b;
        assert.deepEqual([b.colour, b.players.map((p) => p.number)], ['#aa0011', ['00', '7']]);
      },
    },
    {
      name: 'a number twice', status: 422,
      run: () => call('POST', '/api/v1/teams', { json: { name: 'X', players: [{ number: '1' }, { number: '1' }] } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['players[1].number']),
    },
    { name: 'an analyst reads only', status: 403, run: () => call('POST', '/api/v1/teams', { json: { name: 'X' }, token: fx.analyst.token }) },
  ],
  getSavedTeam: [
    { name: 'a saved team', status: 200, run: () => call('GET', `/api/v1/teams/${fx.savedTeam.id}`, { token: fx.viewer.token }),
      then: (b) => assert.deepEqual(b, fx.savedTeam) },
    { name: 'an unknown id', status: 404, run: () => call('GET', '/api/v1/teams/999999999') },
  ],
  putSavedTeam: [
    {
      name: 'replaced whole', status: 200,
      run: () => call('PUT', `/api/v1/teams/${fx.savedTeam.id}`, { json: { name: `${TAG} Club`, players: [{ number: '12', name: 'Cene' }] } }),
      then: (b) => assert.deepEqual(b.players.map((p) => [p.number, p.name]), [['12', 'Cene']]),
    },
    { name: 'an unknown id', status: 404, run: () => call('PUT', '/api/v1/teams/999999999', { json: { name: 'X' } }) },
  ],
  getSessionTeams: [
    {
      name: 'a new session has none', status: 200,
      run: async () => {
        fx.teamsSession = await newSession({ title: `${TAG} teams`, kind: 'match' });
        return call('GET', tl('/teams', fx.teamsSession.id));
      },
      then: (b) => assert.deepEqual([b.home, b.visiting], [null, null]),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/teams', fx.teamsSession.id), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/teams', randomUUID())) },
  ],
  putSessionTeams: [
    {
      name: 'home typed in, visiting copied from a saved team', status: 200,
      run: () => call('PUT', tl('/teams', fx.teamsSession.id), { json: {
        home: { name: 'Lions', players: [{ number: '0', name: 'Dora' }, { number: '00', name: 'Eva' }] },
        visiting: { saved_team_id: fx.savedTeam.id } } }),
      then: (b) => assert.deepEqual([b.home.players.map((p) => p.number), b.visiting.name], [['0', '00'], `${TAG} Club`]),
    },
    {
      name: 'a number that is not 1 to 3 digits', status: 422,
      run: () => call('PUT', tl('/teams', fx.teamsSession.id), { json: { home: { name: 'Lions', players: [{ number: '1234' }] } } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['home.players[0].number']),
    },
    { name: "another user's session", status: 403, run: () => call('PUT', tl('/teams', fx.teamsSession.id), { json: { home: null }, token: fx.coach.token }) },
    { name: 'not JSON', status: 400, run: () => call('PUT', tl('/teams', fx.teamsSession.id), { raw: '{"home": ', type: 'application/json' }) },
  ],
  deleteSavedTeam: [
    { name: 'a saved team', status: 204, run: () => call('DELETE', `/api/v1/teams/${fx.savedTeam.id}`, { token: fx.coach.token }) },
    { name: 'deleted already', status: 404, run: () => call('DELETE', `/api/v1/teams/${fx.savedTeam.id}`) },
  ],

  // --- DataVolley imports -----------------------------------------------------------------
  importDataVolley: [
    {
      name: 'a match file synced to an uploaded video', status: 201,
      run: () => call('POST', `/api/v1/imports?title=${encodeURIComponent(`${TAG} imported`)}&video=${encodeURIComponent(fx.clip.path.replace(/^media\//, ''))}`,
        { raw: dataFile('190301_kats_beds-clip.dvw'), type: 'application/octet-stream' }),
      then: async (b, res) => {
        const s = b.session;
        assert.equal(res.headers.get('location'), sessionUrl(s.id));
        assert.deepEqual([s.title, s.kind, s.status, s.owner_id, s.meta.source], [`${TAG} imported`, 'match', 'completed', fx.adminId, 'dvw']);
        assert.deepEqual(s.teams.map((t) => t.name), ['GKS Katowice', 'MKS Będzin']);
        assert.deepEqual([b.events, b.warnings, s.counts.events, s.counts.clips], [21, [], 21, 1]);
        const [clip] = await expectCall('listClips', 200, 'GET', tl('/clips', s.id));
        assert.match(clip.path, new RegExp(`^media/${s.id}/[0-9a-f]{32}\\.mp4$`), 'the new session\'s own link');
        assert.equal(clip.duration_sec, fx.clip.duration_sec);
      },
    },
    {
      name: 'lines that cannot be read whole are warnings', status: 201,
      run: () => call('POST', '/api/v1/imports', { raw: dataFile('testing_truncated.dvw') }),
      then: (b) => {
        assert.ok(b.warnings.length > 0 && b.warnings.every((w) => /^line \d+: /.test(w)), JSON.stringify(b.warnings));
        assert.equal(b.session.counts.events, b.events);
      },
    },
    {
      name: 'not a DataVolley file', status: 422,
      run: () => call('POST', '/api/v1/imports', { raw: 'title,venue\nnot,volleyball\n', type: 'text/csv' }),
      then: (b) => assert.equal(b.error.code, 'not_datavolley'),
    },
    {
      name: 'an empty body', status: 422,
      run: () => call('POST', '/api/v1/imports'),
      then: (b) => assert.equal(b.error.code, 'not_datavolley'),
    },
    {
      name: 'a video that is not in the media folder', status: 422,
      run: () => call('POST', '/api/v1/imports?video=../../etc/passwd', { raw: dataFile('190301_kats_beds-clip.dvw') }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['video']),
    },
    {
      name: 'a file over 20 MiB', status: 413,
      run: () => call('POST', '/api/v1/imports', { raw: Buffer.alloc(21 * 1024 * 1024, 0x41) }),
      then: (b) => assert.equal(b.error.code, 'too_large'),
    },
    {
      name: 'a user whose role is viewer', status: 403,
      run: () => call('POST', '/api/v1/imports', { raw: dataFile('190301_kats_beds-clip.dvw'), token: fx.viewer.token }),
    },
    {
      name: 'a read-only token', status: 403,
      run: () => call('POST', '/api/v1/imports', { raw: dataFile('190301_kats_beds-clip.dvw'), token: fx.readToken }),
    },
  ],

  // --- live ---------------------------------------------------------------------------------
  subscribeLive: [
    {
      name: 'server-sent events', status: 200,
      run: () => call('GET', `/live/sessions/${fx.tl.id}`, { stream: true, headers: { accept: 'text/event-stream' } }),
      then: (b, res) => assert.equal(res.headers.get('cache-control'), 'no-store'),
    },
    {
      name: 'long-poll from the oldest message the live server holds (0:0)', status: 200,
      run: () => call('GET', `/live/sessions/${fx.tl.id}?last_event_id=0%3A0`, { timeout: 10000 }),
      then: (b) => assert.deepEqual([b.session_id, b.seq], [fx.tl.id, 1]),
    },
    {
      name: 'a user the session is shared with as viewer', status: 200,
      run: () => call('GET', `/live/sessions/${fx.tl.id}?last_event_id=`, { stream: true, token: fx.watcher.token, headers: { accept: 'text/event-stream' } }),
    },
    {
      name: 'a last_event_id this server did not give', status: 422,
      run: () => call('GET', `/live/sessions/${fx.tl.id}?last_event_id=${encodeURIComponent('1\r\nX-Evil: 1')}`),
      then: (b) => assert.deepEqual(fieldsOf(b), ['last_event_id']),
    },
    { name: "another user's session", status: 403, run: () => call('GET', `/live/sessions/${fx.tl.id}`, { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', `/live/sessions/${randomUUID()}`) },
    { name: 'no credentials', status: 401, run: () => call('GET', `/live/sessions/${fx.tl.id}`, { token: null }) },
  ],
  postLiveUpdate: [
    {
      name: 'session_update: the session starts', status: 202,
      run: () => call('POST', tl('/live'), { json: { type: 'session_update', data: { status: 'started' } } }),
      then: async (b) => {
        assert.deepEqual(b, { messages: 1 });
        const s = await expectCall('getSession', 200, 'GET', sessionUrl(fx.tl.id));
        assert.ok(s.status === 'live' && s.starts_at, JSON.stringify(s));
      },
    },
    {
      name: 'climb_update: holds merged by id', status: 202,
      run: async () => {
        await expectCall('postLiveUpdate', 202, 'POST', tl('/live'), {
          json: { type: 'climb_update', data: { holds: [{ id: 'h1', type: 'start', status: 'completed', time: '2026-11-22T10:00:00Z' }, { id: 'h2' }] } },
        });
        return call('POST', tl('/live'), { json: { type: 'climb_update', data: { holds: [{ id: 'h2', status: 'completed', time: null }] } } });
      },
      then: async () => {
        const s = await expectCall('getSession', 200, 'GET', sessionUrl(fx.tl.id));
        assert.deepEqual(s.data.holds, [{ id: 'h1', type: 'start', status: 'completed', time: '2026-11-22T10:00:00Z' }, { id: 'h2', status: 'completed', time: null }]);
      },
    },
    {
      name: 'pose_update: one message per frame', status: 202,
      run: () => call('POST', tl('/live'), { json: { type: 'pose_update', data: { frames: [POSE_FRAME, { ...POSE_FRAME, frame: 362 }] } } }),
      then: (b) => assert.deepEqual(b, { messages: 2 }),
    },
    {
      name: 'pose_update: a single frame', status: 202,
      run: () => call('POST', tl('/live'), { json: { type: 'pose_update', data: POSE_FRAME } }),
      then: (b) => assert.deepEqual(b, { messages: 1 }),
    },
    {
      name: 'an unknown type', status: 422,
      run: () => call('POST', tl('/live'), { json: { type: 'teleport', data: {} } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['type']),
    },
    {
      name: 'problems named by their path in data', status: 422,
      run: () => call('POST', tl('/live'), {
        json: { type: 'pose_update', data: { frames: [POSE_FRAME, { timestamp: -1, frame: 1, keypoints: [{ x: 1, y: 1, confidence: 2 }] }] } },
      }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['data.frames[1].keypoints[0].confidence', 'data.frames[1].timestamp']),
    },
    {
      name: 'an end before the start', status: 422,
      run: () => call('POST', tl('/live'), { json: { type: 'session_update', data: { status: 'completed', starts_at: '2026-11-22T10:00:00Z', ends_at: '2026-11-22T09:00:00Z' } } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['data.ends_at']),
    },
    {
      name: 'a planned session abandoned before it was live (the status rule)', status: 409,
      run: async () => call('POST', tl('/live', (await newSession()).id), { json: { type: 'session_update', data: { status: 'abandoned' } } }),
      then: (b) => assert.deepEqual([b.error.code, fieldsOf(b)], ['status_conflict', ['data.status']]),
    },
    {
      name: 'no data', status: 422,
      run: () => call('POST', tl('/live'), { json: { type: 'session_update' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['data']),
    },
    { name: 'malformed JSON', status: 400, run: () => call('POST', tl('/live'), { raw: '{"type":', type: 'application/json' }) },
    { name: 'not sent as application/json', status: 415, run: () => call('POST', tl('/live'), { raw: 'type=x', type: 'text/plain' }) },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/live'), { json: { type: 'pose_update', data: POSE_FRAME }, token: fx.watcher.token }),
    },
    { name: 'an unknown session', status: 404, run: () => call('POST', tl('/live', randomUUID()), { json: { type: 'pose_update', data: POSE_FRAME } }) },
  ],
  getTimeline: [
    {
      name: 'every message, in seq order without gaps', status: 200,
      run: () => call('GET', tl('/timeline?limit=5000')),
      then: (b) => {
        assert.deepEqual(b.messages.map((m) => m.seq), b.messages.map((_, i) => i + 1));
        assert.equal(b.last_seq, b.messages.length);
        const types = new Set(b.messages.map((m) => m.type));
        for (const t of ['event_added', 'event_updated', 'event_deleted', 'rollup_updated', 'clip_added',
          'session_updated', 'climb_updated', 'pose_updated']) assert.ok(types.has(t), `${t} in ${[...types]}`);
      },
    },
    {
      name: 'after a seq, a page at a time', status: 200,
      run: () => call('GET', tl('/timeline?after_seq=2&limit=3')),
      then: (b) => {
        assert.deepEqual(b.messages.map((m) => m.seq), [3, 4, 5]);
        assert.ok(b.last_seq > 5);
      },
    },
    { name: 'empty parameters count as not sent', status: 200, run: () => call('GET', tl('/timeline?after_seq=&limit=')) },
    {
      name: 'a negative after_seq', status: 422,
      run: () => call('GET', tl('/timeline?after_seq=-1')),
      then: (b) => assert.deepEqual(fieldsOf(b), ['after_seq']),
    },
    { name: 'a limit over 5000', status: 422, run: () => call('GET', tl('/timeline?limit=5001')) },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/timeline'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/timeline', randomUUID())) },
  ],
  // --- a session's recording (issue 13): rows of recorder_sessions as a sync leaves them
  getSessionRecording: [
    {
      name: 'none linked yet', status: 200,
      run: async () => {
        const rid = `${TAG}-recorder`;
        sql(`INSERT INTO recorders (recorder_id, name) VALUES ('${rid}', 'Court 1')`);
        const keys = JSON.stringify({ ogg: `${rid}/sessions/take-1/data.ogg`, overview: `${rid}/sessions/take-1/overview.png` });
        fx.recordingRow = Number(sql(`INSERT INTO recorder_sessions (recorder_id, recording_id, name, start_time, duration_ns,
          is_closed, object_keys) VALUES ('${rid}', 'take-1', 'Final, court 1', '2029-05-01T18:00:30Z', 5400000000000, true,
          '${keys}') RETURNING id`)[0]);
        fx.rec = await newSession({ title: `${TAG} recorded`, starts_at: '2029-05-01T18:00:00Z', ends_at: '2029-05-01T19:30:00Z' });
        return call('GET', `${sessionUrl(fx.rec.id)}/recorder`);
      },
      then: (b) => assert.equal(b.recording, null),
    },
    { name: "another user's session", status: 403, run: () => call('GET', `${sessionUrl(fx.rec.id)}/recorder`, { token: fx.coach.token }) },
  ],
  linkSessionRecording: [
    {
      name: 'by hand', status: 200,
      run: () => call('POST', `${sessionUrl(fx.rec.id)}/recorder`, { json: { recorder_id: `${TAG}-recorder`, recording_id: 'take-1' } }),
      then: (b) => assert.deepEqual([b.recording.id, b.linked_by, b.recording.offset_sec], [fx.recordingRow, 'manual', 30]),
    },
    {
      name: 'a recording that is not in the bucket', status: 422,
      run: () => call('POST', `${sessionUrl(fx.rec.id)}/recorder`, { json: { recorder_id: `${TAG}-recorder`, recording_id: 'take-9' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['recording_id']),
    },
  ],
  listRecordingCandidates: [
    {
      name: 'near the start, the linked one marked', status: 200,
      run: () => call('GET', `${sessionUrl(fx.rec.id)}/recorder/candidates?window_minutes=10`),
      then: (b) => assert.deepEqual(b.items.map((i) => [i.id, i.start_s, i.linked]), [[fx.recordingRow, 30, true]]),
    },
    { name: 'a window over a week', status: 422, run: () => call('GET', `${sessionUrl(fx.rec.id)}/recorder/candidates?window_minutes=10081`) },
  ],
  getRecordingDownload: [
    {
      name: 'the ogg file', status: 200,
      run: () => call('GET', `${sessionUrl(fx.rec.id)}/recorder/download/ogg`),
      then: (b) => {
        assert.equal(b.format, 'ogg');
        assert.match(b.url, /data\.ogg\?.*X-Amz-Signature=[0-9a-f]{64}/);
      },
    },
    { name: 'a file the recording does not have', status: 404, run: () => call('GET', `${sessionUrl(fx.rec.id)}/recorder/download/flac`) },
    { name: 'not a file format', status: 404, run: () => call('GET', `${sessionUrl(fx.rec.id)}/recorder/download/mp3`) },
  ],
  unlinkSessionRecording: [
    { name: 'unlinked', status: 204, run: () => call('DELETE', `${sessionUrl(fx.rec.id)}/recorder`) },
    { name: 'nothing linked', status: 404, run: () => call('DELETE', `${sessionUrl(fx.rec.id)}/recorder`) },
  ],
  autoLinkSessionRecording: [
    {
      name: 'the nearest start', status: 200,
      run: () => call('POST', `${sessionUrl(fx.rec.id)}/recorder/auto-link?tolerance_minutes=1`),
      then: (b) => assert.deepEqual([b.recording.id, b.linked_by, b.start_distance_s, b.tie_break], [fx.recordingRow, 'auto', 30, null]),
    },
    {
      name: 'none near enough', status: 404,
      run: () => call('POST', `${sessionUrl(fx.rec.id)}/recorder/auto-link?tolerance_minutes=0`),
      then: (b) => assert.equal(b.error.code, 'no_recording_near'),
    },
  ],

  // --- surveys (tests/integration/surveys.test.mjs checks the figures) ---------------------
  addSurveys: [
    {
      name: 'one survey', status: 201,
      run: () => call('POST', tl('/surveys'), { json: { player: 'Ana Novak', rpe: 7, duration_min: 60, fatigue: 3 } }),
      then: (b) => {
        assert.deepEqual([b.count, b.items[0].srpe_load], [1, 420]);
        fx.survey = b.items[0];
      },
    },
    {
      name: 'a batch with problems named by index', status: 422,
      run: () => call('POST', tl('/surveys'), { json: { items: [{ player: 'A' }, { player: 'B', rpe: 11, mood: 0 }] } }),
      then: (b) => assert.deepEqual(fieldsOf(b).sort(), ['items[1].mood', 'items[1].rpe']),
    },
    {
      name: 'a user the session is shared with as viewer', status: 403,
      run: () => call('POST', tl('/surveys'), { json: { player: 'A' }, token: fx.watcher.token }),
    },
  ],
  listSurveys: [
    {
      name: 'the surveys and the players', status: 200,
      run: () => call('GET', tl('/surveys')),
      then: (b) => assert.ok(b.players.some((p) => p.player === 'Ana Novak')),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/surveys'), { token: fx.coach.token }) },
  ],
  importSurveysCsv: [
    {
      name: 'an sRPE file', status: 201,
      run: () => call('POST', tl('/surveys/import?kind=srpe&player=Ana%20Novak'), {
        raw: 'end_date_time,activity_names,perceived_exertion,duration_min\n2019-11-05T22:51:54.710Z,"[\'individual\', \'running\']",7,30\n',
        type: 'text/csv',
      }),
      then: (b) => assert.deepEqual([b.count, b.items[0].srpe_load], [1, 210]),
    },
    {
      name: 'a bad row, by line and column', status: 422,
      run: () => call('POST', tl('/surveys/import?kind=srpe&player=X'), {
        raw: 'end_date_time,activity_names,perceived_exertion,duration_min\n2019-11-05T22:51:54Z,x,12,30\n', type: 'text/csv',
      }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['line 2.perceived_exertion']),
    },
    { name: 'no kind', status: 422, run: () => call('POST', tl('/surveys/import?player=X'), { raw: 'a\n', type: 'text/csv' }) },
  ],
  deleteSurvey: [
    { name: 'a survey', status: 204, run: () => call('DELETE', tl(`/surveys/${fx.survey.id}`)) },
    { name: 'deleted already', status: 404, run: () => call('DELETE', tl(`/surveys/${fx.survey.id}`)) },
  ],

  // the seed products' own calls (docs/compat.md)
  eshopRegisterSession: [
    {
      name: "seed 002's create_task with a short_id", status: 201,
      run: () => call('POST', '/eshop/api/v1/sessions',
        { json: { task_type: 'image_analysis', user_id: 'user123', short_id: `${TAG}-short`, product_id: 'product_123' } }),
      then: (b) => {
        fx.eshop = b;
        assert.deepEqual([b.short_id, b.task_type, b.user_id, b.status], [`${TAG}-short`, 'image_analysis', 'user123', 'active']);
      },
    },
    {
      name: 'a scraping task keeps no session', status: 202,
      run: () => call('POST', '/eshop/api/v1/sessions', { json: { task_type: 'scraping', short_id: `${TAG}-short` } }),
      // no spooler runs it here: cancelled, and so gone, leaving no task of an outside type queued
      then: (b) => expectCall('cancelTask', 200, 'DELETE', `/api/v1/tasks/${b.task_id}`),
    },
    { name: 'a read-only token', status: 403, run: () => call('POST', '/eshop/api/v1/sessions', { token: fx.readToken, json: {} }) },
    {
      name: 'an unknown task type', status: 422,
      run: () => call('POST', '/eshop/api/v1/sessions', { json: { task_type: 'teleport', short_id: 'x' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['task_type']),
    },
  ],
  eshopListSessions: [
    {
      name: "a short id's sessions", status: 200,
      run: () => call('GET', `/eshop/api/v1/sessions/${TAG}-short`),
      then: (b) => assert.deepEqual([b.total_sessions, b.sessions[0].task_id], [1, fx.eshop.task_id]),
    },
    {
      name: "another user's: none", status: 200,
      run: () => call('GET', `/eshop/api/v1/sessions/${TAG}-short`, { token: fx.coach.token }),
      then: (b) => assert.deepEqual(b.sessions, []),
    },
  ],
  eshopGetSession: [
    {
      name: "a task's session", status: 200,
      run: () => call('GET', `/eshop/api/v1/sessions/task/${fx.eshop.task_id}`),
      then: (b) => assert.deepEqual(b, fx.eshop),
    },
    { name: "another user's task", status: 404, run: () => call('GET', `/eshop/api/v1/sessions/task/${fx.eshop.task_id}`, { token: fx.coach.token }) },
    { name: 'not a task id', status: 404, run: () => call('GET', '/eshop/api/v1/sessions/task/task_789') },
  ],
  eshopRemoveSession: [
    { name: "another user's task", status: 404, run: () => call('DELETE', `/eshop/api/v1/sessions/task/${fx.eshop.task_id}`, { token: fx.coach.token }) },
    { name: 'a read-only token', status: 403, run: () => call('DELETE', `/eshop/api/v1/sessions/task/${fx.eshop.task_id}`, { token: fx.readToken }) },
    {
      name: 'a queued task session is removed', status: 204,
      run: () => call('DELETE', `/eshop/api/v1/sessions/task/${fx.eshop.task_id}`),
      then: () => expectCall('eshopGetSession', 404, 'GET', `/eshop/api/v1/sessions/task/${fx.eshop.task_id}`),
    },
  ],
  player1ProcessSession: [
    {
      name: "seed 004's trigger", status: 202,
      run: () => call('POST', `/api/sessions/${fx.processed.id}/process/`),
      then: (b) => assert.deepEqual([b.processing_status, b.task.task_id], ['QUEUED', fx.report.task_id]),
    },
    { name: 'a viewer of the session', status: 403, run: () => call('POST', `/api/sessions/${fx.readable.id}/process/`, { token: fx.analyst.token }) },
    { name: 'an unknown session', status: 404, run: () => call('POST', `/api/sessions/${randomUUID()}/process/`) },
  ],
  player1SessionStatus: [
    {
      name: "seed 004's poll", status: 200,
      run: () => call('GET', `/api/sessions/${fx.shared.id}/status/`),
      then: (b) => assert.deepEqual([b.processing_status, b.report_url], ['PENDING', null]),
    },
    { name: "another user's session", status: 403, run: () => call('GET', `/api/sessions/${fx.session.id}/status/`, { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', `/api/sessions/${randomUUID()}/status/`) },
  ],
  // seed 001 (ProjectClimb); its WebSockets in tests/seeds/001.test.mjs and tests/integration/live.test.mjs
  climbSessionLive: [
    {
      name: 'server-sent events', status: 200,
      run: () => call('GET', `/ws/session-live/${fx.tl.id}/`, { stream: true, headers: { accept: 'text/event-stream' } }),
      then: (b, res) => assert.equal(res.headers.get('cache-control'), 'no-store'),
    },
    {
      name: 'a last_event_id this server did not give', status: 422,
      run: () => call('GET', `/ws/session-live/${fx.tl.id}/?last_event_id=x`),
      then: (b) => assert.deepEqual(fieldsOf(b), ['last_event_id']),
    },
    { name: "another user's session", status: 403, run: () => call('GET', `/ws/session-live/${fx.tl.id}/`, { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', `/ws/session-live/${randomUUID()}/`) },
  ],
  climbSessionReplay: [
    {
      name: 'server-sent events (a session without messages: the replay ends at once)', status: 200,
      run: async () => {
        const s = await newSession({ title: `${TAG} replayed`, kind: 'climb' });
        return call('GET', `/ws/session/${s.id}/`, { stream: true, headers: { accept: 'text/event-stream' } });
      },
    },
    { name: "another user's session", status: 403, run: () => call('GET', `/ws/session/${fx.tl.id}/`, { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', `/ws/session/${randomUUID()}/`) },
  ],
  climbCreateSession: [
    {
      name: "seed 001's session, its start without a zone", status: 201,
      run: () => call('POST', '/api/sessions/', { json: { start_time: '2026-11-22T18:00:00.250000', user: 1,
        climb_data: { holds: [{ id: '17', type: 'start', status: 'completed', time: '2026-11-22T18:00:02.000Z' }], startTime: '2026-11-22T18:00:00Z', endTime: null, status: 'started' } } }),
      then: (b, res) => {
        fx.climb = b;
        assert.deepEqual([b.status, b.start_time, b.climb_data.startTime], ['started', '2026-11-22T18:00:00.25+00:00', '2026-11-22T18:00:00Z']);
        assert.equal(res.headers.get('location'), `/api/sessions/${b.id}/`);
      },
    },
    { name: 'no start_time', status: 422, run: () => call('POST', '/api/sessions/', { json: { status: 'started' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['start_time']) },
    { name: 'a viewer', status: 403, run: () => call('POST', '/api/sessions/', { json: { start_time: '2026-11-22T18:00:00Z' }, token: fx.viewer.token }) },
  ],
  climbListSessions: [
    { name: "the caller's climbs", status: 200, run: () => call('GET', '/api/sessions/'),
      then: (b) => assert.ok(b.some((x) => x.id === fx.climb.id)) },
  ],
  climbGetSession: [
    { name: 'the session', status: 200, run: () => call('GET', `/api/sessions/${fx.climb.id}/`),
      then: (b) => assert.deepEqual(b, fx.climb) },
    { name: "another user's session", status: 403, run: () => call('GET', `/api/sessions/${fx.climb.id}/`, { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', `/api/sessions/${randomUUID()}/`) },
  ],
  climbPutSession: [
    { name: 'the whole object', status: 200,
      run: () => call('PUT', `/api/sessions/${fx.climb.id}/`, { json: { ...fx.climb, status: 'completed', end_time: '2026-11-22T18:20:00Z', route: '7' } }),
      then: (b) => assert.deepEqual([b.status, b.end_time, b.route], ['completed', '2026-11-22T18:20:00+00:00', '7']) },
    { name: 'a status the rule refuses (completed to abandoned)', status: 409,
      run: () => call('PUT', `/api/sessions/${fx.climb.id}/`, { json: { ...fx.climb, status: 'abandoned', end_time: '2026-11-22T18:20:00Z' } }),
      then: (b) => assert.deepEqual([b.error.code, fieldsOf(b)], ['status_conflict', ['status']]) },
    { name: 'no start_time', status: 422, run: () => call('PUT', `/api/sessions/${fx.climb.id}/`, { json: { status: 'completed' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['start_time']) },
    { name: "another user's session", status: 403, run: () => call('PUT', `/api/sessions/${fx.climb.id}/`, { json: { start_time: '2026-11-22T18:00:00Z' }, token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('PUT', `/api/sessions/${randomUUID()}/`, { json: { start_time: '2026-11-22T18:00:00Z' } }) },
  ],
  climbAddRecording: [
    { name: 'a recording of the session', status: 201,
      run: () => call('POST', '/api/session-recordings/', { json: { name: 'Attempt 1', session: fx.climb.id, duration: 95, video_file_path: 'https://videos.example.com/a1.mp4', status: 'completed' } }),
      then: (b) => assert.deepEqual([b.name, b.duration, b.session], ['Attempt 1', 95, fx.climb.id]) },
    { name: 'a path that is not a URL', status: 422,
      run: () => call('POST', '/api/session-recordings/', { json: { name: 'x', session: fx.climb.id, video_file_path: '/var/videos/a1.mp4' } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['video_file_path']) },
    { name: 'a session the caller only views', status: 403,
      run: () => call('POST', '/api/session-recordings/', { json: { name: 'x', session: fx.readable.id, video_file_path: 'https://videos.example.com/x.mp4' }, token: fx.analyst.token }) },
    { name: 'an unknown session', status: 404,
      run: () => call('POST', '/api/session-recordings/', { json: { name: 'x', session: randomUUID(), video_file_path: 'https://videos.example.com/x.mp4' } }) },
  ],
  climbListRecordings: [
    { name: "a session's recordings", status: 200, run: () => call('GET', `/api/session-recordings/?session=${fx.climb.id}`),
      then: (b) => assert.deepEqual(b.map((x) => x.name), ['Attempt 1']) },
    { name: 'not a session id', status: 422, run: () => call('GET', '/api/session-recordings/?session=7'),
      then: (b) => assert.deepEqual(fieldsOf(b), ['session']) },
    { name: "another user's session", status: 404, run: () => call('GET', `/api/session-recordings/?session=${fx.climb.id}`, { token: fx.coach.token }) },
  ],
  climbDeleteSession: [
    { name: 'deleted', status: 204, run: () => call('DELETE', `/api/sessions/${fx.climb.id}/`) },
    { name: "another user's session", status: 403, run: () => call('DELETE', `/api/sessions/${fx.tl.id}/`, { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('DELETE', `/api/sessions/${randomUUID()}/`) },
    ],
  // --- seed 003 (the DJ system; tests/seeds/003.test.mjs runs its calls against real files): fx.rec's recording
  djAvailableSessions: [
    {
      name: "seed 003's list", status: 200,
      run: () => call('GET', '/api/session-recorder/available-sessions'),
      then: (b) => assert.ok(b.some((r) => r.recorder_id === `${TAG}-recorder` && r.id === 'take-1' && r.duration_seconds === 5400)),
    },
    { name: 'the viewer role', status: 403, run: () => call('GET', '/api/session-recorder/available-sessions', { token: fx.viewer.token }) },
  ],
  djLinkSession: [
    { name: 'by hand', status: 200, run: () => call('POST', `/api/session-recorder/link/${fx.rec.id}/${TAG}-recorder/take-1`) },
    { name: 'a recording that is not in the bucket', status: 404, run: () => call('POST', `/api/session-recorder/link/${fx.rec.id}/${TAG}-recorder/take-9`) },
    { name: "another user's session", status: 403, run: () => call('POST', `/api/session-recorder/link/${fx.rec.id}/${TAG}-recorder/take-1`, { token: fx.coach.token }) },
  ],
  djAutoLinkSession: [
    {
      name: 'the nearest start', status: 200,
      run: () => call('POST', `/api/session-recorder/auto-link/${fx.rec.id}?tolerance_minutes=1`),
      then: (b) => assert.equal(b.success, true),
    },
    {
      name: 'none near enough', status: 200,
      run: () => call('POST', `/api/session-recorder/auto-link/${fx.rec.id}?tolerance_minutes=0`),
      then: (b) => assert.equal(b.success, false),
    },
    { name: 'a tolerance over a day', status: 422, run: () => call('POST', `/api/session-recorder/auto-link/${fx.rec.id}?tolerance_minutes=1441`) },
  ],
  djDownloadUrl: [
    {
      name: 'the ogg file', status: 200,
      run: () => call('GET', `/api/session-recorder/download/${fx.rec.id}/ogg`),
      then: (b) => assert.match(b.url, /data\.ogg\?.*X-Amz-Signature=[0-9a-f]{64}/),
    },
    { name: 'a file the recording does not have', status: 404, run: () => call('GET', `/api/session-recorder/download/${fx.rec.id}/flac`) },
  ],
  djGetSession: [
    {
      name: 'with its recording', status: 200,
      run: () => call('GET', `/api/session-recorder/session/${fx.rec.id}`),
      then: (b) => assert.deepEqual([b.duration_minutes, b.upload_status, b.recording_urls.flac_url], [90, 'uploaded', null]),
    },
    { name: "another user's session", status: 403, run: () => call('GET', `/api/session-recorder/session/${fx.rec.id}`, { token: fx.coach.token }) },
  ],
  djStartSession: [
    {
      name: "seed 003's start", status: 201,
      run: () => call('POST', '/api/sessions/start', { json: { dj_id: `${TAG}-dj` } }),
      then: (b) => assert.deepEqual([b.dj_id, b.ended_at], [`${TAG}-dj`, null]),
    },
    { name: 'without a dj_id', status: 422, run: () => call('POST', '/api/sessions/start', { json: { dj_name: 'Anna' } }) },
  ],

  // --- playlists (issue 19; lib/playlists.h) -------------------------------------------------
  createPlaylist: [
    {
      name: 'an explicit list of two events', status: 201,
      run: async () => {
        const made = await expectCall('addEvents', 201, 'POST', tl('/events'), { json: { events: [
          { t_sec: 500, event_type: 'attack', actor_team: 'A', actor_number: '16', payload: { evaluation: '#' } },
          { t_sec: 510, event_type: 'attack', actor_team: 'A', actor_number: '16', payload: { evaluation: '=' } }] } });
        fx.playlistEvents = made.ids;
        return call('POST', tl('/playlists'), { json: { name: 'Home #16 attacks', filter: { team: 'A', player: '16', type: 'attack' },
          event_ids: [...made.ids].reverse(), pre_roll_sec: 4 } });
      },
      then: (b) => {
        fx.playlist = b;
        assert.deepEqual([b.event_ids, b.pre_roll_sec, b.post_roll_sec, b.share_url],
          [[...fx.playlistEvents].reverse(), 4, 2, `/sessions/${fx.tl.id}/review?playlist=${b.id}`]);
      },
    },
    {
      name: 'a set the match cannot have', status: 422,
      run: () => call('POST', tl('/playlists'), { json: { name: 'x', filter: { set: 8 } } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['filter.set']),
    },
    { name: 'a viewer share', status: 403, run: () => call('POST', tl('/playlists'), { json: { name: 'x' }, token: fx.watcher.token }) },
    { name: 'not JSON', status: 400, run: () => call('POST', tl('/playlists'), { raw: '{"name": ', type: 'application/json' }) },
  ],
  listPlaylists: [
    {
      name: "a viewer share reads the session's playlists", status: 200,
      run: () => call('GET', tl('/playlists'), { token: fx.watcher.token }),
      then: (b) => assert.ok(b.some((p) => p.id === fx.playlist.id)),
    },
    { name: "another user's session", status: 403, run: () => call('GET', tl('/playlists'), { token: fx.coach.token }) },
    { name: 'an unknown session', status: 404, run: () => call('GET', tl('/playlists', randomUUID())) },
  ],
  getPlaylist: [
    {
      name: 'its items in the order of its list', status: 200,
      run: () => call('GET', tl(`/playlists/${fx.playlist.id}`), { token: fx.watcher.token }),
      then: (b) => assert.deepEqual([b.count, b.items.map((i) => i.id)], [2, [...fx.playlistEvents].reverse()]),
    },
    { name: 'an unknown playlist', status: 404, run: () => call('GET', tl('/playlists/999999999')) },
  ],
  patchPlaylist: [
    {
      name: 'back to its filter', status: 200,
      run: () => call('PATCH', tl(`/playlists/${fx.playlist.id}`), { json: { event_ids: null, post_roll_sec: 0.5 } }),
      then: (b) => assert.deepEqual([b.event_ids, b.post_roll_sec, b.name], [null, 0.5, 'Home #16 attacks']),
    },
    {
      name: 'an event of another session', status: 422,
      run: () => call('PATCH', tl(`/playlists/${fx.playlist.id}`), { json: { event_ids: [999999999999] } }),
      then: (b) => assert.deepEqual(fieldsOf(b), ['event_ids[0]']),
    },
    { name: 'an unknown playlist', status: 404, run: () => call('PATCH', tl('/playlists/999999999'), { json: { name: 'x' } }) },
  ],
  deletePlaylist: [
    { name: 'a playlist', status: 204, run: () => call('DELETE', tl(`/playlists/${fx.playlist.id}`)) },
    { name: 'deleted already', status: 404, run: () => call('DELETE', tl(`/playlists/${fx.playlist.id}`)) },
  ],
};

// --- checks that need no server ---------------------------------------------------

test('every operation has a unique operationId and examples that reach a 2xx', () => {
  const ids = [...Object.values(doc.paths)].flatMap((item) =>
    HTTP_METHODS.filter((m) => item[m]).map((m) => item[m].operationId));
  assert.ok(ids.every(Boolean), 'an operation has no operationId');
  assert.equal(new Set(ids).size, ids.length, `operationIds repeat: ${ids}`);
  for (const [opId, o] of operations) {
    const list = examples[opId] ?? [];
    assert.ok(list.length > 0, `${o.method} ${o.path} (${opId}) has no example in this test`);
    assert.ok(list.some((e) => e.status < 300), `${opId} has no example of success`);
    for (const e of list) {
      assert.ok(String(e.status) in o.op.responses, `${opId} "${e.name}" expects undocumented ${e.status}`);
    }
  }
  for (const opId of Object.keys(examples)) assert.ok(operations.has(opId), `examples for unknown ${opId}`);
});

test('every $ref resolves and every component schema compiles', () => {
  const walk = (node, where) => {
    if (node === null || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') assert.notEqual(at(node.$ref), undefined, `${where}: ${node.$ref}`);
    for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
  };
  walk(doc, '#');
  for (const name of Object.keys(doc.components.schemas)) validator(`#/components/schemas/${name}`);
});

// Routes that are not operations of the API: a live WebSocket's frames reach the live program
// only through nginx's publisher socket (elsewhere 404); they are described under subscribeLive.
const INTERNAL_ROUTES = new Set(['POST /live/sessions/{}/frames']);

/* JSON routes of the manifest as "METHOD /path/{}" (captures written {}) -> program. */
function codeRoutes() {
  const routes = new Map();
  for (const r of routeManifest().routes) {
    const key = `${r.method} ${r.pattern.replace(/:[A-Za-z_]+/g, '{}')}`;
    if (r.format === 'JSON' && !INTERNAL_ROUTES.has(key)) routes.set(key, r.program);
  }
  return routes;
}

// Handler programs whose routes are not documented yet: their routes are listed
// by a todo test instead of failing the strict one. Remove a program from here
// once its routes are in docs/openapi.yaml.
const UNDOCUMENTED_PROGRAMS = new Set([]);

function routeDiff() {
  const inCode = codeRoutes();
  assert.ok(inCode.size > 0, 'no JSON route in the manifest (bin/stint-routes json)');
  const inDoc = new Set([...operations.values()].map((o) => `${o.method} ${o.path.replace(/\{[^}]+\}/g, '{}')}`));
  const undocumented = [...inCode.keys()].filter((r) => !inDoc.has(r)).map((r) => `${r} (${inCode.get(r)})`);
  const missing = [...inDoc].filter((r) => !inCode.has(r));
  const pending = (r) => UNDOCUMENTED_PROGRAMS.has(r.match(/\((.+)\)$/)[1]);
  return { undocumented: undocumented.filter((r) => !pending(r)), pending: undocumented.filter(pending), missing };
}

test('the route manifest and the document list the same operations', () => {
  const { undocumented, missing } = routeDiff();
  assert.deepEqual(undocumented, [], 'routes in the code that docs/openapi.yaml does not document');
  assert.deepEqual(missing, [], 'operations in docs/openapi.yaml that no route in lib/routes.def serves');
});

if (UNDOCUMENTED_PROGRAMS.size > 0) {
  test(`routes of ${[...UNDOCUMENTED_PROGRAMS].join(', ')} are documented`,
    { todo: 'not documented yet' }, () => {
      assert.deepEqual(routeDiff().pending, [], 'routes awaiting docs/openapi.yaml');
    });
}

// Only the probes are public; /api/v1, /media and /live all need a credential.
const PUBLIC_PATHS = new Set(['/healthz', '/readyz']);
// /metrics needs a credential, except from a loopback peer that sends none (every test request).
const LOOPBACK_PATHS = new Set(['/metrics']);
const isPublic = (o) => PUBLIC_PATHS.has(o.path);
const securityOf = (o) => o.op.security ?? doc.security ?? [];

test('every operation but the probes requires a credential and documents 401 and 403; the probes are public', () => {
  assert.deepEqual(doc.security, [{ bearerAuth: [] }, { cookieAuth: [] }], 'the document requires a token or the cookie');
  assert.equal(doc.components.securitySchemes.cookieAuth.name, 'stint_session');
  assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  for (const [opId, o] of operations) {
    if (isPublic(o)) {
      assert.deepEqual(o.op.security, [], `${opId} is public: security: []`);
      assert.ok(!('401' in o.op.responses) && !('403' in o.op.responses), `${opId} is public: no 401/403`);
      continue;
    }
    assert.deepEqual(securityOf(o), doc.security, `${opId} needs the document's security`);
    const [ptr401, r401] = follow(`${o.ptr}/responses/401`);
    assert.equal(ptr401, '#/components/responses/Unauthorized', `${opId}: 401 is the Unauthorized response`);
    assert.ok(r401.headers['WWW-Authenticate'], `${opId}: 401 documents WWW-Authenticate`);
    const [ptr403] = follow(`${o.ptr}/responses/403`);
    assert.equal(ptr403, '#/components/responses/Forbidden', `${opId}: 403 is the Forbidden response`);
  }
});

// --- against the server ------------------------------------------------------------

describe('the running server', { skip: BASE ? false : 'STINT_TEST_URL is not set' }, () => {
  before(async () => {
    assert.ok(PREFIX, 'STINT_TEST_PREFIX must name the test stack (for its users and tokens)');
    fx.adminId = Number(sql(`SELECT id FROM users WHERE email = '${ADMIN_EMAIL}'`));
    const user = (role) => {
      const u = makeUser(role);
      return { ...u, id: Number(sql(`SELECT id FROM users WHERE email = '${u.email}'`)) };
    };
    fx.coach = user('coach');      // another author: none of the admin's sessions are theirs
    fx.analyst = user('analyst');  // shared with as viewer, then editor
    fx.viewer = user('viewer');    // shared with as editor, still only reads
    fx.readToken = tokenFor(ADMIN_EMAIL, 'read');
    fx.session = await newSession({ ...FULL_INPUT, title: `${TAG} Lakeside final` });
    fx.shared = await newSession({ title: `${TAG} shared` });
    // the timeline, media and live examples: fx.tl, shared with fx.watcher as viewer
    fx.watcher = user('analyst');
    fx.tl = await newSession({ title: `${TAG} timeline`, kind: 'match' });
    fx.cases = await newSession({ title: `${TAG} input cases`, kind: 'climb' });
    await expectCall('shareSession', 200, 'POST', sharesUrl(fx.tl.id), { json: { email: fx.watcher.email, role: 'viewer' } });
    fx.browser = await new Browser().login();
  });
  after(async () => {
    for (const id of created) await call('DELETE', sessionUrl(id));
    sql(`DELETE FROM recorders WHERE recorder_id = '${TAG}-recorder'`);  // a later sync would find it gone
  });

  for (const [opId, list] of Object.entries(examples)) {
    for (const ex of list) {
      it(`${opId}: ${ex.name} -> ${ex.status}`, async () => {
        const { res, body } = await ex.run();
        const newId = body?.session?.id ?? body?.id;  // a session made (imports answer {session, ...})
        if (res.status === 201 && typeof newId === 'string') created.push(newId);
        check(opId, res, body);
        assert.equal(res.status, ex.status, `expected ${ex.status}, got ${res.status}: ${JSON.stringify(body)}`);
        await ex.then?.(body, res);
      });
    }
  }

  it('a documented path answers 405 with Allow for methods it does not document', async () => {
    for (const [p, item] of Object.entries(doc.paths)) {
      const documented = HTTP_METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
      const method = ['PUT', 'PATCH', 'DELETE', 'POST'].find((m) => !documented.includes(m));
      // a session's and a task's id is a UUID (seed 001's /ws/ mounts too), every other id a row number
      const { res, body } = await call(method, p.replace('/sessions/{id}', `/sessions/${randomUUID()}`)
        .replace(/(\/session-recorder\/[a-z-]+)\/\{id\}/, `$1/${randomUUID()}`)  // seed 003's session ids
        .replace('/tasks/{id}', `/tasks/${randomUUID()}`).replace('/uploads/{uploadId}', `/uploads/${randomUUID()}`)
        .replace(/^\/ws\/(session|session-live)\/\{id\}/, `/ws/$1/${randomUUID()}`)
        .replace(/\{[^}]+\}/g, '1'));
      const what = `${method} ${p}`;
      assert.equal(res.status, 405, `${what}: ${JSON.stringify(body)}`);
      assert.deepEqual(res.headers.get('allow')?.split(', ').sort(), documented.sort(), `${what}: Allow`);
      assertValid('#/components/headers/Allow/schema', res.headers.get('allow'), `${what}: Allow`);
      assertValid('#/components/responses/MethodNotAllowed/content/application~1json/schema', body, what);
    }
  });

  // The upload paths are not clip or artifact ids ({clipId} is a number).
  it('the upload paths answer 405 with Allow: POST', async () => {
    for (const p of ALLOW_BUG_PATHS) {
      const { res } = await call('PUT', p.replace(/\{[^}]+\}/g, randomUUID()));
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'POST', p);
    }
  });

  /* A documented path with its parameters filled in from their examples. */
  const samplePath = (o) => o.path.replace(/\{([^}]+)\}/g, (_, name) => {
    const item = doc.paths[o.path];
    const param = [...(item.parameters ?? []), ...(o.op.parameters ?? [])]
      .map((p) => (p.$ref ? follow(p.$ref)[1] : p)).find((p) => p.in === 'path' && p.name === name);
    assert.ok(param?.example !== undefined, `${o.path}: no example for {${name}}`);
    return String(param.example);
  });

  it('every protected operation answers 401 without a valid credential, before anything else', async () => {
    for (const [opId, o] of operations) {
      const url = samplePath(o);
      const body = o.op.requestBody ? { raw: 'not even JSON', type: 'text/plain' } : {};
      if (isPublic(o)) {
        const { res } = await call(o.method, url, { token: null });
        assert.equal(res.status, 200, `${opId} is public`);
        continue;
      }
      for (const token of [null, UNKNOWN_TOKEN, fx.revoked.token, 'not-a-token']) {
        if (token === null && LOOPBACK_PATHS.has(o.path)) {
          const { res } = await call(o.method, url, { token: null, stream: true });
          assert.equal(res.status, 200, `${opId}: no credential from loopback`);
          continue;
        }
        const { res, body: b } = await call(o.method, url, { ...body, token, stream: true });
        check(opId, res, b);
        const what = `${o.method} ${url} with ${token ? token.slice(0, 12) : 'no token'}`;
        assert.equal(res.status, 401, `${what}: ${JSON.stringify(b)}`);
        assert.equal(b.error.code, 'unauthorized', what);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="stint"', what);
      }
    }
  });

  it('read-only tokens: every GET is allowed through, every other method refused with 403', async () => {
    for (const [opId, o] of operations) {
      if (isPublic(o)) continue;
      const url = samplePath(o);
      const { res, body } = await call(o.method, url,
        { token: fx.readToken, json: o.op.requestBody ? {} : undefined, stream: true });
      check(opId, res, body);
      if (o.method === 'GET') assert.notEqual(res.status, 403, `${opId}: ${JSON.stringify(body)}`);
      else assert.deepEqual([res.status, body.error.code], [403, 'forbidden'], `${opId}: ${JSON.stringify(body)}`);
    }
  });

  // Inputs on which the document's schema and the server must agree. Rules no
  // JSON Schema can state (64 KiB objects, ends_at >= starts_at) are examples above.
  const inputCases = [
    [{ title: 'ok' }, true],
    [{}, false],
    [{ title: '' }, false],
    [{ title: 42 }, false],
    [{ title: 'x'.repeat(200) }, true],
    [{ title: 'x'.repeat(201) }, false],
    [{ title: 'é'.repeat(200) }, true],
    [{ title: '😀'.repeat(200) }, true],
    [{ title: 'tab\tand\r\nnew line' }, true],
    [{ title: 'bell\u0007' }, false],
    [{ title: 'del\u007f' }, false],
    [{ title: 'x', venue: null }, true],
    [{ title: 'x', venue: 'v'.repeat(200) }, true],
    [{ title: 'x', venue: 'v'.repeat(201) }, false],
    [{ title: 'x', kind: 'dj_set' }, true],
    [{ title: 'x', kind: 'golf' }, false],
    [{ title: 'x', kind: null }, false],
    [{ title: 'x', status: 'abandoned' }, true],
    [{ title: 'x', status: 'LIVE' }, false],
    [{ title: 'x', starts_at: '2026-11-22T10:00:00Z' }, true],
    [{ title: 'x', starts_at: '2026-11-22t10:00:00.123456z' }, true],
    [{ title: 'x', starts_at: '2026-11-22 10:00:00-03:30' }, true],
    [{ title: 'x', starts_at: '2026-11-22T10:00:00+15:59' }, true],
    [{ title: 'x', starts_at: '2026-11-22T10:00:00' }, false],
    [{ title: 'x', starts_at: '2026-11-22T10:00:00+0100' }, false],
    [{ title: 'x', starts_at: '2026-11-22' }, false],
    [{ title: 'x', starts_at: '2026-02-29T10:00:00Z' }, false],
    [{ title: 'x', starts_at: '2028-02-29T10:00:00Z' }, true],
    [{ title: 'x', starts_at: 1764000000 }, false],
    // the years the server takes, 1900 to 9998 as written (issue 14)
    [{ title: 'x', starts_at: '1900-01-01T00:00:00Z' }, true],
    [{ title: 'x', starts_at: '1899-12-31T23:59:59Z' }, false],
    [{ title: 'x', starts_at: '0001-01-01T00:00:00Z' }, false],
    [{ title: 'x', starts_at: '9998-12-31T23:59:59-03:00' }, true],
    [{ title: 'x', starts_at: '9999-01-01T00:00:00Z' }, false],
    [{ title: 'x', starts_at: `2026-11-22T10:00:00.${'1'.repeat(16)}Z` }, false],
    [{ title: 'x', starts_at: null, ends_at: null }, true],
    [{ title: 'x', meta: { any: ['thing', 1, null] } }, true],
    [{ title: 'x', meta: [] }, false],
    [{ title: 'x', data: null }, false],
    [{ title: 'x', data: 'text' }, false],
    [{ title: 'x', colour: 'red' }, false],
    [{ title: 'x', processing_status: 'queued' }, false],
    [[{ title: 'x' }], false],
  ];

  it('SessionInput: the schema and POST agree on what is valid', async () => {
    for (const [input, valid] of inputCases) {
      const label = JSON.stringify(input).slice(0, 80);
      assert.equal(isValid('#/components/schemas/SessionInput', input), valid, `schema on ${label}`);
      const { res, body } = await call('POST', '/api/v1/sessions', { json: input });
      check('createSession', res, body);
      if (res.status === 201) created.push(body.id);
      assert.equal(res.status, valid ? 201 : 422, `server on ${label}: ${JSON.stringify(body)}`);
    }
  });

  const patchCases = [
    [{}, true],
    [{ title: 'renamed' }, true],
    [{ title: null }, false],
    [{ venue: null }, true],
    [{ kind: null }, false],
    [{ status: null }, false],
    [{ starts_at: null, ends_at: null }, true],
    [{ meta: null }, false],
    [{ data: {} }, true],
    [{ id: randomUUID() }, false],
    [{ created_at: '2026-01-01T00:00:00Z' }, false],
    ['title', false],
  ];

  it('SessionPatch: the schema and PATCH agree on what is valid', async () => {
    const target = await newSession();
    for (const [input, valid] of patchCases) {
      const label = JSON.stringify(input);
      assert.equal(isValid('#/components/schemas/SessionPatch', input), valid, `schema on ${label}`);
      const { res, body } = await call('PATCH', sessionUrl(target.id), { json: input });
      check('updateSession', res, body);
      assert.equal(res.status, valid ? 200 : 422, `server on ${label}: ${JSON.stringify(body)}`);
    }
  });

  const queryCases = [
    ['limit', '1', true], ['limit', '1000', true], ['limit', '0', false], ['limit', '1001', false],
    ['limit', 'ten', false], ['limit', '2.5', false],
    ['offset', '0', true], ['offset', '100000000', true], ['offset', '-1', false],
    ['offset', '100000001', false],
    ['status', 'completed', true], ['status', 'Completed', false],
    ['kind', 'climb', true], ['kind', 'golf', false],
    ['q', 'x'.repeat(200), true], ['q', 'x'.repeat(201), false], ['q', '50% _off_', true],
    ['q', 'bell\u0007', false],
  ];

  /* Query parameter name -> JSON pointer of its schema, for operation opId. */
  function querySchemas(opId) {
    const o = operations.get(opId);
    return Object.fromEntries((o.op.parameters ?? []).map((p, i) => {
      const [ptr, param] = follow(`${o.ptr}/parameters/${i}`);
      return [param, `${ptr}/schema`];
    }).filter(([param]) => param.in === 'query').map(([param, ptr]) => [param.name, ptr]));
  }

  it('list parameters: the schemas and GET agree on what is valid', async () => {
    const byName = querySchemas('listSessions');
    for (const [name, text, valid] of queryCases) {
      const ptr = byName[name];
      const label = `${name}=${text.slice(0, 20)}`;
      assert.equal(isValid(ptr, headerValue(ptr, text)), valid, `schema on ${label}`);
      const { res, body } = await call('GET', `/api/v1/sessions?${new URLSearchParams({ [name]: text })}`);
      check('listSessions', res, body);
      assert.equal(res.status, valid ? 200 : 422, `server on ${label}: ${JSON.stringify(body)}`);
      if (!valid) assert.deepEqual(fieldsOf(body), [name]);
    }
  });

  // Inputs that once slipped through (found while writing this contract).
  const bug = (name, input, fn) => it(name, async () => {
    const { res, body } = await call('POST', '/api/v1/sessions', input);
    if (res.status === 201) created.push(body.id);
    check('createSession', res, body);
    fn(res, body);
  });
  bug('text after the JSON value is refused as malformed',
    { raw: '{"title":"x"} trailing', type: 'application/json' },
    (res) => assert.equal(res.status, 400));
  bug('an offset the database cannot store is named in fields',
    { json: { title: 'x', starts_at: '2026-11-22T10:00:00+16:00' } },
    (res, body) => assert.deepEqual([res.status, fieldsOf(body)], [422, ['starts_at']]));
  bug('a time before year 1 in UTC is refused, not answered as "... BC"',
    { json: { title: 'x', starts_at: '0001-01-01T00:30:00+01:00' } },
    (res) => assert.equal(res.status, 422));

  it('subscribeLive: WebSocket with the subprotocol ws+meta.nchan -> 101', async () => {
    const ws = new WebSocket(`${BASE.replace(/^http/, 'ws')}/live/sessions/${fx.tl.id}?last_event_id=0%3A0`, 'ws+meta.nchan',
      { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    try {
      const first = new Promise((resolve) => ws.once('message', (buf) => resolve(buf.toString())));
      const status = await new Promise((resolve, reject) => {
        ws.once('upgrade', (res) => resolve(res.statusCode));
        ws.once('unexpected-response', (req, res) => resolve(res.statusCode));
        ws.once('error', reject);
      });
      assert.equal(status, 101);
      assert.ok('101' in operations.get('subscribeLive').op.responses);
      seen.get('subscribeLive')?.add('101');
      await new Promise((resolve) => (ws.readyState === WebSocket.OPEN ? resolve() : ws.once('open', resolve)));
      assert.equal(ws.protocol, 'ws+meta.nchan');
      const text = await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('no message in 5 s')), 5000))]);
      const blank = text.indexOf('\n\n');
      assert.match(text.slice(0, blank), /^id: [0-9:,[\]-]+\ncontent-type: application\/json$/);
      assertValid('#/components/schemas/LiveMessage', JSON.parse(text.slice(blank + 2)), 'a WebSocket message');
    } finally {
      ws.close();
    }
  });

  // The timeline, media and live inputs: the document's schemas and the server agree
  // (the size of payload and meta objects, 16 KiB, is an example above).
  const eventCases = [
    [{ t_sec: 0, event_type: 'a' }, true],
    [{ t_sec: 10000000, event_type: 'x'.repeat(40) }, true],
    [{ t_sec: 10000000.5, event_type: 'serve' }, false],
    [{ t_sec: -0.001, event_type: 'serve' }, false],
    [{ t_sec: '1', event_type: 'serve' }, false],
    [{ t_sec: 1, event_type: 'x'.repeat(41) }, false],
    [{ t_sec: 1, event_type: '1serve' }, false],
    [{ t_sec: 1, event_type: 'end_of_set2' }, true],
    [{ t_sec: 1, event_type: 'Serve' }, true],
    [{ t_sec: 1, event_type: 'Time out' }, true],
    [{ t_sec: 1, event_type: ' free-kick ' }, true],
    [{ t_sec: 1, event_type: 'Time out!' }, false],
    [{ t_sec: 1, event_type: ' 3 pointer' }, false],
    [{ t_sec: 1, event_type: '   ' }, false],
    [{ t_sec: 1, event_type: 'serve', actor_team: null, actor_number: null, clip_id: null, payload: {} }, true],
    [{ t_sec: 1, event_type: 'serve', actor_team: 'a' }, false],
    [{ t_sec: 1, event_type: 'serve', actor_number: 999 }, true],
    [{ t_sec: 1, event_type: 'serve', actor_number: 1000 }, false],
    [{ t_sec: 1, event_type: 'serve', actor_number: 7.5 }, false],
    [{ t_sec: 1, event_type: 'serve', actor_number: '12' }, true],
    [{ t_sec: 1, event_type: 'serve', actor_number: '00' }, true],
    [{ t_sec: 1, event_type: 'serve', actor_number: '0' }, true],
    [{ t_sec: 1, event_type: 'serve', actor_number: 0 }, true],
    [{ t_sec: 1, event_type: 'serve', actor_number: '1234' }, false],
    [{ t_sec: 1, event_type: 'serve', actor_number: '-1' }, false],
    [{ t_sec: 1, event_type: 'serve', actor_number: -1 }, false],
    [{ t_sec: 1, event_type: 'serve', actor_number: 'a' }, false],
    [{ t_sec: 1, event_type: 'serve', actor_number: '' }, false],
    [{ t_sec: 1, event_type: 'serve', clip_id: 0 }, false],
    [{ t_sec: 1, event_type: 'serve', payload: null }, false],
    [{ t_sec: 1, event_type: 'serve', payload: [] }, false],
    [{ t_sec: 1, event_type: 'serve', payload: { a: 'x'.repeat(16000) } }, true],
    [{ t_sec: 1, event_type: 'serve', source: 'manual' }, false],
    [{ t_sec: 1 }, false],
    [{ event_type: 'serve' }, false],
    [{ t_sec: 1, code: '*7AH#V6 4 2' }, true],
    [{ t_sec: 1, code: 7 }, false],
    [{ t_sec: 1, code: `*7AH#${'x'.repeat(60)}` }, false],
    ['serve', false],
  ];

  it('EventInput: the schema and POST .../events agree on what is valid', async () => {
    for (const [input, valid] of eventCases) {
      const label = JSON.stringify(input).slice(0, 80);
      assert.equal(isValid('#/components/schemas/EventInput', input), valid, `schema on ${label}`);
      const { res, body } = await call('POST', tl('/events', fx.cases.id), { json: [input] });
      check('addEvents', res, body);
      assert.equal(res.status, valid ? 201 : 422, `server on ${label}: ${JSON.stringify(body)}`);
    }
  });

  const eventQueryCases = [
    ['type', 'serve', true], ['type', 'Serve', false], ['type', 'x'.repeat(41), false],
    ['team', 'B', true], ['team', 'b', false],
    ['player', '0', true], ['player', '999', true], ['player', '1000', false], ['player', '7.0', false],
    ['player', '00', true], ['player', '1234', false], ['player', '-1', false], ['player', 'a', false],
    ['from', '0', true], ['from', '12.5', true], ['from', '-0.5', false],
    ['to', '10000000', true], ['to', '10000001', false], ['to', 'x', false],
    ['limit', '10000', true], ['limit', '10001', false], ['limit', '0', false],
    ['offset', '100000000', true], ['offset', '100000001', false],
  ];

  it('event list parameters: the schemas and GET agree on what is valid', async () => {
    const byName = querySchemas('listEvents');
    for (const [name, text, valid] of eventQueryCases) {
      const ptr = byName[name];
      const label = `${name}=${text.slice(0, 20)}`;
      assert.equal(isValid(ptr, headerValue(ptr, text)), valid, `schema on ${label}`);
      const { res, body } = await call('GET', `${tl('/events', fx.cases.id)}?${new URLSearchParams({ [name]: text })}`);
      check('listEvents', res, body);
      assert.equal(res.status, valid ? 200 : 422, `server on ${label}: ${JSON.stringify(body)}`);
      if (!valid) assert.deepEqual(fieldsOf(body), [name]);
    }
  });

  const clipCases = [
    [{ kind: 'video', uri: 'https://a.b/c' }, true],
    [{ kind: 'audio', uri: 's3://bucket/key.ogg', title: null, offset_sec: -10000000, duration_sec: null, meta: {} }, true],
    [{ kind: 'video', uri: 's3://a' }, false],
    [{ kind: 'video', uri: 'http://a.b/c' }, false],
    [{ kind: 'video', uri: 'https://a.b/c', offset_sec: 10000001 }, false],
    [{ kind: 'video', uri: 'https://a.b/c', duration_sec: -1 }, false],
    [{ kind: 'video', uri: 'https://a.b/c', title: 'x'.repeat(201) }, false],
    [{ kind: 'video', uri: 'https://a.b/c', meta: [] }, false],
    [{ kind: 'VIDEO', uri: 'https://a.b/c' }, false],
    [{ uri: 'https://a.b/c' }, false],
    [{ kind: 'video', uri: 'https://a.b/c', file: 'a.mp4' }, false],
    [{ kind: 'video' }, false],
    [{ kind: 'video', file: 'a/../b.mp4' }, false],
    [{ kind: 'video', file: '/etc/passwd' }, false],
    [{ kind: 'video', file: 'a b.mp4' }, false],
    [{ path: '../a.mp4' }, false],
    [{ path: '/etc/passwd' }, false],
    [{ path: 'uploads/a.mp4', uri: 'https://a.b/c', kind: 'video' }, false],
  ];

  it('ClipInput: the schema and POST .../clips agree on what is valid', async () => {
    for (const [input, valid] of clipCases) {
      const label = JSON.stringify(input).slice(0, 80);
      assert.equal(isValid('#/components/schemas/ClipInput', input), valid, `schema on ${label}`);
      const { res, body } = await call('POST', tl('/clips', fx.cases.id), { json: input });
      check('registerClip', res, body);
      assert.equal(res.status, valid ? 201 : 422, `server on ${label}: ${JSON.stringify(body)}`);
    }
  });

  const liveCases = [
    [{ type: 'session_update', data: { status: 'started', ends_at: null } }, true],  // allowed from any status (the status rule)
    [{ type: 'session_update', data: { status: 'live' } }, false],
    [{ type: 'session_update', data: { status: 'started', starts_at: '1899-12-31T23:59:59Z' } }, false],
    [{ type: 'session_update', data: { status: 'started', colour: 1 } }, false],
    [{ type: 'climb_update', data: { holds: [{ id: 'x'.repeat(64), type: 'finish', status: 'untouched', time: null }] } }, true],
    [{ type: 'climb_update', data: { holds: [{ id: 'x'.repeat(65) }] } }, false],
    [{ type: 'climb_update', data: { holds: [{ type: 'start' }] } }, false],
    [{ type: 'climb_update', data: { holds: [{ id: 'a', time: '2026-02-29T10:00:00Z' }] } }, false],
    [{ type: 'climb_update', data: { holds: [{ id: 'a' }], extra: 1 } }, false],
    [{ type: 'pose_update', data: POSE_FRAME }, true],
    [{ type: 'pose_update', data: { ...POSE_FRAME, keypoints: [] } }, false],
    [{ type: 'pose_update', data: { ...POSE_FRAME, frame: 1.5 } }, false],
    [{ type: 'pose_update', data: { ...POSE_FRAME, colour: 'red' } }, false],
    [{ type: 'pose_update', data: { frames: [] } }, false],
    [{ type: 'pose_update', data: { frames: Array(301).fill(POSE_FRAME) } }, false],
    [{ type: 'pose_update', data: { frames: Array(300).fill(POSE_FRAME) } }, true],
    [{ type: 'pose_update', data: [] }, false],
    [{ type: 'teleport', data: {} }, false],
    [{ type: 'pose_update', data: POSE_FRAME, extra: 1 }, false],
  ];

  it('LiveUpdate: the schema and POST .../live agree on what is valid', async () => {
    for (const [input, valid] of liveCases) {
      const label = JSON.stringify(input).slice(0, 80);
      assert.equal(isValid('#/components/schemas/LiveUpdate', input), valid, `schema on ${label}`);
      const { res, body } = await call('POST', tl('/live', fx.cases.id), { json: input });
      check('postLiveUpdate', res, body);
      assert.equal(res.status, valid ? 202 : 422, `server on ${label}: ${JSON.stringify(body)}`);
    }
  });

  it('every stored live message is a LiveMessage of its type', async () => {
    for (const s of [fx.tl, fx.cases]) {
      const b = await expectCall('getTimeline', 200, 'GET', tl('/timeline?limit=5000', s.id));
      assert.ok(b.messages.length > 0);
    }
  });

  // Server bugs found while writing this contract: todo until they are fixed.
  it('rollup teams: one entry per team, also when some events have a team but no player',
    async () => {
      const s = await newSession({ title: `${TAG} rollup teams` });
      await expectCall('addEvents', 201, 'POST', tl('/events', s.id), {
        json: [{ t_sec: 1, event_type: 'serve', actor_team: 'A', actor_number: 7, payload: { evaluation: '#' } },
          { t_sec: 2, event_type: 'serve', actor_team: 'A', payload: { evaluation: '=' } }],
      });
      const r = await expectCall('getRollup', 200, 'GET', tl('/rollup', s.id));
      assert.deepEqual(r.teams.map((t) => [t.team_side, t.serves]), [['A', 2]]);
    });

  it('deleting a clip registered from a file leaves the file to the other clips that use it',
    async () => {
      const s = await newSession({ title: `${TAG} shared file` });
      const up = await expectCall('uploadClip', 201, 'POST', tl('/clips/upload?kind=video', s.id), { raw: dataFile(MP4_NAME), type: 'video/mp4' });
      const ref = await expectCall('registerClip', 201, 'POST', tl('/clips', s.id), { json: { kind: 'video', file: up.path.replace(/^media\//, '') } });
      await expectCall('deleteClip', 204, 'DELETE', tl(`/clips/${ref.id}`, s.id));
      const { res } = await call('GET', up.media_url, { binary: true });
      assert.equal(res.status, 200, 'the uploaded clip still has its file');
    });

  it('PATCH an event with a clip of another session names clip_id',
    async () => {
      const b = await expectCall('updateEvent', 422, 'PATCH', tl(`/events/${fx.eventIds[0]}`), { json: { clip_id: 900000000 } });
      assert.deepEqual(fieldsOf(b), ['clip_id']);
    });

  it('pose_update with frames refuses unknown fields next to them',
    async () => {
      const input = { type: 'pose_update', data: { frames: [POSE_FRAME], colour: 'red' } };
      assert.equal(isValid('#/components/schemas/LiveUpdate', input), false);
      const b = await expectCall('postLiveUpdate', 422, 'POST', tl('/live', fx.cases.id), { json: input });
      assert.deepEqual(fieldsOf(b), ['data.colour']);
    });

  it('a subscription by the session id in upper case',
    async () => {
      const { res } = await call('GET', `/live/sessions/${fx.tl.id.toUpperCase()}`, { stream: true, headers: { accept: 'text/event-stream' } });
      assert.equal(res.status, 200);
    });

  it('documented answers this run did not produce (informational)', (t) => {
    for (const [opId, o] of operations) {
      const missing = Object.keys(o.op.responses).filter((s) => !seen.get(opId)?.has(s));
      if (missing.length) t.diagnostic(`${opId}: ${missing.join(', ')} not exercised`);
    }
  });
});
