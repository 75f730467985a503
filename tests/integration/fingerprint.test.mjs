// Fingerprinted static addresses (issue 20): every /static/ reference of a
// page carries ?v=HASH, HASH the first 12 hex digits of the file's SHA-256,
// so the production nginx configuration can cache it for a year and a
// changed file gets a new address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSession, Browser, BASE, REPO } from './lib.mjs';

const hashOf = (name) => createHash('sha256').update(readFileSync(path.join(REPO, 'static', name))).digest('hex').slice(0, 12);

async function checkPage(html, where) {
  const refs = [...html.matchAll(/(?:src|href)="(\/static\/[^"]*)"/g)].map((m) => m[1]);
  assert.ok(refs.length > 0, `${where}: has /static/ references`);
  assert.equal([...html.matchAll(/\/static\//g)].length, refs.length, `${where}: every /static/ address is a src or href`);
  for (const ref of refs) {
    const m = ref.match(/^\/static\/([A-Za-z0-9._-]+)\?v=([0-9a-f]{12})$/);
    assert.ok(m, `${where}: ${ref} is fingerprinted`);
    assert.equal(m[2], hashOf(m[1]), `${where}: ${ref} carries the hash of static/${m[1]}`);
    const res = await fetch(BASE + ref);
    assert.equal(res.status, 200, `${where}: ${ref} fetches`);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), readFileSync(path.join(REPO, 'static', m[1])), `${ref} serves the file`);
  }
  return refs;
}

test('the sign-in page, dashboard and session editor reference static files by content hash', async () => {
  const b = new Browser();
  const login = await b.get('/login');
  assert.equal(login.status, 200);
  const seen = await checkPage(login.html, 'sign-in');
  assert.ok(seen.some((r) => r.startsWith('/static/stint.css?v=')), 'the layout\'s stylesheet');
  await b.login();
  const dash = await b.get('/');
  assert.equal(dash.status, 200);
  await checkPage(dash.html, 'dashboard');
  const s = await createSession({ title: 'Fingerprint' });
  const editor = await b.get(`/sessions/${s.id}`);
  assert.equal(editor.status, 200);
  const refs = await checkPage(editor.html, 'editor');
  for (const js of ['editor.js', 'upload.js'])
    assert.ok(refs.includes(`/static/${js}?v=${hashOf(js)}`), `editor loads ${js}`);
});
