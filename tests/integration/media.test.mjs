// A session's stored files (lib/media.c): an upload lies under the session's
// media folder, leaves with its row once nothing else points at it, and
// every change writes its audit row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BASE, ADMIN_TOKEN, PREFIX, REPO, api, createSession } from './lib.mjs';

const MP4 = readFileSync(path.join(process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data'),
  'volleyball', '2019_03_01-KATS-BEDS-clip.mp4'));

/* Rows of the database as text lines (bin/stint psql; --prefix must come first). */
function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

const stored = (rel) => existsSync(path.join(PREFIX, rel));
const audited = (action, type, id) =>
  Number(sql(`SELECT count(*) FROM audit_log WHERE action = '${action}' AND target_type = '${type}' AND target_id = '${id}'`)[0]);

/* POST a file as the body (as nginx hands uploads to the handler). */
async function upload(url, body, type) {
  const res = await fetch(BASE + url, { method: 'POST', body, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type } });
  return { status: res.status, body: await res.json() };
}

test('an uploaded clip is stored in its session\'s folder and its file leaves with it', async () => {
  const s = await createSession();
  const up = await upload(`/api/v1/sessions/${s.id}/clips/upload?kind=video`, MP4, 'video/mp4');
  assert.equal(up.status, 201);
  assert.match(up.body.path, new RegExp(`^media/${s.id}/[0-9a-f]{32}\\.mp4$`));
  assert.ok(stored(up.body.path), 'the file is in place');
  assert.equal(audited('clip.add', 'session', s.id), 1);

  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/clips/${up.body.id}`)).status, 204);
  assert.equal(stored(up.body.path), false, 'the file went with the row');
  assert.equal(audited('clip.delete', 'clip', up.body.id), 1);
  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/clips/${up.body.id}`)).status, 404);
  assert.equal(audited('clip.delete', 'clip', up.body.id), 1, 'nothing to delete, nothing audited');
});

// A file belongs to the session it was uploaded into (issue 17): another
// session cannot name it (tests/integration/attack-media.test.mjs).
test('an upload stays while another clip of its session points at it', async () => {
  const s = await createSession();
  const other = await createSession();
  const up = await upload(`/api/v1/sessions/${s.id}/clips/upload?kind=video`, MP4, 'video/mp4');
  assert.equal(up.status, 201);
  const file = up.body.path.replace(/^media\//, '');
  const elsewhere = await api('POST', `/api/v1/sessions/${other.id}/clips`, { json: { kind: 'video', file } });
  assert.equal(elsewhere.status, 422, 'another session cannot name it');
  const ref = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', file } });
  assert.equal(ref.status, 201);
  assert.equal(ref.body.path, up.body.path);

  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/clips/${up.body.id}`)).status, 204);
  assert.ok(stored(up.body.path), 'the other clip keeps the file');
  const res = await fetch(BASE + ref.body.media_url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(res.status, 200);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(MP4));
});

test('an artifact\'s file leaves with its row', async () => {
  const s = await createSession();
  const body = Buffer.from('%PDF-1.4 not really a PDF');
  const up = await upload(`/api/v1/sessions/${s.id}/artifacts/upload?type=report&name=r.pdf`, body, 'application/pdf');
  assert.equal(up.status, 201);
  assert.equal(audited('artifact.add', 'session', s.id), 1);
  const rel = sql(`SELECT path FROM artifacts WHERE id = ${up.body.id}`)[0];
  assert.match(rel, new RegExp(`^media/${s.id}/[0-9a-f]{32}\\.bin$`));
  assert.ok(stored(rel));

  assert.equal((await api('DELETE', `/api/v1/sessions/${s.id}/artifacts/${up.body.id}`)).status, 204);
  assert.equal(stored(rel), false);
  assert.equal(audited('artifact.delete', 'artifact', up.body.id), 1);
});
