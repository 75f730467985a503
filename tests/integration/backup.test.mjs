// backup.test.mjs: bin/stint backup / restore / backup --verify (issue 20, docs/backup.md).
// A backup of the test stack (a real DataVolley match with its video, a report file) restores into
// a second, new stack (its own prefix, ports STINT_TEST_PORT + 5 / STINT_TEST_PG_PORT + 5 unless STINT_TEST_BACKUP_PORT /
// STINT_TEST_BACKUP_PG_PORT) with every table's row count and every file's SHA-256 equal to the
// source's; restore refuses a stack that is not empty, naming what is in it; PostgreSQL killed with
// -9 while pg_dump runs leaves no FILE and no temporary archive or staging folder; --verify passes
// on the archive and fails on one with a changed byte, naming the file.
//
// Run against a stack: bin/stint test integration/backup
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PREFIX, REPO, sleep, sql, stint, until } from './lib.mjs';

const DATA = process.env.STINT_DEMO_DIR ?? path.resolve(REPO, '../shared/data');
const PORT2 = process.env.STINT_TEST_BACKUP_PORT ?? String(Number(process.env.STINT_TEST_PORT ?? 18080) + 5);
const PG_PORT2 = process.env.STINT_TEST_BACKUP_PG_PORT ?? String(Number(process.env.STINT_TEST_PG_PORT ?? 15433) + 5);
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-backup-'));
chmodSync(DIR, 0o755);
const PREFIX2 = path.join(DIR, 'p2');
const TAG = randomBytes(4).toString('hex');
const BIN = path.join(REPO, 'bin/stint');

const run = (args, opts = {}) => execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
/** [status, stdout + stderr] of bin/stint ARGS, which may fail. */
function attempt(args) {
  try {
    return [0, run(args)];
  } catch (e) {
    return [e.status, `${e.stdout}${e.stderr}`];
  }
}
const psql2 = (q) => run(['psql', '--prefix', PREFIX2, '-X', '-A', '-t', '-c', q]).trim();

const COUNTS = `SELECT c.relname || ' ' || (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I',
  c.relname), false, true, '')))[1]::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`;

/**
 * { 'media/x': sha256 } of every file under prefix's media, uploads and reports folders, but those
 * still being written (hidden or *.part names, which a backup leaves out).
 */
function fileSums(prefix) {
  const sums = {};
  const walk = (rel) => {
    const abs = path.join(prefix, rel);
    if (!existsSync(abs)) return;
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name.endsWith('.part')) continue;
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) sums[r] = createHash('sha256').update(readFileSync(path.join(prefix, r))).digest('hex');
    }
  };
  for (const d of ['media', 'uploads', 'reports']) walk(d);
  return sums;
}

after(() => {
  attempt(['down', '--prefix', PREFIX2]);
  rmSync(DIR, { recursive: true, force: true });
  rmSync(path.join(PREFIX, 'reports', `backup-${TAG}.html`), { force: true });
  if (halfUpload) rmSync(halfUpload, { force: true });
  rmSync(path.join(PREFIX, 'reports', `.run-${TAG}`), { recursive: true, force: true });
});

const ARCHIVE = path.join(DIR, 'stack.tar');
let halfUpload;
let sourceCounts;
let sourceSums;

test('backup then restore into a new stack: equal row counts and file sums', async () => {
  const sid = /-> session ([0-9a-f-]{36})/.exec(stint('import', path.join(DATA, 'volleyball/190301_kats_beds-clip.dvw'),
    '--video', path.join(DATA, 'volleyball/2019_03_01-KATS-BEDS-clip.mp4'), '--title', `backup ${TAG}`))[1];
  halfUpload = path.join(PREFIX, 'media', sid, `.import-${TAG}.part`);
  stint('import', path.join(DATA, 'volleyball/example_data.dvw'), '--title', `backup full ${TAG}`);
  writeFileSync(path.join(PREFIX, 'reports', `backup-${TAG}.html`), `<p>report ${TAG}</p>\n`);
  // files still being written: an upload's temporary name, a report run's hidden folder
  writeFileSync(halfUpload, 'half');
  mkdirSync(path.join(PREFIX, 'reports', `.run-${TAG}`));
  writeFileSync(path.join(PREFIX, 'reports', `.run-${TAG}`, 'index.html'), 'half');
  sourceCounts = sql(COUNTS);
  sourceSums = fileSums(PREFIX);
  assert.ok(Object.keys(sourceSums).some((f) => f.endsWith('.mp4')), 'the stack holds a video');

  const out = stint('backup', ARCHIVE);
  assert.match(out, /^backup: .*stack\.tar \(\d+ bytes; database at snapshot /m);
  assert.deepEqual(readdirSync(DIR).filter((f) => f !== 'stack.tar'), [], 'nothing but the archive');
  const manifest = execFileSync('tar', ['-xOf', ARCHIVE, 'manifest.txt'], { encoding: 'utf8' });
  assert.deepEqual(manifest.split('\n').filter((l) => l.startsWith('table\t')).map((l) => l.slice(6).replace('\t', ' ')),
    sourceCounts, 'the manifest has every table\'s rows');
  for (const [f, sum] of Object.entries(sourceSums)) {
    assert.ok(manifest.includes(`\t${sum}\tfiles/${f}\n`), `the manifest has ${f} with its SHA-256`);
  }
  assert.ok(!manifest.includes(`.import-${TAG}`) && !manifest.includes(`.run-${TAG}`), 'files being written are left out');
  const listed = execFileSync('tar', ['-tf', ARCHIVE], { encoding: 'utf8' });
  assert.ok(!listed.includes(`.import-${TAG}`) && !listed.includes(`.run-${TAG}`), 'and are not in the archive');

  run(['up', '--prefix', PREFIX2, '--port', PORT2, '--pg-port', PG_PORT2, '--no-demo', '--no-build'],
    { env: { ...process.env, STINT_SPOOLER: 'off' } });
  const restored = run(['restore', ARCHIVE, '--prefix', PREFIX2]);
  assert.match(restored, /^restore: .* restored into /m);
  assert.deepEqual(psql2(COUNTS).split('\n'), sourceCounts, 'every table has the same rows');
  assert.deepEqual(fileSums(PREFIX2), sourceSums, 'every file with the same SHA-256');
  assert.equal(psql2(`SELECT count(*) FROM sessions WHERE title = 'backup ${TAG}'`), '1');
  // the restored stack serves: its handlers reconnected to the new database
  await until('the restored stack is ready', async () => {
    const res = await fetch(`http://127.0.0.1:${PORT2}/readyz`).catch(() => null);
    return res?.status === 200;
  });

  // a second restore: the stack is no longer empty
  const [status, msg] = attempt(['restore', ARCHIVE, '--prefix', PREFIX2]);
  assert.equal(status, 1);
  assert.match(msg, /restore: the stack under .* is not empty \(.*rows in sessions.*files in \S*\/media\b/);
});

test('backup --verify passes on the archive, fails naming a changed file', () => {
  const out = run(['backup', '--verify', ARCHIVE]);
  assert.match(out, /verify: .*stack\.tar is good \(\d+ tables restored with the manifest's row counts, \d+ files with its sums\)/);

  const unpacked = path.join(DIR, 'tampered');
  mkdirSync(unpacked);
  execFileSync('tar', ['-C', unpacked, '-xf', ARCHIVE]);
  const video = Object.keys(sourceSums).find((f) => f.endsWith('.mp4') && !f.startsWith('media/import/'));
  const victim = path.join(unpacked, 'files', video);
  const bytes = readFileSync(victim);
  bytes[bytes.length >> 1] ^= 0xff;
  writeFileSync(victim, bytes);
  const bad = path.join(DIR, 'tampered.tar');
  execFileSync('tar', ['-C', unpacked, '-cf', bad, 'manifest.txt', 'db.dump', 'files']);
  const [status, msg] = attempt(['backup', '--verify', bad]);
  assert.equal(status, 1);
  assert.ok(msg.includes(`verify: files/${video} has SHA-256 `), msg);
  assert.match(msg, /tampered\.tar does not match its manifest/);

  // a changed row in the dump is a changed db.dump
  rmSync(unpacked, { recursive: true });
  mkdirSync(unpacked);
  execFileSync('tar', ['-C', unpacked, '-xf', ARCHIVE]);
  writeFileSync(path.join(unpacked, 'db.dump'), Buffer.concat([readFileSync(path.join(unpacked, 'db.dump')), Buffer.from('x')]));
  execFileSync('tar', ['-C', unpacked, '-cf', bad, 'manifest.txt', 'db.dump', 'files']);
  const [status2, msg2] = attempt(['backup', '--verify', bad]);
  assert.equal(status2, 1);
  assert.match(msg2, /verify: db\.dump has \d+ bytes, the manifest says \d+/);
  rmSync(unpacked, { recursive: true });
  rmSync(bad);
});

test('PostgreSQL killed with -9 in the middle of a backup leaves no file that looks complete', async () => {
  const outDir = path.join(DIR, 'killed');
  mkdirSync(outDir);
  const target = path.join(outDir, 'nightly.tar');
  // A lock only pg_dump waits for (a table outside the public schema the manifest counts): the
  // backup is past its snapshot, its row counts and its file links, inside pg_dump.
  psql2('CREATE SCHEMA IF NOT EXISTS backup_test; CREATE TABLE IF NOT EXISTS backup_test.slow (x int)');
  const locker = spawn(path.join(PG_BIN(), 'psql'), ['-X', '-q', '-d', conninfo2(), '-c',
    'BEGIN; LOCK TABLE backup_test.slow IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);'], { stdio: 'ignore' });
  await until('the lock is held', () => psql2("SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'backup_test.slow'::regclass") === '1');
  const backup = spawn(BIN, ['backup', target, '--prefix', PREFIX2], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  backup.stdout.on('data', (d) => { said += d; });
  backup.stderr.on('data', (d) => { said += d; });
  const exited = new Promise((done) => backup.once('exit', (code) => done(code)));
  await until('pg_dump waits for its lock', () => psql2(
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock'") === '1');
  assert.ok(readdirSync(outDir).some((f) => f.startsWith('.nightly.tar.partial.')) ||
    readdirSync(PREFIX2).some((f) => f.startsWith('.backup.')), 'the backup is under way');
  const postmaster = Number(readFileSync(path.join(PREFIX2, 'pg/postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(postmaster, 'SIGKILL');
  const code = await exited;
  locker.kill('SIGKILL');
  assert.notEqual(code, 0, 'the backup failed');
  assert.match(said, /pg_dump failed; no archive written/);
  assert.deepEqual(readdirSync(outDir), [], 'no FILE, no partial archive');
  assert.deepEqual(readdirSync(PREFIX2).filter((f) => f.startsWith('.backup.')), [], 'no staging folder left');
  await sleep(200);
  attempt(['pg', 'stop', '--prefix', PREFIX2]);
});

function PG_BIN() { return '/usr/lib/postgresql/15/bin'; }
function conninfo2() { return `host=${path.join(PREFIX2, 'run')} port=${PG_PORT2} dbname=stint user=stint`; }
