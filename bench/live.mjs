// bench/live.mjs: the load clients of bench/live (which starts the stack and
// calls this). Node's built-ins only (fetch, http, worker_threads).
//
// 1. Latency: for each subscriber count, N EventSource subscribers on
//    /live/sessions/<id> (spread over SUB_THREADS worker threads); a
//    publisher sends MESSAGES pose_update messages, one every INTERVAL_MS,
//    each stamped with the monotonic clock (process.hrtime, the same clock in
//    every thread) in data.timestamp, (a) through the API (POST
//    /api/v1/sessions/<id>/live: validation, storage, publish) and (b)
//    straight to nchan's publisher socket. A receiver's latency is its
//    arrival time minus the stamp; p50/p99/max over every (message,
//    subscriber) pair after WARMUP messages.
// 2. Throughput: CLIENTS devices, each its own session, POST pose_update
//    batches of BATCH frames back to back for DURATION s; frames/s counted
//    from the 202 answers and checked against the rows stored. Then
//    nchan's own rate in the same run: CLIENTS clients POST one stored
//    pose_updated message each (same bytes) to the publisher socket, back
//    to back, for DURATION s.
// 3. The socket (seed 001): a ProjectClimb-style client, a plain WebSocket
//    (node's own; no Stint code), sends SOCKET_FRAMES pose_update frames in
//    its own format ({"type": "pose_update", "pose": [33 landmarks]}) over
//    /ws/session-live/<id>/, one every SOCKET_INTERVAL_MS (30 a second),
//    while SOCKET_LISTENERS other clients listen there. The first landmark
//    carries the frame's number as its name, so order can be checked: every
//    listener must get every frame once, in order; the session's timeline
//    must hold them all, in order. Latency: a listener's arrival time minus
//    the moment the sender sent the frame; p50/p99/max over every (frame,
//    listener) pair.
//
// Environment: BENCH_URL, BENCH_TOKEN (write), BENCH_NCHAN_SOCK, BENCH_PREFIX
// (for psql), SUBSCRIBERS [1,100,1000], MESSAGES [200], WARMUP [20],
// INTERVAL_MS [50], SUB_THREADS [2], CLIENTS [8], BATCH [30], DURATION [20],
// SOCKET_FRAMES [1000], SOCKET_INTERVAL_MS [33], SOCKET_LISTENERS [2],
// PHASES [latency,api,nchan,socket] (which parts run).
// Prints the results as one JSON line on stdout; progress on stderr.
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const now = () => Number(process.hrtime.bigint());  // ns, CLOCK_MONOTONIC
const STAMP = /"timestamp": ?([0-9.eE+-]+)/;
const FRAME = /"frame": ?(\d+)/;

// --- subscriber threads --------------------------------------------------------------

if (!isMainThread) {
  const { url, token, count } = workerData;
  const subs = [];
  let latencies = [];
  let counted = 0;
  let warmup = Infinity;

  const connect = () => new Promise((resolve, reject) => {
    const sub = { got: 0, req: null };
    sub.req = http.get(url, { agent: false, headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`subscribe: HTTP ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk) => {
        const t = now();
        buf += chunk;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          if (block.startsWith(':')) { resolve(sub); continue; }
          const s = STAMP.exec(block), f = FRAME.exec(block);
          if (!s || !f) continue;
          sub.got++;
          if (Number(f[1]) >= warmup) {
            latencies.push((t - Number(s[1]) * 1e9) / 1e6);
            counted++;
          }
        }
      });
      res.on('error', () => {});
    });
    sub.req.on('error', reject);
    sub.req.setTimeout(0);
  });

  parentPort.on('message', async (msg) => {
    if (msg.cmd === 'connect') {
      try {
        for (let i = 0; i < count; i += 50) {
          const batch = Array.from({ length: Math.min(50, count - i) }, connect);
          subs.push(...await Promise.all(batch));
        }
        parentPort.postMessage({ ready: subs.length });
      } catch (e) {
        parentPort.postMessage({ error: String(e) });
      }
    } else if (msg.cmd === 'measure') {
      warmup = msg.warmup;
    } else if (msg.cmd === 'collect') {
      const deadline = Date.now() + msg.wait_ms;
      while (subs.some((s) => s.got < msg.total) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const out = Float64Array.from(latencies);
      parentPort.postMessage({ latencies: out, counted, complete: subs.filter((s) => s.got >= msg.total).length }, [out.buffer]);
      latencies = [];
      for (const s of subs) s.req.destroy();
    }
  });
}

// --- main thread ---------------------------------------------------------------------------

function env(name, def) {
  const v = process.env[name];
  return v === undefined || v === '' ? def : v;
}

function log(...a) { process.stderr.write(`${a.join(' ')}\n`); }

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
}

const COCO = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
  'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
  'right_knee', 'left_ankle', 'right_ankle'];

/** A pose frame of 17 named COCO keypoints (the size the simulator sends). */
function frame(n, stamp) {
  return {
    timestamp: stamp, frame: n,
    keypoints: COCO.map((name, k) => ({ name, x: +(0.5 + 0.1 * Math.sin(n / 9 + k)).toFixed(4),
      y: +(0.2 + k * 0.04 + 0.01 * Math.cos(n / 7)).toFixed(4), confidence: +(0.9 + 0.05 * Math.sin(k + n)).toFixed(4) })),
  };
}

async function main() {
  const BASE = env('BENCH_URL', 'http://127.0.0.1:18880');
  const TOKEN = env('BENCH_TOKEN', '');
  const SOCK = env('BENCH_NCHAN_SOCK', '');
  const PREFIX = env('BENCH_PREFIX', '');
  const SUBSCRIBERS = env('SUBSCRIBERS', '1,100,1000').split(/[ ,]+/).filter(Boolean).map(Number);
  const MESSAGES = Number(env('MESSAGES', 200));
  const WARMUP = Number(env('WARMUP', 20));
  const INTERVAL_MS = Number(env('INTERVAL_MS', 50));
  const SUB_THREADS = Number(env('SUB_THREADS', 2));
  const CLIENTS = Number(env('CLIENTS', 8));
  const BATCH = Number(env('BATCH', 30));
  const DURATION = Number(env('DURATION', 20));
  const PHASES = env('PHASES', 'latency,api,nchan,socket').split(',');
  const SOCKET_FRAMES = Number(env('SOCKET_FRAMES', 1000));
  const SOCKET_INTERVAL_MS = Number(env('SOCKET_INTERVAL_MS', 33));
  const SOCKET_LISTENERS = Number(env('SOCKET_LISTENERS', 2));
  if (!TOKEN || !SOCK) throw new Error('BENCH_TOKEN and BENCH_NCHAN_SOCK are needed (bench/live sets them)');
  const auth = { authorization: `Bearer ${TOKEN}` };
  const nchanAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  async function createSession(title) {
    const res = await fetch(`${BASE}/api/v1/sessions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title, kind: 'training' }) });
    if (res.status !== 201) throw new Error(`create session: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()).id;
  }

  async function postLive(id, data) {
    const res = await fetch(`${BASE}/api/v1/sessions/${id}/live`, { method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'pose_update', data }) });
    await res.arrayBuffer();
    return res.status;
  }

  function postNchan(channel, body, method = 'POST') {
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: SOCK, path: `/pub/sessions/${channel}`, method, agent: nchanAgent,
        headers: { 'content-type': 'application/json', 'x-eventsource-event': 'pose_updated', 'content-length': Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
      req.on('error', reject);
      req.end(body);
    });
  }

  // nchan keeps up to 1,000 messages a channel for 2 h in its shared memory
  // (32 MB unless nchan_max_reserved_memory says otherwise): each phase
  // deletes its channels so that the next one starts with the memory free.
  const dropChannels = (ids) => Promise.all(ids.map((id) => postNchan(id, '', 'DELETE')));

  // --- 1. latency ------------------------------------------------------------------------
  async function latency(n, via) {
    const id = await createSession(`bench live latency ${n} ${via}`);
    const threads = Math.max(1, Math.min(SUB_THREADS, n));
    const shares = Array.from({ length: threads }, (_, i) => Math.floor(n / threads) + (i < n % threads ? 1 : 0));
    const workers = shares.map((count) => new Worker(fileURLToPath(import.meta.url),
      { workerData: { url: `${BASE}/live/sessions/${id}`, token: TOKEN, count } }));
    const ask = (w, msg) => new Promise((resolve, reject) => {
      w.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      w.postMessage(msg);
    });
    const t0 = Date.now();
    await Promise.all(workers.map((w) => ask(w, { cmd: 'connect' })));
    log(`  ${n} subscribers connected in ${Date.now() - t0} ms (${via})`);
    workers.forEach((w) => w.postMessage({ cmd: 'measure', warmup: WARMUP }));
    const total = WARMUP + MESSAGES;
    let failed = 0;
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + i * INTERVAL_MS;
      if (performance.now() < due) await sleep(due - performance.now());
      const stamp = now() / 1e9;
      let status;
      if (via === 'api') {
        status = await postLive(id, frame(i, stamp));
      } else {
        const body = JSON.stringify({ type: 'pose_updated', session_id: id, seq: i + 1, at: new Date().toISOString(), data: frame(i, stamp) });
        status = await postNchan(id, body);
      }
      if (status !== 202 && status !== 201) failed++;
    }
    const results = await Promise.all(workers.map((w) => ask(w, { cmd: 'collect', total, wait_ms: 10000 })));
    await Promise.all(workers.map((w) => w.terminate()));
    await dropChannels([id]);
    const all = new Float64Array(results.reduce((a, r) => a + r.latencies.length, 0));
    let off = 0;
    for (const r of results) { all.set(r.latencies, off); off += r.latencies.length; }
    all.sort();
    const row = { subscribers: n, via, messages: MESSAGES, interval_ms: INTERVAL_MS,
      delivered: all.length, expected: n * MESSAGES, complete_subscribers: results.reduce((a, r) => a + r.complete, 0),
      publish_errors: failed, p50_ms: pct(all, 50), p99_ms: pct(all, 99), max_ms: all[all.length - 1] ?? NaN };
    log(`  ${JSON.stringify(row)}`);
    return row;
  }

  // --- 2. throughput ---------------------------------------------------------------------
  async function closedLoop(clients, seconds, once) {
    const lat = [], bad = {};
    let ok = 0;
    const end = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let k = 0; performance.now() < end; k++) {
        const t = performance.now();
        const status = await once(c, k);
        lat.push(performance.now() - t);
        if (status === 202 || status === 201) ok++; else bad[status] = (bad[status] ?? 0) + 1;
      }
    }));
    const took = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    return { ok, bad, seconds: took, p50_ms: pct(lat, 50), p99_ms: pct(lat, 99) };
  }

  function psql(sql) {
    return execFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../bin/stint'),
      ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', sql], { encoding: 'utf8' }).trim();
  }

  async function apiThroughput() {
    const ids = [];
    for (let c = 0; c < CLIENTS; c++) ids.push(await createSession(`bench live throughput ${c}`));
    const bodies = ids.map(() => null);
    const r = await closedLoop(CLIENTS, DURATION, async (c, k) => {
      const base = k * BATCH;
      bodies[c] = { frames: Array.from({ length: BATCH }, (_, i) => frame(base + i, now() / 1e9)) };
      return postLive(ids[c], bodies[c]);
    });
    await sleep(1500);
    const list = ids.map((i) => `'${i}'`).join(',');
    const [stored, published] = psql(`SELECT count(*), count(published_at) FROM live_messages WHERE session_id IN (${list})`).split('|').map(Number);
    const sample = psql(`SELECT body::text FROM live_messages WHERE session_id = '${ids[0]}' ORDER BY seq DESC LIMIT 1`);
    await dropChannels(ids);
    const row = { clients: CLIENTS, batch: BATCH, requests: r.ok, failed: r.bad, seconds: r.seconds,
      frames_per_s: (r.ok * BATCH) / r.seconds, stored, stored_per_s: stored / r.seconds, published,
      request_p50_ms: r.p50_ms, request_p99_ms: r.p99_ms, message_bytes: Buffer.byteLength(sample),
      batch_bytes: Buffer.byteLength(JSON.stringify({ type: 'pose_update', data: bodies[0] })) };
    log(`  ${JSON.stringify(row)}`);
    return { row, sample };
  }

  async function nchanThroughput(sample) {
    const channels = Array.from({ length: CLIENTS }, () => randomUUID());
    const r = await closedLoop(CLIENTS, DURATION, (c) => postNchan(channels[c], sample));
    await dropChannels(channels);
    const row = { clients: CLIENTS, messages: r.ok, failed: r.bad, seconds: r.seconds, messages_per_s: r.ok / r.seconds,
      request_p50_ms: r.p50_ms, request_p99_ms: r.p99_ms, message_bytes: Buffer.byteLength(sample) };
    log(`  ${JSON.stringify(row)}`);
    return row;
  }

  /** MediaPipe's 33 pose landmarks as ProjectClimb sends them; the first named f<n>. */
  function landmarks(n) {
    return Array.from({ length: 33 }, (_, k) => ({ x: 0.3 + k / 100, y: 0.2 + (n % 30) / 100, z: -0.1,
      visibility: 0.9, ...(k === 0 ? { name: `f${n}` } : {}) }));
  }

  async function socketPhase() {
    if (typeof WebSocket !== 'function') throw new Error('this node has no WebSocket (node >= 22, or --experimental-websocket)');
    const id = await createSession('bench socket');
    const url = `${BASE.replace(/^http/, 'ws')}/ws/session-live/${id}/`;
    const open = () => new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: auth });
      ws.got = [];  // [seq, frame number, arrival ns]
      ws.closedWith = null;
      ws.onmessage = (e) => {
        const t = now();
        const m = JSON.parse(e.data);
        ws.got.push([m.seq, Number(String(m.pose?.[0]?.name ?? '').slice(1)), t]);
      };
      ws.onclose = (e) => { ws.closedWith = e.code; };
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error(`WebSocket ${url}: could not connect`));
    });
    const listeners = [];
    for (let i = 0; i < SOCKET_LISTENERS; i++) listeners.push(await open());
    const sender = await open();
    const sent = new Float64Array(SOCKET_FRAMES);
    const start = now();
    for (let i = 0; i < SOCKET_FRAMES; i++) {
      const wait = (start + i * SOCKET_INTERVAL_MS * 1e6 - now()) / 1e6;
      if (wait > 1) await sleep(wait);
      sent[i] = now();
      sender.send(JSON.stringify({ type: 'pose_update', pose: landmarks(i) }));
    }
    const deadline = Date.now() + 15000;
    while ([sender, ...listeners].some((l) => l.got.length < SOCKET_FRAMES) && Date.now() < deadline) await sleep(50);
    await sleep(300);
    const seconds = (now() - start) / 1e9;
    const lat = [];
    let inOrder = true;
    for (const l of listeners) {
      l.got.forEach(([seq, n, t], k) => {
        if (n !== k || (k > 0 && seq !== l.got[k - 1][0] + 1)) inOrder = false;
        if (n >= 0 && n < SOCKET_FRAMES) lat.push((t - sent[n]) / 1e6);
      });
      l.close();
    }
    sender.close();
    lat.sort((a, b) => a - b);
    // stored: the session's timeline holds every frame, in order
    const res = await fetch(`${BASE}/api/v1/sessions/${id}/timeline?after_seq=0&limit=5000`, { headers: auth });
    const stored = (await res.json()).messages.filter((m) => m.type === 'pose_updated').map((m) => Number(m.pose[0].name.slice(1)));
    const row = {
      frames: SOCKET_FRAMES, listeners: SOCKET_LISTENERS, interval_ms: SOCKET_INTERVAL_MS, seconds,
      delivered: listeners.reduce((a, l) => a + l.got.length, 0), expected: SOCKET_FRAMES * SOCKET_LISTENERS,
      echoed: sender.got.length, in_order: inOrder, sender_closed: sender.closedWith,
      stored: stored.length, stored_in_order: stored.every((n, k) => n === k),
      p50_ms: pct(lat, 50), p99_ms: pct(lat, 99), max_ms: lat.at(-1),
    };
    log(`  ${JSON.stringify(row)}`);
    return row;
  }

  const out = { latency: [], throughput: null, nchan: null, socket: null };
  if (PHASES.includes('latency')) {
    log('== latency: publish to receive');
    for (const n of SUBSCRIBERS) {
      for (const via of ['api', 'nchan']) out.latency.push(await latency(n, via));
    }
  }
  // nchan's phase sends a stored pose_updated message, so the API's phase comes first.
  let sample = JSON.stringify({ type: 'pose_updated', session_id: randomUUID(), seq: 1, at: new Date().toISOString(), data: frame(1, 1) });
  if (PHASES.includes('api')) {
    log(`== pose_update through the API: ${CLIENTS} clients, ${BATCH}-frame batches, ${DURATION} s`);
    const api = await apiThroughput();
    out.throughput = api.row;
    sample = api.sample;
  }
  if (PHASES.includes('nchan')) {
    log(`== nchan's own publish rate: ${CLIENTS} clients, one ${Buffer.byteLength(sample)}-byte message a POST, ${DURATION} s`);
    out.nchan = await nchanThroughput(sample);
  }
  if (PHASES.includes('socket')) {
    log(`== seed 001's socket: ${SOCKET_FRAMES} pose frames over /ws/session-live/<id>/, one every ${SOCKET_INTERVAL_MS} ms, ${SOCKET_LISTENERS} listeners`);
    out.socket = await socketPhase();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (isMainThread) await main();
