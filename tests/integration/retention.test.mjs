// retention.test.mjs: the archive retention of the spooler's sweep (issue 20, docs/backup.md): an
// archived (deleted) session older than archive_retention_days (default 30) is purged by
// `stint-spooler --sweep-once` with its media folder and report runs, audited as session.purge with its title and
// age; a younger one is kept with its files; a shorter setting purges it too.
//
// Run against a stack: bin/stint test integration/retention
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { Browser, PREFIX, REPO, api, asStack, spoolerEnv, sql, stint } from './lib.mjs';

const DATA = process.env.STINT_DEMO_DIR ?? path.resolve(REPO, '../shared/data');
const TAG = randomBytes(4).toString('hex');

/** Imports the clip match with its video as title; its session id. */
function importWithVideo(title) {
  const out = stint('import', path.join(DATA, 'volleyball/190301_kats_beds-clip.dvw'), '--video',
    path.join(DATA, 'volleyball/2019_03_01-KATS-BEDS-clip.mp4'), '--title', title);
  return /-> session ([0-9a-f-]{36})/.exec(out)[1];
}

/** bin/stint-spooler --sweep-once as the stack's user with settings; its output. */
function sweep(settings = {}) {
  const [cmd, args] = asStack(path.join(REPO, 'bin/stint-spooler'), ['--var-dir', PREFIX, '--sweep-once']);
  return execFileSync(cmd, args, { env: spoolerEnv(settings), encoding: 'utf8' });
}

const mediaOf = (sid) => path.join(PREFIX, 'media', sid);

test('an archived session older than the retention is purged with its media and audited; a younger one is kept', async () => {
  const old = importWithVideo(`retention old ${TAG}`);
  const young = importWithVideo(`retention young ${TAG}`);
  for (const sid of [old, young]) {
    assert.ok(readdirSync(mediaOf(sid)).some((f) => f.endsWith('.mp4')), 'the video is in the session folder');
    assert.equal((await api('DELETE', `/api/v1/sessions/${sid}`)).status, 204);
    assert.ok(existsSync(mediaOf(sid)), 'an archived session keeps its files (it may be restored)');
  }
  // a report run of the old session, as the spooler's report task writes one (as the stack's user)
  const [sh, shArgs] = asStack('/bin/sh', ['-c', `mkdir -p "$0/reports/$1/run1" && echo report > "$0/reports/$1/run1/index.html"`, PREFIX, old]);
  execFileSync(sh, shArgs);
  sql(`UPDATE backups SET created_at = now() - interval '31 days' WHERE session_id = '${old}'`);
  sql(`UPDATE backups SET created_at = now() - interval '29 days' WHERE session_id = '${young}'`);

  // the restore notice says when the archive expires
  const day = sql(`SELECT to_char((created_at + interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM backups WHERE session_id = '${young}'`)[0];
  const page = await (await new Browser().login()).get(`/?deleted=${young}`);
  assert.equal(page.status, 200);
  assert.ok(page.html.includes(`The archive is kept until ${day} (UTC); then it is purged with its media.`), page.html.slice(0, 2000));

  const out = sweep();
  assert.match(out, /^purged [1-9]\d* archived sessions$/m);
  assert.equal(sql(`SELECT count(*) FROM backups WHERE session_id = '${old}'`)[0], '0', 'the old archive is gone');
  assert.equal(existsSync(mediaOf(old)), false, 'with its media folder');
  assert.equal(existsSync(path.join(PREFIX, 'reports', old)), false, 'and its report runs');
  const audit = sql(`SELECT user_id IS NULL, detail->>'title', detail->>'retention_days', detail->>'archived_at' < (now() - interval '30 days')::text
    FROM audit_log WHERE action = 'session.purge' AND target_type = 'session' AND target_id = '${old}'`);
  assert.deepEqual(audit, [`t|retention old ${TAG}|30|t`], 'one audit row naming it');

  assert.equal(sql(`SELECT count(*) FROM backups WHERE session_id = '${young}'`)[0], '1', 'the younger archive is kept');
  assert.ok(readdirSync(mediaOf(young)).some((f) => f.endsWith('.mp4')), 'with its video');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'session.purge' AND target_id = '${young}'`)[0], '0');

  // a shorter setting: the younger one is due too
  assert.match(sweep({ STINT_ARCHIVE_RETENTION_DAYS: '7' }), /^purged [1-9]\d* archived sessions$/m);
  assert.equal(sql(`SELECT count(*) FROM backups WHERE session_id = '${young}'`)[0], '0');
  assert.equal(existsSync(mediaOf(young)), false);
  assert.equal(sql(`SELECT detail->>'retention_days' FROM audit_log WHERE action = 'session.purge' AND target_id = '${young}'`)[0], '7');
});
