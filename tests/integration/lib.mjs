// Helpers shared by the integration tests: the running stack's address,
// JSON API calls, a tiny browser-like client (cookies, forms) for pages, and
// real spoolers started against the stack.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
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

/**
 * The route manifest (lib/routes.def) as bin/stint-routes prints it:
 * { programs: [{ name, workers }], routes: [{ program, method, pattern,
 * access, body, format, handler, max_body, prefetch }] }.
 */
export function routeManifest() {
  return JSON.parse(execFileSync(path.join(REPO, 'bin/stint-routes'), ['json'], { encoding: 'utf8' }));
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
// A request that meets a kept-alive connection nginx is closing (a reload) fails before any answer:
// one more try on a new connection, as a client would, but only when sending it twice is safe (a
// read, or a write carrying an Idempotency-Key).
async function fetchOnce(url, init) {
  try {
    return await fetch(url, init);
  } catch (e) {
    const safe = init.method === 'GET' || Object.keys(init.headers).some((h) => h.toLowerCase() === 'idempotency-key');
    if (!safe || !(e instanceof TypeError)) throw e;
    return fetch(url, init);
  }
}

export async function api(method, url, { json, body, headers = {}, token = ADMIN_TOKEN } = {}) {
  const init = { method, headers: { ...headers }, redirect: 'manual' };
  if (token) init.headers.authorization ??= `Bearer ${token}`;
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  // nginx's per-address limit (200 r/s, burst 400; code too_many_requests) refuses a request
  // before any handler sees it: a suite of this many calls from one address meets it, and waits
  // as Retry-After says, as a client would. No test asks for that 429 through api().
  for (let tries = 0; ; tries++) {
    const res = await fetchOnce(BASE + url, init);
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') ?? '').startsWith('application/json') && text) {
      parsed = JSON.parse(text);
    }
    if (res.status !== 429 || parsed?.error?.code !== 'too_many_requests' || tries === 20) {
      return { status: res.status, headers: res.headers, body: parsed, text };
    }
    await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
  }
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

  /** Calls the JSON API with the login cookie, as a page's script does. */
  async json(method, url, body, { csrfHeader = true } = {}) {
    const headers = { cookie: this.cookieHeader(), 'content-type': 'application/json' };
    if (csrfHeader) headers['x-csrf-token'] = this.cookies.get('stint_csrf');
    const res = await fetch(BASE + url, { method, headers, body: JSON.stringify(body), redirect: 'manual' });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** POSTs fields urlencoded; adds the CSRF token of the last page unless csrf === null; headers: more. */
  async post(url, fields, { csrf, headers = {} } = {}) {
    const form = new URLSearchParams(fields);
    const token = csrf === undefined ? this.cookies.get('stint_csrf') : csrf;
    if (token !== null && token !== undefined) form.set('csrf', token);
    const res = await fetch(BASE + url, {
      method: 'POST',
      headers: { ...headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    this.remember(res);
    return { status: res.status, headers: res.headers, html: await res.text() };
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * An EventSource-like subscriber on /live/sessions/<id> built on fetch:
 * collects { id, event, data (parsed) } in order. Resolves once nchan's
 * greeting arrived, so nothing published afterwards is missed. base: the
 * server (another web host in the cluster tests).
 */
export async function subscribe(sessionId, { token = ADMIN_TOKEN, lastEventId, query = '', base = BASE } = {}) {
  const ctrl = new AbortController();
  const headers = { accept: 'text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const res = await fetch(`${base}/live/sessions/${sessionId}${query}`, { headers, signal: ctrl.signal });
  const sub = { status: res.status, messages: [], lastId: lastEventId, closed: false };
  if (res.status !== 200) return { ...sub, close() {} };
  let ready;
  const greeted = new Promise((r) => { ready = r; });
  const waiters = [];
  (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const ev = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) ready();
            else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data += line.slice(6);
          }
          if (ev.data) {
            ev.data = JSON.parse(ev.data);
            sub.messages.push(ev);
            sub.lastId = ev.id;
            waiters.forEach((w) => w());
          }
        }
      }
    } catch { /* aborted */ }
    sub.closed = true;
    ready();
  })();
  await Promise.race([greeted, sleep(3000)]);
  sub.close = () => ctrl.abort();
  /** Waits until n messages arrived (or ms passed); returns the messages. */
  sub.waitFor = async (n, ms = 10000) => {
    const deadline = Date.now() + ms;
    while (sub.messages.length < n && Date.now() < deadline) {
      await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
      waiters.length = 0;
    }
    return sub.messages;
  };
  return sub;
}

/** Runs query in the stack's database (psql -A -t): its rows, each a line with columns joined by |. */
export function sql(query) {
  const out = stint('psql', '-X', '-A', '-t', '-c', query).trim();
  return out === '' ? [] : out.split('\n');
}

/** Waits until check() (may be async) answers truthy, every `every` ms for at most ms; returns its answer. */
export async function until(what, check, ms = 15000, { every = 100, detail = () => '' } = {}) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail()}`);
    await sleep(every);
  }
}

/** Whether process pid runs (a zombie does not). */
export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The stack's STINT_* settings (PREFIX/stint.env), as bin/stint up gave them to its processes. */
export function stackEnv() {
  const env = {};
  for (const line of readFileSync(path.join(PREFIX, 'stint.env'), 'utf8').split('\n')) {
    const m = /^(STINT_[A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) env[m[1]] = m[2].replaceAll("'\\''", "'");
  }
  return env;
}

/** A test spooler's environment: the stack's settings, a 1 s poll, no back-off, then settings over them. */
export const spoolerEnv = (settings = {}) => ({ PATH: process.env.PATH, ...stackEnv(), STINT_SPOOL_POLL_S: '1',
  STINT_SPOOL_BACKOFF_S: '0', ...settings });

const spoolers = [];

/**
 * [command, args] that run program with args as the stack's processes run: as the user `stint`
 * when the tests run as root (bin/stint's as_user), else as is.
 */
export function asStack(program, args) {
  if (process.getuid() !== 0) return [program, args];
  return ['setpriv', ['--reuid=stint', '--regid=stint', '--init-groups', program, ...args]];
}

/**
 * Starts bin/stint-spooler against the stack, which runs none of its own (tests/run.sh:
 * STINT_SPOOLER=off), in a process group of its own with spoolerEnv(settings) (settings: STINT_*
 * variables); stdout and stderr appended to the file log; args: more arguments. Returns the
 * ChildProcess; killSpoolers() ends those still running. stackUser: as the stack's own user (asStack),
 * so that what its tasks write (reports) nginx may serve, as under `bin/stint up`.
 */
export function startSpooler(log, settings = {}, args = [], { stackUser = false } = {}) {
  const fd = openSync(log, 'a');
  const argv = ['--var-dir', PREFIX, ...args];
  const [cmd, cmdArgs] = stackUser ? asStack(path.join(REPO, 'bin/stint-spooler'), argv)
    : [path.join(REPO, 'bin/stint-spooler'), argv];
  const child = spawn(cmd, cmdArgs, { env: spoolerEnv(settings), stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  spoolers.push(child);
  return child;
}

/**
 * SIGTERM to spooler child's process group, then waits for its exit (at most ms, else throws):
 * { code, signal }, or null for no child.
 */
export async function stopSpooler(child, ms = 30000) {
  if (!child) return null;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    process.kill(-child.pid, 'SIGTERM');
    let timer;
    const late = new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`spooler ${child.pid} did not stop within ${ms} ms`)), ms);
    });
    await Promise.race([exited, late]).finally(() => clearTimeout(timer));
  }
  return { code: child.exitCode, signal: child.signalCode };
}

/** SIGKILL to the process group of every spooler startSpooler() started (for after()). */
export function killSpoolers() {
  for (const s of spoolers) {
    try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/**
 * Kills what a run of tests/spool-task.sh left behind when its marker file ("pid pgid
 * grandchild") exists: the run's process group and its sleeping grandchild (for after()).
 */
export function killRun(marker) {
  if (!existsSync(marker)) return;
  const [, pgid, grandchild] = readFileSync(marker, 'utf8').trim().split(' ');
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  try { process.kill(grandchild, 'SIGKILL'); } catch { /* gone */ }
}
