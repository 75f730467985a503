// tagqueue.js: the editor's tags on their way to the server. A tag is never
// lost: it gets an Idempotency-Key when it is made, waits in localStorage
// (so it survives a reload or a closed tab) and is sent, one at a time in the
// order made, until the server has stored it. A busy server (429, 502-504,
// with Retry-After when it gives one) or no connection means "wait and send
// again" (exponential backoff, 0.5 s doubling to 30 s, with jitter); a retry
// of a tag the server did store gets the first answer back
// (Idempotent-Replayed), never a second row (docs/openapi.yaml, POST events).
// Only a tag the server refuses for what it says (400, 404, 413, 415, 422)
// leaves the queue, reported through onRefused.

const MAX_WAIT_MS = 30000;
const RETRY = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
function retryAfterMs(value) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * The queue of session sid's tags made by user (their email: a tag waits for
 * the one who made it, never sent under another account that signs in on
 * this browser). hooks: onStored(entry, id) once the server
 * holds the tag (id: its event id), onRefused(entry, message) when the server
 * refused it for good, onChange(view) whenever what the page should show
 * changes; view = { pending, sending, reason, retryInMs } (reason: null,
 * 'busy', 'offline', 'signed_out', 'server').
 * Entries are { key, body (the JSON text sent), event, made_ms } and are
 * kept in localStorage under stint.tags.<sid>.<user>; several tabs of one session
 * share them, and the key makes a tag sent by two tabs count once.
 */
export function tagQueue(sid, user, csrf, hooks) {
  const store = `stint.tags.${sid}.${user}`;
  const waiting = new Map();  // key -> resolve(id), for undo of a tag still on its way
  let sending = null;         // the key being sent
  let timer = 0;
  let failures = 0;
  let reason = null;
  let retryAt = 0;

  const read = () => {
    try {
      const list = JSON.parse(localStorage.getItem(store) ?? '[]');
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  };
  const write = (list) => {
    if (list.length) localStorage.setItem(store, JSON.stringify(list));
    else localStorage.removeItem(store);
  };
  const drop = (key) => write(read().filter((e) => e.key !== key));

  const changed = () => hooks.onChange({ pending: read().length, sending: sending !== null, reason,
    retryInMs: reason ? Math.max(0, retryAt - Date.now()) : 0 });

  function later(ms, why) {
    failures += 1;
    reason = why;
    const wait = ms ?? Math.min(MAX_WAIT_MS, 500 * 2 ** (failures - 1)) * (0.75 + Math.random() / 2);
    retryAt = Date.now() + wait;
    clearTimeout(timer);
    timer = setTimeout(() => { timer = 0; pump(); }, wait);
  }

  async function send(entry) {
    let res;
    try {
      res = await fetch(`/api/v1/sessions/${sid}/events`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrf,
          'idempotency-key': entry.key },
        body: entry.body,
      });
    } catch {
      return { retry: 'offline' };
    }
    const data = await res.json().catch(() => null);
    if (res.ok && Array.isArray(data?.ids)) return { id: data.ids[0] };
    const wait = retryAfterMs(res.headers.get('retry-after'));
    if (res.status === 401 || res.status === 403) return { retry: 'signed_out', wait: Math.max(wait ?? 0, 5000) };
    if (RETRY.has(res.status) || res.ok) return { retry: res.status === 429 ? 'busy' : 'server', wait };
    // fields name the batch's member (events[0].t_sec): the tag's own field is enough
    const fields = Object.entries(data?.error?.fields ?? {})
      .map(([k, v]) => `${k.replace(/^events\[\d+\]\./, '')} ${v}`).join('; ');
    return { refused: (fields || data?.error?.message || `HTTP ${res.status}`).replace(/[.\s]+$/, '') };
  }

  async function pump() {
    if (sending !== null || timer) return;
    const entry = read()[0];
    if (!entry) {
      reason = null;
      changed();
      return;
    }
    sending = entry.key;
    changed();
    const out = await send(entry);
    sending = null;
    if (out.retry) {
      later(out.wait, out.retry);
      changed();
      return;
    }
    drop(entry.key);
    failures = 0;
    reason = null;
    if (out.refused) hooks.onRefused(entry, out.refused);
    else hooks.onStored(entry, out.id);
    waiting.get(entry.key)?.(out.refused ? null : out.id);
    waiting.delete(entry.key);
    pump();
  }

  window.addEventListener('online', () => {
    if (timer && reason === 'offline') {
      clearTimeout(timer);
      timer = 0;
      pump();
    }
  });
  window.addEventListener('storage', (ev) => {
    if (ev.key === store) { changed(); pump(); }
  });

  return {
    /** Queues event e (the API's event fields); returns its entry. */
    push(e) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      const key = `tag-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
      const entry = { key, body: JSON.stringify({ events: [e] }), event: e, made_ms: Date.now() };
      write([...read(), entry]);
      changed();
      pump();
      return entry;
    },
    /**
     * Takes back the tag with key: true when it had not been sent (it never
     * will be); else resolves once it is stored, with its id (null: refused).
     */
    cancel(key) {
      if (sending !== key && read().some((e) => e.key === key)) {
        drop(key);
        changed();
        return Promise.resolve(true);
      }
      if (sending !== key) return Promise.resolve(false);
      return new Promise((resolve) => waiting.set(key, resolve));
    },
    /** The tags still waiting (entries, in order). */
    entries: read,
    /** Starts sending what an earlier page left waiting. */
    start() { changed(); pump(); },
  };
}
