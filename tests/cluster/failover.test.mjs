// failover.test.mjs (issue 21, Must show 4): the PostgreSQL primary (every process of it) killed
// with -9 while writes go on through the front. After `bin/stint cluster failover` (the standby
// promoted) every write acknowledged before the kill is there (synchronous_commit with a
// synchronous standby), and writes succeed again within 30 s of the kill, the web hosts having
// reconnected on their own (libpq multi-host, target_session_attrs=read-write). Then `cluster up`
// makes the lost node the new synchronous standby.
//
// Run: bin/stint test cluster/failover
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { sleep, sql } from '../integration/lib.mjs';
import { FRONT, call, cluster, killGroup, postmasterPid, roles } from './lib.mjs';

const TAG = `fo${randomBytes(4).toString('hex')}`;

test('primary killed with -9: after failover every acknowledged write is there, writes resume within 30 s', async () => {
  const { primary, standby } = roles();
  assert.ok(primary && standby, 'a primary and a standby');
  let stop = false;
  const acked = [];
  const failed = [];
  const writer = async (w) => {
    for (let i = 0; !stop; i++) {
      const r = await call(FRONT, 'POST', '/api/v1/sessions', { json: { title: `${TAG} ${w}${i}` } });
      if (r.status === 201) acked.push({ id: r.body.id, at: Date.now() });
      else {
        failed.push(r.status);
        await sleep(100);
      }
    }
  };
  const load = [writer('a'), writer('b'), writer('c')];
  await sleep(1500);
  const ackedBeforeKill = acked.length;
  const killedAt = Date.now();
  await killGroup(postmasterPid(primary));
  await sleep(500);
  const out = cluster('failover');
  assert.match(out, new RegExp(`^${standby}: promoted`, 'm'));
  const resumeBy = killedAt + 30000;
  while (!acked.some((a) => a.at > killedAt + 500) && Date.now() < resumeBy) await sleep(100);
  stop = true;
  await Promise.all(load);
  const resumed = acked.find((a) => a.at > killedAt + 500);
  assert.ok(resumed, `no write succeeded within 30 s of the kill (answers: ${[...new Set(failed)]})`);
  console.log(`${ackedBeforeKill} writes acknowledged before the kill; writes resumed ` +
    `${((resumed.at - killedAt) / 1000).toFixed(1)} s after it; ${failed.length} failed meanwhile (${[...new Set(failed)]})`);
  assert.ok(ackedBeforeKill > 5);
  assert.ok(failed.every((s) => s === 503 || s === 0 || s >= 500));

  const stored = new Set(sql(`SELECT id FROM sessions WHERE title LIKE '${TAG} %'`));
  const lost = acked.filter((a) => !stored.has(a.id));
  assert.deepEqual(lost, [], 'every acknowledged write is on the new primary');
  assert.deepEqual(roles(), { primary: standby, standby: '' });

  // the lost node comes back as the standby of the new primary
  cluster('up', '--no-build');
  assert.deepEqual(roles(), { primary: standby, standby: primary });
  const status = cluster('status');
  assert.match(status, new RegExp(`^${standby} +\\S+ +\\d+ +running, primary, standby ${primary} sync$`, 'm'));
  assert.match(status, new RegExp(`^${primary} +\\S+ +\\d+ +running, standby \\(in recovery\\)$`, 'm'));
  assert.equal((await call(FRONT, 'POST', '/api/v1/sessions', { json: { title: `${TAG} after` } })).status, 201);
});
