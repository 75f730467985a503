// client.mjs: a small S3 client for the tests and bench/recorder: PUT and DELETE objects in the test
// server's bucket with Signature Version 4 in the Authorization header (AWS, "Signature Calculations for
// the Authorization Header"), and the session-recorder layout (docs/recorder.md) built from it.
// Keeps one HTTP keep-alive agent; `concurrency` requests run at a time.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
// SigV4's UriEncode: everything but A-Z a-z 0-9 - . _ ~ (and '/' in a path)
const uriEncode = (s, keepSlash) => Array.from(Buffer.from(s, 'utf8')).map((b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
}).join('');

export class S3 {
  /** endpoint "http://127.0.0.1:PORT" (path style), bucket, accessKey, secretKey, region. */
  constructor({ endpoint, bucket, accessKey, secretKey, region = 'us-east-1' }) {
    Object.assign(this, { endpoint: new URL(endpoint), bucket, accessKey, secretKey, region });
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  /**
   * One signed request; resolves to {status, body (Buffer), headers}. A kept-alive connection the
   * server closed meanwhile (s3rver's keep-alive is 5 s) is retried on the next one: PUT and DELETE
   * are idempotent.
   */
  async request(method, key, body = Buffer.alloc(0), query = '') {
    for (let tries = 1; ; tries++) {
      try {
        return await this.requestOnce(method, key, body, query);
      } catch (e) {
        // each stale pooled connection fails once: at most maxSockets of them
        if (e.code !== 'ECONNRESET' || tries > 8) throw e;
      }
    }
  }

  requestOnce(method, key, body, query) {
    const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const date = now.slice(0, 8);
    const path = `/${this.bucket}/${uriEncode(key, true)}`;
    const host = this.endpoint.host;
    const payload = sha256(body);
    const canonical = [method, path, query, `host:${host}`, `x-amz-content-sha256:${payload}`, `x-amz-date:${now}`, '',
      'host;x-amz-content-sha256;x-amz-date', payload].join('\n');
    const scope = `${date}/${this.region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonical)].join('\n');
    let k = hmac(`AWS4${this.secretKey}`, date);
    for (const part of [this.region, 's3', 'aws4_request']) k = hmac(k, part);
    const signature = createHmac('sha256', k).update(toSign).digest('hex');
    const headers = {
      host, 'x-amz-content-sha256': payload, 'x-amz-date': now, 'content-length': body.length,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKey}/${scope}, ` +
        `SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${signature}`,
    };
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.endpoint.hostname, port: this.endpoint.port, method,
        path: query ? `${path}?${query}` : path, headers, agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async put(key, body) {
    const r = await this.request('PUT', key, Buffer.isBuffer(body) ? body : Buffer.from(body));
    if (r.status !== 200) throw new Error(`PUT ${key}: ${r.status} ${r.body}`);
  }

  async del(key) {
    const r = await this.request('DELETE', key);
    if (r.status !== 204 && r.status !== 200) throw new Error(`DELETE ${key}: ${r.status} ${r.body}`);
  }

  /** Runs fn over items, `concurrency` at a time. */
  static async each(items, fn, concurrency = 8) {
    let next = 0;
    const worker = async () => { while (next < items.length) await fn(items[next++]); };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  }

  close() { this.agent.destroy(); }
}

/** A recording's metadata.json as session-recorder writes it. */
export function recordingMeta(recorderId, id, start, durationS, closed) {
  const end = new Date(start.getTime() + durationS * 1000);
  return JSON.stringify({ id, recorder_id: recorderId, name: `Recording ${id}`, start_time: start.toISOString(),
    end_time: closed ? end.toISOString() : '0001-01-01T00:00:00Z', duration: durationS * 1e9, is_closed: closed,
    keep: false, segments: {} });
}

/**
 * The objects of one recording: metadata.json, data.ogg, data.flac, waveform.dat, overview.png when
 * closed; metadata.json and `chunks` chunk files while open. Returns [[key, body], ...].
 */
export function recordingObjects(recorderId, id, start, durationS, { closed = true, chunks = 3 } = {}) {
  const base = `${recorderId}/sessions/${id}/`;
  const objs = [[`${base}metadata.json`, recordingMeta(recorderId, id, start, durationS, closed)]];
  if (closed) {
    for (const f of ['data.ogg', 'data.flac', 'waveform.dat', 'overview.png']) objs.push([base + f, `${f} of ${id}`]);
  } else {
    for (let i = 0; i < chunks; i++) objs.push([`${base}chunks/${String(i).padStart(6, '0')}.flac`, `chunk ${i}`]);
  }
  return objs;
}
