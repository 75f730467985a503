// bench/upload.mjs BASE TOKEN SESSION FILE CHUNK_MIB: one tus 1.0 upload of FILE into SESSION
// as the editor's client makes it (create, then PATCH chunks of CHUNK_MIB in order), each chunk
// read from the file into one buffer (as a browser's File.slice hands it over) and sent. Prints JSON: { bytes, chunks, seconds, clip } (seconds from the
// creation to the last answer, which comes after ffprobe and the clip's row).
import { request } from 'node:http';
import { openSync, readSync, statSync } from 'node:fs';

const [base, token, sid, file, chunkMiB = '32'] = process.argv.slice(2);
const size = statSync(file).size;
const chunk = Number(chunkMiB) * 1024 * 1024;
const url = new URL(base);

function send(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path,
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const t0 = process.hrtime.bigint();
const created = await send('POST', `/api/v1/sessions/${sid}/uploads`, { 'upload-length': String(size),
  'upload-metadata': `kind ${Buffer.from('video').toString('base64')},filename ${Buffer.from('bench.mp4').toString('base64')}` });
if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode}`);
const loc = created.headers.location;
const fd = openSync(file, 'r');
const buf = Buffer.allocUnsafe(chunk);
let offset = 0;
let chunks = 0;
let clip = null;
while (offset < size) {
  const end = Math.min(offset + chunk, size);
  const n = readSync(fd, buf, 0, end - offset, offset);
  const res = await send('PATCH', loc, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream',
    'content-length': String(n) }, buf.subarray(0, n));
  if (res.statusCode !== 204) throw new Error(`PATCH at ${offset}: ${res.statusCode}`);
  offset = Number(res.headers['upload-offset']);
  clip = res.headers['stint-clip'] ?? null;
  chunks++;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ bytes: size, chunks, seconds, clip }));
