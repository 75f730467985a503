// demo.mjs: one recording made from a real clip's audio, put into the S3 test server in
// session-recorder's layout (docs/recorder.md), so that `bin/stint up` shows a recording that plays on a
// fresh machine. ffmpeg makes data.ogg (Vorbis), data.flac, overview.png (the waveform drawn); this
// script computes waveform.dat in audiowaveform's binary format version 1 (a 20-byte header: version 1,
// flags 0 = 16-bit, sample rate, samples per pixel, length; then a min and max int16 per pixel).
//
// Usage: S3_SECRET_KEY=... node tests/s3/demo.mjs --clip FILE.mp4 --start RFC3339 --endpoint URL
//          --bucket NAME --access-key KEY [--recorder ID] [--recording ID]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { S3 } from './client.mjs';

const { values: a } = parseArgs({
  options: {
    clip: { type: 'string' }, start: { type: 'string' }, endpoint: { type: 'string' }, bucket: { type: 'string' },
    'access-key': { type: 'string' }, recorder: { type: 'string', default: 'demo-recorder' },
    recording: { type: 'string', default: 'demo-rally' },
  },
});
if (!a.clip || !a.start || !a.endpoint || !a.bucket || !a['access-key'] || !process.env.S3_SECRET_KEY) {
  console.error('usage: S3_SECRET_KEY=.. demo.mjs --clip F --start T --endpoint URL --bucket B --access-key K');
  process.exit(2);
}

const RATE = 44100;
const PER_PIXEL = 256;
const dir = mkdtempSync(path.join(tmpdir(), 'stint-demo-rec-'));
const ff = (...args) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', a.clip, '-vn', ...args],
  { maxBuffer: 256 << 20 });
try {
  ff('-c:a', 'libvorbis', '-q:a', '4', path.join(dir, 'data.ogg'));
  ff('-c:a', 'flac', path.join(dir, 'data.flac'));
  ff('-filter_complex', 'aformat=channel_layouts=mono,showwavespic=s=1200x160:colors=0x2f6fb5', '-frames:v', '1',
    path.join(dir, 'overview.png'));
  const pcm = ff('-ac', '1', '-ar', String(RATE), '-f', 's16le', '-');
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length >> 1);
  const pixels = Math.ceil(samples.length / PER_PIXEL);
  const wave = Buffer.alloc(20 + pixels * 4);
  wave.writeInt32LE(1, 0);
  wave.writeUInt32LE(0, 4);
  wave.writeInt32LE(RATE, 8);
  wave.writeInt32LE(PER_PIXEL, 12);
  wave.writeUInt32LE(pixels, 16);
  for (let p = 0; p < pixels; p++) {
    let min = 0;
    let max = 0;
    for (let i = p * PER_PIXEL; i < Math.min(samples.length, (p + 1) * PER_PIXEL); i++) {
      if (samples[i] < min) min = samples[i];
      if (samples[i] > max) max = samples[i];
    }
    wave.writeInt16LE(min, 20 + p * 4);
    wave.writeInt16LE(max, 22 + p * 4);
  }
  const durationS = samples.length / RATE;
  const start = new Date(a.start);
  const base = `${a.recorder}/sessions/${a.recording}/`;
  const s3 = new S3({ endpoint: a.endpoint, bucket: a.bucket, accessKey: a['access-key'], secretKey: process.env.S3_SECRET_KEY });
  await s3.put(`${a.recorder}/metadata.json`, JSON.stringify({ id: a.recorder, name: 'Demo recorder (courtside)' }));
  for (const f of ['data.ogg', 'data.flac', 'overview.png']) await s3.put(base + f, readFileSync(path.join(dir, f)));
  await s3.put(`${base}waveform.dat`, wave);
  await s3.put(`${base}metadata.json`, JSON.stringify({
    id: a.recording, recorder_id: a.recorder, name: 'GKS Katowice v MKS Będzin, one rally (broadcast audio)',
    start_time: start.toISOString(), end_time: new Date(start.getTime() + durationS * 1000).toISOString(),
    duration: Math.round(durationS * 1e9), is_closed: true, keep: true, segments: {},
  }));
  s3.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
