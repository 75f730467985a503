// The per-address rate limit, sized for a room of analysts behind one NAT
// (docs/tagging.md): 20 editors on one address load the editor at once, then
// tag one match at 2 tags/s each, with rallies of 5 tags in a second, each
// refreshing its statistics once a second, as static/editor.js does. Against
// the stack's default limit (200 r/s, burst 400) no request is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BASE, Browser, createSession, sleep } from './lib.mjs';

const ANALYSTS = 20;
const SECONDS = 15;
const EDITOR_FILES = ['/static/stint.css', '/static/editor.js', '/static/recordings.js', '/static/feed.js',
  '/static/sort.js', '/static/tasks.js', '/static/clock.js', '/static/tagqueue.js', '/static/favicon.svg'];

test('20 analysts behind one address tag a match at once: no 429', async (t) => {
  const s = await createSession({ title: 'A room of analysts', kind: 'match', status: 'live' });
  const web = await new Browser().login();
  await web.get(`/sessions/${s.id}`);   // the CSRF cookie for the page's API calls
  const headers = { cookie: web.cookieHeader(), 'x-csrf-token': web.cookies.get('stint_csrf') };
  const statuses = new Map();
  const count = (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const get = async (url) => {
    const res = await fetch(BASE + url, { headers });
    await res.arrayBuffer();
    count(res.status);
  };
  let n = 0;
  const tag = async () => {
    const i = ++n;
    const res = await fetch(`${BASE}/api/v1/sessions/${s.id}/events`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': randomBytes(16).toString('hex') },
      body: JSON.stringify({ events: [{ t_sec: i / 10, event_type: 'attack', actor_team: i % 2 ? 'A' : 'B',
        actor_number: i % 14 + 1, payload: { evaluation: '#' } }] }),
    });
    await res.arrayBuffer();
    count(res.status === 201 ? 200 : res.status);
  };

  // the whole room opens the editor at the same moment
  await Promise.all(Array.from({ length: ANALYSTS }, () => Promise.all([
    get(`/sessions/${s.id}`), ...EDITOR_FILES.map(get), get(`/api/v1/sessions/${s.id}/events?limit=10000`),
    get(`/sessions/${s.id}/stats`)])));
  // then each tags at 2/s, a rally of 5 in a second every 5 s, statistics once a second
  const started = Date.now();
  await Promise.all(Array.from({ length: ANALYSTS }, async (_, a) => {
    await sleep(a * 25);
    for (let second = 0; second < SECONDS; second++) {
      const rally = second % 5 === a % 5;
      const tags = rally ? 5 : 2;
      const work = [get(`/sessions/${s.id}/stats`)];
      for (let k = 0; k < tags; k++) {
        work.push(sleep((1000 / tags) * k).then(tag));
      }
      await Promise.all([...work, sleep(1000)]);
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  const total = [...statuses.values()].reduce((x, y) => x + y, 0);
  t.diagnostic(`${total} requests (${n} tags) in ${seconds.toFixed(1)} s from one address: ` +
    `${[...statuses].map(([k, v]) => `${v} x ${k}`).join(', ')}`);
  assert.deepEqual([...statuses.keys()], [200], 'every request answered 200 (no 429)');
});
