// spooler.test.mjs (issue 21, Must show 3): each web host of `bin/stint cluster` runs a spooler
// against the one queue (claims with FOR UPDATE SKIP LOCKED). The spooler running a task is killed
// with -9 while its child runs; the other host's spooler runs the task once the lease (3 s here:
// tests/run.sh) expired, exactly once more, and stores one result. `cluster up` restarts the
// killed spooler.
//
// Run: bin/stint test cluster/spooler
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { alive, killRun, sql, until } from '../integration/lib.mjs';
import { DIR, FRONT, call, cluster, spoolerPid } from './lib.mjs';

const TAG = `cspool${randomBytes(4).toString('hex')}`;
const WORK = mkdtempSync(path.join(tmpdir(), 'stint-cluster-spool-'));
chmodSync(WORK, 0o777);  // the spoolers' children (the stack's user) write the marker here

after(() => {
  killRun(path.join(WORK, 'once'));
  rmSync(WORK, { recursive: true, force: true });
});

const row = (id, cols) => sql(`SELECT ${cols} FROM tasks WHERE task_id = '${id}'`)[0];

test('a spooler killed with -9 while its child runs: the other host\'s spooler runs the task once, after the lease', async () => {
  const spoolers = { web1: spoolerPid('web1'), web2: spoolerPid('web2') };
  assert.ok(alive(spoolers.web1) && alive(spoolers.web2));
  const marker = path.join(WORK, 'once');
  const made = await call(FRONT, 'POST', '/api/v1/tasks',
    { json: { task_type: 'spool_test', group_key: TAG, params: { mode: 'once', marker } } });
  assert.equal(made.status, 201, made.text);
  const id = made.body.task_id;
  await until('the first run', () => existsSync(marker), 20000);
  const [childPid] = readFileSync(marker, 'utf8').trim().split(' ');
  const owner = row(id, 'lease_owner');
  const ownerPid = Number(/:(\d+)\//.exec(owner)?.[1]);
  const [victim, other] = ownerPid === spoolers.web1 ? ['web1', 'web2'] : ['web2', 'web1'];
  assert.equal(ownerPid, spoolers[victim], `lease owner ${owner}, spoolers ${JSON.stringify(spoolers)}`);
  const killedAt = Date.now();
  process.kill(spoolers[victim], 'SIGKILL');  // the spooler only: its child leads a group of its own
  await until('the spooler to die', () => !alive(spoolers[victim]));
  await until('its child to die with it', () => !alive(childPid), 5000);
  await until('the task to complete', () => row(id, 'status') === 'completed', 30000);
  const tookS = (Date.now() - killedAt) / 1000;
  assert.equal(row(id, "attempts, result->>'attempt'"), '2|2');
  assert.deepEqual(readFileSync(`${marker}.runs`, 'utf8').trim().split('\n'), ['run 2'], 'run once more, once');
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_type = 'task' AND target_id = '${id}' ORDER BY id`),
    ['task.create', 'task.claim', 'task.reap', 'task.claim', 'task.complete']);
  const otherLog = readFileSync(path.join(DIR, other, 'log', 'spooler.log'), 'utf8');
  assert.match(otherLog, new RegExp(`task ${id} \\(spool_test\\): completed`), `${other}'s spooler ran it`);
  assert.ok(tookS >= 2, `re-run ${tookS} s after the kill: not before the 3 s lease expired`);
  console.log(`${victim}'s spooler killed; ${other}'s completed the task ${tookS.toFixed(1)} s later`);

  const out = cluster('up', '--no-build');
  assert.match(out, /^spooler: started/m);
  assert.ok(alive(spoolerPid(victim)));
});
