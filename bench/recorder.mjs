// bench/recorder.mjs: fills the S3 test server's bucket with RECORDINGS recordings in session-recorder's
// layout, RECORDERS recorders, 10 objects each (metadata.json, data.ogg, data.flac, waveform.dat,
// overview.png and 5 segment files the sync lists and ignores), through signed PUTs. Environment:
// S3_URL, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, RECORDINGS [1000], RECORDERS [10].
// Prints {"objects", "seconds"}.
import { S3, recordingObjects } from '../tests/s3/client.mjs';

const recordings = Number(process.env.RECORDINGS ?? 1000);
const recorders = Number(process.env.RECORDERS ?? 10);
const s3 = new S3({ endpoint: process.env.S3_URL, bucket: process.env.S3_BUCKET, accessKey: process.env.S3_ACCESS_KEY,
  secretKey: process.env.S3_SECRET_KEY });
const objects = [];
for (let r = 0; r < recorders; r++) objects.push([`court-${r}/metadata.json`, JSON.stringify({ id: `court-${r}`, name: `Court ${r}` })]);
for (let i = 0; i < recordings; i++) {
  const rid = `court-${i % recorders}`;
  const id = `rec-${String(i).padStart(5, '0')}`;
  const start = new Date(Date.UTC(2026, 0, 1) + i * 3600000);
  objects.push(...recordingObjects(rid, id, start, 3000));
  for (let s = 0; s < 5; s++) objects.push([`${rid}/sessions/${id}/segments/${s}.json`, `{"segment": ${s}}`]);
}
const t0 = performance.now();
await S3.each(objects, ([k, b]) => s3.put(k, b), 16);
s3.close();
console.log(JSON.stringify({ objects: objects.length, seconds: (performance.now() - t0) / 1000 }));
