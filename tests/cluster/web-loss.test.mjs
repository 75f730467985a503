// web-loss.test.mjs (issue 21, Must show 2): web host 1's nginx and handler pools killed with -9
// under read and write load through the front. Reads go on without one error (the front passes a
// failed GET to host 2: proxy_next_upstream; max_fails takes host 1 out); a write in flight may fail,
// and the client sends it again with its Idempotency-Key: every write is applied exactly once.
// `bin/stint cluster up` restarts what is missing and host 1 takes requests again.
//
// Run: bin/stint test cluster/web-loss
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { alive, sleep, sql } from '../integration/lib.mjs';
import { DIR, FRONT, WEB1, call, cluster, killGroup, webPids } from './lib.mjs';

const TAG = `loss${randomBytes(4).toString('hex')}`;
const accessLines = (host) => readFileSync(path.join(DIR, host, 'log', 'nginx-access.log'), 'utf8').split('\n').length;

test('host 1 killed with -9 under load: no read fails, no write applied twice; host 1 rejoins after up', async () => {
  const s = await call(FRONT, 'POST', '/api/v1/sessions', { json: { title: `${TAG} load` } });
  assert.equal(s.status, 201, s.text);
  const sid = s.body.id;
  let stop = false;
  const reads = { n: 0, errors: [] };
  const writes = { n: 0, inFlightFailures: 0, keys: [] };

  const reader = async () => {
    for (let i = 0; !stop; i++) {
      const url = i % 2 ? `/api/v1/sessions/${sid}` : `/api/v1/sessions/${sid}/events`;
      const r = await call(FRONT, 'GET', url);
      reads.n++;
      if (r.status !== 200) reads.errors.push(`${url}: ${r.status} ${r.error ?? r.text}`);
    }
  };
  const writer = async (w) => {
    for (let i = 0; !stop; i++) {
      const key = `${TAG}-${w}-${i}`;
      const json = [{ t_sec: i, event_type: 'load', payload: { key } }];
      for (let attempt = 0; ; attempt++) {
        const r = await call(FRONT, 'POST', `/api/v1/sessions/${sid}/events`, { json, headers: { 'idempotency-key': key } });
        writes.n++;
        if (r.status === 201 || r.status === 200) break;
        assert.ok(r.status === 0 || r.status >= 500, `a write answered ${r.status}: ${r.text}`);
        writes.inFlightFailures++;
        assert.ok(attempt < 50, `write ${key} kept failing: ${r.status} ${r.error ?? r.text}`);
        await sleep(100);
      }
      writes.keys.push(key);
    }
  };
  const load = [reader(), reader(), reader(), reader(), writer('a'), writer('b')];
  await sleep(1500);
  const victims = webPids('web1');
  assert.ok(victims.some((v) => v.name === 'nginx') && victims.length > 10, JSON.stringify(victims));
  const killedAt = reads.n;
  await Promise.all(victims.map((v) => killGroup(v.pid)));
  assert.ok(victims.every((v) => !alive(v.pid)));
  await sleep(3000);
  stop = true;
  await Promise.all(load);
  console.log(`reads ${reads.n} (${reads.n - killedAt} after the kill), writes ${writes.keys.length} ` +
    `(${writes.inFlightFailures} failed in flight and were sent again)`);
  assert.ok(reads.n - killedAt > 50, 'the load went on after the kill');
  assert.deepEqual(reads.errors, []);

  const rows = sql(`SELECT payload->>'key', count(*) FROM events WHERE session_id = '${sid}' GROUP BY 1 ORDER BY 1`);
  assert.equal(rows.length, writes.keys.length, 'every acknowledged write is stored');
  assert.deepEqual(rows.filter((r) => !r.endsWith('|1')), [], 'none twice');
  assert.deepEqual(rows.map((r) => r.split('|')[0]), [...writes.keys].sort());

  // host 1 comes back: up starts its nginx and pools, and the front sends it requests again
  const out = cluster('up', '--no-build');
  assert.match(out, /^nginx: started/m);
  assert.equal((await call(WEB1, 'GET', '/readyz', { token: null })).status, 200);
  const before = accessLines('web1');
  const deadline = Date.now() + 15000;
  while (accessLines('web1') === before && Date.now() < deadline) {
    assert.equal((await call(FRONT, 'GET', `/api/v1/sessions/${sid}`)).status, 200);
    await sleep(100);
  }
  assert.ok(accessLines('web1') > before, 'host 1 takes requests from the front again');
});
