// bench/scale.mjs: the live part of bench/scale (which starts the cluster and calls this). Node's
// built-ins only. SUBSCRIBERS EventSource subscribers on one session, half straight to web host 1,
// half to web host 2 (spread over SUB_THREADS worker threads, bench/live.mjs's subscriber threads); a publisher POSTs MESSAGES
// pose_update messages through the API of web host 1 (validation, storage, publish to nchan, which
// keeps the channel in redis), one every INTERVAL_MS, each stamped with the monotonic clock
// (process.hrtime: the same clock in every thread) in data.timestamp. A receiver's latency is its
// arrival time minus the stamp; p50/p99/max over every (message, subscriber) pair after WARMUP
// messages, for the subscribers of each host and for all.
//
// Environment: WEB1, WEB2 (base URLs), BENCH_TOKEN, SUBSCRIBERS [1000], MESSAGES [200], WARMUP [20],
// INTERVAL_MS [50], SUB_THREADS [2]. Prints one JSON line on stdout; progress on stderr.
import { Worker } from 'node:worker_threads';

const now = () => Number(process.hrtime.bigint());  // ns, CLOCK_MONOTONIC
// the subscriber threads are bench/live.mjs's own (its worker branch: connect, measure, collect)
const SUBSCRIBER = new URL('./live.mjs', import.meta.url);

const env = (name, def) => (process.env[name] === undefined || process.env[name] === '' ? def : process.env[name]);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))] : NaN);
const WEB1 = env('WEB1', ''), WEB2 = env('WEB2', ''), TOKEN = env('BENCH_TOKEN', '');
const SUBSCRIBERS = Number(env('SUBSCRIBERS', 1000)), MESSAGES = Number(env('MESSAGES', 200));
const WARMUP = Number(env('WARMUP', 20)), INTERVAL_MS = Number(env('INTERVAL_MS', 50));
const SUB_THREADS = Math.max(1, Number(env('SUB_THREADS', 2)));
if (!WEB1 || !WEB2 || !TOKEN) throw new Error('WEB1, WEB2 and BENCH_TOKEN are needed (bench/scale sets them)');
const auth = { authorization: `Bearer ${TOKEN}` };

const made = await fetch(`${WEB1}/api/v1/sessions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'bench scale live', kind: 'training' }) });
if (made.status !== 201) throw new Error(`create session: HTTP ${made.status}`);
const { id } = await made.json();

// half the subscribers on each host, each half over SUB_THREADS threads
const plan = [];
for (const [host, base, n] of [['web1', WEB1, Math.ceil(SUBSCRIBERS / 2)], ['web2', WEB2, Math.floor(SUBSCRIBERS / 2)]]) {
  for (let t = 0; t < SUB_THREADS; t++) {
    const count = Math.floor(n / SUB_THREADS) + (t < n % SUB_THREADS ? 1 : 0);
    if (count > 0) plan.push({ host, count, w: new Worker(SUBSCRIBER, { workerData: { url: `${base}/live/sessions/${id}`, token: TOKEN, count } }) });
  }
}
const ask = (w, msg) => new Promise((resolve, reject) => {
  w.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
  w.postMessage(msg);
});
const t0 = Date.now();
await Promise.all(plan.map((p) => ask(p.w, { cmd: 'connect' })));
log(`  ${SUBSCRIBERS} subscribers connected in ${Date.now() - t0} ms`);
plan.forEach((p) => p.w.postMessage({ cmd: 'measure', warmup: WARMUP }));
const total = WARMUP + MESSAGES;
let failed = 0;
const start = performance.now();
const COCO = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder', 'left_elbow',
  'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'];
for (let i = 0; i < total; i++) {
  const due = start + i * INTERVAL_MS;
  if (performance.now() < due) await sleep(due - performance.now());
  const data = { timestamp: now() / 1e9, frame: i, keypoints: COCO.map((name, k) => ({ name, x: 0.5, y: 0.2 + k * 0.04, confidence: 0.9 })) };
  const res = await fetch(`${WEB1}/api/v1/sessions/${id}/live`, { method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'pose_update', data }) });
  await res.arrayBuffer();
  if (res.status !== 202) failed++;
}
const results = await Promise.all(plan.map((p) => ask(p.w, { cmd: 'collect', total, wait_ms: 10000 })));
await Promise.all(plan.map((p) => p.w.terminate()));
const summary = (which) => {
  const parts = results.filter((_, i) => which === 'all' || plan[i].host === which);
  const all = new Float64Array(parts.reduce((a, r) => a + r.latencies.length, 0));
  let off = 0;
  for (const r of parts) { all.set(r.latencies, off); off += r.latencies.length; }
  all.sort();
  const subs = plan.filter((p) => which === 'all' || p.host === which).reduce((a, p) => a + p.count, 0);
  return { subscribers: subs, delivered: all.length, expected: subs * MESSAGES,
    complete_subscribers: parts.reduce((a, r) => a + r.complete, 0),
    p50_ms: pct(all, 50), p99_ms: pct(all, 99), max_ms: all[all.length - 1] ?? NaN };
};
const row = { messages: MESSAGES, interval_ms: INTERVAL_MS, published_through: 'web1', publish_errors: failed,
  web1: summary('web1'), web2: summary('web2'), all: summary('all') };
process.stdout.write(`${JSON.stringify(row)}\n`);
