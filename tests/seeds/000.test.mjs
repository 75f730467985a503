// seeds/000.test.mjs: seed 000 (VolleySense's session module, ../shared/seeds/000_*.txt) as its own
// clients would use Stint (docs/compat.md, "Seed 000"). Its Python SessionService's calls map onto
// /api/v1 (a token beside the base URL); its HTMX snippets run in a browser signed in to Stint and
// call the /_api/sessions fragments. The seed's documented calls, in its order, with its payloads:
//    1. service.list_sessions()                                  -> GET /api/v1/sessions
//    2. hx-get="/_api/sessions/ui/dashboard" (hx-trigger load)   -> the dashboard fragment
//    3. hx-post="/_api/sessions" hx-vals='{"title": "My Session", "venue": "Court 1"}'
//    4. hx-get="/_api/sessions/ui/editor/{{ session.id }}"       -> the editor fragment
//    5. create_session(SessionCreate(title="Training Session", venue="Gym A"))
//    6. add_clip(session_id, ClipCreate(path="uploads/training_rally.mp4", duration_sec=45.0,
//       meta={"quality": "1080p"}))                             -> POST .../clips {path, ...}
//    7. add_events(session_id, clip_id, [serve A "12" {"serve_type": "jump"},
//       attack B "8" {"attack_zone": "4"}])                      -> POST .../events
//    8. get_rollup(session_id)                                   -> GET .../rollup
//    9. export_csv(session_id, "exports/")                       -> GET .../export/events.csv
//   10. load_session(session_id): session_data["clips"], ["rollup_summary"] -> GET /api/v1/sessions/{id}
//   11. list_sessions(limit=batch_size, offset=offset) until empty
//   12. hx-get="/_api/sessions/{{ session_id }}" hx-trigger="every 5s" hx-swap="outerHTML":
//       "{{ session.title }} - {{ rollup_summary.total_events }} events"
//   13. attach_artifact(session_id, artifact_type="heatmap", file_path=...,
//       metadata={"clip_id": clip_id, "generated_at": ...})   -> POST .../artifacts/upload
//   14. compare_sessions(service, session_ids): get_rollup of each, entries' team_side, number,
//       event_type, count
//   15. load_session of a missing id: NotFoundError             -> 404
//   16. rebuild_rollup(session_id)                              -> POST .../rollup/rebuild
//   17. EventIn(t_sec=30.0, event_type="custom_rotation", payload={...}) ("Custom Event Types")
//   18. SessionCreate(title="Match", meta={... nested ...}) ("Extending Session Metadata")
// Call 7 sends actor_number as the seed does, a string ("12"): Stint takes only an integer until
// branch `number` (issue 14, another helper) lands; 8, 9, 10, 12 and 14 read what 7 added.
// Then what the compatibility layer must refuse: HTMX writes from another origin or without HX-Request,
// a form without its token, and clip paths outside the import folder.
//
// Run against a stack: bin/stint test seeds/000
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { BASE, Browser, PREFIX, REPO, api, makeUser } from '../integration/lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const MP4 = path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4');
const IMPORT = path.join(PREFIX ?? '', 'import');  // the import folder: the setting import_dir, default VAR_DIR/import
const coach = makeUser('coach');
const fx = {};

/* An HTMX request as htmx 1.x/2.x sends it from a Stint page: HX-Request, HX-Current-URL, the page's Origin. */
async function hx(b, method, url, { vals, origin = BASE, hxRequest = true } = {}) {
  const headers = { cookie: b.cookieHeader(), 'hx-current-url': `${BASE}/` };
  if (hxRequest) headers['hx-request'] = 'true';
  if (origin) headers.origin = origin;
  const init = { method, headers, redirect: 'manual' };
  if (vals) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(vals).toString();
  }
  const res = await fetch(BASE + url, init);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/* A fragment: HTML for a swap, no document around it (no layout, no <html>, no header). */
function assertFragment(r) {
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.doesNotMatch(r.html, /<!DOCTYPE|<html|<head|<header class="top"/i, 'no layout around a fragment');
}

const seedApi = (method, url, opts = {}) => api(method, url, { token: coach.token, ...opts });

test('before: the browser signs in; the import folder holds uploads/training_rally.mp4', async () => {
  fx.browser = await new Browser().login(coach.email, coach.password);
  mkdirSync(path.join(IMPORT, 'uploads'), { recursive: true });
  copyFileSync(MP4, path.join(IMPORT, 'uploads', 'training_rally.mp4'));
});

test('1. list_sessions(): GET /api/v1/sessions', async () => {
  const r = await seedApi('GET', '/api/v1/sessions');
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.body.items));
});

test('2. hx-get="/_api/sessions/ui/dashboard": the dashboard\'s content, without the layout', async () => {
  const r = await hx(fx.browser, 'GET', '/_api/sessions/ui/dashboard');
  assert.equal(r.status, 200, r.html);
  assertFragment(r);
  assert.match(r.html, /<h1>Sessions<\/h1>/);
  // the same template as the page: the page has this content inside its layout
  const page = await fx.browser.get('/');
  assert.match(page.html, /<!DOCTYPE html>/);
  assert.ok(page.html.includes('<h1>Sessions</h1>'));
});

test('3. hx-post="/_api/sessions" with hx-vals: a session created (2xx, so showToast runs)', async () => {
  const r = await hx(fx.browser, 'POST', '/_api/sessions', { vals: { title: 'My Session', venue: 'Court 1' } });
  assert.equal(r.status, 201, r.html);
  assertFragment(r);
  const id = r.headers.get('location').match(/^\/sessions\/([0-9a-f-]{36})$/)[1];
  const s = await seedApi('GET', `/api/v1/sessions/${id}`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.title, 'My Session');
  assert.equal(s.body.venue, 'Court 1');
  fx.htmxSession = id;
});

test('4. hx-get="/_api/sessions/ui/editor/{{ session.id }}": the editor\'s content for #modal-content', async () => {
  const r = await hx(fx.browser, 'GET', `/_api/sessions/ui/editor/${fx.htmxSession}`);
  assert.equal(r.status, 200, r.html);
  assertFragment(r);
  assert.match(r.html, /<h1>My Session<\/h1>/);
  assert.match(r.html, /id="editor"/);
  const missing = await hx(fx.browser, 'GET', '/_api/sessions/ui/editor/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status, 404);
  assertFragment(missing);
});

test('5. create_session(SessionCreate(title="Training Session", venue="Gym A"))', async () => {
  const r = await seedApi('POST', '/api/v1/sessions', { json: { title: 'Training Session', venue: 'Gym A' } });
  assert.equal(r.status, 201, r.text);
  fx.id = r.body.id;
});

test('6. add_clip(ClipCreate(path="uploads/training_rally.mp4", duration_sec=45.0, meta={"quality": "1080p"}))', async () => {
  const r = await seedApi('POST', `/api/v1/sessions/${fx.id}/clips`,
    { json: { path: 'uploads/training_rally.mp4', duration_sec: 45.0, meta: { quality: '1080p' } } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.kind, 'video', 'the kind the probe found');
  assert.equal(r.body.duration_sec, 45);
  assert.deepEqual(r.body.meta, { quality: '1080p' });
  assert.match(r.body.path, new RegExp(`^media/${fx.id}/[0-9a-f]{32}\\.mp4$`), 'copied into the session\'s folder');
  assert.equal(r.body.content_type, 'video/mp4');
  fx.clip = r.body.id;
  const file = await fetch(`${BASE}/media/sessions/${fx.id}/clips/${fx.clip}`, { headers: { authorization: `Bearer ${coach.token}` } });
  assert.equal(file.status, 200);
  assert.equal(Number(file.headers.get('content-length')), 3805282);
  await file.arrayBuffer();
});

test('7. add_events(session_id, clip_id, events): actor_number "12" and "8" as the seed sends them', async () => {
  const events = [
    { t_sec: 2.0, event_type: 'serve', actor_team: 'A', actor_number: '12', payload: { serve_type: 'jump' } },
    { t_sec: 5.5, event_type: 'attack', actor_team: 'B', actor_number: '8', payload: { attack_zone: '4' } },
  ].map((e) => ({ clip_id: fx.clip, ...e }));
  const r = await seedApi('POST', `/api/v1/sessions/${fx.id}/events`, { json: { events } });
  assert.equal(r.status, 201, `waits on branch number (actor_number as text): ${r.text}`);
});

test('8. get_rollup(session_id): the entries the seed reads (team_side, number, event_type, count)', async () => {
  const r = await seedApi('GET', `/api/v1/sessions/${fx.id}/rollup`);
  assert.equal(r.status, 200, r.text);
  const rows = r.body.rows.map((e) => `${e.team_side}-${e.number} ${e.event_type} ${e.count}`);
  assert.deepEqual(rows, ['A-12 serve 1', 'B-8 attack 1']);
});

test('9. export_csv(session_id, "exports/"): the events as CSV', async () => {
  const r = await seedApi('GET', `/api/v1/sessions/${fx.id}/export/events.csv`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const lines = r.text.trim().split(/\r\n/);
  assert.equal(lines[0], 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload');
  assert.equal(lines.length, 3, r.text);
  assert.ok(lines[1].startsWith(`${fx.clip},2,serve,A,12,`), lines[1]);
  const rollup = await seedApi('GET', `/api/v1/sessions/${fx.id}/export/rollup.csv`);
  assert.equal(rollup.status, 200);
});

test('10. load_session(session_id): session_data["clips"] to iterate, session_data["rollup_summary"]', async () => {
  const r = await seedApi('GET', `/api/v1/sessions/${fx.id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.clips.map((c) => c.id), [fx.clip]);
  assert.equal(r.body.clips[0].meta.quality, '1080p');
  assert.equal(r.body.rollup_summary.total_events, 2);
  assert.equal(r.body.rollup_summary.serve, 1);
});

test('11. list_sessions(limit=10, offset=offset) until a page is empty', async () => {
  const seen = new Set();
  for (let offset = 0; ; offset += 10) {
    const r = await seedApi('GET', `/api/v1/sessions?limit=10&offset=${offset}`);
    assert.equal(r.status, 200, r.text);
    if (r.body.items.length === 0) break;
    for (const s of r.body.items) seen.add(s.id);
  }
  assert.ok(seen.has(fx.id) && seen.has(fx.htmxSession));
});

test('12. hx-get="/_api/sessions/{{ session_id }}" every 5s, outerHTML: "title - N events", still polling', async () => {
  const r = await hx(fx.browser, 'GET', `/_api/sessions/${fx.id}`);
  assert.equal(r.status, 200, r.html);
  assertFragment(r);
  assert.match(r.html, /Training Session - 2 events/);
  // outerHTML replaces the polling element: the new one polls on
  assert.ok(r.html.includes(`hx-get="/_api/sessions/${fx.id}"`) && r.html.includes('hx-trigger="every 5s"'), r.html);
  // the editor page shows the same line, from the same template
  const page = await fx.browser.get(`/sessions/${fx.id}`);
  assert.match(page.html, /Training Session - 2 events/);
});

test('13. attach_artifact(session_id, "heatmap", file_path, metadata={"clip_id", "generated_at"})', async () => {
  const metadata = { clip_id: fx.clip, generated_at: new Date().toISOString().replace('Z', '') };
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const q = new URLSearchParams({ type: 'heatmap', name: 'heatmap.png', clip_id: String(fx.clip),
    meta: JSON.stringify(metadata) });
  const r = await seedApi('POST', `/api/v1/sessions/${fx.id}/artifacts/upload?${q}`,
    { body: png, headers: { 'content-type': 'image/png' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.type, 'heatmap');
  assert.equal(r.body.clip_id, fx.clip);
  assert.deepEqual(r.body.meta, metadata);
  fx.artifact = r.body.id;
  const list = await seedApi('GET', `/api/v1/sessions/${fx.id}/artifacts`);
  assert.deepEqual(list.body.map((a) => [a.id, a.clip_id]), [[fx.artifact, fx.clip]]);
  // a clip of another session, or a meta that is not an object, is refused naming the field
  const other = await seedApi('POST', `/api/v1/sessions/${fx.htmxSession}/artifacts/upload?${q}`,
    { body: png, headers: { 'content-type': 'image/png' } });
  assert.equal(other.status, 422, other.text);
  assert.ok('clip_id' in other.body.error.fields);
  for (const meta of ['[1]', '{"a":', '{"a":{"b":1,"b":2}}', '{"a":"\\u0000"}', `{"a":"${'x'.repeat(4096)}"}`]) {
    const q2 = new URLSearchParams({ type: 'heatmap', name: 'h.png', meta });
    const bad = await seedApi('POST', `/api/v1/sessions/${fx.id}/artifacts/upload?${q2}`,
      { body: png, headers: { 'content-type': 'image/png' } });
    assert.equal(bad.status, 422, `${meta.slice(0, 30)}: ${bad.text}`);
    assert.ok('meta' in bad.body.error.fields);
  }
});

test('14. compare_sessions(service, [two sessions]): get_rollup of each, summed per "team-number"', async () => {
  const second = await seedApi('POST', '/api/v1/sessions', { json: { title: 'Second', venue: 'Gym A' } });
  await seedApi('POST', `/api/v1/sessions/${second.body.id}/events`, { json: { events: [
    { t_sec: 1, event_type: 'serve', actor_team: 'A', actor_number: '12' }] } });
  const comparison = {};
  for (const id of [fx.id, second.body.id]) {
    const rollup = (await seedApi('GET', `/api/v1/sessions/${id}/rollup`)).body;
    for (const entry of rollup.rows) {
      const key = `${entry.team_side}-${entry.number}`;
      comparison[key] ??= {};
      comparison[key][entry.event_type] = (comparison[key][entry.event_type] ?? 0) + entry.count;
    }
  }
  assert.deepEqual(comparison, { 'A-12': { serve: 2 }, 'B-8': { attack: 1 } });
});

test('15. load_session of an id that does not exist: NotFoundError (404)', async () => {
  const r = await seedApi('GET', '/api/v1/sessions/00000000-0000-4000-8000-000000000000');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'not_found');
});

test('16. rebuild_rollup(session_id): the same rollup again', async () => {
  const before = (await seedApi('GET', `/api/v1/sessions/${fx.id}/rollup`)).body;
  const r = await seedApi('POST', `/api/v1/sessions/${fx.id}/rollup/rebuild`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await seedApi('GET', `/api/v1/sessions/${fx.id}/rollup`)).body, before);
});

test('17. a custom event type: EventIn(t_sec=30.0, event_type="custom_rotation", payload)', async () => {
  const r = await seedApi('POST', `/api/v1/sessions/${fx.id}/events`, { json: { events: [
    { t_sec: 30.0, event_type: 'custom_rotation', payload: { from_position: 'MB', to_position: 'RS' } }] } });
  assert.equal(r.status, 201, r.text);
  const s = await seedApi('GET', `/api/v1/sessions/${fx.htmxSession}`);
  assert.equal(s.status, 200);
});

test('18. SessionCreate(title="Match", meta={...}): nested metadata kept as sent', async () => {
  const meta = { tournament: 'Nationals 2024', round: 'Quarterfinals', weather: 'Indoor', court_type: 'hardwood',
    referee: 'John Doe', custom_analytics: { ai_model_version: '2.1.0', confidence_threshold: 0.85 } };
  const r = await seedApi('POST', '/api/v1/sessions', { json: { title: 'Match', meta } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual((await seedApi('GET', `/api/v1/sessions/${r.body.id}`)).body.meta, meta);
});

// --- what the compatibility layer refuses ---------------------------------------------------------

test('signed out, a fragment htmx asks for is 401 with HX-Redirect to the login page, back to the page', async () => {
  const anon = new Browser();
  const r = await fetch(`${BASE}/_api/sessions/${fx.id}`, { redirect: 'manual',
    headers: { 'hx-request': 'true', 'hx-current-url': `${BASE}/sessions/${fx.id}` } });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('hx-redirect'), `/login?next=${encodeURIComponent(`/sessions/${fx.id}`)}`);
  assert.doesNotMatch(await r.text(), /<html/i);
  const foreign = await fetch(`${BASE}/_api/sessions/ui/dashboard`, { redirect: 'manual',
    headers: { 'hx-request': 'true', 'hx-current-url': 'https://evil.example/x' } });
  assert.equal(foreign.headers.get('hx-redirect'), '/login?next=%2F', 'never back to another site');
  // without htmx, as every page: the redirect to sign in
  const plain = await anon.get(`/_api/sessions/ui/dashboard`);
  assert.equal(plain.status, 303);
  assert.match(plain.headers.get('location'), /^\/login\?next=/);
});

test('CSRF: an HTMX POST from another origin, or without HX-Request, or with no origin at all: 403', async () => {
  const b = fx.browser;
  const vals = { title: 'Forged', venue: 'Elsewhere' };
  const foreign = await hx(b, 'POST', '/_api/sessions', { vals, origin: 'https://evil.example' });
  assert.equal(foreign.status, 403, foreign.html);
  const noHeader = await hx(b, 'POST', '/_api/sessions', { vals, hxRequest: false });
  assert.equal(noHeader.status, 403, noHeader.html);
  assert.match(noHeader.html, /HX-Request/);
  const noOrigin = await hx(b, 'POST', '/_api/sessions', { vals, origin: null });
  assert.equal(noOrigin.status, 403, noOrigin.html);
  // the form token does not stand in for HX-Request + Origin here ...
  const withToken = await hx(b, 'POST', '/_api/sessions', { vals: { ...vals, csrf: b.cookies.get('stint_csrf') },
    hxRequest: false });
  assert.equal(withToken.status, 403);
  const list = await seedApi('GET', '/api/v1/sessions?q=Forged');
  assert.equal(list.body.total, 0, 'nothing was created');
});

test('CSRF: ordinary forms keep their token: a form POST without it is 403, even with HX-Request', async () => {
  const b = fx.browser;
  await b.get('/');
  const plain = await b.post('/sessions', { title: 'No token' }, { csrf: null });
  assert.equal(plain.status, 403);
  const res = await fetch(`${BASE}/sessions`, { method: 'POST', redirect: 'manual', body: 'title=No+token',
    headers: { cookie: b.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded',
      'hx-request': 'true', origin: BASE } });
  assert.equal(res.status, 403, 'HX-Request does not replace a form\'s token');
  const ok = await b.post('/sessions', { title: 'With token' });
  assert.equal(ok.status, 303);
});

test('clip paths: only inside the import folder (realpath; links leading out refused), probed as uploads', async () => {
  mkdirSync(path.join(IMPORT, 'links'), { recursive: true });
  rmSync(path.join(IMPORT, 'links', 'out.mp4'), { force: true });
  symlinkSync(MP4, path.join(IMPORT, 'links', 'out.mp4'));              // a link leading out
  rmSync(path.join(IMPORT, 'links', 'in.mp4'), { force: true });
  symlinkSync('../uploads/training_rally.mp4', path.join(IMPORT, 'links', 'in.mp4'));  // one staying inside
  writeFileSync(path.join(IMPORT, 'uploads', 'notes.mp4'), 'not a video at all');
  const add = (p) => seedApi('POST', `/api/v1/sessions/${fx.id}/clips`, { json: { path: p } });
  for (const p of ['../import/uploads/training_rally.mp4', '/etc/passwd', 'uploads/../../csrf-secret',
    'links/out.mp4', 'uploads/missing.mp4', 'uploads/notes.mp4', 'uploads']) {
    const r = await add(p);
    assert.equal(r.status, 422, `${p}: ${r.text}`);
    assert.ok('path' in r.body.error.fields, `${p}: ${r.text}`);
  }
  const inside = await add('links/in.mp4');
  assert.equal(inside.status, 201, inside.text);
  assert.equal(inside.body.duration_sec > 0, true, 'the probed duration when none is sent');
  assert.equal(inside.body.title, 'links/in.mp4', 'the path as title when none is sent');
  // an artifact of that clip stays when the clip goes, unlinked from it
  const q = new URLSearchParams({ type: 'notes', name: 'n.txt', clip_id: String(inside.body.id) });
  const art = await seedApi('POST', `/api/v1/sessions/${fx.id}/artifacts/upload?${q}`,
    { body: Buffer.from('notes'), headers: { 'content-type': 'text/plain' } });
  assert.equal(art.status, 201, art.text);
  assert.equal((await seedApi('DELETE', `/api/v1/sessions/${fx.id}/clips/${inside.body.id}`)).status, 204);
  const kept = await seedApi('GET', `/api/v1/sessions/${fx.id}/artifacts/${art.body.id}`);
  assert.equal(kept.status, 200);
  assert.equal(kept.body.clip_id, null);
  const both = await seedApi('POST', `/api/v1/sessions/${fx.id}/clips`,
    { json: { path: 'uploads/training_rally.mp4', uri: 'https://example.com/a.mp4', kind: 'video' } });
  assert.equal(both.status, 422);
});
