// Resumable media uploads, tus 1.0 (cgi-bin/uploads.c, docs/uploads.md): create, PATCH chunks,
// HEAD the offset, resume after a PATCH cut off halfway (the client closes its socket mid-body:
// the server keeps the bytes that arrived, tus 1.0), and the refusals: wrong Upload-Offset 409, past
// Upload-Length 413, not the declared kind 415 after ffprobe, another user 404, a viewer 403.
// The complete upload is a clip at its offset_sec, byte for byte the file sent; the upload then
// answers HEAD as complete with its clip (a client that lost the last answer sends nothing again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ADMIN_TOKEN, BASE, PREFIX, REPO, api, createSession, makeUser, sleep, spoolerEnv, sql } from './lib.mjs';

const MP4 = readFileSync(path.join(process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data'),
  'volleyball', '2019_03_01-KATS-BEDS-clip.mp4'));
const OUT = process.env.STINT_TEST_OUT ?? path.join(REPO, 'tests', 'out');
const TUS = { 'tus-resumable': '1.0.0' };
const b64 = (s) => Buffer.from(s).toString('base64');
const meta = (o) => Object.entries(o).map(([k, v]) => `${k} ${b64(String(v))}`).join(',');
const partFile = (id) => path.join(PREFIX, 'uploads', 'tus', `${id}.part`);

/* POST uploads: a new upload of length bytes with metadata m; { status, url, body }. */
async function create(sid, length, m, token) {
  const res = await api('POST', `/api/v1/sessions/${sid}/uploads`,
    { headers: { ...TUS, 'upload-length': String(length), 'upload-metadata': meta(m) }, token });
  return { status: res.status, url: res.headers.get('location'), body: res.body, headers: res.headers };
}

const patch = (url, offset, bytes, { token, type = 'application/offset+octet-stream', headers = TUS } = {}) =>
  api('PATCH', url, { body: bytes, headers: { ...headers, 'upload-offset': String(offset), 'content-type': type }, token });

async function head(url, token) {
  const res = await api('HEAD', url, { headers: TUS, token });
  return { status: res.status, offset: Number(res.headers.get('upload-offset')), length: Number(res.headers.get('upload-length')) };
}

/*
 * A PATCH whose body stops halfway: the request line and headers announce all of bytes, the
 * socket carries the first half, waits for nginx to take it, then closes (a dropped connection).
 */
async function cutPatch(url, offset, bytes, token) {
  const { hostname, port } = new URL(BASE);
  const sock = net.connect(Number(port), hostname);
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  sock.write(`PATCH ${url} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\n` +
    `Tus-Resumable: 1.0.0\r\nUpload-Offset: ${offset}\r\nContent-Type: application/offset+octet-stream\r\n` +
    `Content-Length: ${bytes.length}\r\n\r\n`);
  sock.write(bytes.subarray(0, bytes.length >> 1));
  await sleep(300);
  sock.destroy();
  await sleep(200);
}

/*
 * A PATCH on a socket of its own, as the administrator, announcing length bytes at offset and
 * sending none yet (Connection: close): { sock, answer() (what came back so far), closed(), done }
 * (done resolves when the server has closed the socket). The test writes the body itself.
 */
async function rawPatch(url, offset, length) {
  const { hostname, port } = new URL(BASE);
  const sock = net.connect(Number(port), hostname);
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  let answer = '';
  let closed = false;
  sock.on('data', (d) => { answer += d; });
  const done = new Promise((resolve) => sock.on('close', () => { closed = true; resolve(); }));
  sock.write(`PATCH ${url} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
    `Connection: close\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: ${offset}\r\n` +
    `Content-Type: application/offset+octet-stream\r\nContent-Length: ${length}\r\n\r\n`);
  return { sock, answer: () => answer, closed: () => closed, done };
}

/* A PATCH sent with Transfer-Encoding: chunked (no Content-Length); { status, body }. */
async function chunkedPatch(url, offset, bytes, token) {
  const { request } = await import('node:http');
  const { hostname, port } = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'PATCH', path: url, headers: { authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream',
      'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    for (let i = 0; i < bytes.length; i += 65536) req.write(bytes.subarray(i, i + 65536));
    req.end();
  });
}

test('a video in three chunks, one cut off halfway and sent again, becomes a clip at its offset', async () => {
  const coach = makeUser('coach');
  const mine = await api('POST', '/api/v1/sessions', { json: { title: 'tus coach' }, token: coach.token });
  assert.equal(mine.status, 201);
  const sid = mine.body.id;

  const opts = await api('OPTIONS', `/api/v1/sessions/${sid}/uploads`, { token: coach.token });
  assert.equal(opts.status, 204);
  assert.equal(opts.headers.get('tus-version'), '1.0.0');
  assert.match(opts.headers.get('tus-extension'), /creation/);
  assert.equal(opts.headers.get('tus-max-size'), String(8 * 1024 ** 3), 'the default limit is 8 GiB');

  const up = await create(sid, MP4.length, { kind: 'video', filename: 'side camera.mp4', title: 'Side camera', offset_sec: 12.5 },
    coach.token);
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.headers.get('tus-resumable'), '1.0.0');
  assert.match(up.url, new RegExp(`^/api/v1/sessions/${sid}/uploads/[0-9a-f-]{36}$`));
  const id = up.url.split('/').pop();
  assert.deepEqual(await head(up.url, coach.token), { status: 200, offset: 0, length: MP4.length });

  const third = Math.floor(MP4.length / 3);
  const first = await patch(up.url, 0, MP4.subarray(0, third), { token: coach.token });
  assert.equal(first.status, 204);
  assert.equal(first.headers.get('upload-offset'), String(third));
  assert.ok(first.headers.get('upload-expires'), 'Upload-Expires is told');
  assert.equal((await head(up.url, coach.token)).offset, third);

  // the connection drops in the middle of the second chunk: the server keeps what arrived
  await cutPatch(up.url, third, MP4.subarray(third, 2 * third), coach.token);
  const half = third >> 1;
  let held = await head(up.url, coach.token);
  for (let i = 0; i < 20 && held.offset === third; i++) {  // the handler records it once nginx tells it
    await sleep(100);
    held = await head(up.url, coach.token);
  }
  assert.equal(held.offset, third + half, 'the half of the cut chunk that arrived counts');
  assert.ok(readFileSync(partFile(id)).equals(MP4.subarray(0, third + half)), 'the part file holds exactly the bytes sent');

  const resume = third + half;
  const wrong = await patch(up.url, third, MP4.subarray(third, 2 * third), { token: coach.token });
  assert.equal(wrong.status, 409);
  assert.equal(wrong.body.error.code, 'offset_mismatch');
  assert.equal(wrong.headers.get('upload-offset'), String(resume), 'the 409 tells the offset to resume at');
  const over = await patch(up.url, resume, Buffer.concat([MP4.subarray(resume), Buffer.alloc(10)]), { token: coach.token });
  assert.equal(over.status, 413);
  assert.equal(over.body.error.code, 'too_large');
  const chunked = await chunkedPatch(up.url, resume, Buffer.concat([MP4.subarray(resume), Buffer.alloc(10)]), coach.token);
  assert.equal(chunked.status, 413, 'a body without Content-Length that goes past Upload-Length is refused too');
  assert.equal((await head(up.url, coach.token)).offset, resume, 'and nothing of it is kept');
  const badType = await patch(up.url, resume, MP4.subarray(resume, 2 * third), { token: coach.token, type: 'video/mp4' });
  assert.equal(badType.status, 415);
  const noTus = await patch(up.url, resume, MP4.subarray(resume, 2 * third), { token: coach.token, headers: {} });
  assert.equal(noTus.status, 412);
  assert.equal(noTus.headers.get('tus-version'), '1.0.0');

  // another editor of the session (the administrator) may not touch someone else's upload
  assert.equal((await head(up.url)).status, 404);
  assert.equal((await patch(up.url, resume, MP4.subarray(resume, 2 * third))).status, 404);
  assert.equal((await api('DELETE', up.url, { headers: TUS })).status, 404);

  const second = await patch(up.url, resume, MP4.subarray(resume, 2 * third), { token: coach.token });
  assert.equal(second.status, 204);
  const last = await patch(up.url, 2 * third, MP4.subarray(2 * third), { token: coach.token });
  assert.equal(last.status, 204, JSON.stringify(last.body));
  assert.equal(last.headers.get('upload-offset'), String(MP4.length));
  const clipUrl = last.headers.get('stint-clip');
  assert.match(clipUrl, new RegExp(`^/api/v1/sessions/${sid}/clips/\\d+$`));

  const clip = await api('GET', clipUrl, { token: coach.token });
  assert.equal(clip.status, 200);
  assert.deepEqual([clip.body.kind, clip.body.title, clip.body.offset_sec, clip.body.content_type, clip.body.size_bytes],
    ['video', 'Side camera', 12.5, 'video/mp4', MP4.length]);
  assert.ok(Math.abs(clip.body.duration_sec - 15.9) < 0.1, `probed duration ${clip.body.duration_sec}`);
  assert.ok(readFileSync(path.join(PREFIX, clip.body.path)).equals(MP4), 'the stored file is the file sent');
  assert.equal(existsSync(partFile(id)), false, 'the part file was renamed into place');

  // the answer to the last PATCH lost: the client asks where the upload stands and learns it is done
  const done = await api('HEAD', up.url, { headers: TUS, token: coach.token });
  assert.equal(done.status, 200);
  assert.deepEqual([done.headers.get('upload-offset'), done.headers.get('upload-length'), done.headers.get('stint-clip')],
    [String(MP4.length), String(MP4.length), clipUrl], 'a finished upload is complete and names its clip');
  const json = await api('GET', up.url, { token: coach.token });
  assert.deepEqual([json.body.finished, json.body.upload_offset, `/api/v1/sessions/${sid}/clips/${json.body.clip_id}`],
    [true, MP4.length, clipUrl]);
  const again = await patch(up.url, 2 * third, MP4.subarray(2 * third), { token: coach.token });
  assert.equal(again.status, 409, 'the last chunk sent again is not stored again');
  assert.equal(again.headers.get('upload-offset'), String(MP4.length));
  const empty = await patch(up.url, MP4.length, Buffer.alloc(0), { token: coach.token });
  assert.deepEqual([empty.status, empty.headers.get('stint-clip')], [204, clipUrl], 'an empty PATCH at the end: the same answer');
  assert.equal(existsSync(partFile(id)), false, 'and no part file made for it');
  assert.deepEqual(sql(`SELECT count(*) FROM clips WHERE session_id = '${sid}'`), ['1'], 'one clip, made once');
  assert.equal((await head(up.url)).status, 404, 'another user still sees no upload');
  const media = await fetch(BASE + clip.body.media_url, { headers: { authorization: `Bearer ${coach.token}`, range: 'bytes=0-3' } });
  assert.equal(media.status, 206, 'the clip plays (Range)');
});

test('while one PATCH is still sending, a second one of the same upload is answered 423 and writes nothing', async () => {
  const s = await createSession({ title: 'tus one at a time' });
  const up = await create(s.id, MP4.length, { kind: 'video', filename: 'a.mp4' });
  assert.equal(up.status, 201);
  const first = await rawPatch(up.url, 0, MP4.length);
  first.sock.write(MP4.subarray(0, 1000));
  await sleep(300);
  const second = await patch(up.url, 0, MP4);
  assert.equal(second.status, 423);
  assert.equal(second.body.error.code, 'upload_busy');
  first.sock.write(MP4.subarray(1000));
  await first.done;
  assert.match(first.answer(), /^HTTP\/1\.1 204/, first.answer().slice(0, 200));
  assert.match(first.answer(), /Stint-Clip: \/api\/v1\/sessions\//i);
});

test('a refused PATCH is answered once its body has arrived: a client that writes it all before reading gets the answer', async () => {
  const s = await createSession({ title: 'tus refused body' });
  const up = await create(s.id, MP4.length, { kind: 'video', filename: 'a.mp4' });
  assert.equal(up.status, 201);
  const body = MP4.subarray(0, 1 << 20);
  // Upload-Offset 5 is not the upload's (0): a 409 the handler decides before it reads a byte
  const refused = await rawPatch(up.url, 5, body.length);
  refused.sock.write(body.subarray(0, body.length >> 1));
  await sleep(500);
  assert.deepEqual([refused.answer(), refused.closed()], ['', false],
    'no answer, and the connection open, while the body is still coming');
  refused.sock.write(body.subarray(body.length >> 1));
  await refused.done;
  assert.match(refused.answer(), /^HTTP\/1\.1 409/, refused.answer().slice(0, 200));
  assert.match(refused.answer(), /offset_mismatch/);
  assert.equal((await head(up.url)).offset, 0, 'nothing of it was stored');
});

test('a file that is not the declared kind is refused with 415 once complete, and removed', async () => {
  const s = await createSession({ title: 'tus kinds' });
  mkdirSync(OUT, { recursive: true });
  const wav = path.join(OUT, 'upload-tone.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', wav]);
  const audio = readFileSync(wav);

  const asVideo = await create(s.id, audio.length, { kind: 'video', filename: 'tone.wav' });
  assert.equal(asVideo.status, 201);
  const id = asVideo.url.split('/').pop();
  const r = await patch(asVideo.url, 0, audio);
  assert.equal(r.status, 415);
  assert.equal(r.body.error.code, 'not_media');
  assert.equal((await head(asVideo.url)).status, 404, 'the refused upload is removed');
  assert.equal(existsSync(partFile(id)), false);

  const asAudio = await create(s.id, audio.length, { filetype: 'audio/wav', filename: 'tone.wav' });
  assert.equal(asAudio.status, 201, 'the kind follows a filetype audio/...');
  const ok = await patch(asAudio.url, 0, audio);
  assert.equal(ok.status, 204);
  const clip = await api('GET', ok.headers.get('stint-clip'));
  assert.deepEqual([clip.body.kind, clip.body.content_type, clip.body.title], ['audio', 'audio/wav', 'tone.wav']);

  const text = Buffer.from('not a video at all\n'.repeat(100));
  const junk = await create(s.id, text.length, { kind: 'video' });
  assert.equal((await patch(junk.url, 0, text)).status, 415);
});

test('creation refuses what it cannot take: no length, too long, no kind, a viewer, a missing session', async () => {
  const s = await createSession({ title: 'tus limits' });
  const tooLong = await create(s.id, 8 * 1024 ** 3 + 1, { kind: 'video' });
  assert.equal(tooLong.status, 413);
  assert.equal(tooLong.headers.get('tus-max-size'), String(8 * 1024 ** 3));
  const noLength = await api('POST', `/api/v1/sessions/${s.id}/uploads`, { headers: { ...TUS, 'upload-metadata': meta({ kind: 'video' }) } });
  assert.equal(noLength.status, 422);
  assert.ok('Upload-Length' in noLength.body.error.fields);
  const noKind = await create(s.id, 100, { filename: 'x.bin', filetype: 'application/pdf' });
  assert.equal(noKind.status, 422);
  assert.ok('kind' in noKind.body.error.fields);
  const badOffset = await create(s.id, 100, { kind: 'audio', offset_sec: 'soon' });
  assert.equal(badOffset.status, 422);
  assert.ok('offset_sec' in badOffset.body.error.fields);
  const badMeta = await api('POST', `/api/v1/sessions/${s.id}/uploads`,
    { headers: { ...TUS, 'upload-length': '100', 'upload-metadata': 'kind ***' } });
  assert.equal(badMeta.status, 422);
  const noTus = await api('POST', `/api/v1/sessions/${s.id}/uploads`, { headers: { 'upload-length': '100', 'upload-metadata': meta({ kind: 'video' }) } });
  assert.equal(noTus.status, 412);

  const viewer = makeUser('viewer');
  assert.equal((await create(s.id, 100, { kind: 'video' }, viewer.token)).status, 403);
  assert.equal((await create('00000000-0000-4000-8000-000000000000', 100, { kind: 'video' })).status, 404);
  assert.equal((await head(`/api/v1/sessions/${s.id}/uploads/00000000-0000-4000-8000-000000000000`)).status, 404);
});

test('termination removes an upload and its bytes; the retention sweep removes expired ones', async () => {
  const s = await createSession({ title: 'tus sweep' });
  const a = await create(s.id, MP4.length, { kind: 'video' });
  const b = await create(s.id, MP4.length, { kind: 'video' });
  const [ida, idb] = [a.url.split('/').pop(), b.url.split('/').pop()];
  assert.equal((await patch(a.url, 0, MP4.subarray(0, 1000))).status, 204);
  assert.equal((await patch(b.url, 0, MP4.subarray(0, 1000))).status, 204);
  assert.ok(existsSync(partFile(ida)) && existsSync(partFile(idb)));

  assert.equal((await api('DELETE', a.url, { headers: TUS })).status, 204);
  assert.equal(existsSync(partFile(ida)), false);
  assert.equal((await head(a.url)).status, 404);

  sql(`UPDATE uploads SET expires_at = now() - interval '1 minute' WHERE id = '${idb}'`);
  assert.equal((await head(b.url)).status, 404, 'an expired upload is no longer offered');
  const out = execFileSync(path.join(REPO, 'bin/stint-spooler'), ['--var-dir', PREFIX, '--sweep-once'],
    { env: spoolerEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /removed [1-9]\d* finished records/);
  assert.deepEqual(sql(`SELECT count(*) FROM uploads WHERE id = '${idb}'`), ['0']);
  assert.equal(existsSync(partFile(idb)), false, 'the sweep removed the part file');
});
