// recorder-fixture.mjs: a real recording in the test stack's recorder bucket, for the recorder-link
// and browser tests: the audio of a real clip (../shared/data) encoded by ffmpeg as session-recorder
// writes it (data.ogg, data.flac, overview.png drawn from the waveform, waveform.dat), put into the
// S3 test server that tests/run.sh started (its STINT_S3_* settings), and its recorder_sessions row
// as a sync leaves it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PREFIX, REPO } from './lib.mjs';
import { S3 } from '../s3/client.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
export const CLIP = path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4');

/** The test server's bucket, as the stack is configured to use it. */
export function bucket() {
  const env = process.env;
  for (const k of ['STINT_S3_ENDPOINT', 'STINT_S3_BUCKET', 'STINT_S3_ACCESS_KEY', 'STINT_S3_SECRET_KEY_FILE']) {
    if (!env[k]) throw new Error(`${k} is not set: run the test through bin/stint test, which starts the S3 test server`);
  }
  return new S3({ endpoint: env.STINT_S3_ENDPOINT, bucket: env.STINT_S3_BUCKET, accessKey: env.STINT_S3_ACCESS_KEY,
    secretKey: readFileSync(env.STINT_S3_SECRET_KEY_FILE, 'utf8').trim() });
}

export function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}
export const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);

let encoded;
/** The clip's audio as the recorder's files: {ogg, flac, overview, waveform} Buffers and durationS. */
export function recorderFiles() {
  if (encoded) return encoded;
  const dir = mkdtempSync(path.join(tmpdir(), 'stint-rec-'));
  const ff = (...args) => execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', CLIP, ...args]);
  ff('-vn', '-ac', '1', '-c:a', 'libvorbis', '-q:a', '3', path.join(dir, 'data.ogg'));
  ff('-vn', '-ac', '1', '-c:a', 'flac', path.join(dir, 'data.flac'));
  ff('-filter_complex', 'aformat=channel_layouts=mono,showwavespic=s=1200x120:colors=0b6e4f', '-frames:v', '1',
    path.join(dir, 'overview.png'));
  // waveform.dat: 8-bit peaks of the audio, one min/max pair per 256 samples (audiowaveform's version 1 layout)
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', CLIP, '-vn', '-ac', '1', '-ar', '8000', '-f', 's8', '-'],
    { maxBuffer: 64 << 20 });
  const pairs = Math.ceil(pcm.length / 256);
  const head = Buffer.alloc(20);
  head.writeInt32LE(1, 0); head.writeUInt32LE(1, 4); head.writeInt32LE(8000, 8); head.writeInt32LE(256, 12);
  head.writeUInt32LE(pairs, 16);
  const peaks = Buffer.alloc(pairs * 2);
  for (let i = 0; i < pairs; i++) {
    const s = new Int8Array(pcm.buffer, pcm.byteOffset + i * 256, Math.min(256, pcm.length - i * 256));
    peaks.writeInt8(Math.min(...s), 2 * i);
    peaks.writeInt8(Math.max(...s), 2 * i + 1);
  }
  const durationS = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0',
    path.join(dir, 'data.ogg')], { encoding: 'utf8' }).trim());
  encoded = {
    ogg: readFileSync(path.join(dir, 'data.ogg')), flac: readFileSync(path.join(dir, 'data.flac')),
    overview: readFileSync(path.join(dir, 'overview.png')), waveform: Buffer.concat([head, peaks]), durationS,
  };
  rmSync(dir, { recursive: true, force: true });
  return encoded;
}

const NAMES = { ogg: 'data.ogg', flac: 'data.flac', overview: 'overview.png', waveform: 'waveform.dat' };

/**
 * Remove what realRecording() made for recorders whose id starts with `prefix`: their objects in the
 * bucket and their rows (a sync run by a later test would otherwise find them, or find them gone).
 */
export async function removeRecorders(prefix) {
  const s3 = bucket();
  const keys = sql(`SELECT k.v FROM recorder_sessions rs, jsonb_each_text(rs.object_keys) k(n, v)
    WHERE rs.recorder_id LIKE ${q(`${prefix}%`)}`);
  for (const key of keys) await s3.del(key);
  s3.close();
  sql(`DELETE FROM recorders WHERE recorder_id LIKE ${q(`${prefix}%`)}`);
}

/**
 * Recording `id` of recorder `recorderId` (made when missing), starting at `start` (ISO text), with
 * the clip's files in the bucket and its row in recorder_sessions. Returns {row, keys, files}.
 */
export async function realRecording(recorderId, id, start, name = `Recording ${id}`) {
  const files = recorderFiles();
  const s3 = bucket();
  const base = `${recorderId}/sessions/${id}/`;
  const keys = { metadata: `${base}metadata.json` };
  const meta = { id, recorder_id: recorderId, name, start_time: start, duration: Math.round(files.durationS * 1e9),
    is_closed: true, keep: false, segments: {} };
  await s3.put(keys.metadata, JSON.stringify(meta));
  for (const [f, n] of Object.entries(NAMES)) {
    keys[f] = base + n;
    await s3.put(keys[f], files[f]);
  }
  s3.close();
  sql(`INSERT INTO recorders (recorder_id, name) VALUES (${q(recorderId)}, 'Court recorder') ON CONFLICT DO NOTHING`);
  const end = new Date(Date.parse(start) + files.durationS * 1000).toISOString();
  const row = Number(sql(`INSERT INTO recorder_sessions (recorder_id, recording_id, name, start_time, end_time, duration_ns,
    is_closed, object_keys, metadata) VALUES (${q(recorderId)}, ${q(id)}, ${q(name)}, ${q(start)}, ${q(end)},
    ${meta.duration}, true, ${q(JSON.stringify(keys))}, ${q(JSON.stringify(meta))}) RETURNING id`)[0]);
  return { row, keys, files };
}
