// replay.js: plays a session's stored live messages (the timeline) at the
// pace they happened, times the chosen speed: a log of what happened and
// the state it leaves (status, score, holds, pose frame).
const root = document.getElementById('replay');
const sid = root.dataset.session;
const $ = (id) => document.getElementById(id);
const PAGE = 5000;
const SHOWN = 200;

let messages = [];
let next = 0;
let playing = false;
let timer = 0;
let clock0 = 0;   // wall time when message `next` was scheduled
let base = 0;     // its at (ms)

async function load() {
  let after = 0;
  for (;;) {
    const res = await fetch(`/api/v1/sessions/${sid}/timeline?after_seq=${after}&limit=${PAGE}`);
    if (!res.ok) throw new Error(`timeline: HTTP ${res.status}`);
    const page = await res.json();
    messages = messages.concat(page.messages);
    if (page.messages.length < PAGE) break;
    after = page.messages.at(-1).seq;
  }
}

const at = (m) => Date.parse(m.at);
const fmt = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

// "serve A #9 #": type, team, player, evaluation
const describe = (e) => `${e.event_type}${e.actor_team ? ` ${e.actor_team}` : ''}${e.actor_number != null ? ` #${e.actor_number}` : ''}${e.payload?.evaluation ? ` ${e.payload.evaluation}` : ''}`;

function summary(m) {
  const d = m.data ?? {};
  switch (m.type) {
    case 'event_added':
      return d.events ? d.events.map(describe).join(', ') : `${d.count} events`;
    case 'event_updated': return `${describe(d)} at ${d.t_sec} s`;
    case 'session_updated': return `status ${d.status}`;
    case 'climb_updated': return `${(d.holds ?? []).filter((h) => h.status === 'completed').length} of ${(d.holds ?? []).length} holds`;
    case 'pose_updated': return `frame ${d.frame}`;
    case 'event_deleted': return `event ${d.id} removed`;
    default: return '';
  }
}

function apply(m) {
  const d = m.data ?? {};
  if (m.type === 'session_updated') $('replay-status').textContent = d.status;
  // the holds and the pose frame show for climbs only (the page has them then)
  if (m.type === 'climb_updated' && $('replay-holds')) $('replay-holds').textContent = summary(m);
  if (m.type === 'pose_updated') {
    if ($('replay-frame')) $('replay-frame').textContent = d.frame;
    return;   // frames come 30 a second: shown above, not logged
  }
  if (m.type === 'event_added') {
    for (const e of d.events ?? []) {
      if (e.payload?.home_score != null) $('replay-score').textContent = `${e.payload.home_score} – ${e.payload.visiting_score}`;
    }
  }
  if (m.type === 'rollup_updated') return;
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = fmt(at(m) - at(messages[0]));
  const type = document.createElement('strong');
  type.textContent = ` ${m.type.replace('_', ' ')} `;
  li.append(time, type, document.createTextNode(summary(m)));
  const log = $('replay-log');
  log.prepend(li);
  while (log.children.length > SHOWN) log.lastChild.remove();
}

function progress() {
  $('replay-progress').value = messages.length ? next / messages.length : 1;
  const total = messages.length ? at(messages.at(-1)) - at(messages[0]) : 0;
  const now = next < messages.length ? at(messages[next]) - at(messages[0]) : total;
  $('replay-clock').textContent = `${fmt(now)} of ${fmt(total)} · ${next} of ${messages.length} messages`;
}

function schedule() {
  clearTimeout(timer);
  if (!playing) return;
  if (next >= messages.length) {
    playing = false;
    $('replay-play').textContent = 'Play again';
    return;
  }
  const speed = Number($('replay-speed').value);
  const wait = Math.max(0, (at(messages[next]) - base) / speed - (performance.now() - clock0));
  timer = setTimeout(() => {
    // everything due by now goes at once (frames at 30 a second, fast speeds)
    const due = base + (performance.now() - clock0) * speed;
    while (next < messages.length && at(messages[next]) <= due + 1) apply(messages[next++]);
    progress();
    schedule();
  }, Math.min(wait, 1000));
}

function play() {
  if (next >= messages.length) {
    next = 0;
    $('replay-log').replaceChildren();
  }
  playing = !playing;
  $('replay-play').textContent = playing ? 'Pause' : 'Play';
  if (playing && next < messages.length) {
    base = at(messages[next]);
    clock0 = performance.now();
  }
  schedule();
}

$('replay-play').addEventListener('click', play);
$('replay-speed').addEventListener('change', () => {
  if (playing && next < messages.length) {
    base = at(messages[next]);
    clock0 = performance.now();
    schedule();
  }
});

load().then(() => {
  $('replay-play').disabled = messages.length === 0;
  if (messages.length === 0) $('replay-clock').textContent = 'Nothing was published live in this session.';
  else progress();
}).catch((e) => { $('replay-clock').textContent = `Could not load the messages (${e.message}).`; });
