// editor.js: the session editor's enhancements (the page works without it):
// the video with a timeline of event markers, tagging from the buttons and
// the keyboard at the video's time (without video: the session clock's,
// clock.js), undo, inline edit and delete through the JSON API (X-CSRF-Token
// from the page's meta tag), sortable statistics, and the live panel that
// applies everyone's changes as they happen, and the tasks panel's live
// updates (tasks.js). Tags go through a queue kept in localStorage that sends
// each until it is stored (tagqueue.js): the page shows what waits.
import { sessionClock, parseClock } from './clock.js';
import { follow, showState } from './feed.js';
import { sortable } from './sort.js';
import { tagQueue } from './tagqueue.js';
import { tasksPanel, typeLabel as taskLabel } from './tasks.js';
import { showTime } from './time.js';
import { normaliseType } from './types.js';
import { scoutLine } from './scout.js';

const $ = (id) => document.getElementById(id);
const root = $('editor');
const sid = root.dataset.session;
const canEdit = root.dataset.canEdit === '1';
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const videos = JSON.parse(root.dataset.videos || '[]');
// Teams, rosters and type labels as the page's filter lists them.
const teams = [...document.querySelectorAll('#v-who optgroup')].map((group) => {
  const [team, ...players] = group.querySelectorAll('option');
  return { side: team.value, name: group.label, roster: players.map((o) => ({
    number: o.value.split('-')[1], player_name: o.textContent.replace(/^#\d+ /, '') })) };  // text: "00" is not "0"
});
// A teams_updated message's sides ({home, visiting}) into teams (side A is home, B visiting).
function applyTeams(d) {
  const sides = [['A', d.home], ['B', d.visiting]].map(([side, t]) => ({ side, name: t?.name || `Team ${side}`,
    roster: (t?.players ?? []).map((p) => ({ number: p.number, player_name: p.name })) }));
  teams.splice(0, teams.length, ...sides);
}
const typeLabels = Object.fromEntries([...document.querySelectorAll('#v-type option')]
  .filter((o) => o.value).map((o) => [o.value, o.textContent]));
const video = $('video');
const form = $('tag-form');
const EVALS = { '#': 'perfect', '+': 'positive', '!': 'ok', '-': 'negative', '/': 'poor', '=': 'error' };
// Volleyball sessions: per-skill evaluation meanings and skill type names, from the page's legend tables.
const SKILLS = { S: 'serve', R: 'reception', E: 'set', A: 'attack', B: 'block', D: 'dig', F: 'freeball' };
const LABELS = readLabels();

function readLabels() {
  const table = $('eval-table');
  if (!table) return null;
  const codes = [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent);
  const cells = (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent);
  const evals = Object.fromEntries([...table.querySelectorAll('tbody tr')].map((tr) =>
    [SKILLS[tr.dataset.skill], Object.fromEntries(cells(tr).map((label, i) => [codes[i], label]))]));
  const types = Object.fromEntries([...$('type-table').querySelectorAll('tbody tr')].map((tr) =>
    [tr.querySelector('th').textContent, cells(tr)]));
  return { evals, types };
}

/** The name of e's skill type ("Jump-float", "Quick ball"), or the code. */
function typeName(e) {
  const [serve, ball] = LABELS?.types?.[e.payload.skill_type] ?? [];
  return (e.event_type === 'serve' || e.event_type === 'reception' ? serve : ball) || e.payload.skill_type;
}
// The volleyball filters (issue 19): view field -> how an event is tested.
const VB_FILTERS = {
  set: (e, m) => String(m?.set ?? ''), rot: (e, m) => String(m?.rot ?? ''), phase: (e, m) => m?.phase ?? '',
  skill_type: (e) => e.payload?.skill_type ?? '', combo: (e) => e.payload?.attack_code ?? e.payload?.set_code ?? '',
  from_zone: (e) => String(e.payload?.start_zone ?? ''), to_zone: (e) => String(e.payload?.end_zone ?? ''),
};
const VB_FIELDS = { set: 'v-set', rot: 'v-rot', phase: 'v-phase', skill_type: 'v-stype', combo: 'v-combo',
  from_zone: 'v-from', to_zone: 'v-to' };

const state = {
  events: new Map(),   // id -> event, as the API gives it
  shown: [],           // the events that pass the filter, in time order
  clip: videos[0] ?? null,
  who: $('v-who').value,
  type: $('v-type').value,
  vb: {},              // the volleyball filters set: field -> value
  current: null,       // id of the highlighted event
  undo: [],
  digits: '',
  digitAt: 0,
  typedAt: false,      // the time in At was typed: the next tag takes it
  recent: [],          // the last tags made on this page: { key, e, id (once stored), refused }
  stored: new Map(),   // tag key -> event id, for undo
};
const RECENT = 4;

document.documentElement.classList.add('js');

// --- small helpers ------------------------------------------------------------

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') el.className = v;
    else if (k.startsWith('data-') || k.startsWith('aria-')) el.setAttribute(k, v);
    else el[k] = v;
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

function clock(t) {
  const tenths = Math.round(Math.abs(t) * 10);
  const hr = Math.floor(tenths / 36000);
  const m = Math.floor(tenths / 600) % 60;
  const s = Math.floor(tenths / 10) % 60;
  const sign = t < 0 ? '-' : '';
  if (hr > 0) return `${sign}${hr}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return `${sign}${m}:${String(s).padStart(2, '0')}.${tenths % 10}`;
}

const teamName = (side) => teams.find((t) => t.side === side)?.name ?? (side ? `Team ${side}` : '');
const playerName = (side, n) =>
  teams.find((t) => t.side === side)?.roster.find((p) => p.number === n)?.player_name ?? '';
const typeLabel = (t) => typeLabels[t] ?? t.charAt(0).toUpperCase() + t.slice(1).replaceAll('_', ' ');
const evaluation = (e) => e.payload?.evaluation ?? '';

function whoText(e) {
  if (!e.actor_team) return '';
  const num = e.actor_number ?? null;
  if (num === null) return teamName(e.actor_team);
  const name = playerName(e.actor_team, num);
  return `${teamName(e.actor_team)} #${num}${name ? ` ${name}` : ''}`;
}

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Calls the session's JSON API with the page's CSRF token; retries network failures. */
async function api(method, path, body, headers = {}) {
  const init = {
    method,
    headers: { accept: 'application/json', 'x-csrf-token': csrf, ...headers },
  };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(`/api/v1/sessions/${sid}${path}`, init);
      break;
    } catch (err) {
      if (attempt >= 2) throw new Error('the server cannot be reached');
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const fields = Object.entries(data?.error?.fields ?? {}).map(([k, v]) => `${k} ${v}`).join('; ');
    throw new Error((fields || data?.error?.message || `HTTP ${res.status}`).replace(/[.\s]+$/, ''));
  }
  return data;
}

const say = (text, problem = false) => {
  const el = $('tag-status');
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('problem', problem);
};

// --- events: state, filter, table, markers -------------------------------------

const byTime = (a, b) => a.t_sec - b.t_sec || a.id - b.id;

function passes(e) {
  const [team, num] = state.who.split('-');
  if (team && e.actor_team !== team) return false;
  if (num !== undefined && e.actor_number !== num) return false;  // shirt numbers are text: "00" is not "0"
  const m = matchOf(e);
  for (const [field, value] of Object.entries(state.vb)) if (value && VB_FILTERS[field](e, m) !== value) return false;
  return !state.type || e.event_type === state.type;
}

/** The match state of e for the table: set, the acting team's rotation, phase (from GET /state). */
function matchOf(e) {
  const m = state.ms.get(e.id);
  if (!m) return null;
  return { set: m.set, rot: e.actor_team ? m.rotation?.[e.actor_team] : undefined, phase: m.phase ?? '' };
}

/** The meaning of e's evaluation for its skill (the import's, else the legend's), or ''. */
function evalLabel(e) {
  return e.payload?.evaluation_name ?? LABELS?.evals?.[e.event_type]?.[evaluation(e)] ?? '';
}

/** The volleyball cells of e's row: set, rotation, phase, skill type, combination, zones. */
function detailCells(e) {
  const m = matchOf(e);
  const pl = e.payload ?? {};
  const type = pl.skill_type ? h('abbr', { title: typeName(e) }, pl.skill_type) : '';
  const to = pl.end_zone ?? (pl.end_cone !== undefined ? `c${pl.end_cone}` : undefined);
  const zones = pl.start_zone !== undefined || to !== undefined ? `${pl.start_zone ?? '·'}→${to ?? '·'}` : '';
  return [m?.set ?? '', m?.rot ?? '', m?.phase ?? '', type, pl.attack_code ?? pl.set_code ?? '', zones]
    .map((c) => h('td', {}, typeof c === 'number' ? String(c) : c));
}

function timelineEnd() {
  let end = 1;
  for (const e of state.events.values()) end = Math.max(end, e.t_sec);
  for (const c of videos) end = Math.max(end, (c.offset_sec ?? 0) + (c.duration_sec ?? 0));
  return end;
}

function row(e) {
  const seek = h('button', { type: 'button', class: 'seek link', 'aria-label': `Go to ${clock(e.t_sec)}` },
    clock(e.t_sec));
  const player = e.actor_number === null || e.actor_number === undefined ? '' :
    [h('b', {}, String(e.actor_number)), ` ${playerName(e.actor_team, e.actor_number)}`];
  const tr = h('tr', { id: `ev-${e.id}`, class: `t-${e.event_type}`, 'data-id': e.id },
    h('td', { class: 'time' }, seek),
    h('td', { class: 'tl' }, typeLabel(e.event_type), ...matchBadge(e)),
    h('td', {}, teamName(e.actor_team)),
    h('td', {}, ...[player].flat()),
    h('td', { class: 'eval' }, ...evalCell(e)), ...(LABELS ? detailCells(e) : []));
  if (canEdit) {
    tr.append(h('td', { class: 'row-actions' },
      h('button', { type: 'button', class: 'link', 'data-act': 'edit' }, 'Edit',
        h('span', { class: 'sr' }, ` event at ${clock(e.t_sec)}`)),
      ' ',
      h('button', { type: 'button', class: 'link danger', 'data-act': 'delete' }, 'Delete',
        h('span', { class: 'sr' }, ` event at ${clock(e.t_sec)}`))));
  }
  if (e.id === state.current) tr.classList.add('current');
  return tr;
}

function evalCell(e) {
  const label = evalLabel(e);
  return label ? [h('abbr', { title: label }, evaluation(e))] : [evaluation(e)];
}

const columns = () => document.querySelectorAll('#events thead th').length;

function renderTable() {
  const body = $('event-rows');
  if (state.shown.length === 0) {
    const text = state.events.size ? 'No event matches this view.' : 'No events yet.';
    body.replaceChildren(h('tr', { class: 'empty-row' }, h('td', { colSpan: columns() }, text)));
  } else {
    const editing = body.querySelector('tr.editing');  // keep a row being edited as it is
    body.replaceChildren(...state.shown.map((e) => (editing && editing.dataset.id === String(e.id) ? editing : row(e))));
  }
  const all = state.events.size;
  $('events-count').textContent = state.shown.length === all ? `${all}` : `${state.shown.length} of ${all}`;
}

function renderMarkers() {
  const track = $('track');
  const end = timelineEnd();
  state.end = end;
  track.querySelectorAll('.marker').forEach((m) => m.remove());
  track.append(...state.shown.map((e) => {
    const label = `${clock(e.t_sec)} ${typeLabel(e.event_type)} ${whoText(e)}`.trim();
    const m = h('button', { type: 'button', class: `marker t-${e.event_type}`, tabIndex: -1,
      title: label, 'aria-label': label, 'data-id': e.id });
    m.style.left = `${(e.t_sec / end) * 100}%`;
    if (e.id === state.current) m.classList.add('current');
    return m;
  }));
  $('t-end').textContent = clock(end);
}

let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    state.shown = [...state.events.values()].filter(passes).sort(byTime);
    renderTable();
    renderMarkers();
    onTime();
  });
}

function upsert(e) {
  state.events.set(e.id, e);
  addCombo(e.payload?.attack_code ?? e.payload?.set_code);
  render();
}

function forget(id) {
  state.events.delete(id);
  render();
}

async function loadEvents() {
  const res = await fetch(`/api/v1/sessions/${sid}/events?limit=10000`, { headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const page = await res.json();
  state.events = new Map(page.items.map((e) => [e.id, e]));
  // after a reload the last tags are the newest stored events
  const known = new Set(state.recent.map((r) => r.id).filter(Boolean));
  const newest = page.items.filter((e) => !known.has(e.id)).sort((x, y) => y.id - x.id);
  state.recent = [...state.recent, ...newest.slice(0, RECENT - state.recent.length)
    .map((e) => ({ key: `event-${e.id}`, e, id: e.id }))];
  renderRecent();
  fillCombos();
  $('events-pager').hidden = true;
  $('timeline').hidden = false;
  render();
  refreshMatch();
}

/** The volleyball filters (set, rotation, phase, skill type, combination, zones) in the view form. */
function buildFilters() {
  const range = (n) => Array.from({ length: n }, (_, i) => [String(i + 1), String(i + 1)]);
  const types = Object.entries(LABELS.types).map(([code, [serve, ball]]) =>
    [code, `${code} ${[ball, serve].filter(Boolean).join(', ').toLowerCase()}`]);
  const specs = [['v-set', 'set', 'Set', 'All sets', range(5)], ['v-rot', 'rot', 'Rotation', 'All rotations', range(6)],
    ['v-phase', 'phase', 'Phase', 'All phases', [['serve', 'Serve'], ['reception', 'Reception'], ['transition', 'Transition']]],
    ['v-stype', 'skill_type', 'Skill type', 'All skill types', types],
    ['v-combo', 'combo', 'Combination', 'All combinations', []],
    ['v-from', 'from_zone', 'Start zone', 'Any start zone', range(9)], ['v-to', 'to_zone', 'End zone', 'Any end zone', range(9)]];
  const box = h('span', { class: 'vb-filters', id: 'vb-filters' });
  for (const [id, name, label, all, options] of specs) {
    box.append(h('label', { htmlFor: id }, label), h('select', { id, name }, h('option', { value: '' }, all),
      ...options.map(([value, text]) => h('option', { value }, text))));
  }
  $('view-form').querySelector('button[type=submit]').before(box);
}

/** The combination filter's choices: the combinations and setter calls the events hold, sorted. */
function fillCombos() {
  for (const e of state.events.values()) addCombo(e.payload?.attack_code ?? e.payload?.set_code);
}

function addCombo(code) {
  const select = $('v-combo');
  if (!select || !code || [...select.options].some((o) => o.value === code)) return;
  const next = [...select.options].slice(1).find((o) => o.value > code) ?? null;
  select.insertBefore(h('option', { value: code }, code), next);
}

// --- video: seeking, the playhead, the current event ---------------------------

const sessionTime = () => (video && state.clip ? (state.clip.offset_sec ?? 0) + video.currentTime : null);
// Without video the session clock gives the time (seconds since the session went live).
const liveClock = video ? null : sessionClock(sid, root.dataset.liveAt);

function clipFor(e) {
  return videos.find((c) => c.id === e.clip_id) ??
    videos.find((c) => e.t_sec >= c.offset_sec && e.t_sec <= c.offset_sec + (c.duration_sec ?? Infinity)) ??
    state.clip;
}

function ready() {
  return video.readyState >= 1 ? Promise.resolve() :
    new Promise((r) => video.addEventListener('loadedmetadata', r, { once: true }));
}

async function useClip(clip) {
  if (!video || !clip || clip === state.clip) return;
  state.clip = clip;
  video.src = clip.media_url;
  if ($('clip-select')) $('clip-select').value = String(clip.id);
  if ($('tag-clip')) $('tag-clip').value = String(clip.id);
}

/** Plays clip (another camera) from the same moment of the session, playing on when it played. */
async function switchClip(clip) {
  const t = sessionTime();
  const playing = video && !video.paused;
  await useClip(clip);
  if (t === null || !clip) return;
  await ready();
  video.currentTime = Math.min(Math.max(0, t - (clip.offset_sec ?? 0)), video.duration || Infinity);
  if (playing) video.play().catch(() => {});  // a pause before it starts is no error
}

/** Shows event e: highlights it and moves the video to it (t_sec minus the clip's offset). */
async function seekTo(e) {
  highlight(e.id, false);
  if (!video) return;
  const clip = clipFor(e);
  await useClip(clip);
  await ready();
  video.currentTime = Math.max(0, e.t_sec - (clip.offset_sec ?? 0));
}

function highlight(id, scroll) {
  if (id === state.current) return;
  document.querySelectorAll('.current').forEach((el) => el.classList.remove('current'));
  state.current = id;
  if (id === null) return;
  const tr = $(`ev-${id}`);
  tr?.classList.add('current');
  document.querySelector(`.marker[data-id="${id}"]`)?.classList.add('current');
  const box = $('events-scroll');
  if (scroll && tr && box) {
    const top = tr.offsetTop - box.clientHeight / 2;
    box.scrollTo({ top: Math.max(0, top), behavior: 'smooth' });
  }
}

/** The last shown event at or before session time t (binary search), or null. */
function eventAt(t) {
  let lo = 0;
  let hi = state.shown.length - 1;
  let found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (state.shown[mid].t_sec <= t + 0.05) {
      found = state.shown[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function onTime() {
  const t = sessionTime();
  if (t === null) return;
  $('playhead').style.left = `${Math.min(100, (t / (state.end || 1)) * 100)}%`;
  $('t-now').textContent = clock(t);
  const input = form?.elements.t_sec;
  if (input && document.activeElement !== input) input.value = t.toFixed(2);
  if (!video.paused) highlight(eventAt(t)?.id ?? null, true);
}

function step(direction) {
  const t = sessionTime() ?? 0;
  const list = state.shown;
  const next = direction > 0 ? list.find((e) => e.t_sec > t + 0.05) :
    [...list].reverse().find((e) => e.t_sec < t - 0.3);
  if (next) seekTo(next);
}

// --- tagging, undo, edit, delete -------------------------------------------------

const who = () => form.elements.who.value;
const strip = (e) => ({ t_sec: e.t_sec, event_type: e.event_type, actor_team: e.actor_team ?? null,
  actor_number: e.actor_number ?? null, clip_id: e.clip_id ?? null, payload: e.payload ?? {} });

function pushUndo(label, fn) {
  state.undo.push({ label, fn });
  if (state.undo.length > 50) state.undo.shift();
  $('undo').disabled = false;
}

async function undo() {
  const last = state.undo.pop();
  $('undo').disabled = state.undo.length === 0;
  if (!last) return;
  try {
    await last.fn();
    say(`Undone: ${last.label}.`);
  } catch (err) {
    say(`Could not undo: ${err.message}.`, true);
  }
}

async function add(e) {
  const res = await api('POST', '/events', { events: [e] }, { 'idempotency-key': randomKey() });
  const added = { ...e, id: res.ids[0], session_id: sid, source: 'manual' };
  upsert(added);
  refreshStats();
  return added;
}

async function remove(id) {
  await api('DELETE', `/events/${id}`);
  forget(id);
  refreshStats();
}

async function patch(id, fields) {
  const updated = await api('PATCH', `/events/${id}`, fields);
  upsert(updated);
  refreshStats();
  return updated;
}

function selection() {
  const value = who();
  const [team, num] = value.split('-');
  const other = form.elements.number.value.trim();
  const number = num ?? (team && /^\d{1,3}$/.test(other) ? other : null);
  return { team: team || null, number };  // text, as the API keeps it
}

function showSelection() {
  const { team, number } = selection();
  const ev = form.elements.evaluation.value;
  const parts = [team ? teamName(team) : 'Nobody'];
  if (number !== null) parts.push(`#${number}`);
  if (ev) parts.push(`evaluation ${ev}`);
  $('tag-pending').textContent = `Next: ${parts.join(' · ')}`;
}

/** The time of a tag made now: the time typed in At, else the video's, else the session clock's. */
function tagTime() {
  const typed = form.elements.t_sec.value.trim();
  if (state.typedAt && typed !== '') return Number(typed);
  return sessionTime() ?? liveClock?.now() ?? (typed === '' ? NaN : Number(typed));
}

/** The time of a tag made now, rounded to 1/100 s, or null after saying it must be set. */
function tagTimeOrSay() {
  const t = tagTime();
  if (!Number.isFinite(t) || t < 0) {
    say('Set the time (At) first.', true);
    form.elements.t_sec.focus();
    return null;
  }
  return Math.round(t * 100) / 100;
}

/** Queues event e (a tag made now) and shows it. */
function queueTag(e) {
  const entry = queue.push(e);
  state.typedAt = false;
  remember({ key: entry.key, e });
  pushUndo(`${typeLabel(e.event_type)} at ${clock(e.t_sec)}`, () => untag(entry.key));
  say(`Tagged ${typeLabel(e.event_type)} at ${clock(e.t_sec)} ${whoText(e)}.`.replace(' .', '.'));
}

/** Tags an event of type now; it waits in the queue until the server has stored it. */
function tag(type) {
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(type)) {
    say('Choose a type, or write one under Other in letters, digits and spaces (e.g. Time out).', true);
    return;
  }
  const t = tagTimeOrSay();
  if (t === null) return;
  const { team, number } = selection();
  const ev = form.elements.evaluation.value;
  queueTag({ t_sec: t, event_type: type, actor_team: team, actor_number: number,
    clip_id: video ? state.clip?.id ?? null : null, payload: ev ? { evaluation: ev } : {} });
  resetSelection(team);
}

/**
 * Tags the event scout code says at t (issue 19): the server reads the code
 * again when it stores the tag; described (its answer, or null) shows the
 * tag until then.
 */
function tagCode(code, described, t) {
  const d = described ?? {};
  queueTag({ t_sec: t, code, event_type: d.event_type ?? 'note', actor_team: d.actor_team ?? null,
    actor_number: d.actor_number ?? null, clip_id: video ? state.clip?.id ?? null : null, payload: d.payload ?? {} });
}

/** Takes a tag back: out of the queue when not sent yet, else deleted once stored. */
async function untag(key) {
  let id = state.stored.get(key);
  if (id === undefined) {
    const out = await queue.cancel(key);
    id = out === false ? state.stored.get(key) : out;
    if (out === true) id = null;
  }
  if (id) await remove(id);
  state.recent = state.recent.filter((r) => r.key !== key);
  renderRecent();
}

function remember(item) {
  state.recent = [item, ...state.recent.filter((r) => r.key !== item.key)].slice(0, RECENT);
  renderRecent();
}

/** The last few tags beside the panel, each with where it is: waiting, stored or refused. */
function renderRecent() {
  const list = $('tag-recent');
  if (!list) return;
  list.replaceChildren(...state.recent.map((r) => {
    const where = r.refused ? 'not added' : r.id ? 'stored' : 'waiting';
    const e = r.e;
    return h('li', { class: `t-${e.event_type} tl ${where.replace(' ', '-')}` },
      h('span', { class: 'time' }, clock(e.t_sec)), ` ${typeLabel(e.event_type)}`,
      whoText(e) ? ` · ${whoText(e)}` : '', evaluation(e) ? ` · ${evaluation(e)}` : '',
      h('span', { class: 'where' }, where));
  }));
}

function onStored(entry, id) {
  const added = { ...entry.event, id, session_id: sid, source: 'manual' };
  state.stored.set(entry.key, id);
  const r = state.recent.find((x) => x.key === entry.key);
  if (r) r.id = id;
  renderRecent();
  upsert(added);
  refreshStats();
  say(`Added ${typeLabel(added.event_type)} at ${clock(added.t_sec)} ${whoText(added)}.`.replace(' .', '.'));
}

function onRefused(entry, message) {
  const r = state.recent.find((x) => x.key === entry.key);
  if (r) r.refused = true;
  renderRecent();
  say(`Not added: ${typeLabel(entry.event.event_type)} at ${clock(entry.event.t_sec)}: ${message}.`, true);
}

/** What the queue is doing, in words: how many tags wait and why. */
function showQueue(view) {
  const el = $('tag-queue');
  if (!el) return;
  const n = view.pending;
  const tags = `${n} ${n === 1 ? 'tag' : 'tags'}`;
  const again = `sending again in ${Math.max(1, Math.round(view.retryInMs / 1000))} s`;
  const why = { busy: `the server is busy; ${again}`, offline: `no connection; ${again}`,
    server: `the server had a problem; ${again}`,
    signed_out: 'signed out, or this page is older than your sign-in: sign in, then reload this page (they are kept)',
  }[view.reason];
  el.textContent = n === 0 ? (state.recent.length ? 'All tags stored.' : '') :
    why ? `${tags} waiting: ${why}.` : `Saving ${tags}…`;
  el.dataset.pending = String(n);
  el.classList.toggle('waiting', Boolean(why));
}

function resetSelection(team) {
  const radio = team ? $(`w-${team}`) : $('w-none');
  if (radio) radio.checked = true;
  form.elements.number.value = '';
  form.elements.other_type.value = '';
  $('e-none').checked = true;
  state.digits = '';
  showSelection();
}

async function deleteEvent(id) {
  const old = state.events.get(id);
  try {
    await remove(id);
    pushUndo(`delete of ${typeLabel(old.event_type)} at ${clock(old.t_sec)}`, () => add(strip(old)));
    say(`Deleted ${typeLabel(old.event_type)} at ${clock(old.t_sec)}. Ctrl+Z brings it back.`);
  } catch (err) {
    say(`Not deleted: ${err.message}.`, true);
  }
}

function whoSelect(current) {
  const select = h('select', { name: 'who', 'aria-label': 'Who' }, h('option', { value: '' }, 'Nobody'));
  for (const t of teams.length ? teams : [{ side: 'A', roster: [] }, { side: 'B', roster: [] }]) {
    const group = h('optgroup', { label: teamName(t.side) },
      h('option', { value: t.side }, `Whole team: ${teamName(t.side)}`),
      ...t.roster.map((p) => h('option', { value: `${t.side}-${p.number}` }, `#${p.number} ${p.player_name}`)));
    select.append(group);
  }
  select.value = current;
  return select;
}

function editRow(id) {
  const e = state.events.get(id);
  const tr = $(`ev-${id}`);
  if (!e || !tr) return;
  const current = e.actor_team ? (e.actor_number === null ? e.actor_team : `${e.actor_team}-${e.actor_number}`) : '';
  const evalSelect = h('select', { name: 'evaluation', 'aria-label': 'Evaluation' }, h('option', { value: '' }, 'None'),
    ...Object.keys(EVALS).map((c) => h('option', { value: c },
      `${c} ${LABELS?.evals?.[e.event_type]?.[c] ?? ''}`.trim())));
  evalSelect.value = evaluation(e);
  const f = h('form', { class: 'row-form' },
    h('input', { name: 't_sec', type: 'number', step: '0.01', min: '0', value: String(e.t_sec), 'aria-label': 'Time (s)', required: true }),
    h('input', { name: 'event_type', value: e.event_type, 'aria-label': 'Type', required: true, maxLength: 40 }),
    whoSelect(current), evalSelect,
    h('button', { type: 'submit', class: 'primary' }, 'Save'),
    h('button', { type: 'button', 'data-act': 'cancel' }, 'Cancel'));
  f.elements.event_type.setAttribute('list', 'type-list');
  tr.replaceChildren(h('td', { colSpan: columns() }, f));
  tr.classList.add('editing');
  f.elements.t_sec.focus();
  f.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      tr.classList.remove('editing');
      tr.replaceWith(row(e));
    }
  });
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const [team, num] = f.elements.who.value.split('-');
    const payload = { ...(e.payload ?? {}) };
    if (f.elements.evaluation.value) payload.evaluation = f.elements.evaluation.value;
    else delete payload.evaluation;
    const fields = { t_sec: Number(f.elements.t_sec.value), event_type: f.elements.event_type.value.trim(),
      actor_team: team || null, actor_number: num ?? null, payload };
    try {
      tr.classList.remove('editing');
      const updated = await patch(id, fields);
      pushUndo(`edit of ${typeLabel(updated.event_type)} at ${clock(updated.t_sec)}`, () => patch(id, strip(e)));
      say(`Saved ${typeLabel(updated.event_type)} at ${clock(updated.t_sec)}.`);
    } catch (err) {
      tr.classList.add('editing');
      say(`Not saved: ${err.message}.`, true);
    }
  });
}

// --- statistics ------------------------------------------------------------------

// --- match state (volleyball sessions): set, score before, server per event, from GET /state ---------------

state.ms = new Map();

/** The row's badge: set, score before the event and the serving team, as the server renders it. */
function matchBadge(e) {
  const m = state.ms.get(e.id);
  if (!m) return [];
  return [' ', h('span', { class: 'ms', title: 'Set, score before the event, serving team' },
    `S${m.set} ${m.score.A}–${m.score.B} · ${m.serving}`)];
}

let matchTimer = 0;
function refreshMatch() {
  const line = $('match-state');
  if (!line) return;
  clearTimeout(matchTimer);
  matchTimer = setTimeout(async () => {
    const res = await fetch(`/api/v1/sessions/${sid}/state`, { headers: { accept: 'application/json' } });
    if (!res.ok) return;
    const st = await res.json();
    const n = st.now;
    state.ms = new Map(st.events.map((e) => [e.id, e]));
    line.replaceChildren(`Set ${n.set}: `, h('strong', {}, `${n.score.A}–${n.score.B}`),
      ` · sets ${n.sets_won.A}–${n.sets_won.B} · ${teamName(n.serving)} serving · rotation ${n.rotation.A} · ${n.rotation.B}`,
      st.match_won_by ? ' · match over' : '');
    render();
  }, 150);
}

// At most one fetch a second, however fast the room tags (each tag of anyone
// reaches every open editor): the per-address rate limit counts these too.
let statsTimer = 0;
function refreshStats() {
  refreshMatch();
  if (statsTimer) return;
  statsTimer = setTimeout(async () => {
    statsTimer = 0;
    const res = await fetch(`/sessions/${sid}/stats?part=tables`);
    if (!res.ok) return;
    const body = $('stats-body');
    body.innerHTML = await res.text();
    sortable(body);
  }, 1000);
}

// --- live panel ----------------------------------------------------------------------

function feedLine(msg, text) {
  const list = $('feed');
  list.querySelector('.muted')?.remove();
  list.prepend(h('li', {}, h('time', { dateTime: msg.at }, showTime(msg.at)), ` ${text}`));
  while (list.children.length > 30) list.lastElementChild.remove();
}

function onMessage(msg) {
  const d = msg.data ?? {};
  switch (msg.type) {
  case 'event_added':
    if (Array.isArray(d.events)) {
      d.events.forEach(upsert);
      feedLine(msg, d.events.length === 1 ?
        `${typeLabel(d.events[0].event_type)} at ${clock(d.events[0].t_sec)} added ${whoText(d.events[0])}`.trim() :
        `${d.events.length} events added`);
    } else {
      loadEvents();
      feedLine(msg, `${d.count} events added`);
    }
    break;
  case 'event_updated':
    upsert(d);
    feedLine(msg, `${typeLabel(d.event_type)} at ${clock(d.t_sec)} changed`);
    break;
  case 'event_deleted':
    feedLine(msg, state.events.has(d.id) ?
      `${typeLabel(state.events.get(d.id).event_type)} at ${clock(state.events.get(d.id).t_sec)} deleted` : 'An event was deleted');
    forget(d.id);
    break;
  case 'rollup_updated':
    refreshStats();
    break;
  case 'teams_updated':
    applyTeams(d);
    render();
    document.dispatchEvent(new CustomEvent('stint:teams', { detail: d }));
    feedLine(msg, 'Teams and rosters changed');
    break;
  case 'session_updated':
    if (liveClock && d.live_at) liveClock.wentLive(d.live_at);
    feedLine(msg, 'The session’s details changed (reload to see them)');
    break;
  case 'clip_added':
    feedLine(msg, 'A clip was added (reload to play it)');
    break;
  case 'task_updated': {
    const before = document.getElementById(`task-${d.task_id}`)?.dataset.status;
    tasks.apply(d);
    if (d.removed || before !== d.status) {
      feedLine(msg, `${taskLabel(d)}: ${d.removed ? 'removed' : d.status}`);
    }
    break;
  }
  default:
    feedLine(msg, msg.type.replaceAll('_', ' '));
  }
}

// --- wiring ------------------------------------------------------------------------

function onKey(ev) {
  const t = ev.target;
  const typing = t.closest('input:not([type=radio]), select, textarea, [contenteditable]');
  if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.key.toLowerCase() === 'z' && !typing && canEdit) {
    ev.preventDefault();
    undo();
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey || typing || ev.defaultPrevented || !singleKeys()) return;
  const k = ev.key;
  const upper = k.length === 1 ? k.toUpperCase() : k;
  const tagButton = form?.querySelector(`button[aria-keyshortcuts="${CSS.escape(upper)}"]`);
  // Space plays and pauses, also on a type button just clicked (it never tags)
  if (k === ' ' && (t === video || t.closest('a, summary') || (t.closest('button') && !t.closest('#tag-form')))) return;
  if (video && (k === ' ' || upper === 'K')) {
    if (video.paused) video.play().catch(() => {}); else video.pause();  // play() rejects when a pause comes first
  } else if (k === ' ') {
    // no video to play: nothing, and no tag
  } else if (video && (upper === 'J' || upper === 'L')) {
    video.currentTime = Math.max(0, video.currentTime + (upper === 'J' ? -2 : 2));
  } else if (k === '[' || k === ']') {
    step(k === ']' ? 1 : -1);
  } else if (!canEdit) {
    return;
  } else if (upper === 'C' && $('scout-code')) {
    $('scout-code').focus();  // the scout line (volleyball): type a DataVolley code
  } else if (upper === 'H' || upper === 'V') {
    $(upper === 'H' ? 'w-A' : 'w-B').checked = true;
    form.elements.number.value = '';
    showSelection();
  } else if (/^[0-9]$/.test(k)) {
    typeDigit(k);
  } else if (EVALS[k]) {
    $(`e-${EVALS[k]}`).checked = true;
    showSelection();
  } else if (k === 'Escape') {
    resetSelection(selection().team);
  } else if (tagButton) {
    tag(tagButton.value);
  } else {
    return;
  }
  ev.preventDefault();
}

// Single-key shortcuts can be switched off (WCAG 2.1.4); the choice is kept in this browser.
const singleKeys = () => $('keys-on')?.checked ?? true;

function typeDigit(d) {
  const now = Date.now();
  state.digits = (now - state.digitAt < 1500 ? state.digits + d : d).slice(-3);
  state.digitAt = now;
  const team = selection().team ?? 'A';
  // the digits as typed ("00" is a shirt of its own); a roster player of the same value ("07" -> "7") when
  // no one wears exactly those digits
  const number = state.digits;
  const chip = $(`w-${team}-${number}`) ?? $(`w-${team}-${String(Number(number))}`);
  if (chip) {
    chip.checked = true;
    form.elements.number.value = '';
  } else {
    $(`w-${team}`).checked = true;
    form.elements.number.value = number;
  }
  showSelection();
}

function wire() {
  $('track').addEventListener('click', (ev) => {
    const marker = ev.target.closest('.marker');
    if (marker) {
      seekTo(state.events.get(Number(marker.dataset.id)));
    } else if (video && state.clip) {
      const box = ev.currentTarget.getBoundingClientRect();
      const t = ((ev.clientX - box.left) / box.width) * state.end;
      seekTo({ t_sec: t, clip_id: null, id: null });
    }
  });
  $('event-rows').addEventListener('click', (ev) => {
    const tr = ev.target.closest('tr[data-id]');
    if (!tr || tr.classList.contains('editing')) {
      if (tr && ev.target.closest('[data-act="cancel"]')) tr.replaceWith(row(state.events.get(Number(tr.dataset.id))));
      return;
    }
    const id = Number(tr.dataset.id);
    const act = ev.target.closest('[data-act]')?.dataset.act;
    if (act === 'edit') editRow(id);
    else if (act === 'delete') deleteEvent(id);
    else seekTo(state.events.get(id));
  });
  $('view-form').addEventListener('change', () => {
    state.who = $('v-who').value;
    state.type = $('v-type').value;
    const q = new URLSearchParams();
    if (state.who) q.set('who', state.who);
    if (state.type) q.set('type', state.type);
    for (const [field, id] of Object.entries(LABELS ? VB_FIELDS : {})) {
      state.vb[field] = $(id).value;
      if (state.vb[field]) q.set(field, state.vb[field]);
    }
    history.replaceState(null, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
    render();
  });
  if (LABELS) {
    // the volleyball filters work in this script only: made by it, set from the address
    buildFilters();
    const q = new URLSearchParams(location.search);
    for (const [field, id] of Object.entries(VB_FIELDS)) {
      if (field === 'combo' && q.get(field)) $(id).append(h('option', { value: q.get(field) }, q.get(field)));
      $(id).value = q.get(field) ?? '';
      state.vb[field] = $(id).value;
    }
  }
  $('view-form').addEventListener('submit', (ev) => ev.preventDefault());
  if (video) {
    video.addEventListener('timeupdate', onTime);
    video.addEventListener('seeked', onTime);
  }
  $('clip-select')?.addEventListener('change', (ev) => switchClip(videos.find((c) => String(c.id) === ev.target.value)));
  if (form) {
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const other = form.elements.other_type.value.trim();
      tag(other ? normaliseType(other) || other : ev.submitter?.value || '');
    });
    form.addEventListener('change', showSelection);
    $('undo').addEventListener('click', undo);
    // a click on a type button leaves the focus where it was, so Space never presses it again
    form.querySelector('.type-buttons')?.addEventListener('mousedown', (ev) => {
      if (ev.target.closest('button')) ev.preventDefault();
    });
    form.addEventListener('keyup', (ev) => {
      if (ev.key === ' ' && ev.target.closest('button') && singleKeys()) ev.preventDefault();
    });
    if (video) form.elements.t_sec.readOnly = true;
    wireClock();
    showSelection();
    if ($('scout-code')) {
      scoutLine({ sid, field: $('scout-code'), hint: $('scout-hint'), court: $('court'), add: $('scout-add'),
        now: tagTimeOrSay, onCode: tagCode });
    }
    const keys = $('keys-on');
    keys.checked = localStorage.getItem('stint.single-keys') !== 'off';
    keys.addEventListener('change', () => localStorage.setItem('stint.single-keys', keys.checked ? 'on' : 'off'));
  }
  for (const f of document.querySelectorAll('.clip-form')) f.addEventListener('submit', moveClip);
  document.addEventListener('keydown', onKey);
}

// --- the session clock (a session without video) ------------------------------------

function clockTick() {
  const t = liveClock.now();
  const label = liveClock.running() ? 'Pause' : t > 0 ? 'Resume' : 'Start';
  if ($('clock-run').textContent !== label) $('clock-run').textContent = label;
  $('clock-time').textContent = clock(t);
  const input = form.elements.t_sec;
  if (!state.typedAt && document.activeElement !== input) input.value = t.toFixed(2);
}

function wireClock() {
  form.elements.t_sec.addEventListener('input', () => { state.typedAt = form.elements.t_sec.value.trim() !== ''; });
  if (!liveClock) return;
  $('clock').hidden = false;
  $('clock-run').addEventListener('click', () => {
    if (liveClock.running()) liveClock.pause(); else liveClock.run();
    clockTick();
    say(liveClock.running() ? `Clock running from ${clock(liveClock.now())}.` : `Clock paused at ${clock(liveClock.now())}.`);
  });
  const apply = () => {
    const s = parseClock($('clock-set').value);
    if (Number.isNaN(s)) {
      say('Set the clock as m:ss or seconds, e.g. 12:30.', true);
      $('clock-set').focus();
      return;
    }
    liveClock.set(s);
    $('clock-set').value = '';
    clockTick();
    say(`Clock set to ${clock(s)}.`);
  };
  $('clock-apply').addEventListener('click', apply);
  $('clock-set').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      apply();
    }
  });
  clockTick();
  setInterval(clockTick, 100);
}

async function moveClip(ev) {
  ev.preventDefault();
  const f = ev.currentTarget;
  const id = Number(f.dataset.clip);
  const offset = Number(f.elements.offset_sec.value);
  try {
    const clip = await api('PATCH', `/clips/${id}`, { offset_sec: offset });
    const mine = videos.find((c) => c.id === id);
    if (mine) mine.offset_sec = clip.offset_sec;
    const start = f.closest('li')?.querySelector('.clip-start');
    if (start) start.textContent = clock(clip.offset_sec);
    await loadEvents();
    say(`Clip moved to ${clock(clip.offset_sec)}; its events moved with it.`);
  } catch (err) {
    say(`Clip not moved: ${err.message}.`, true);
  }
}

const tasks = tasksPanel($('tasks'), sid, canEdit, csrf);
const queue = tagQueue(sid, root.dataset.user, csrf, { onStored, onRefused, onChange: showQueue });
if (canEdit) {
  // tags an earlier page left waiting: shown, then sent
  state.recent = queue.entries().slice(-RECENT).reverse().map((x) => ({ key: x.key, e: x.event }));
  renderRecent();
  queue.start();
}
wire();
sortable($('stats-body'));
loadEvents();
follow(sid, Number(root.dataset.lastSeq), onMessage, (s) => showState($('live-state'), s));
