// hosts.test.mjs (issue 21, Must show 1): the two web hosts of `bin/stint cluster` share everything
// a user sees. A session written through host 1 reads back through host 2, by token and by a
// sign-in cookie made on host 1 (sessions and the CSRF key are the cluster's, not a host's); a live
// subscriber on host 2 receives, in order and without loss, every message published through host 1
// (nchan on both hosts keeps its channels in the one redis: nchan_redis_pass); a clip uploaded
// through host 1 (tus) is an object in the media bucket, on neither host's disk, and plays through
// host 2 with Range; the front answers.
//
// Run: bin/stint test cluster/hosts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN, REPO, sql } from '../integration/lib.mjs';
import { DIR, FRONT, WEB1, WEB2, call, cluster, subscribeAt } from './lib.mjs';

const TAG = `hosts${randomBytes(4).toString('hex')}`;

test('bin/stint cluster status lists every part up: front, two web hosts, primary with a sync standby, redis, s3', () => {
  const out = cluster('status');
  for (const part of ['front', 'web1', 'web2']) assert.match(out, new RegExp(`^${part} +\\S+ +\\d+ +running, /readyz HTTP 200$`, 'm'));
  assert.match(out, /^pg\d +\S+ +\d+ +running, primary, standby pg\d sync$/m);
  assert.match(out, /^pg\d +\S+ +\d+ +running, standby \(in recovery\)$/m);
  assert.match(out, /^redis +\S+ +\d+ +running$/m);
  assert.match(out, /^s3 +\S+ +\d+ +running$/m);
});

test('a session written through host 1 reads back through host 2 and through the front', async () => {
  const made = await call(WEB1, 'POST', '/api/v1/sessions', { json: { title: `${TAG} written on 1`, kind: 'climb' } });
  assert.equal(made.status, 201, made.text);
  for (const base of [WEB2, FRONT]) {
    const got = await call(base, 'GET', `/api/v1/sessions/${made.body.id}`);
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.body, made.body);
  }
  const patched = await call(WEB2, 'PATCH', `/api/v1/sessions/${made.body.id}`, { json: { title: `${TAG} renamed on 2` } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal((await call(WEB1, 'GET', `/api/v1/sessions/${made.body.id}`)).body.title, `${TAG} renamed on 2`);
});

test('signed in on host 1, the cookie opens pages and passes the CSRF check on host 2', async () => {
  const jar = new Map();
  const keep = (res) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  keep(await fetch(`${WEB1}/login`, { redirect: 'manual' }));
  const form = new URLSearchParams({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '/', csrf: jar.get('stint_csrf') });
  const login = await fetch(`${WEB1}/login`, { method: 'POST', body: form.toString(), redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(login.status, 303);
  keep(login);
  const made = await call(WEB1, 'POST', '/api/v1/sessions', { json: { title: `${TAG} page` } });
  const page = await fetch(`${WEB2}/sessions/${made.body.id}`, { headers: { cookie: cookie() }, redirect: 'manual' });
  assert.equal(page.status, 200);
  assert.match(await page.text(), new RegExp(`${TAG} page`));
  const write = await fetch(`${WEB2}/api/v1/sessions/${made.body.id}`, { method: 'PATCH', redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/json', 'x-csrf-token': jar.get('stint_csrf') },
    body: JSON.stringify({ title: `${TAG} page, by cookie on 2` }) });
  assert.equal(write.status, 200, await write.text());
});

test('a live subscriber on host 2 receives, in order and without loss, 200 messages published through host 1', async () => {
  const s = await call(WEB1, 'POST', '/api/v1/sessions', { json: { title: `${TAG} live`, kind: 'climb' } });
  assert.equal(s.status, 201);
  const sub = await subscribeAt(WEB2, s.body.id);
  assert.equal(sub.status, 200);
  const n = 200;
  for (let i = 0; i < n; i++) {
    const r = await call(WEB1, 'POST', `/api/v1/sessions/${s.body.id}/live`, { json: { type: 'climb_update',
      data: { holds: [{ id: `h${i}`, type: 'normal', status: 'completed', time: '2026-11-22T10:00:00Z' }] } } });
    assert.equal(r.status, 202, r.text);
  }
  const got = await sub.waitFor(n, 15000);
  sub.close();
  assert.equal(got.length, n, `received ${got.length} of ${n}`);
  assert.deepEqual(got.map((m) => m.event), Array(n).fill('climb_updated'));
  const seqs = got.map((m) => m.data.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), 'consecutive seq, in order');
  assert.deepEqual(got.map((m) => m.data.data.holds.at(-1).id), Array.from({ length: n }, (_, i) => `h${i}`));
});

test('a clip uploaded through host 1 is in the media bucket, on no host\'s disk, and plays through host 2 with Range', async () => {
  const mp4 = readFileSync(path.join(process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data'),
    'volleyball', '2019_03_01-KATS-BEDS-clip.mp4'));
  const s = await call(WEB1, 'POST', '/api/v1/sessions', { json: { title: `${TAG} clip` } });
  assert.equal(s.status, 201, s.text);
  const tus = { 'tus-resumable': '1.0.0', authorization: `Bearer ${ADMIN_TOKEN}` };
  const up = await fetch(`${WEB1}/api/v1/sessions/${s.body.id}/uploads`, { method: 'POST', headers: { ...tus,
    'upload-length': String(mp4.length), 'upload-metadata': `kind ${Buffer.from('video').toString('base64')}` } });
  assert.equal(up.status, 201, await up.text());
  const half = mp4.length >> 1;
  for (const [from, to] of [[0, half], [half, mp4.length]]) {
    const r = await fetch(WEB1 + up.headers.get('location'), { method: 'PATCH', body: mp4.subarray(from, to),
      headers: { ...tus, 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' } });
    assert.equal(r.status, 204, await r.text());
    if (to === mp4.length) s.clip = r.headers.get('stint-clip');
  }
  const clip = await call(WEB2, 'GET', s.clip);
  assert.equal(clip.status, 200, clip.text);
  assert.deepEqual(sql(`SELECT storage FROM clips WHERE id = ${clip.body.id}`), ['s3']);
  for (const host of ['web1', 'web2']) {
    const dir = path.join(DIR, host, 'media', s.body.id);
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], [], `no copy on ${host}`);
  }
  const range = await fetch(WEB2 + clip.body.media_url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, range: 'bytes=1000-1999' } });
  assert.equal(range.status, 206);
  assert.equal(range.headers.get('content-range'), `bytes 1000-1999/${mp4.length}`);
  assert.ok(Buffer.from(await range.arrayBuffer()).equals(mp4.subarray(1000, 2000)), 'host 2 serves the bytes host 1 took');
  const whole = await fetch(FRONT + clip.body.media_url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.ok(Buffer.from(await whole.arrayBuffer()).equals(mp4), 'and the whole clip through the front');

  // through the front, every chunk of one upload reaches the host that holds its part file
  const viaFront = await fetch(`${FRONT}/api/v1/sessions/${s.body.id}/uploads`, { method: 'POST', headers: { ...tus,
    'upload-length': String(mp4.length), 'upload-metadata': `kind ${Buffer.from('video').toString('base64')}` } });
  assert.equal(viaFront.status, 201);
  const step = Math.ceil(mp4.length / 6);
  let last;
  for (let from = 0; from < mp4.length; from += step) {
    last = await fetch(FRONT + viaFront.headers.get('location'), { method: 'PATCH', body: mp4.subarray(from, from + step),
      headers: { ...tus, 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' } });
    assert.equal(last.status, 204, `chunk at ${from}: ${await last.text()}`);
  }
  assert.match(last.headers.get('stint-clip'), /\/clips\/\d+$/);
});
