// What users see when parts of the stack fail: a killed worker costs at
// most its own request; a database outage gives 503 + Retry-After (JSON)
// or a "temporarily unavailable" page, never a 500, and nothing is
// half-written; everything recovers when the database is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { api, Browser, stint, PREFIX, sleep } from './lib.mjs';

function workers(pool) {
  const master = readFileSync(path.join(PREFIX, 'run', `${pool}.pid`), 'utf8').trim();
  try {
    return execFileSync('pgrep', ['-P', master], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

test('a worker killed with SIGKILL is replaced and no request fails', async () => {
  const before = workers('sessions');
  assert.ok(before.length >= 2, `the pool runs several workers (${before.length})`);
  process.kill(Number(before[0]), 'SIGKILL');
  for (let i = 0; i < 40; i++) {
    assert.equal((await api('GET', '/api/v1/sessions?limit=1')).status, 200);
  }
  for (let i = 0; i < 50 && workers('sessions').length < before.length; i++) await sleep(100);
  const after = workers('sessions');
  assert.equal(after.length, before.length, 'the pool is back to full size');
  assert.ok(!after.includes(before[0]));
});

test('PostgreSQL stopped and restarted under requests', { timeout: 60000 }, async () => {
  const browser = await new Browser().login();
  const seen = new Map();
  let running = true;
  const load = (async () => {
    while (running) {
      const r = await api('GET', '/api/v1/sessions?limit=5');
      seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
      await sleep(10); // a steady client, well under the per-IP rate limit
    }
  })();
  await sleep(300);
  stint('pg', 'stop');
  try {
    const list = await api('GET', '/api/v1/sessions');
    assert.equal(list.status, 503);
    assert.equal(list.headers.get('retry-after'), '5');
    assert.equal(list.body.error.code, 'unavailable');
    const tag = `down${Date.now()}`;
    const create = await api('POST', '/api/v1/sessions', { json: { title: tag } });
    assert.equal(create.status, 503);
    const page = await browser.get('/');
    assert.equal(page.status, 503);
    assert.match(page.html, /Temporarily unavailable/);
    assert.equal((await api('GET', '/readyz')).status, 503);
    assert.equal((await api('GET', '/healthz')).status, 200);
    await sleep(500);
    stint('pg', 'start');
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await api('GET', '/readyz')).status;
      if (ready !== 200) await sleep(100);
    }
    assert.equal(ready, 200);
    await sleep(300);
    running = false;
    await load;
    assert.equal((await api('GET', `/api/v1/sessions?q=${tag}`)).body.total, 0, 'nothing half-written');
    assert.equal((await api('POST', '/api/v1/sessions', { json: { title: tag } })).status, 201);
    const statuses = [...seen.keys()].sort();
    assert.ok(statuses.every((s) => s === 200 || s === 503), `only 200 and 503 seen: ${statuses}`);
    assert.ok(seen.get(200) > 0 && seen.get(503) > 0);
  } finally {
    running = false;
    try { stint('pg', 'start'); } catch { /* already running */ }
  }
});
