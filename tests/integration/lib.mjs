// Helpers shared by the integration tests: the running stack's address,
// JSON API calls and a tiny browser-like client (cookies, forms) for pages.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE = process.env.STINT_TEST_URL ?? 'http://127.0.0.1:18080';
export const PREFIX = process.env.STINT_TEST_PREFIX;
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `bin/stint ARGS --prefix PREFIX` (the test stack) and returns its output. */
export function stint(...args) {
  if (!PREFIX) throw new Error('STINT_TEST_PREFIX is not set');
  const opts = typeof args.at(-1) === 'object' ? args.pop() : {};
  const argv = args[0] === 'psql' ? ['psql', '--prefix', PREFIX, ...args.slice(1)] : [...args, '--prefix', PREFIX];
  return execFileSync(path.join(REPO, 'bin/stint'), argv, { encoding: 'utf8', ...opts });
}

export const ADMIN_EMAIL = 'admin@stint.local';
export const ADMIN_PASSWORD = PREFIX ? readFileSync(path.join(PREFIX, 'admin-password'), 'utf8').trim() : '';

/** Creates an API token for the user (scope read or write) and returns it. */
export function tokenFor(email, scope = 'write') {
  return stint('token', 'create', '--user', email, '--scope', scope, '--name', 'tests').trim();
}

/** The administrator's write token, used by api() unless told otherwise. */
export const ADMIN_TOKEN = PREFIX ? tokenFor(ADMIN_EMAIL) : '';

/** Creates a user with a role; returns { email, password, token (write) }. */
export function makeUser(role) {
  const email = `${role}-${randomBytes(4).toString('hex')}@test.local`;
  const password = randomBytes(12).toString('hex');
  stint('user', 'add', email, '--role', role, '--password-stdin', { input: `${password}\n` });
  return { email, password, token: tokenFor(email) };
}

/**
 * Calls the JSON API; returns { status, headers, body (parsed JSON or text) }.
 * Sends the administrator's token unless `token` says otherwise (null: none).
 */
export async function api(method, url, { json, body, headers = {}, token = ADMIN_TOKEN } = {}) {
  const init = { method, headers: { ...headers }, redirect: 'manual' };
  if (token) init.headers.authorization ??= `Bearer ${token}`;
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  const res = await fetch(BASE + url, init);
  const text = await res.text();
  let parsed = text;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json') && text) {
    parsed = JSON.parse(text);
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Creates a session through the API and returns its JSON. */
export async function createSession(fields = {}) {
  const res = await api('POST', '/api/v1/sessions', { json: { title: 'Test session', ...fields } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A browser-like client: keeps cookies, follows nothing, posts forms. */
export class Browser {
  constructor() { this.cookies = new Map(); }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    for (const line of res.headers.getSetCookie?.() ?? []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  /** Signs in through the login form; throws unless it redirects. */
  async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
    await this.get('/login');
    const res = await this.post('/login', { email, password, next: '/' });
    if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status}`);
    return this;
  }

  async get(url) {
    const res = await fetch(BASE + url, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.remember(res);
    return { status: res.status, headers: res.headers, html: await res.text() };
  }

  /** POSTs fields urlencoded; adds the CSRF token of the last page unless csrf === null. */
  async post(url, fields, { csrf } = {}) {
    const form = new URLSearchParams(fields);
    const token = csrf === undefined ? this.cookies.get('stint_csrf') : csrf;
    if (token !== null && token !== undefined) form.set('csrf', token);
    const res = await fetch(BASE + url, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    this.remember(res);
    return { status: res.status, headers: res.headers, html: await res.text() };
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
