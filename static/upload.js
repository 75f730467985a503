// upload.js: the editor's clips panel adds video and audio files of any size
// (up to the server's Tus-Max-Size, 8 GiB by default) to the session. A small
// client of tus 1.0 (https://tus.io/protocols/resumable-upload; the server is
// cgi-bin/uploads.c, docs/uploads.md): it creates the upload, sends the file
// in chunks of 32 MiB with PATCH, shows the progress, and when a request
// fails (the connection dropped, the server restarted) asks the server where
// it stands (HEAD) and goes on from there, retrying with back-off until it is
// paused or done. The upload's address is kept in localStorage under the
// file's name, size and date, so picking the same file again after a reload
// resumes it too. Complete, the server checks the file with ffprobe and adds
// it as a clip at the chosen start.
const CHUNK = 32 * 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const panel = document.getElementById('upload-form');
const list = document.getElementById('upload-list');
const sid = panel?.dataset.session;
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

const b64 = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const mb = (n) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
}

/* A failure the server answered (not worth retrying unless it is 409, 423, 429 or 5xx). */
class Refused extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function refusal(res) {
  let msg = `${res.status} ${res.statusText}`;
  try {
    msg = (await res.json()).error?.message ?? msg;
  } catch { /* not JSON: keep the status */ }
  return new Refused(res.status, msg);
}

const retryable = (err) => !(err instanceof Refused) || err.status === 409 || err.status === 423 ||
  err.status === 429 || err.status >= 500;

/** One file's upload: its row in the list, its state, its loop. */
class Upload {
  constructor(file, { kind, title, offset }) {
    this.file = file;
    this.meta = { filename: file.name, filetype: file.type || 'application/octet-stream', title: title || file.name,
      offset_sec: String(offset || 0) };
    if (kind) this.meta.kind = kind;
    this.key = `stint-upload:${sid}:${file.name}:${file.size}:${file.lastModified}`;
    this.offset = 0;
    this.paused = false;
    this.xhr = null;
    this.bar = el('progress', { max: String(file.size), value: '0', 'aria-label': `Upload of ${file.name}` });
    this.status = el('span', { class: 'upload-status', role: 'status', text: 'Starting…' });
    this.pause = el('button', { type: 'button', class: 'upload-pause', text: 'Pause' });
    this.cancel = el('button', { type: 'button', class: 'upload-cancel link', text: 'Cancel' });
    this.row = el('li', { class: 'upload-item' }, el('strong', { text: file.name }), ' ', this.bar, ' ', this.status, ' ',
      this.pause, ' ', this.cancel);
    this.pause.addEventListener('click', () => (this.paused ? this.resume() : this.stop()));
    this.cancel.addEventListener('click', () => this.terminate());
    list.append(this.row);
  }

  say(text) {
    this.status.textContent = text;
  }

  show() {
    this.bar.value = this.offset;
    this.say(`${mb(this.offset)} of ${mb(this.file.size)} (${Math.floor((100 * this.offset) / this.file.size)} %)`);
  }

  /** The upload's address: the one kept for this file when the server still has it, else a new one. */
  async locate() {
    const kept = localStorage.getItem(this.key);
    if (kept) {
      const res = await fetch(kept, { method: 'HEAD', headers: TUS });
      if (res.ok) {
        this.url = kept;
        this.offset = Number(res.headers.get('upload-offset'));
        return;
      }
      localStorage.removeItem(this.key);
    }
    const meta = Object.entries(this.meta).map(([k, v]) => `${k} ${b64(v)}`).join(',');
    const res = await fetch(`/api/v1/sessions/${sid}/uploads`, { method: 'POST',
      headers: { ...TUS, 'upload-length': String(this.file.size), 'upload-metadata': meta, 'x-csrf-token': csrf } });
    if (res.status !== 201) throw await refusal(res);
    this.url = res.headers.get('location');
    this.offset = 0;
    localStorage.setItem(this.key, this.url);
  }

  /** Where the server stands (after a failure): its Upload-Offset. */
  async sync() {
    const res = await fetch(this.url, { method: 'HEAD', headers: TUS });
    if (!res.ok) throw new Refused(res.status, 'The server no longer has this upload; pick the file again.');
    this.offset = Number(res.headers.get('upload-offset'));
  }

  /** PATCH the next chunk; resolves with the clip's address when it was the last. */
  send() {
    const end = Math.min(this.offset + CHUNK, this.file.size);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.xhr = xhr;
      xhr.open('PATCH', this.url);
      xhr.setRequestHeader('tus-resumable', '1.0.0');
      xhr.setRequestHeader('upload-offset', String(this.offset));
      xhr.setRequestHeader('content-type', 'application/offset+octet-stream');
      xhr.setRequestHeader('x-csrf-token', csrf);
      xhr.upload.onprogress = (e) => {
        this.bar.value = this.offset + e.loaded;
      };
      xhr.onload = () => {
        this.xhr = null;
        if (xhr.status === 204) {
          this.offset = Number(xhr.getResponseHeader('upload-offset'));
          resolve(xhr.getResponseHeader('stint-clip'));
          return;
        }
        let msg = `${xhr.status} ${xhr.statusText}`;
        try {
          msg = JSON.parse(xhr.responseText).error?.message ?? msg;
        } catch { /* keep the status */ }
        reject(new Refused(xhr.status, msg));
      };
      xhr.onerror = () => {
        this.xhr = null;
        reject(new Error('The connection dropped.'));
      };
      xhr.onabort = () => {
        this.xhr = null;
        reject(new Error('Paused.'));
      };
      xhr.send(this.file.slice(this.offset, end));
    });
  }

  /** The loop: chunks until done; on a failure back off (1 s doubling to 30 s) and go on from the server's offset. */
  async run() {
    let wait = 1000;
    this.pause.textContent = 'Pause';
    while (!this.paused) {
      try {
        if (!this.url) await this.locate();
        else await this.sync();
        this.show();
        while (!this.paused && this.offset < this.file.size) {
          const clip = await this.send();
          wait = 1000;
          this.show();
          if (clip) return this.done();
        }
        if (this.offset >= this.file.size) return this.done();
        return undefined;
      } catch (err) {
        if (this.paused) return undefined;
        if (!retryable(err)) return this.fail(err.message);
        this.bar.value = this.offset;
        this.say(`${err.message} Retrying in ${wait / 1000} s (${mb(this.offset)} kept).`);
        await sleep(wait);
        wait = Math.min(wait * 2, 30000);
      }
    }
    return undefined;
  }

  stop() {
    this.paused = true;
    this.xhr?.abort();
    this.pause.textContent = 'Resume';
    this.say(`Paused at ${mb(this.offset)} of ${mb(this.file.size)}.`);
  }

  resume() {
    this.paused = false;
    this.run();
  }

  async terminate() {
    this.stop();
    if (this.url) await fetch(this.url, { method: 'DELETE', headers: { ...TUS, 'x-csrf-token': csrf } });
    localStorage.removeItem(this.key);
    this.row.remove();
  }

  done() {
    localStorage.removeItem(this.key);
    this.bar.value = this.file.size;
    this.pause.remove();
    this.cancel.remove();
    const reload = el('button', { type: 'button', class: 'upload-reload', text: 'Show it' });
    reload.addEventListener('click', () => location.reload());
    this.status.replaceChildren(`Added as a clip. `, reload);
    this.row.classList.add('upload-done');
  }

  fail(message) {
    localStorage.removeItem(this.key);
    this.pause.remove();
    this.status.textContent = `Not added: ${message}`;
    this.row.classList.add('upload-failed');
  }
}

function start(files) {
  const kind = panel.elements.kind.value;
  const title = panel.elements.title.value.trim();
  const offset = Number(panel.elements.offset_sec.value || 0);
  for (const file of files) new Upload(file, { kind, title: files.length === 1 ? title : '', offset }).run();
  panel.reset();
}

if (panel && sid) {
  panel.hidden = false;
  document.getElementById('upload-nojs')?.remove();
  panel.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (panel.elements.file.files.length > 0) start([...panel.elements.file.files]);
  });
  const drop = document.getElementById('upload-drop');
  drop.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('dragging');
    const files = [...ev.dataTransfer.files].filter((f) => /^(video|audio)\//.test(f.type) || f.type === '');
    if (files.length > 0) start(files);
  });
}
