// report-retention.test.mjs: old report runs are purged by the spooler's sweep (issue 20, docs/backup.md):
// a report run (reports/<session>/<run>/ and its report/report_data artifacts) older than
// archive_retention_days is removed by `stint-spooler --sweep-once` and audited as report.purge, except the
// run the session's report_url points to, which stays and still downloads even when it is as old.
//
// Run against a stack: bin/stint test integration/report-retention
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { PREFIX, REPO, api, asStack, spoolerEnv, sql, stackEnv } from './lib.mjs';

const GPS = path.join(process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data'), 'gps');

function runReport(sid) {
  const [cmd, args] = asStack(path.join(REPO, 'bin/stint-report'), [sid]);
  const r = spawnSync(cmd, args, { env: { PATH: process.env.PATH, ...stackEnv() }, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

function sweep(settings = {}) {
  const [cmd, args] = asStack(path.join(REPO, 'bin/stint-spooler'), ['--var-dir', PREFIX, '--sweep-once']);
  return execFileSync(cmd, args, { env: spoolerEnv(settings), encoding: 'utf8' });
}

test('an old report run is purged with its artifacts and audited; the current report stays and downloads', async () => {
  const s = await api('POST', '/api/v1/sessions', { json: { title: 'report retention', kind: 'training' } });
  assert.equal(s.status, 201, s.text);
  const sid = s.body.id;
  const p = await api('POST', `/api/v1/sessions/${sid}/participants`, { json: { player: 'Tina', team_side: 'A', number: '7', device_id: 'tcx1' } });
  assert.equal(p.status, 201, p.text);
  const u = await api('POST', `/api/v1/sessions/${sid}/device-data?${new URLSearchParams({ device: 'tcx1', name: 'test.tcx', format: 'tcx' })}`,
    { body: readFileSync(path.join(GPS, 'test.tcx')), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(u.status, 201, u.text);

  const older = runReport(sid);
  const current = runReport(sid);
  assert.notEqual(older.run, current.run);
  const runDir = (run) => path.join(PREFIX, 'reports', sid, run);
  const count = (run) => sql(`SELECT count(*) FROM artifacts WHERE session_id = '${sid}' AND path LIKE 'reports/${sid}/${run}/%'`)[0];
  assert.equal(count(older.run), '3');
  assert.ok(existsSync(runDir(older.run)));
  const olderIds = sql(`SELECT id FROM artifacts WHERE session_id = '${sid}' AND path LIKE 'reports/${sid}/${older.run}/%' ORDER BY id`);

  // a younger run is kept
  assert.doesNotMatch(sweep(), /report runs/);
  assert.equal(count(older.run), '3');

  // both past the retention: the older goes, the current (report_url) stays
  sql(`UPDATE artifacts SET created_at = now() - interval '31 days' WHERE session_id = '${sid}'`);
  assert.match(sweep(), /^purged [1-9]\d* report runs$/m);
  assert.equal(count(older.run), '0', 'the old run\'s artifacts are gone');
  assert.equal(existsSync(runDir(older.run)), false, 'with its folder');
  assert.equal((await api('GET', `/media/sessions/${sid}/artifacts/${older.artifact_id}`)).status, 404);
  const audit = sql(`SELECT user_id IS NULL, detail->>'run', detail->>'retention_days', detail->'artifact_ids'
    FROM audit_log WHERE action = 'report.purge' AND target_type = 'session' AND target_id = '${sid}'`);
  assert.deepEqual(audit, [`t|${older.run}|30|[${olderIds.join(', ')}]`], 'one audit row naming the run');

  assert.equal(count(current.run), '3', 'the current run is kept');
  assert.ok(existsSync(runDir(current.run)));
  const st = await api('GET', `/api/v1/sessions/${sid}/status`);
  assert.equal(st.body.report_url, current.report_url);
  const dl = await api('GET', current.report_url);
  assert.equal(dl.status, 200);
  assert.match(dl.text, /<html/i);
});
