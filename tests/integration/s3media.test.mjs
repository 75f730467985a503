// s3media.test.mjs: media, uploads and reports in S3 (issue 21; docs/storage.md, lib/store.h).
// A second stack (its own prefix, ports STINT_TEST_PORT + 7 / STINT_TEST_PG_PORT + 7 unless
// STINT_TEST_S3MEDIA_PORT / STINT_TEST_S3MEDIA_PG_PORT) runs with media_storage s3 against an S3
// test server of its own (tests/s3/server.mjs: s3rver checking SigV4, on STINT_TEST_PORT + 1007),
// so this test may stop it. The part size is S3's smallest, 5 MiB, so a 13 MB video goes up in parts.
//   - a tus upload becomes an object (CreateMultipartUpload, 3 UploadParts, CompleteMultipartUpload),
//     the local copy gone, the row's storage 's3'; nginx serves it with Range through the proxy;
//     another user gets 403 (as in local mode), an unknown clip 404;
//   - the clip analyzers read a clip from the bucket (a temporary copy, removed afterwards);
//   - a device file goes to the bucket and downloads from it; the report builder reads it from there
//     (test.tcx's known distance); the report goes to the bucket and downloads from it;
//   - the retention sweep removes an old report run's objects and a purged session's;
//   - S3 stopped: the completing PATCH answers 503 storage_unavailable, the part file kept and the
//     offset where it was; the report task fails naming the media bucket; both succeed once S3 is back;
//   - bin/stint backup fetches the objects rows name into the archive (sums in the manifest), --verify
//     needs no bucket, and bin/stint restore puts them into a new stack's own bucket (a third stack on
//     STINT_TEST_PORT + 8 / STINT_TEST_PG_PORT + 8 unless STINT_TEST_S3RESTORE_PORT / _PG_PORT), which
//     serves the clip again.
//
// Run against a stack: bin/stint test integration/s3media
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO, sleep, until } from './lib.mjs';
import { S3 } from '../s3/client.mjs';

const PORT2 = process.env.STINT_TEST_S3MEDIA_PORT ?? String(Number(process.env.STINT_TEST_PORT ?? 18080) + 7);
const PG_PORT2 = process.env.STINT_TEST_S3MEDIA_PG_PORT ?? String(Number(process.env.STINT_TEST_PG_PORT ?? 15433) + 7);
const S3_PORT = String(Number(process.env.STINT_TEST_PORT ?? 18080) + 1007);
const BASE2 = `http://127.0.0.1:${PORT2}`;
const PORT3 = process.env.STINT_TEST_S3RESTORE_PORT ?? String(Number(process.env.STINT_TEST_PORT ?? 18080) + 8);
const PG_PORT3 = process.env.STINT_TEST_S3RESTORE_PG_PORT ?? String(Number(process.env.STINT_TEST_PG_PORT ?? 15433) + 8);
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-s3media-'));
chmodSync(DIR, 0o755);
const PREFIX2 = path.join(DIR, 'p2');
const PREFIX3 = path.join(DIR, 'p3');
const BIN = path.join(REPO, 'bin/stint');
const DATA = process.env.STINT_DATA_DIR ?? path.resolve(REPO, '../shared/data');
const SECRET = randomBytes(16).toString('hex');
const KEY_PREFIX = 'stint-media/';
const PART = 5 * 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const sha = (b) => createHash('sha256').update(b).digest('hex');
const b64 = (s) => Buffer.from(s).toString('base64');

const s3 = new S3({ endpoint: `http://127.0.0.1:${S3_PORT}`, bucket: 'media', accessKey: 'stint-s3media', secretKey: SECRET });
const run = (args, opts = {}) => execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
const psql2 = (q) => run(['psql', '--prefix', PREFIX2, '-X', '-A', '-t', '-c', q]).trim();
const tokenFor = (email) => run(['token', 'create', '--user', email, '--scope', 'write', '--name', 'tests', '--prefix', PREFIX2]).trim();

function makeUser(role) {
  const email = `${role}-${randomBytes(4).toString('hex')}@test.local`;
  execFileSync(BIN, ['user', 'add', email, '--role', role, '--password-stdin', '--prefix', PREFIX2],
    { input: `${randomBytes(12).toString('hex')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  return { email, token: tokenFor(email) };
}

/** A request to the second stack: { status, headers, body (Buffer), json }. */
async function call(method, url, { token, headers = {}, body } = {}) {
  const res = await fetch(BASE2 + url, {
    method, body, redirect: 'manual', headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const buf = Buffer.from(await res.arrayBuffer());
  let json = null;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json') && buf.length) json = JSON.parse(buf);
  return { status: res.status, headers: res.headers, body: buf, json };
}

const S3LOG = path.join(DIR, 's3-requests.log');
let s3proc = null;

/** Starts the S3 test server (its data kept in DIR/s3 across restarts) and waits until it listens. */
async function startS3() {
  writeFileSync(path.join(DIR, 'secret'), `${SECRET}\n`, { mode: 0o644 });
  s3proc = spawn('node', ['--openssl-legacy-provider', path.join(REPO, 'tests/s3/server.mjs'), '--port', S3_PORT,
    '--dir', path.join(DIR, 's3'), '--bucket', 'media', '--bucket', 'restored'], {
    env: { PATH: process.env.PATH, S3_ACCESS_KEY: 'stint-s3media', S3_SECRET_KEY_FILE: path.join(DIR, 'secret') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  s3proc.stdout.on('data', (d) => writeFileSync(S3LOG, d, { flag: 'a' }));
  s3proc.stderr.on('data', (d) => { err += d; });
  await until('the S3 test server listens', () => err.includes('s3 ready'), 20000);
}

async function stopS3() {
  const p = s3proc;
  s3proc = null;
  if (!p || p.exitCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await gone;
}

/** The S3 requests logged since mark (a line count): [{ method, path, query, status }]. */
const s3requests = (mark = 0) => (existsSync(S3LOG) ? readFileSync(S3LOG, 'utf8').trim().split('\n').filter(Boolean)
  .map((l) => JSON.parse(l)) : []).slice(mark);

let admin;
let coach;
let VIDEO;

/** The environment of bin/stint up for a stack with media in the test server's bucket (more: other settings). */
function stackEnv(more = {}) {
  const env = {
    ...process.env, STINT_SPOOLER: 'off', STINT_MEDIA_STORAGE: 's3', STINT_MEDIA_S3_PREFIX: KEY_PREFIX,
    STINT_MEDIA_S3_PART_SIZE: String(PART), STINT_S3_ENABLED: 'no', STINT_S3_ENDPOINT: `http://127.0.0.1:${S3_PORT}`,
    STINT_S3_BUCKET: 'media', STINT_S3_ACCESS_KEY: 'stint-s3media', STINT_S3_SECRET_KEY_FILE: path.join(DIR, 'secret'),
    ...more,
  };
  delete env.STINT_S3_SECRET_KEY;
  return env;
}

before(async () => {
  await startS3();
  run(['up', '--prefix', PREFIX2, '--port', PORT2, '--pg-port', PG_PORT2, '--no-demo', '--no-build'], { env: stackEnv() });
  await until('the s3 stack is ready', async () => (await fetch(`${BASE2}/readyz`).catch(() => null))?.status === 200, 30000);
  admin = { token: tokenFor('admin@stint.local') };
  coach = makeUser('coach');
  // a 13 MB video (noise does not compress): three parts of 5 MiB
  const file = path.join(DIR, 'noise.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25,noise=alls=60:allf=t',
    '-frames:v', '30', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', file]);
  VIDEO = readFileSync(file);
  assert.ok(VIDEO.length > 2 * PART && VIDEO.length < 4 * PART, `the video has ${VIDEO.length} bytes`);
});

after(async () => {
  try { run(['down', '--prefix', PREFIX2]); } catch { /* not up */ }
  try { run(['down', '--prefix', PREFIX3]); } catch { /* not up */ }
  await stopS3();
  rmSync(DIR, { recursive: true, force: true });
});

async function session(token, title) {
  const res = await call('POST', '/api/v1/sessions', {
    token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }),
  });
  assert.equal(res.status, 201, res.body.toString());
  return res.json.id;
}

/** A tus upload of bytes for session sid, all but the last chunk sent; { url, id, last: () => PATCH of the rest }. */
async function tusAllButLast(sid, bytes, token) {
  const up = await call('POST', `/api/v1/sessions/${sid}/uploads`, {
    token, headers: { ...TUS, 'upload-length': String(bytes.length), 'upload-metadata': `kind ${b64('video')},title ${b64('Noise')}` },
  });
  assert.equal(up.status, 201, up.body.toString());
  const url = up.headers.get('location');
  const cut = [0, Math.floor(bytes.length / 3), Math.floor((2 * bytes.length) / 3)];
  for (let i = 0; i < 2; i++) {
    const r = await call('PATCH', url, {
      token, body: bytes.subarray(cut[i], cut[i + 1]),
      headers: { ...TUS, 'upload-offset': String(cut[i]), 'content-type': 'application/offset+octet-stream' },
    });
    assert.equal(r.status, 204, r.body.toString());
  }
  const last = () => call('PATCH', url, {
    token, body: bytes.subarray(cut[2]),
    headers: { ...TUS, 'upload-offset': String(cut[2]), 'content-type': 'application/offset+octet-stream' },
  });
  return { url, id: url.split('/').pop(), at: cut[2], last };
}

test('a tus upload goes to S3 in parts, the local copy gone; nginx serves it with Range; another user gets 403', async () => {
  const sid = await session(coach.token, 's3 upload');
  const mark = s3requests().length;
  const up = await tusAllButLast(sid, VIDEO, coach.token);
  const done = await up.last();
  assert.equal(done.status, 204, done.body.toString());
  const clipUrl = done.headers.get('stint-clip');
  const clip = (await call('GET', clipUrl, { token: coach.token })).json;
  assert.equal(clip.size_bytes, VIDEO.length);

  // S3 saw one multipart upload of three parts (5 MiB, 5 MiB, the rest), all accepted
  const key = `/media/${KEY_PREFIX}${clip.path}`;
  const seen = s3requests(mark).filter((r) => r.path === key);
  assert.deepEqual(seen.map((r) => [r.method, Object.keys(r.query).sort().join('&'), r.status]), [
    ['POST', 'uploads', 200],
    ['PUT', 'partNumber&uploadId', 200], ['PUT', 'partNumber&uploadId', 200], ['PUT', 'partNumber&uploadId', 200],
    ['POST', 'uploadId', 200],
  ]);
  const obj = await s3.request('GET', `${KEY_PREFIX}${clip.path}`);
  assert.equal(obj.status, 200);
  assert.equal(sha(obj.body), sha(VIDEO), 'the object is the file sent');
  assert.equal(obj.headers['content-type'], 'video/mp4');

  // no local copy: neither the part file nor a media file; the row says where the file is
  assert.equal(existsSync(path.join(PREFIX2, 'uploads', 'tus', `${up.id}.part`)), false, 'the part file is gone');
  assert.equal(existsSync(path.join(PREFIX2, clip.path)), false, 'no local media file');
  assert.deepEqual(readdirSync(path.join(PREFIX2, 'media', sid)), [], 'the session folder holds nothing');
  assert.equal(psql2(`SELECT storage FROM clips WHERE id = ${clip.id}`), 's3');

  // downloads through nginx's proxy: whole, and ranges (one inside part 2, one across parts 1-2, the tail)
  const media = `/media/sessions/${sid}/clips/${clip.id}`;
  const whole = await call('GET', media, { token: coach.token });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-type'), 'video/mp4');
  assert.equal(sha(whole.body), sha(VIDEO));
  assert.equal(whole.headers.get('x-amz-request-id'), null, 'S3\'s own headers are hidden');
  const headOnly = await call('HEAD', media, { token: coach.token });
  assert.equal(headOnly.status, 200, 'HEAD is presigned as HEAD');
  assert.equal(headOnly.headers.get('content-length'), String(VIDEO.length));
  for (const [from, to] of [[PART + 1000, PART + 1999], [PART - 100, PART + 99], [VIDEO.length - 10, VIDEO.length - 1]]) {
    const part = await call('GET', media, { token: coach.token, headers: { range: `bytes=${from}-${to}` } });
    assert.equal(part.status, 206, `Range ${from}-${to}`);
    assert.equal(part.headers.get('content-range'), `bytes ${from}-${to}/${VIDEO.length}`);
    assert.ok(part.body.equals(VIDEO.subarray(from, to + 1)), `exactly bytes ${from}-${to}`);
  }
  const viewer = makeUser('coach');
  // a user without access to the session: refused before any presigning, as in local mode (403,
  // docs/security.md); an unknown clip of a session one may read: 404
  for (const headers of [{}, { range: 'bytes=0-9' }]) {
    const denied = await call('GET', media, { token: viewer.token, headers });
    assert.equal(denied.status, 403, 'another user');
    assert.equal(denied.json.error.code, 'forbidden');
  }
  assert.equal((await call('GET', `/media/sessions/${sid}/clips/999999999`, { token: coach.token })).status, 404);
  assert.equal((await call('GET', media)).status, 401, 'no credential');
  // the internal location is not reachable from outside
  const direct = await call('GET', `/_s3/http/127.0.0.1:${S3_PORT}${key}`, { token: coach.token });
  assert.equal(direct.status, 404);

  // the clip analyzers read it from the bucket through a temporary file, removed afterwards
  const an = runAnalyze(sid, clip.id, 'loudness');
  assert.equal(an.status, 0, an.stderr);
  assert.match(an.stdout, new RegExp(`"analyzer":"loudness","clip_id":${clip.id},"events_added":\\d+`));
  assert.deepEqual(readdirSync(path.join(DIR, 'tmp')), [], 'no temporary copy left');

  // a delete removes the object
  assert.equal((await call('DELETE', `/api/v1/sessions/${sid}/clips/${clip.id}`, { token: coach.token })).status, 204);
  assert.equal((await s3.request('GET', `${KEY_PREFIX}${clip.path}`)).status, 404, 'the object is gone');
});

test('a small upload goes in one PUT; a clip registered from it, an import with it as video, an artifact', async () => {
  const sid = await session(admin.token, 's3 single put');
  const mp4 = readFileSync(path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4'));
  const mark = s3requests().length;
  const up = await call('POST', `/api/v1/sessions/${sid}/clips/upload?kind=video&title=KATS`, {
    token: admin.token, body: mp4, headers: { 'content-type': 'video/mp4' },
  });
  assert.equal(up.status, 201, up.body.toString());
  assert.deepEqual(s3requests(mark).map((r) => [r.method, r.path, r.status]),
    [['PUT', `/media/${KEY_PREFIX}${up.json.path}`, 200]]);
  assert.equal(existsSync(path.join(PREFIX2, up.json.path)), false);
  const part = await call('GET', `/media/sessions/${sid}/clips/${up.json.id}`, { token: admin.token, headers: { range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.ok(part.body.equals(mp4.subarray(100, 200)));

  // a clip registered from that upload shares its object; a DataVolley import with it as its video
  // gets an object of its own (fetched for ffprobe, sent under the new session's name)
  const file = up.json.path.replace(/^media\//, '');
  const reg = await call('POST', `/api/v1/sessions/${sid}/clips`, {
    token: admin.token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'video', file, title: 'again' }),
  });
  assert.equal(reg.status, 201, reg.body.toString());
  assert.equal(reg.json.path, up.json.path);
  assert.equal(psql2(`SELECT storage FROM clips WHERE id = ${reg.json.id}`), 's3');
  const imp = await call('POST', `/api/v1/imports?video=${encodeURIComponent(file)}`, {
    token: admin.token, body: readFileSync(path.join(DATA, 'volleyball', '190301_kats_beds-clip.dvw')),
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(imp.status, 201, imp.body.toString());
  const isid = imp.json.session.id;
  const [iclip] = (await call('GET', `/api/v1/sessions/${isid}/clips`, { token: admin.token })).json;
  assert.match(iclip.path, new RegExp(`^media/${isid}/`));
  assert.equal(psql2(`SELECT storage FROM clips WHERE id = ${iclip.id}`), 's3');
  assert.ok((await s3.request('GET', `${KEY_PREFIX}${iclip.path}`)).body.equals(mp4), 'the import\'s object is the video');
  const ipart = await call('GET', `/media/sessions/${isid}/clips/${iclip.id}`, { token: admin.token, headers: { range: 'bytes=5000-5999' } });
  assert.equal(ipart.status, 206);
  assert.ok(ipart.body.equals(mp4.subarray(5000, 6000)));
  assert.deepEqual(readdirSync(path.join(PREFIX2, 'uploads')).filter((f) => f.startsWith('.fetch-')), [], 'no fetched copy left');
  assert.equal(existsSync(path.join(PREFIX2, iclip.path)), false, 'no local copy of the import\'s video');

  // a clip with one cut at 2 s (test pattern, then colour bars), analyzed from the bucket
  const cutFile = path.join(DIR, 'cut.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:d=2', '-f', 'lavfi',
    '-i', 'smptebars=size=320x240:rate=25:d=2', '-filter_complex', '[0:v][1:v]concat=n=2:v=1[v]', '-map', '[v]',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', cutFile]);
  const cut = await call('POST', `/api/v1/sessions/${sid}/clips/upload?kind=video&title=cut&offset_sec=10`, {
    token: admin.token, body: readFileSync(cutFile), headers: { 'content-type': 'video/mp4' },
  });
  assert.equal(cut.status, 201, cut.body.toString());
  const cuts = runAnalyze(sid, cut.json.id, 'scene-cuts');
  assert.equal(cuts.status, 0, cuts.stderr);
  assert.equal(JSON.parse(cuts.stdout.trim().split('\n').pop()).events_added, 1);
  assert.equal(psql2(`SELECT event_type || ' ' || t_sec FROM events WHERE clip_id = ${cut.json.id} AND source = 'plugin:scene-cuts'`),
    'scene_cut 12', 'the cut at 2 s of a clip starting at 10 s');

  const art = await call('POST', `/api/v1/sessions/${sid}/artifacts/upload?type=export&name=notes.txt`, {
    token: admin.token, body: 'hello from S3\n', headers: { 'content-type': 'text/plain' },
  });
  assert.equal(art.status, 201, art.body.toString());
  assert.equal(psql2(`SELECT storage FROM artifacts WHERE id = ${art.json.id}`), 's3');
  const got = await call('GET', `/media/sessions/${sid}/artifacts/${art.json.id}`, { token: admin.token });
  assert.equal(got.status, 200);
  assert.equal(got.body.toString(), 'hello from S3\n');
  assert.match(got.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''notes\.txt$/);
});

/** Runs bin/PROGRAM ARGS with the second stack's settings (and user, as root): { status, stdout, stderr }. */
function runAsStack(program, args, { env: more = {}, input } = {}) {
  const env = { PATH: process.env.PATH };
  for (const line of readFileSync(path.join(PREFIX2, 'stint.env'), 'utf8').split('\n')) {
    const m = /^(STINT_[A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) env[m[1]] = m[2].replaceAll("'\\''", "'");
  }
  const prog = path.join(REPO, 'bin', program);
  const [cmd, argv] = process.getuid() === 0
    ? ['setpriv', ['--reuid=stint', '--regid=stint', '--init-groups', prog, ...args]] : [prog, args];
  const r = spawnSync(cmd, argv, { env: { ...env, ...more }, input, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const runReport = (sid) => runAsStack('stint-report', [sid]);

/** DIR/tmp, made writable for the stack's user: the TMPDIR of the programs run here. */
function tmpDir() {
  const tmp = path.join(DIR, 'tmp');
  if (!existsSync(tmp)) { mkdirSync(tmp); chmodSync(tmp, 0o1777); }
  return tmp;
}

/** bin/stint-analyze as the spooler runs it for an analyze_clip task, its temporary files in DIR/tmp. */
function runAnalyze(sid, clipId, analyzer) {
  return runAsStack('stint-analyze', [], {
    env: { STINT_TASK_SESSION_ID: sid, TMPDIR: tmpDir() }, input: JSON.stringify({ clip_id: Number(clipId), analyzer }),
  });
}

async function reportSession(title) {
  const sid = await session(admin.token, title);
  const p = await call('POST', `/api/v1/sessions/${sid}/participants`, {
    token: admin.token, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ player: 'Tina', team_side: 'A', number: '7', device_id: 'tcx1' }),
  });
  assert.equal(p.status, 201, p.body.toString());
  const u = await call('POST', `/api/v1/sessions/${sid}/device-data?device=tcx1&name=test.tcx&format=tcx`, {
    token: admin.token, body: readFileSync(path.join(DATA, 'gps', 'test.tcx')), headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(u.status, 201, u.body.toString());
  return { sid, fileId: u.json.id };
}

test('a report goes to the bucket and downloads from it', async () => {
  const { sid, fileId } = await reportSession('s3 report');
  // the device file went to the bucket: no local copy, the download is the file sent
  const tcx = readFileSync(path.join(DATA, 'gps', 'test.tcx'));
  assert.equal(psql2(`SELECT storage FROM device_files WHERE id = ${fileId}`), 's3');
  const raw = path.join(PREFIX2, 'uploads', 'raw', sid);
  assert.deepEqual(existsSync(raw) ? readdirSync(raw) : [], [], 'no local device file');
  const dl = await call('GET', `/api/v1/sessions/${sid}/device-data/${fileId}/download`, { token: admin.token });
  assert.equal(dl.status, 200);
  assert.ok(dl.body.equals(tcx), 'the device file downloads from the bucket');

  const r = runAsStack('stint-report', [sid], { env: { TMPDIR: tmpDir() } });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.deepEqual(readdirSync(tmpDir()), [], 'the report builder\'s copy of the device file is gone');
  assert.deepEqual(psql2(`SELECT string_agg(storage, ',' ORDER BY id) FROM artifacts WHERE session_id = '${sid}'`), 's3,s3,s3');
  assert.equal(existsSync(path.join(PREFIX2, 'reports', sid, out.run)), false, 'no local copy of the run');
  const html = await call('GET', out.report_url, { token: admin.token });
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.match(html.headers.get('content-disposition'), /^inline; /);
  assert.match(html.headers.get('content-security-policy'), /default-src 'none'/);
  const obj = await s3.request('GET', `${KEY_PREFIX}reports/${sid}/${out.run}/report.html`);
  assert.equal(obj.status, 200);
  assert.ok(html.body.equals(obj.body), 'the page is the object');
  assert.match(html.body.toString(), /Team summary/);
  // built from the device file read from the bucket: test.tcx's known distance (docs/report.md)
  const arts = JSON.parse((await call('GET', `/api/v1/sessions/${sid}/artifacts`, { token: admin.token })).body);
  const mj = arts.find((a) => a.content_type === 'application/json');
  const metrics = JSON.parse((await call('GET', `/media/sessions/${sid}/artifacts/${mj.id}`, { token: admin.token })).body);
  const tina = metrics.players.find((p) => p.player === 'Tina');
  assert.ok(Math.abs(tina.distance_m - 4686.3) / 4686.3 < 0.01, `${tina.distance_m} vs 4686.3`);
  const stranger = makeUser('coach');
  assert.equal((await call('GET', out.report_url, { token: stranger.token })).status, 403);
});

test('a stored match report (report, charts, CSVs) goes to the bucket, no host keeps it, and downloads from it', async () => {
  const imp = await call('POST', '/api/v1/imports', {
    token: admin.token, body: readFileSync(path.join(DATA, 'volleyball', 'example_data.dvw')),
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(imp.status, 201, imp.body.toString());
  const sid = imp.json.session.id;
  const mark = s3requests().length;
  const stored = await call('POST', `/api/v1/sessions/${sid}/match-report`, { token: admin.token });
  assert.equal(stored.status, 201, stored.body.toString());
  const arts = stored.json.artifacts;
  assert.deepEqual(arts.map((a) => a.meta.part), ['report', 'attack-a', 'serve-a', 'reception-a', 'attack-b', 'serve-b',
    'reception-b', 'rotation', 'events', 'players']);
  assert.equal(psql2(`SELECT string_agg(DISTINCT storage, ',') FROM artifacts WHERE session_id = '${sid}'`), 's3');
  const puts = s3requests(mark).filter((r) => r.method === 'PUT' && r.status === 200).map((r) => r.path);
  assert.equal(puts.length, arts.length, 'one object per artifact');
  assert.ok(puts.every((k) => k.startsWith(`/media/${KEY_PREFIX}reports/${sid}/match-`)), puts.join());
  const dir = path.join(PREFIX2, 'reports', sid);
  assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], [], 'no local copy of the run');
  const objects = new Set();
  for (const k of puts) objects.add(sha((await s3.request('GET', k.replace('/media/', ''))).body));
  for (const a of arts) {
    const dl = await call('GET', a.download_url, { token: admin.token });
    assert.equal(dl.status, 200, a.download_url);
    assert.ok(objects.has(sha(dl.body)), `${a.meta.part} downloads as its object`);
  }
});

test('the retention sweep purges an old report run\'s objects and an archived session\'s objects', async () => {
  const { sid } = await reportSession('s3 retention');
  const older = JSON.parse(runReport(sid).stdout.trim().split('\n').pop());
  const current = JSON.parse(runReport(sid).stdout.trim().split('\n').pop());
  const mp4 = readFileSync(path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4'));
  const clip = await call('POST', `/api/v1/sessions/${sid}/clips/upload?kind=video&title=KATS`, {
    token: admin.token, body: mp4, headers: { 'content-type': 'video/mp4' },
  });
  assert.equal(clip.status, 201);
  const status = async (key) => (await s3.request('GET', `${KEY_PREFIX}${key}`)).status;
  const sweep = () => runAsStack('stint-spooler', ['--var-dir', PREFIX2, '--sweep-once']);

  psql2(`UPDATE artifacts SET created_at = now() - interval '31 days' WHERE session_id = '${sid}'`);
  const first = sweep();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^purged [1-9]\d* report runs$/m);
  for (const f of ['report.html', 'metrics.json', 'metrics.csv']) {
    assert.equal(await status(`reports/${sid}/${older.run}/${f}`), 404, `the old run's ${f} is gone from the bucket`);
    assert.equal(await status(`reports/${sid}/${current.run}/${f}`), 200, `the current run's ${f} stays`);
  }
  assert.equal((await call('GET', current.report_url, { token: admin.token })).status, 200);

  // deleted (archived), then past archive_retention_days: every object of the session goes
  const device = psql2(`SELECT path FROM device_files WHERE session_id = '${sid}'`);
  assert.equal(await status(device), 200);
  assert.equal((await call('DELETE', `/api/v1/sessions/${sid}`, { token: admin.token })).status, 204);
  psql2(`UPDATE backups SET created_at = now() - interval '31 days' WHERE session_id = '${sid}'`);
  const second = sweep();
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /^purged 1 archived sessions$/m);
  assert.equal(await status(clip.json.path), 404, 'the clip\'s object is gone');
  assert.equal(await status(device), 404, 'the device file\'s object is gone');
  for (const f of ['report.html', 'metrics.json', 'metrics.csv']) {
    assert.equal(await status(`reports/${sid}/${current.run}/${f}`), 404, `the report's ${f} is gone`);
  }
});

test('S3 stopped: the completing PATCH is 503 with the part file kept, the report fails naming the bucket; both work once S3 is back', async () => {
  const sid = await session(coach.token, 's3 down');
  const { sid: rsid } = await reportSession('s3 down report');
  const up = await tusAllButLast(sid, VIDEO, coach.token);
  const small = await call('POST', `/api/v1/sessions/${sid}/clips/upload?kind=video&title=KATS`, {
    token: coach.token, body: readFileSync(path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4')),
    headers: { 'content-type': 'video/mp4' },
  });
  assert.equal(small.status, 201);
  await stopS3();
  try {
    const an = runAnalyze(sid, small.json.id, 'loudness');
    assert.equal(an.status, 1, 'retried later, not failed for good');
    assert.match(an.stderr, /could not be read from the media bucket: S3 unreachable at/);
    assert.deepEqual(readdirSync(path.join(DIR, 'tmp')), [], 'no temporary copy left');

    const down = await up.last();
    assert.equal(down.status, 503, down.body.toString());
    assert.equal(down.json.error.code, 'storage_unavailable');
    assert.match(down.json.error.message, /media storage \(S3\).*upload is kept/);
    assert.equal(down.headers.get('retry-after'), '30');
    const part = path.join(PREFIX2, 'uploads', 'tus', `${up.id}.part`);
    assert.ok(existsSync(part), 'the part file is kept');
    const head = await call('HEAD', up.url, { token: coach.token, headers: TUS });
    assert.equal(head.headers.get('upload-offset'), String(up.at), 'the offset stays before the last chunk');
    assert.equal(psql2(`SELECT count(*) FROM clips WHERE session_id = '${sid}'`), '1', 'only the small upload');
    assert.match(readFileSync(path.join(PREFIX2, 'log', 'uploads.log'), 'utf8'),
      new RegExp(`not stored in S3: S3 unreachable at http://127\\.0\\.0\\.1:${S3_PORT}`), 'the log says why');

    const r = runReport(rsid);
    assert.equal(r.status, 1, 'a failure to retry');
    assert.match(r.stderr, /device tcx1: its file could not be read from the media bucket: S3 unreachable at/);
    assert.equal(psql2(`SELECT processing_status FROM sessions WHERE id = '${rsid}'`), 'failed');
    assert.equal(psql2(`SELECT count(*) FROM artifacts WHERE session_id = '${rsid}'`), '0');
    assert.deepEqual(existsSync(path.join(PREFIX2, 'reports', rsid)) ? readdirSync(path.join(PREFIX2, 'reports', rsid)) : [], [],
      'no run left behind');

    // a device file: 503, nothing kept anywhere
    const dev = await call('POST', `/api/v1/sessions/${rsid}/device-data?device=tcx2&name=test.tcx&format=tcx`, {
      token: admin.token, body: readFileSync(path.join(DATA, 'gps', 'test.tcx')), headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(dev.status, 503, dev.body.toString());
    assert.equal(dev.json.error.code, 'storage_unavailable');
    assert.equal(psql2(`SELECT count(*) FROM device_files WHERE session_id = '${rsid}' AND device_id = 'tcx2'`), '0');
    assert.deepEqual(readdirSync(path.join(PREFIX2, 'uploads', 'raw', rsid)), [], 'no local device file left');
  } finally {
    await startS3();
  }
  const again = await up.last();
  assert.equal(again.status, 204, again.body.toString());
  const clip = (await call('GET', again.headers.get('stint-clip'), { token: coach.token })).json;
  const whole = await call('GET', `/media/sessions/${sid}/clips/${clip.id}`, { token: coach.token });
  assert.equal(sha(whole.body), sha(VIDEO), 'the upload completed whole after S3 came back');
  const r = runReport(rsid);
  assert.equal(r.status, 0, r.stderr);
  await sleep(0);
});

test('backup carries the media bucket: the clip is in the archive with its SHA-256; restore puts it into a new stack\'s bucket', async () => {
  const sid = await session(admin.token, 's3 backup');
  const mp4 = readFileSync(path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4'));
  const up = await call('POST', `/api/v1/sessions/${sid}/clips/upload?kind=video&title=KATS`, {
    token: admin.token, body: mp4, headers: { 'content-type': 'video/mp4' },
  });
  assert.equal(up.status, 201, up.body.toString());
  const clip = up.json;
  assert.equal(existsSync(path.join(PREFIX2, clip.path)), false, 'the clip is only in the bucket');

  const archive = path.join(DIR, 'backup.tar');
  const out = run(['backup', archive, '--prefix', PREFIX2]);
  assert.match(out, /^backup: .*backup\.tar \(\d+ bytes; .*; \d+ files, [1-9]\d* of them from the media bucket\)$/m);
  const manifest = execFileSync('tar', ['-xOf', archive, 'manifest.txt'], { encoding: 'utf8' }).split('\n');
  assert.ok(manifest.includes(`file\t${mp4.length}\t${sha(mp4)}\tfiles/${clip.path}`), 'the clip with the uploaded bytes\' size and SHA-256');
  assert.ok(manifest.includes(`object\t${clip.path}\tvideo/mp4`), 'recorded as an object of the bucket');
  assert.ok(sha(execFileSync('tar', ['-xOf', archive, `files/${clip.path}`], { maxBuffer: 1 << 28 })) === sha(mp4),
    'the archive holds the bytes');
  assert.deepEqual(manifest.filter((l) => l.startsWith('missing\t')), [], 'no file a row names is missing');
  const named = psql2(`SELECT path FROM clips WHERE storage = 's3' UNION SELECT path FROM artifacts WHERE storage = 's3'
    UNION SELECT path FROM device_files WHERE storage = 's3' ORDER BY 1`).split('\n');
  assert.ok(named.length > 5, named.join());
  for (const p of named) {
    const obj = await s3.request('GET', `${KEY_PREFIX}${p}`);
    assert.ok(manifest.includes(`file\t${obj.body.length}\t${sha(obj.body)}\tfiles/${p}`), `${p} in the archive as in the bucket`);
  }

  // the loss: the clip's object is gone from the source's bucket
  assert.equal((await s3.request('DELETE', `${KEY_PREFIX}${clip.path}`)).status, 204);
  assert.equal((await call('GET', `/media/sessions/${sid}/clips/${clip.id}`, { token: admin.token })).status, 404);

  // an installed system's backup (--system: database_url, the settings file): the lost object is recorded missing
  const conf = path.join(DIR, 'system.conf');
  writeFileSync(conf, `media_storage = s3\nmedia_s3_prefix = ${KEY_PREFIX}\ns3_endpoint = http://127.0.0.1:${S3_PORT}\n`
    + `s3_bucket = media\ns3_access_key = stint-s3media\ns3_secret_key_file = ${path.join(DIR, 'secret')}\n`);
  const dbUrl = /^STINT_DATABASE_URL='(.*)'$/m.exec(readFileSync(path.join(PREFIX2, 'stint.env'), 'utf8'))[1]
    .replaceAll("'\\''", "'");
  const sysArchive = path.join(DIR, 'system.tar');
  const sysEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^STINT_(S3|MEDIA)_/.test(k)));
  const sys = spawnSync(BIN, ['backup', '--system', sysArchive, '--prefix', PREFIX2],
    { env: { ...sysEnv, STINT_DATABASE_URL: dbUrl, STINT_CONFIG: conf }, encoding: 'utf8' });
  assert.equal(sys.status, 0, sys.stderr);
  assert.match(sys.stdout, /; \d+ files, [1-9]\d* of them from the media bucket\)$/m);
  assert.match(sys.stderr, /backup: 1 files named by rows were already missing from the stack/);
  const sysManifest = execFileSync('tar', ['-xOf', sysArchive, 'manifest.txt'], { encoding: 'utf8' }).split('\n');
  assert.deepEqual(sysManifest.filter((l) => l.startsWith('missing\t')), [`missing\t${clip.path}`]);
  assert.deepEqual(sysManifest.filter((l) => l.startsWith('object\t')),
    manifest.filter((l) => l.startsWith('object\t') && !l.includes(clip.path)), 'every other object is in it');
  rmSync(sysArchive);

  // a new stack whose media go to a fresh bucket
  run(['up', '--prefix', PREFIX3, '--port', PORT3, '--pg-port', PG_PORT3, '--no-demo', '--no-build'],
    { env: stackEnv({ STINT_MEDIA_S3_BUCKET: 'restored' }) });
  const fail = (args) => { try { run(args); } catch (e) { return `${e.stdout}${e.stderr}`; } return assert.fail(`${args[0]} succeeded`); };
  await stopS3();
  try {
    // --verify checks the archive's own files and sums: no bucket needed
    assert.match(run(['backup', '--verify', archive]), /^verify: .*backup\.tar is good /m);
    // a backup that cannot read the bucket writes nothing
    assert.match(fail(['backup', path.join(DIR, 'down.tar'), '--prefix', PREFIX2]),
      /S3 unreachable at http:\/\/127\.0\.0\.1:\d+.*\n.*could not copy the files rows keep in the media bucket .*no archive written/s);
    assert.deepEqual(readdirSync(DIR).filter((f) => f.includes('down.tar')), [], 'no archive, no temporary one');
    // a restore that cannot put the files into the bucket stops before the database
    assert.match(fail(['restore', archive, '--prefix', PREFIX3]), /could not store them in its bucket .*Nothing was changed/s);
    assert.equal(run(['psql', '--prefix', PREFIX3, '-X', '-A', '-t', '-c', 'SELECT count(*) FROM sessions']).trim(), '0',
      'the stack is as it was');
  } finally {
    await startS3();
  }

  // stint-admin media: a name that is not a stored file's is refused; an absent object is "missing"
  const scratch = path.join(tmpDir(), 'fetch');
  assert.match(runAsStack('stint-admin', ['media', 'fetch', scratch], { input: '' }).stderr, /fetch: .*\/fetch is not a folder/);
  mkdirSync(scratch, { mode: 0o777 });
  chmodSync(scratch, 0o777);
  const bad = runAsStack('stint-admin', ['media', 'fetch', scratch], { input: 'media/../../etc/passwd\n' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /media fetch: media\/\.\.\/\.\.\/etc\/passwd is not a stored file's name/);
  const none = runAsStack('stint-admin', ['media', 'fetch', scratch], { input: `${clip.path}\tvideo/mp4\n` });
  assert.equal(none.status, 0, none.stderr);
  assert.equal(none.stdout, `missing\t${clip.path}\n`, 'the deleted object is reported missing');
  assert.equal(existsSync(path.join(scratch, clip.path)), false);
  rmSync(scratch, { recursive: true, force: true });

  const restored = run(['restore', archive, '--prefix', PREFIX3]);
  assert.match(restored, /^restore: .* restored into .*, (\d+) files, \1 of them into the media bucket\)$/m, restored);
  assert.equal(existsSync(path.join(PREFIX3, clip.path)), false, 'no local copy: the rows say s3');
  const fresh = new S3({ endpoint: `http://127.0.0.1:${S3_PORT}`, bucket: 'restored', accessKey: 'stint-s3media', secretKey: SECRET });
  const obj = await fresh.request('GET', `${KEY_PREFIX}${clip.path}`);
  assert.equal(obj.status, 200);
  assert.equal(sha(obj.body), sha(mp4), 'the clip is back in a bucket');
  assert.equal(obj.headers['content-type'], 'video/mp4', 'with its Content-Type');
  for (const p of named) assert.equal((await fresh.request('GET', `${KEY_PREFIX}${p}`)).status, 200, `${p} restored to the bucket`);

  const BASE3 = `http://127.0.0.1:${PORT3}`;
  await until('the restored stack is ready', async () => (await fetch(`${BASE3}/readyz`).catch(() => null))?.status === 200, 30000);
  const media = `${BASE3}/media/sessions/${sid}/clips/${clip.id}`;
  const auth = { authorization: `Bearer ${admin.token}` };
  const whole = await fetch(media, { headers: auth });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-type'), 'video/mp4');
  assert.equal(sha(Buffer.from(await whole.arrayBuffer())), sha(mp4), 'the restored stack serves the clip, byte for byte');
  const part = await fetch(media, { headers: { ...auth, range: 'bytes=1000-1999' } });
  assert.equal(part.status, 206);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(mp4.subarray(1000, 2000)), 'and seeks in it');
});
