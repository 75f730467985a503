// Attack probes on the stack's operations (issue 17, items 8 and 10): a flood
// of requests that the per-address rate limit refuses costs a bounded amount
// of disk (no error log line per refusal, one access log line in a hundred),
// the stack's logs rotate by size while nginx and the handlers keep writing,
// and the health checks answer while their address is rate limited. Then the
// test runner's gaps: a test that did not run (exit 77, no clang, no tidy)
// is a failure of bin/stint test, never a silent pass.
// The floods are real: wrk (bin/stint deps installs it) on loopback, bounded
// in time and connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { BASE, PREFIX, REPO, sleep } from './lib.mjs';

const LOG = PREFIX ? path.join(PREFIX, 'log') : '';
// A cheap address under the server's per-address limit that answers 200.
const FLOODED = '/static/favicon.svg';

/**
 * Runs wrk against url for `seconds` on `connections` connections (one
 * thread); resolves to { requests, non2xx, out }. A missing wrk fails.
 */
function flood(url, { seconds = 3, connections = 16 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('timeout', [String(seconds + 20), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`,
      '--timeout', '2s', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const requests = Number(out.match(/(\d+) requests in/)?.[1]);
      const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
      if (code !== 0 || !Number.isFinite(requests)) {
        reject(new Error(`wrk failed (exit ${code}; is it installed? bin/stint deps): ${out}`));
        return;
      }
      resolve({ requests, non2xx, out });
    });
  });
}

const size = (file) => statSync(file).size;
const tail = (file, from) => readFileSync(file).subarray(from).toString('utf8');

/** Waits until the address's bucket has refilled (FLOODED answers 200 again). */
async function untilUnlimited() {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(BASE + FLOODED)).status === 200) return;
    await sleep(100);
  }
  assert.fail(`${FLOODED} still refused 10 s after the flood`);
}

test('a flood of rate-limited requests writes a bounded amount of log', { timeout: 60000 }, async () => {
  const errorLog = path.join(LOG, 'nginx-error.log');
  const accessLog = path.join(LOG, 'nginx-access.log');
  const error0 = size(errorLog);
  const access0 = size(accessLog);
  const { requests, non2xx } = await flood(BASE + FLOODED, { seconds: 3 });
  await untilUnlimited();
  // (rotation at 10 MB would reset the logs; these floods stay far below)
  assert.ok(size(errorLog) >= error0 && size(accessLog) >= access0, 'the logs were not rotated meanwhile');
  assert.ok(non2xx >= 1000, `the flood was refused (${non2xx} of ${requests} not 200)`);

  const errors = tail(errorLog, error0);
  assert.equal((errors.match(/limiting requests/g) ?? []).length, 0, 'no error log line per refused request');
  assert.ok(errors.length <= 4096, `the error log grew by ${errors.length} bytes: ${errors.slice(0, 600)}`);

  const lines = tail(accessLog, access0).split('\n').filter(Boolean);
  const refused = lines.filter((l) => / 429 \d+ rt=/.test(l)).length;
  const accepted = lines.length - refused;
  // One in a hundred refusals is logged (1 %: three times that is far in the
  // tail of the binomial); the accepted requests are all logged, and the
  // limit (200 r/s, burst 400) lets at most a few thousand through.
  assert.ok(refused <= Math.ceil(non2xx * 0.03) + 20, `${refused} of ${non2xx} refusals logged`);
  assert.ok(accepted <= 4000, `${accepted} accepted requests logged`);
  assert.ok(lines.length < requests / 4, `${lines.length} access log lines for ${requests} requests`);
});

test('/healthz and /readyz answer 200 while their address is rate limited', { timeout: 60000 }, async () => {
  const load = flood(BASE + FLOODED, { seconds: 4 });
  await sleep(1000);
  const health = { '/healthz': [], '/readyz': [] };
  const other = [];
  for (let i = 0; i < 10; i++) {
    for (const url of Object.keys(health)) health[url].push((await fetch(BASE + url)).status);
    other.push((await fetch(BASE + FLOODED)).status);
  }
  const { non2xx } = await load;
  await untilUnlimited();
  assert.ok(non2xx >= 1000, `the flood was refused (${non2xx} not 200)`);
  assert.ok(other.includes(429), `the address's bucket was empty meanwhile (${FLOODED}: ${other.join(' ')})`);
  for (const [url, codes] of Object.entries(health)) {
    assert.deepEqual(codes, codes.map(() => 200), `${url} under the flood: ${codes.join(' ')}`);
  }
});

// --- rotation --------------------------------------------------------------

const KEEP = 5;  // bin/stint-logrotate's default STINT_LOG_KEEP
const rotator = () => Number(readFileSync(path.join(PREFIX, 'run', 'logrotate.pid'), 'utf8').trim());
// A log's old files (NAME.N.gz; NAME.N while logrotate compresses it).
const rotated = (name) => readdirSync(LOG).filter((f) => f.startsWith(`${name}.`) && /\.\d+(\.gz)?$/.test(f)).sort();

/**
 * Fills each log in names past the 10 MB limit, makes the stack's log
 * rotator look now (SIGUSR1) and waits until each was rotated.
 */
async function fillAndRotate(names) {
  const before = Object.fromEntries(names.map((n) => [n, rotated(n).length]));
  const filler = `${'#'.repeat(1023)}\n`.repeat(11 * 1024);  // 11 MiB
  for (const n of names) appendFileSync(path.join(LOG, n), filler);
  const pid = rotator();
  for (let i = 0; i < 100; i++) {
    // done: emptied, one more old file (or still KEEP), compressed, and the
    // oldest beyond KEEP removed (logrotate's last step)
    const done = names.every((n) => size(path.join(LOG, n)) < 1024 * 1024 &&
      (rotated(n).length > before[n] || before[n] >= KEEP) && rotated(n).length <= KEEP &&
      rotated(n).every((f) => f.endsWith('.gz')));
    if (done) return;
    if (i % 20 === 0) process.kill(pid, 'SIGUSR1');
    await sleep(100);
  }
  assert.fail(`not rotated in 10 s: ${names.map((n) => `${n} ${size(path.join(LOG, n))} B`).join(', ')}`);
}

test('the logs rotate by size and nginx and the handlers write on to the new file', { timeout: 60000 }, async () => {
  await fillAndRotate(['nginx-access.log', 'health.log']);
  const agent = `attack-ops-rotation-${process.pid}`;
  assert.equal((await fetch(`${BASE}/healthz`, { headers: { 'user-agent': agent } })).status, 200);
  let access = '', health = '';
  for (let i = 0; i < 50 && !(access.includes(agent) && health.includes('GET /healthz')); i++) {
    await sleep(100);
    access = readFileSync(path.join(LOG, 'nginx-access.log'), 'utf8');
    health = readFileSync(path.join(LOG, 'health.log'), 'utf8');
  }
  assert.ok(access.includes(agent), `nginx logs the request in the new nginx-access.log: ${access.slice(0, 300)}`);
  assert.match(health, /GET \/healthz 200/, 'the health handler logs in the new health.log');
  assert.ok(!access.includes('#'.repeat(1023)), 'the new file starts empty');
  const kept = gunzipSync(readFileSync(path.join(LOG, rotated('nginx-access.log').at(0))));
  assert.ok(kept.length >= 11 * 1024 * 1024, 'the old content is kept, compressed');
});

test('a log rotated again and again keeps a bounded number of old files', { timeout: 120000 }, async () => {
  const name = 'attack-ops-probe.log';
  const file = path.join(LOG, name);
  writeFileSync(file, '');
  const dir = statSync(LOG);
  chownSync(file, dir.uid, dir.gid);  // the stack's user rotates it
  for (let round = 0; round < 7; round++) await fillAndRotate([name]);
  assert.deepEqual(rotated(name), Array.from({ length: KEEP }, (_, i) => i + 1).map((n) => `${name}.${n}.gz`));
  assert.ok(existsSync(file) && size(file) < 1024 * 1024);
});

// --- the test runner: a test that did not run is not a pass ------------------

/** Runs a command; resolves to { code, out } (stdout and stderr). */
function run(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('a unit program that exits 77 (its data folder missing) fails bin/stint test', { timeout: 300000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stint-runner-'));
  try {
    // test_dvw exits 77 without STINT_DATA_DIR; make takes the override from MAKEFLAGS
    const { code, out } = await run(path.join(REPO, 'tests/run.sh'), ['unit/test_dvw'],
      { MAKEFLAGS: 'STINT_DATA_DIR=', STINT_TEST_OUT: dir });
    assert.match(out, /test_dvw: SKIP \(counted as a failure/, out.slice(-2000));
    assert.match(out, /^0 passed, 1 failed$/m, out.slice(-2000));
    assert.notEqual(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fuzz run without clang fails, one failure per target', async () => {
  const { code, out } = await run(path.join(REPO, 'tests/fuzz/run.sh'), ['1', 'text', 'http'],
    { STINT_FUZZ_CC: '/nonexistent/clang', STINT_FUZZ_BUILD: path.join(tmpdir(), 'stint-fuzz-none') });
  assert.notEqual(code, 0, out);
  assert.match(out, /^fuzz text: not run \(/m);
  assert.match(out, /^fuzz http: not run \(/m);
});

test('the pages\' tidy check fails when tidy is not installed', async () => {
  const { assertTidy } = await import('../browser/browser.mjs');
  const saved = process.env.PATH;
  process.env.PATH = mkdtempSync(path.join(tmpdir(), 'stint-no-tidy-'));
  try {
    assert.throws(() => assertTidy('<!DOCTYPE html><title>x</title>', 'a page'), /tidy did not run/);
  } finally {
    rmSync(process.env.PATH, { recursive: true, force: true });
    process.env.PATH = saved;
  }
});
