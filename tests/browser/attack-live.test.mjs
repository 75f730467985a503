// Cross-origin reads of the live stream in a real browser (issue 17, item 2):
// a signed-in victim opens a page served from another origin (another port
// on 127.0.0.1, so the login cookie still goes along: same site). That page
// tries EventSource with credentials, fetch with credentials and a WebSocket
// against the victim's session while messages are published: it must read
// nothing. The same script run on a page of Stint itself reads them all, so
// the probe is known to work. And a viewer's open live page ends (item 4)
// when the owner removes the share.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { api, BASE, makeUser, sleep } from '../integration/lib.mjs';
import { launch, newPage, login } from './browser.mjs';

let browser;
let page;
let evil;        // the other origin's server
let victim;
let sid;

/* The probe: opens the three transports on the session and records what it read in window.stolen. */
function probe({ base, sid: id }) {
  window.stolen = [];
  window.failures = [];
  const url = `${base}/live/sessions/${id}`;
  const es = new EventSource(url, { withCredentials: true });
  es.addEventListener('pose_updated', (ev) => window.stolen.push(`sse ${ev.data}`));
  es.onmessage = (ev) => window.stolen.push(`sse ${ev.data}`);
  es.onerror = () => window.failures.push('sse error');
  (async () => {
    try {
      const res = await fetch(url, { credentials: 'include', headers: { accept: 'text/event-stream' } });
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = dec.decode(value);
        if (text.includes('data:')) window.stolen.push(`fetch ${text}`);
      }
    } catch (err) {
      window.failures.push(`fetch ${err.message}`);
    }
  })();
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'ws+meta.nchan');
  ws.onmessage = (ev) => window.stolen.push(`ws ${ev.data}`);
  ws.onerror = () => window.failures.push('ws error');
  window.stop = () => { es.close(); ws.close(); };
}

async function publish(frame) {
  const r = await api('POST', `/api/v1/sessions/${sid}/live`, {
    json: { type: 'pose_update', data: { timestamp: frame, frame, keypoints: [{ x: 1, y: 2, confidence: 0.5 }] } },
    token: victim.token,
  });
  assert.equal(r.status, 202, r.text);
}

/** Runs the probe on the page now open, publishes two frames; returns { stolen, failures }. */
async function runProbe() {
  await page.evaluate(probe, { base: BASE, sid });
  await sleep(1500);
  await publish(1);
  await publish(2);
  await sleep(1500);
  const out = await page.evaluate(() => ({ stolen: window.stolen, failures: window.failures }));
  await page.evaluate(() => window.stop());
  return out;
}

before(async () => {
  victim = makeUser('coach');
  const s = await api('POST', '/api/v1/sessions', { json: { title: 'attack-live browser' }, token: victim.token });
  assert.equal(s.status, 201, s.text);
  sid = s.body.id;
  evil = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Free prizes</title><p>Nothing to see here.</p>');
  });
  await new Promise((r) => evil.listen(0, '127.0.0.1', r));
  browser = await launch();
  page = await newPage(browser.context);
  await login(page, victim.email, victim.password);
});

after(async () => {
  await browser?.close();
  evil?.close();
});

test('a page on another origin reads nothing of a signed-in victim\'s live stream', async () => {
  const origin = `http://127.0.0.1:${evil.address().port}`;
  assert.notEqual(origin, BASE);
  await page.goto(`${origin}/`);
  const { stolen, failures } = await runProbe();
  assert.deepEqual(stolen, [], 'nothing read over EventSource, fetch or WebSocket');
  assert.ok(failures.includes('sse error'), `EventSource failed: ${failures}`);
  assert.ok(failures.some((f) => f.startsWith('fetch ')), `fetch failed: ${failures}`);
  assert.ok(failures.includes('ws error'), `WebSocket failed: ${failures}`);
});

test('the same probe on Stint\'s own origin reads the stream (the probe works)', async () => {
  await page.goto(`${BASE}/`);
  const { stolen } = await runProbe();
  for (const kind of ['sse', 'fetch', 'ws']) {
    assert.ok(stolen.some((s) => s.startsWith(`${kind} `) && /"frame": ?2\b/.test(s)), `${kind} read: ${stolen}`);
  }
});

test('a viewer\'s open live page ends when the owner removes the share', async () => {
  const viewer = makeUser('analyst');
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`,
    { json: { email: viewer.email, role: 'viewer' }, token: victim.token });
  assert.equal(share.status, 200, share.text);
  const other = await launch();
  try {
    const vpage = await newPage(other.context);
    await login(vpage, viewer.email, viewer.password);
    await vpage.goto(`${BASE}/sessions/${sid}/live`);
    await vpage.locator('#live-state[data-state="live"]').waitFor({ timeout: 10000 });
    const shares = (await api('GET', `/api/v1/sessions/${sid}/shares`, { token: victim.token })).body;
    const uid = shares.find((s) => s.email === viewer.email).user_id;
    assert.equal((await api('DELETE', `/api/v1/sessions/${sid}/shares/${uid}`, { token: victim.token })).status, 204);
    await vpage.locator('#live-state[data-state="ended"]').waitFor({ timeout: 10000 });
    assert.equal(await vpage.locator('#live-state').textContent(), 'Ended');
  } finally {
    await other.close();
  }
});
