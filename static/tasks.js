// tasks.js: the editor's tasks panel, live (the page works without it: its
// forms post and redirect back). Each task_updated message (data: the task,
// as GET /api/v1/tasks/<id> answers it; "removed": true for a removed record)
// updates the task's item in place (status, progress bar, message, error,
// times, buttons), adds a new task at the top, or takes a removed one away.
// The panel's buttons send the same requests to the JSON API; what they
// change comes back as task_updated, so nothing here polls.
// The item built here is the one templates/editor.mustache writes.
import { showTime } from './time.js';

// The labels pages-tasks.c gives (its task_type_labels and task_status_labels).
const TYPES = { process_report: 'Report', analyze_clip: 'Clip analysis', recorder_sync: 'Recorder sync', noop: 'No-op' };
const STATUSES = { queued: 'Queued', running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' };

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') el.className = v;
    else if (k.startsWith('data-') || k.startsWith('aria-')) el.setAttribute(k, v);
    else el[k] = v;
  }
  el.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** A time as the server shows it (time.js). */
const shown = showTime;

/** A task's type as the panel names it ("Report", "Clip analysis · scenecut"). */
export function typeLabel(t) {
  const base = TYPES[t.task_type] ?? t.task_type.charAt(0).toUpperCase() + t.task_type.slice(1).replaceAll('_', ' ');
  return typeof t.params?.analyzer === 'string' ? `${base} · ${t.params.analyzer}` : base;
}

const stopping = (t) => t.status === 'running' && Boolean(t.cancel_requested_at);

function times(t) {
  const p = h('p', { class: 'task-times muted' }, 'Queued ', h('time', { dateTime: t.created_at }, shown(t.created_at)));
  if (t.started_at) p.append(' · started ', h('time', { dateTime: t.started_at }, shown(t.started_at)));
  if (t.finished_at) p.append(' · finished ', h('time', { dateTime: t.finished_at }, shown(t.finished_at)));
  if (t.attempts > 0) p.append(` · attempt ${t.attempts} of ${t.max_attempts}`);
  return p;
}

/**
 * The panel of session sid in element root (the #tasks section); canEdit
 * shows the buttons; say(text, problem) reports what a button did.
 * Returns { apply(task) } for the task_updated messages.
 */
export function tasksPanel(root, sid, canEdit, csrf) {
  const list = root.querySelector('#task-list');
  const count = root.querySelector('#tasks-count');
  const status = root.querySelector('#task-status');
  const empty = root.querySelector('#tasks-empty');
  const limit = Number(root.dataset.shown) || 20;
  let total = Number(count.textContent) || 0;

  const say = (text, problem = false) => {
    status.textContent = text;
    status.classList.toggle('problem', problem);
  };

  function form(t, act, label) {
    const cls = act === 'cancel' ? 'danger' : '';
    return h('form', { method: 'post', action: `/sessions/${sid}/tasks/${act}`, class: 'task-form', 'data-act': act },
      h('input', { type: 'hidden', name: 'csrf', value: csrf }),
      h('input', { type: 'hidden', name: 'task_id', value: t.task_id }),
      h('button', { type: 'submit', class: cls }, label, h('span', { class: 'sr' }, ` ${typeLabel(t)}`)));
  }

  function item(t) {
    const label = typeLabel(t);
    const li = h('li', { class: 'task', id: `task-${t.task_id}`, 'data-task': t.task_id, 'data-status': t.status },
      h('div', { class: 'task-head' }, h('strong', { class: 'task-type' }, label), ' ',
        h('span', { class: `badge badge-${t.status} task-status` }, stopping(t) ? 'Stopping' : STATUSES[t.status] ?? t.status)),
      h('div', { class: 'task-progress' },
        h('progress', { max: 100, value: t.progress, 'aria-label': `${label}: progress` }, `${t.progress} %`), ' ',
        h('span', { class: 'task-percent' }, `${t.progress} %`)),
      h('p', { class: 'task-message' }, t.progress_message || null),
      t.status === 'failed' && t.error ? h('p', { class: 'task-error' }, t.error) : null,
      times(t));
    if (canEdit) {
      const active = t.status === 'queued' || (t.status === 'running' && !stopping(t));
      const ended = t.status === 'failed' || t.status === 'cancelled';
      li.append(h('div', { class: 'task-actions' },
        active ? form(t, 'cancel', 'Cancel') : null, ended ? form(t, 'retry', 'Retry') : null));
    }
    return li;
  }

  function showCount() {
    count.textContent = String(total);
    empty.hidden = list.children.length > 0;
  }

  /** Applies one task as a task_updated message carries it. */
  function apply(t) {
    if (!t?.task_id) return;
    const old = document.getElementById(`task-${t.task_id}`);
    if (t.removed) {
      if (old) {
        old.remove();
        total = Math.max(0, total - 1);
      }
    } else if (old) {
      const focused = old.contains(document.activeElement) ? document.activeElement.closest('form')?.dataset.act : null;
      const fresh = item(t);
      old.replaceWith(fresh);
      if (focused) fresh.querySelector(`form[data-act="${focused}"] button`)?.focus();
    } else {
      list.prepend(item(t));
      total += 1;
      while (list.children.length > limit) list.lastElementChild.remove();
    }
    showCount();
  }

  async function send(method, url, body) {
    const init = { method, headers: { accept: 'application/json', 'x-csrf-token': csrf } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(url, init);
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      // a 422 names what is wrong per field (the report's missing participants, say): say that
      const fields = Object.values(data?.error?.fields ?? {});
      throw new Error(fields.length > 0 ? fields.join(' ') : data?.error?.message ?? `HTTP ${res.status}`);
    }
    return data;
  }

  async function run(what, fn) {
    try {
      const t = await fn();
      if (t?.task_id) apply(t);
      say(what);
    } catch (err) {
      say(`${err.message}`, true);
    }
  }

  list.addEventListener('submit', (ev) => {
    const f = ev.target.closest('form.task-form');
    if (!f) return;
    ev.preventDefault();
    const id = f.elements.task_id.value;
    if (f.dataset.act === 'cancel') run('Cancel sent.', () => send('DELETE', `/api/v1/tasks/${id}`));
    else run('Task queued again.', () => send('POST', `/api/v1/tasks/${id}/retry`));
  });
  root.querySelector('#process-form')?.addEventListener('submit', (ev) => {
    ev.preventDefault();
    run('Report queued.', () => send('POST', `/api/v1/sessions/${sid}/process`));
  });
  root.querySelector('#analyze-form')?.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const analyzer = ev.currentTarget.elements.analyzer.value;
    run(`Analysis with ${analyzer} queued.`, () => send('POST', `/api/v1/sessions/${sid}/analyze`, { analyzer }));
  });

  return { apply };
}
