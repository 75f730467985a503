// Helpers of the cluster tests (tests/run.sh, phase 4): the cluster `bin/stint cluster up` started
// in STINT_CLUSTER_DIR (its parts' addresses in cluster.env), requests to one part or through the
// front, a live subscriber on one web host, and the parts' pids to kill. The integration helpers
// (tests/integration/lib.mjs) work too: STINT_TEST_URL is the front, STINT_TEST_PREFIX web host 1's
// folder (bin/stint psql, user, token reach the cluster's primary from there).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { ADMIN_TOKEN, REPO, alive, sleep, subscribe } from '../integration/lib.mjs';

export const DIR = process.env.STINT_CLUSTER_DIR;
if (!DIR) throw new Error('STINT_CLUSTER_DIR is not set (run: bin/stint test cluster/)');

/** cluster.env: { port, front, web1, web2, pg1, pg2, redis, s3 }. */
export const ENV = Object.fromEntries(readFileSync(path.join(DIR, 'cluster.env'), 'utf8').trim().split('\n')
  .map((l) => l.split('=')));
export const URL_OF = (part) => `http://${ENV[part]}:${ENV.port}`;
export const FRONT = URL_OF('front');
export const WEB1 = URL_OF('web1');
export const WEB2 = URL_OF('web2');

/** Runs `bin/stint cluster ARGS --prefix DIR` and returns its output. */
export function cluster(...args) {
  return execFileSync(path.join(REPO, 'bin/stint'), ['cluster', ...args, '--prefix', DIR],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** CLUSTER/roles: { primary, standby } (node names pg1, pg2; standby '' after a failover). */
export function roles() {
  return Object.fromEntries(readFileSync(path.join(DIR, 'roles'), 'utf8').trim().split('\n').map((l) => l.split('=')));
}

/**
 * One request to base + url; { status, body (JSON when it is), text }, or { status: 0, error } when
 * no answer came (connection refused or reset). The administrator's token unless token says otherwise.
 */
export async function call(base, method, url, { json, headers = {}, token = ADMIN_TOKEN, timeoutMs = 10000 } = {}) {
  const init = { method, headers: { ...headers }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] = 'application/json';
  }
  try {
    const res = await fetch(base + url, init);
    const text = await res.text();
    let body = text;
    if ((res.headers.get('content-type') ?? '').startsWith('application/json') && text) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body, text };
  } catch (e) {
    return { status: 0, error: String(e.cause ?? e) };
  }
}

/** An SSE subscriber on base's /live/sessions/<id>: integration/lib.mjs's subscribe() there. */
export const subscribeAt = (base, sessionId, { token = ADMIN_TOKEN } = {}) => subscribe(sessionId, { token, base });

const pidIn = (file) => Number(readFileSync(file, 'utf8').trim());

/** The pids of web host `host`'s nginx master and handler pools (each leads its process group). */
export function webPids(host) {
  const run = path.join(DIR, host, 'run');
  return readdirSync(run).filter((f) => f.endsWith('.pid') && !['livepub.pid', 'logrotate.pid'].includes(f)
    && !f.startsWith('spooler')).map((f) => ({ name: f.slice(0, -4), pid: pidIn(path.join(run, f)) }));
}

/** The pid of web host `host`'s spooler. */
export const spoolerPid = (host) => pidIn(path.join(DIR, host, 'run', 'spooler.pid'));

/** The pid of PostgreSQL node `node`'s postmaster (pg_ctl start made it a process group leader). */
export const postmasterPid = (node) => Number(readFileSync(path.join(DIR, node, 'data', 'postmaster.pid'), 'utf8')
  .split('\n')[0]);

/** SIGKILL to process group pgid; waits until its leader is gone. */
export async function killGroup(pgid) {
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  for (let i = 0; i < 100 && alive(pgid); i++) await sleep(50);
}
