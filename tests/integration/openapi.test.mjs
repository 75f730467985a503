// openapi.test.mjs: docs/openapi.yaml against the code and the running server.
//
// 1. Every operation in the document is called for real (a table of examples
//    keyed by operationId; an operation without one fails), and each answer
//    must be documented for it: status, required headers, body schema.
// 2. Both ways: every JSON route in cgi-bin/*.c is documented, and every
//    documented operation is a route in the code.
// 3. Field and parameter rules: the document's schemas and the server agree
//    on which inputs are valid.
//
// Run against a stack: STINT_TEST_URL=http://127.0.0.1:18080 node --test tests/integration/openapi.test.mjs
// Without STINT_TEST_URL only the checks that need no server run.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

import { ADMIN_TOKEN } from './lib.mjs';

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

/* Header values are text; an integer schema is checked on the number. */
function headerValue(schemaPtr, text) {
  const [, schema] = follow(schemaPtr);
  return schema?.type === 'integer' && /^-?\d+$/.test(text) ? Number(text) : text;
}

// --- the server ---------------------------------------------------------------

/* One request; body is the parsed JSON answer, the text, or null when empty. */
async function call(method, url, { json, raw, type } = {}) {
  const headers = ADMIN_TOKEN ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {};
  let body = raw;
  if (json !== undefined) {
    body = JSON.stringify(json);
    type ??= 'application/json';
  }
  if (type) headers['content-type'] = type;
  const res = await fetch(BASE + url, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed = text === '' ? null : text;
  try {
    parsed = JSON.parse(text);
  } catch { /* not JSON: kept as text, and no schema will accept it */ }
  return { res, body: parsed };
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
  assert.ok(type in response.content,
    `${what}: Content-Type ${type || '(none)'} is not one of ${Object.keys(response.content)}`);
  assertValid(`${rptr}/content/${escapePointer(type)}/schema`, body, what);
  if (res.status >= 400) assertValid('#/components/schemas/Error', body, `${what} (Error)`);
  return body;
}

// --- fixtures -------------------------------------------------------------------

const TAG = `oa${randomUUID().slice(0, 8)}`;  // marks this run's sessions
const created = [];  // ids to delete afterwards
const fx = {};       // shared fixtures, made in before()

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
          [null, 'pending', null, []]);
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
  ],
  getSession: [
    {
      name: 'an existing session', status: 200,
      run: () => call('GET', sessionUrl(fx.session.id)),
      then: (b) => assert.deepEqual(b, fx.session),
    },
    { name: 'an unknown id', status: 404, run: () => call('GET', sessionUrl(randomUUID())) },
    { name: 'an id that is not a UUID', status: 404, run: () => call('GET', sessionUrl('42')) },
  ],
  updateSession: [
    {
      name: 'change some fields, clear the venue', status: 200,
      run: async () => {
        fx.patched = await newSession({ venue: 'Old hall', meta: { a: 1, b: 2 } });
        return call('PATCH', sessionUrl(fx.patched.id),
          { json: { status: 'completed', venue: null, meta: { c: 3 } } });
      },
      then: (b) => {
        assert.deepEqual([b.status, b.venue, b.meta, b.title], ['completed', '', { c: 3 }, fx.patched.title]);
        assert.ok(instant(b.updated_at) >= instant(fx.patched.updated_at));
      },
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

/* JSON routes of cgi-bin/*.c as "METHOD /path/{}" (captures written {}). */
function codeRoutes() {
  const entry = /(\bPAGE\s*\(|\bJSON_ROUTE\s*\(|\{)\s*"(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)"\s*,\s*"(\/[^"]*)"/g;
  const routes = new Map();  // route -> file
  const dir = path.join(ROOT, 'cgi-bin');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.c'))) {
    const src = readFileSync(path.join(dir, file), 'utf8');
    for (const m of src.matchAll(entry)) {
      const rest = src.slice(m.index, src.indexOf('}', m.index + 1) + 1);
      const html = m[1].startsWith('PAGE') || /STINT_FORMAT_HTML/.test(rest);
      if (html || m[3].startsWith('/bench/')) continue;
      routes.set(`${m[2]} ${m[3].replace(/:[A-Za-z_]+/g, '{}')}`, file);
    }
  }
  return routes;
}

test('the route tables in cgi-bin and the document list the same operations', () => {
  const inCode = codeRoutes();
  assert.ok(inCode.size > 0, 'no JSON route found in cgi-bin/*.c: has the route table syntax changed?');
  const inDoc = new Set([...operations.values()].map((o) => `${o.method} ${o.path.replace(/\{[^}]+\}/g, '{}')}`));
  const undocumented = [...inCode.keys()].filter((r) => !inDoc.has(r)).map((r) => `${r} (${inCode.get(r)})`);
  const missing = [...inDoc].filter((r) => !inCode.has(r));
  assert.deepEqual(undocumented, [], 'routes in the code that docs/openapi.yaml does not document');
  assert.deepEqual(missing, [], 'operations in docs/openapi.yaml that no route in cgi-bin/ serves');
});

// --- against the server ------------------------------------------------------------

describe('the running server', { skip: BASE ? false : 'STINT_TEST_URL is not set' }, () => {
  before(async () => {
    fx.session = await newSession({ ...FULL_INPUT, title: `${TAG} Lakeside final` });
  });
  after(async () => {
    for (const id of created) await call('DELETE', sessionUrl(id));
  });

  for (const [opId, list] of Object.entries(examples)) {
    for (const ex of list) {
      it(`${opId}: ${ex.name} -> ${ex.status}`, async () => {
        const { res, body } = await ex.run();
        if (res.status === 201) created.push(body.id);
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
      const { res, body } = await call(method, p.replace(/\{[^}]+\}/g, randomUUID()));
      const what = `${method} ${p}`;
      assert.equal(res.status, 405, `${what}: ${JSON.stringify(body)}`);
      assert.deepEqual(res.headers.get('allow')?.split(', ').sort(), documented.sort(), `${what}: Allow`);
      assertValid('#/components/headers/Allow/schema', res.headers.get('allow'), `${what}: Allow`);
      assertValid('#/components/responses/MethodNotAllowed/content/application~1json/schema', body, what);
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

  it('list parameters: the schemas and GET agree on what is valid', async () => {
    const byName = Object.fromEntries(Object.entries(doc.components.parameters)
      .filter(([, p]) => p.in === 'query').map(([key, p]) => [p.name, key]));
    for (const [name, text, valid] of queryCases) {
      const ptr = `#/components/parameters/${byName[name]}/schema`;
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

  it('documented answers this run did not produce (informational)', (t) => {
    for (const [opId, o] of operations) {
      const missing = Object.keys(o.op.responses).filter((s) => !seen.get(opId)?.has(s));
      if (missing.length) t.diagnostic(`${opId}: ${missing.join(', ')} not exercised`);
    }
  });
});
