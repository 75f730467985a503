// Helpers shared by the integration tests: the running stack's address,
// JSON API calls and a tiny browser-like client (cookies, forms) for pages.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE = process.env.STINT_TEST_URL ?? 'http://127.0.0.1:18080';
export const PREFIX = process.env.STINT_TEST_PREFIX;
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Calls the JSON API; returns { status, headers, body (parsed JSON or text) }. */
export async function api(method, url, { json, body, headers = {} } = {}) {
  const init = { method, headers: { ...headers }, redirect: 'manual' };
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

/** Runs `bin/stint ARGS --prefix PREFIX` (the test stack) and returns its output. */
export function stint(...args) {
  if (!PREFIX) throw new Error('STINT_TEST_PREFIX is not set');
  return execFileSync(path.join(REPO, 'bin/stint'), [...args, '--prefix', PREFIX], { encoding: 'utf8' });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
