// Attack probes on stored media (issue 17, items 1 and 9), kept so these
// holes stay closed: a clip or an import may name only a file uploaded into
// a session's own folder (a clip: its own session's; an import: a session
// the caller may edit, and the new session gets its own link), so a viewer
// cannot link the owner's file into a session of their own and keep
// downloading it; and a picture is not a video (ffprobe calls a PNG a video
// stream). The media files are made here with ffmpeg.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE, PREFIX, REPO, api, makeUser, stint, Browser, ADMIN_TOKEN } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const DVW = readFileSync(path.join(DATA, 'volleyball', '190301_kats_beds-clip.dvw'));
const TAG = `atkm${Date.now()}`;

let dir;
const made = {};

/* A file made with ffmpeg from its lavfi sources: args are ffmpeg's, name the output. */
function ffmpeg(name, ...args) {
  const out = path.join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, out]);
  made[name] = readFileSync(out);
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stint-attack-media-'));
  ffmpeg('video.mp4', '-f', 'lavfi', '-i', 'testsrc=s=64x64:r=25', '-t', '2', '-pix_fmt', 'yuv420p');
  ffmpeg('one.png', '-f', 'lavfi', '-i', 'color=red:s=2x2', '-frames:v', '1', '-s', '1x1');
  ffmpeg('one.jpg', '-f', 'lavfi', '-i', 'color=red:s=16x16', '-frames:v', '1');
  ffmpeg('still.gif', '-f', 'lavfi', '-i', 'color=red:s=16x16', '-frames:v', '1');
  ffmpeg('oneframe.mp4', '-f', 'lavfi', '-i', 'testsrc=s=64x64:r=25', '-frames:v', '1', '-pix_fmt', 'yuv420p');
  ffmpeg('tone.wav', '-f', 'lavfi', '-i', 'sine=d=1');
  ffmpeg('cover.m4a', '-f', 'lavfi', '-i', 'sine=d=1', '-i', path.join(dir, 'one.png'), '-map', '0', '-map', '1',
    '-c:v', 'png', '-disposition:v', 'attached_pic', '-c:a', 'aac');
});

after(() => rmSync(dir, { recursive: true, force: true }));

/* Rows of the database as text lines (bin/stint psql). */
function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

const stored = (rel) => existsSync(path.join(PREFIX, rel));
const clipRows = (sid) => Number(sql(`SELECT count(*) FROM clips WHERE session_id = '${sid}'`)[0]);
const sessionsTitled = (title) => Number(sql(`SELECT count(*) FROM sessions WHERE title = '${title}'`)[0]);
const filesIn = (sid) => (existsSync(path.join(PREFIX, 'media', sid)) ? readdirSync(path.join(PREFIX, 'media', sid)) : []);

async function newSession(title, token = ADMIN_TOKEN) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} ${title}` }, token });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function upload(sid, kind, body, token = ADMIN_TOKEN) {
  return api('POST', `/api/v1/sessions/${sid}/clips/upload?kind=${kind}`,
    { body, headers: { 'content-type': 'application/octet-stream' }, token });
}

async function download(url, token) {
  const res = await fetch(BASE + url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

const importWith = (video, token, title) => api('POST',
  `/api/v1/imports?title=${encodeURIComponent(`${TAG} ${title}`)}&video=${encodeURIComponent(video)}`,
  { body: DVW, headers: { 'content-type': 'application/octet-stream' }, token });

const fileOf = (clip) => clip.path.replace(/^media\//, '');

test('a viewer cannot link the owner\'s clip file into a session of their own, nor keep it after unshare', async () => {
  const owner = makeUser('coach');
  const viewer = makeUser('coach');
  const theirs = await newSession('owner', owner.token);
  const up = await upload(theirs.id, 'video', made['video.mp4'], owner.token);
  assert.equal(up.status, 201, up.text);
  const share = await api('POST', `/api/v1/sessions/${theirs.id}/shares`, { json: { email: viewer.email, role: 'viewer' }, token: owner.token });
  assert.equal(share.status, 200, share.text);
  assert.equal((await download(up.body.media_url, viewer.token)).status, 200, 'shared: the viewer may watch');

  const mine = await newSession('viewer', viewer.token);
  const link = await api('POST', `/api/v1/sessions/${mine.id}/clips`, { json: { kind: 'video', file: fileOf(up.body) }, token: viewer.token });
  assert.equal(link.status, 422, link.text);
  assert.ok(link.body.error.fields.file, JSON.stringify(link.body));
  assert.equal(clipRows(mine.id), 0, 'nothing stored');
  const title = `${TAG} stolen by import`;
  const viaImport = await api('POST', `/api/v1/imports?title=${encodeURIComponent(title)}&video=${encodeURIComponent(fileOf(up.body))}`,
    { body: DVW, headers: { 'content-type': 'application/octet-stream' }, token: viewer.token });
  assert.equal(viaImport.status, 422, viaImport.text);
  assert.ok(viaImport.body.error.fields.video, JSON.stringify(viaImport.body));
  assert.equal(sessionsTitled(title), 0, 'no session made');

  const shares = (await api('GET', `/api/v1/sessions/${theirs.id}/shares`, { token: owner.token })).body;
  const viewerId = shares.find((s) => s.email === viewer.email).user_id;
  assert.equal((await api('DELETE', `/api/v1/sessions/${theirs.id}/shares/${viewerId}`, { token: owner.token })).status, 204);
  assert.equal((await download(up.body.media_url, viewer.token)).status, 403, 'unshared: no more downloads');
  assert.deepEqual((await api('GET', `/api/v1/sessions/${mine.id}/clips`, { token: viewer.token })).body, []);

  assert.equal((await api('DELETE', `/api/v1/sessions/${theirs.id}/clips/${up.body.id}`, { token: owner.token })).status, 204);
  assert.equal(stored(up.body.path), false, 'the owner deleted the clip: its file is gone');
});

test('an editor share, an administrator and the owner link a file only into the session it was uploaded into', async () => {
  const owner = makeUser('coach');
  const editor = makeUser('coach');
  const a = await newSession('a', owner.token);
  const b = await newSession('b', owner.token);
  const up = await upload(a.id, 'video', made['video.mp4'], owner.token);
  assert.equal(up.status, 201, up.text);
  await api('POST', `/api/v1/sessions/${a.id}/shares`, { json: { email: editor.email, role: 'editor' }, token: owner.token });
  const editors = await newSession('editor', editor.token);
  for (const [sid, token] of [[editors.id, editor.token], [b.id, owner.token], [b.id, ADMIN_TOKEN]]) {
    const r = await api('POST', `/api/v1/sessions/${sid}/clips`, { json: { kind: 'video', file: fileOf(up.body) }, token });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(Object.keys(r.body.error.fields), ['file']);
    assert.equal(clipRows(sid), 0);
  }
  const same = await api('POST', `/api/v1/sessions/${a.id}/clips`, { json: { kind: 'video', file: fileOf(up.body) }, token: editor.token });
  assert.equal(same.status, 201, 'a file uploaded into the same session may be named again');
  assert.equal(same.body.path, up.body.path);
});

test('files outside a session\'s own folder cannot be named: staged imports, deeper folders, traversal', async () => {
  // bin/stint import --video stages the file as media/import/<its name>, then links it into the session
  copyFileSync(path.join(dir, 'video.mp4'), path.join(dir, `${TAG}.mp4`));
  const out = stint('import', path.join(DATA, 'volleyball', '190301_kats_beds-clip.dvw'), '--video', path.join(dir, `${TAG}.mp4`),
    '--title', `${TAG} by the tool`);
  const imported = out.match(/session ([0-9a-f-]{36})/)?.[1];
  assert.ok(imported, out);
  const staged = `import/${TAG}.mp4`;
  assert.ok(stored(`media/${staged}`), 'the tool\'s staged copy');
  const [toolClip] = (await api('GET', `/api/v1/sessions/${imported}/clips`)).body;
  assert.match(toolClip.path, new RegExp(`^media/${imported}/[0-9a-f]{32}\\.mp4$`));
  assert.equal(toolClip.title, `${TAG}.mp4`);
  assert.ok((await download(toolClip.media_url, ADMIN_TOKEN)).bytes.equals(made['video.mp4']));

  const user = makeUser('coach');
  const s = await newSession('staged', user.token);
  const up = await upload(s.id, 'video', made['video.mp4'], user.token);
  for (const file of [staged, `${s.id}/../${fileOf(up.body).slice(37)}`, `${s.id}/x/${fileOf(up.body).slice(37)}`,
    `${s.id.toUpperCase()}/${fileOf(up.body).slice(37)}`, `/${fileOf(up.body)}`, `${s.id}`]) {
    const r = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', file }, token: user.token });
    assert.equal(r.status, 422, `${file}: ${r.text}`);
    assert.ok(r.body.error.fields.file);
  }
  assert.equal(clipRows(s.id), 1, 'only the upload');
  const title = `${TAG} staged import`;
  const viaImport = await api('POST', `/api/v1/imports?title=${encodeURIComponent(title)}&video=${encodeURIComponent(staged)}`,
    { body: DVW, headers: { 'content-type': 'application/octet-stream' }, token: user.token });
  assert.equal(viaImport.status, 422, viaImport.text);
  assert.ok(viaImport.body.error.fields.video);
  assert.equal(sessionsTitled(title), 0);
});

test('an import links its own copy of the video into the new session: each file belongs to one session', async () => {
  const owner = makeUser('coach');
  const holder = await newSession('holder', owner.token);
  const up = await upload(holder.id, 'video', made['video.mp4'], owner.token);
  assert.equal(up.status, 201, up.text);
  const r = await importWith(fileOf(up.body), owner.token, 'imported');
  assert.equal(r.status, 201, r.text);
  const sid = r.body.session.id;
  const [clip] = (await api('GET', `/api/v1/sessions/${sid}/clips`, { token: owner.token })).body;
  assert.match(clip.path, new RegExp(`^media/${sid}/[0-9a-f]{32}\\.mp4$`));
  assert.equal((await api('DELETE', `/api/v1/sessions/${holder.id}/clips/${up.body.id}`, { token: owner.token })).status, 204);
  assert.equal(stored(up.body.path), false, 'the holder\'s name went with its clip');
  const dl = await download(clip.media_url, owner.token);
  assert.equal(dl.status, 200);
  assert.ok(dl.bytes.equals(made['video.mp4']), 'the import\'s own copy plays');
  assert.equal((await api('DELETE', `/api/v1/sessions/${sid}/clips/${clip.id}`, { token: owner.token })).status, 204);
  assert.equal(stored(clip.path), false, 'deleting the imported clip removes its file');
});

test('the import form links its video into the new session and keeps no staged copy a client could name', async () => {
  const b = await new Browser().login();
  await b.get('/');
  const title = `${TAG} form import`;
  const form = new FormData();
  form.set('csrf', b.cookies.get('stint_csrf'));
  form.set('title', title);
  form.set('file', new Blob([DVW]), 'match.dvw');
  form.set('video', new Blob([made['video.mp4']], { type: 'video/mp4' }), 'match.mp4');
  const res = await fetch(`${BASE}/sessions/import`, { method: 'POST', body: form, redirect: 'manual',
    headers: { cookie: b.cookieHeader() } });
  assert.equal(res.status, 303, await res.text());
  const sid = res.headers.get('location').match(/sessions\/([0-9a-f-]{36})/)[1];
  const [clip] = (await api('GET', `/api/v1/sessions/${sid}/clips`)).body;
  assert.match(clip.path, new RegExp(`^media/${sid}/[0-9a-f]{32}\\.mp4$`));
  assert.ok((await download(clip.media_url, ADMIN_TOKEN)).bytes.equals(made['video.mp4']));
  const staged = clip.title;  // the staged name under media/import/
  assert.equal(stored(`media/import/${staged}`), false, `media/import/${staged} is gone`);
});

test('a picture is not a video: PNG, JPEG, still GIF and a one-frame MP4 are refused, nothing stored', async () => {
  const s = await newSession('pictures');
  for (const name of ['one.png', 'one.jpg', 'still.gif', 'oneframe.mp4']) {
    for (const kind of ['video', 'audio']) {
      const r = await upload(s.id, kind, made[name]);
      assert.equal(r.status, 415, `${name} as ${kind}: ${r.text}`);
      assert.equal(r.body.error.code, 'not_media');
    }
  }
  assert.equal(clipRows(s.id), 0);
  assert.deepEqual(filesIn(s.id), [], 'no file kept');
  const art = await api('POST', `/api/v1/sessions/${s.id}/artifacts/upload?type=image&name=one.png`,
    { body: made['one.png'], headers: { 'content-type': 'image/png' } });
  assert.equal(art.status, 201, art.text);
  const [png] = sql(`SELECT substr(path, 7) FROM artifacts WHERE id = ${art.body.id}`);  // <session id>/<name>
  const asClip = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', file: png } });
  assert.equal(asClip.status, 422, asClip.text);
  assert.ok(asClip.body.error.fields.file);
  const title = `${TAG} png import`;
  const viaImport = await api('POST', `/api/v1/imports?title=${encodeURIComponent(title)}&video=${encodeURIComponent(png)}`,
    { body: DVW, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(viaImport.status, 422, viaImport.text);
  assert.ok(viaImport.body.error.fields.video);
  assert.equal(sessionsTitled(title), 0);
  assert.equal(clipRows(s.id), 0);
});

test('the import form refuses a PNG named .mp4 as the match video', async () => {
  const b = await new Browser().login();
  await b.get('/');
  const title = `${TAG} png form import`;
  const form = new FormData();
  form.set('csrf', b.cookies.get('stint_csrf'));
  form.set('title', title);
  form.set('file', new Blob([DVW]), 'match.dvw');
  form.set('video', new Blob([made['one.png']], { type: 'video/mp4' }), 'match.mp4');
  const res = await fetch(`${BASE}/sessions/import`, { method: 'POST', body: form, redirect: 'manual',
    headers: { cookie: b.cookieHeader() } });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /is not a video/);
  assert.equal(sessionsTitled(title), 0);
});

test('a clip\'s kind must fit its file: audio needs an audio stream, video a moving picture', async () => {
  const s = await newSession('kinds');
  const wavAsVideo = await upload(s.id, 'video', made['tone.wav']);
  assert.equal(wavAsVideo.status, 422, wavAsVideo.text);
  assert.deepEqual(Object.keys(wavAsVideo.body.error.fields), ['kind']);
  const coverAsVideo = await upload(s.id, 'video', made['cover.m4a']);
  assert.equal(coverAsVideo.status, 422, `an album cover is no video: ${coverAsVideo.text}`);
  assert.equal(clipRows(s.id), 0);
  assert.deepEqual(filesIn(s.id), []);
  const wav = await upload(s.id, 'audio', made['tone.wav']);
  assert.equal(wav.status, 201, wav.text);
  assert.equal(wav.body.duration_sec, 1);
  const cover = await upload(s.id, 'audio', made['cover.m4a']);
  assert.equal(cover.status, 201, cover.text);
  const video = await upload(s.id, 'video', made['video.mp4']);
  assert.equal(video.status, 201, video.text);
  assert.equal(video.body.duration_sec, 2);
  const wavClip = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', file: fileOf(wav.body) } });
  assert.equal(wavClip.status, 422, wavClip.text);
  assert.deepEqual(Object.keys(wavClip.body.error.fields), ['kind']);
  const audioOfVideo = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind: 'video', file: fileOf(video.body) } });
  assert.equal(audioOfVideo.status, 201, audioOfVideo.text);
  assert.equal(clipRows(s.id), 4);
});

test('a 19-byte fake PNG is neither video nor audio: the upload is refused, its registration names file (issue 14)',
  async () => {
    const s = await newSession('fake png');
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image!')]);
    assert.equal(fake.length, 19);
    for (const kind of ['video', 'audio']) {
      const r = await upload(s.id, kind, fake);
      assert.equal(r.status, 415, `as ${kind}: ${r.text}`);
      assert.equal(r.body.error.code, 'not_media');
    }
    const art = await api('POST', `/api/v1/sessions/${s.id}/artifacts/upload?type=image&name=fake.png`,
      { body: fake, headers: { 'content-type': 'image/png' } });
    assert.equal(art.status, 201, art.text);
    const [file] = sql(`SELECT substr(path, 7) FROM artifacts WHERE id = ${art.body.id}`);
    for (const kind of ['video', 'audio']) {
      const r = await api('POST', `/api/v1/sessions/${s.id}/clips`, { json: { kind, file } });
      assert.equal(r.status, 422, `registered as ${kind}: ${r.text}`);
      assert.deepEqual(Object.keys(r.body.error.fields), ['file']);
    }
    assert.equal(clipRows(s.id), 0, 'no clip, no clip of duration 0');
  });
