// teams.js: the teams forms' enhancements (the editor's teams panel and the
// saved teams page; both work without it): an "Add player" button under each
// roster, saving through the JSON API without leaving the page (problems shown
// beside their fields, named as the API names them), and, in the editor, the
// panel refilled when someone else changes the teams (editor.js passes the
// teams_updated message on as a stint:teams event) unless it is being edited.
// The editor shows a summary of the teams (templates/teams-summary): its
// "Edit teams and rosters" brings the panel (GET /sessions/<id>/teams?part=panel)
// in its place, focus on its heading, and the summary follows stint:teams too.
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
const MAX_PLAYERS = 40;
const KEYS = ['number', 'name', 'position', 'libero', 'captain'];

const field = (form, prefix, row, key) =>
  form.elements.namedItem(row === null ? `${prefix}.${key}` : `${prefix}.p${row}.${key}`);

function rowsOf(fieldset) {
  return [...fieldset.querySelectorAll('tbody tr[data-row]')];
}

/** Adds an empty roster row after the last one, its names and labels numbered on. */
function addRow(fieldset) {
  const rows = rowsOf(fieldset);
  const last = rows[rows.length - 1];
  const next = Number(last.dataset.row) + 1;
  const tr = last.cloneNode(true);
  tr.dataset.row = String(next);
  tr.classList.remove('has-error');
  for (const input of tr.querySelectorAll('input')) {
    input.name = input.name.replace(/\.p\d+\./, `.p${next}.`);
    input.setAttribute('aria-label', input.getAttribute('aria-label').replace(/player \d+/, `player ${next + 1}`));
    input.removeAttribute('aria-invalid');
    if (input.type === 'checkbox') input.checked = false; else input.value = '';
  }
  fieldset.querySelector('tbody').append(tr);
  tr.querySelector('input').focus();
  return rowsOf(fieldset).length < MAX_PLAYERS;
}

/** The team a fieldset describes, as the API takes it, and the form row of each player. */
function teamOf(form, fieldset) {
  const prefix = fieldset.dataset.prefix;
  const value = (row, key) => field(form, prefix, row, key)?.value ?? '';
  const team = { name: value(null, 'name'), short_name: value(null, 'short_name'),
    colour: value(null, 'colour'), players: [] };
  const rows = [];
  for (const tr of rowsOf(fieldset)) {
    const row = Number(tr.dataset.row);
    const number = value(row, 'number').trim();
    const name = value(row, 'name');
    if (!number && !name.trim()) continue;
    team.players.push({ number, name, position: value(row, 'position'),
      libero: field(form, prefix, row, 'libero').checked, captain: field(form, prefix, row, 'captain').checked });
    rows.push(row);
  }
  const blank = !team.name.trim() && team.players.length === 0;
  return { prefix, team, rows, blank };
}

/** The input an API field name points at ("home.players[3].number"), through the sides' row maps. */
function inputFor(form, sides, name) {
  for (const s of sides) {
    const rest = form.dataset.kind === 'session' ? (name.startsWith(`${s.prefix}.`) ? name.slice(s.prefix.length + 1) : null) : name;
    if (rest === null) continue;
    const m = /^players\[(\d+)\]\.(\w+)$/.exec(rest);
    if (m && s.rows[Number(m[1])] !== undefined) return field(form, s.prefix, s.rows[Number(m[1])], m[2]);
    return field(form, s.prefix, null, rest) ?? null;
  }
  return null;
}

function labelOf(input, name) {
  return input?.getAttribute('aria-label') ?? (input?.labels?.[0]?.textContent) ?? name;
}

async function save(form, status) {
  const sides = [...form.querySelectorAll('fieldset.team-fields')].map((fs) => teamOf(form, fs));
  let body;
  if (form.dataset.kind === 'session') {
    body = Object.fromEntries(sides.map((s) => [s.prefix, s.blank ? null : s.team]));
  } else {
    body = sides[0].team;
  }
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  status.textContent = 'Saving…';
  status.classList.remove('problem');
  let res;
  try {
    res = await fetch(form.dataset.api, { method: form.dataset.method, body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf } });
  } catch {
    status.textContent = 'Not saved: the server cannot be reached; try again.';
    status.classList.add('problem');
    return;
  }
  const data = await res.json().catch(() => null);
  if (res.ok) {
    form.dataset.dirty = '';
    if (form.dataset.kind === 'saved') {
      location.assign(`/teams?flash=${form.dataset.method === 'POST' ? 'team_added' : 'team_saved'}`);
      return;
    }
    status.textContent = 'Teams saved.';
    return;
  }
  const fields = Object.entries(data?.error?.fields ?? {});
  const lines = fields.map(([name, problem]) => {
    const input = inputFor(form, sides, name);
    input?.setAttribute('aria-invalid', 'true');
    return `${labelOf(input, name)} ${problem}`;
  });
  status.textContent = `Not saved: ${lines.join('; ') || data?.error?.message || `HTTP ${res.status}`}.`;
  status.classList.add('problem');
  form.querySelector('[aria-invalid]')?.focus();
}

/** Puts a side's stored team (or null) into its fieldset, rows added as needed. */
function fill(form, fieldset, team) {
  const prefix = fieldset.dataset.prefix;
  for (const key of ['name', 'short_name', 'colour']) {
    const input = field(form, prefix, null, key);
    if (input && (team?.[key] || key !== 'colour')) input.value = team?.[key] ?? '';
  }
  const players = team?.players ?? [];
  while (rowsOf(fieldset).length < Math.min(players.length + 1, MAX_PLAYERS)) addRow(fieldset);
  rowsOf(fieldset).forEach((tr, i) => {
    const row = Number(tr.dataset.row);
    const p = players[i] ?? {};
    for (const key of KEYS) {
      const input = field(form, prefix, row, key);
      if (input.type === 'checkbox') input.checked = Boolean(p[key]); else input.value = p[key] ?? '';
    }
  });
}

/** Wires a teams form: "Add a player" buttons, saving through the API, and (the session's) live refills. */
function wire(form) {
  const status = form.querySelector('[role=status]');
  for (const fieldset of form.querySelectorAll('fieldset.team-fields')) {
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'add-player';
    add.textContent = `Add a player to ${fieldset.querySelector('legend').textContent}`;
    add.addEventListener('click', () => { add.disabled = !addRow(fieldset); });
    add.disabled = rowsOf(fieldset).length >= MAX_PLAYERS;
    fieldset.append(add);
  }
  form.addEventListener('input', () => { form.dataset.dirty = '1'; });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    save(form, status);
  });
  if (form.dataset.kind === 'session') {
    document.addEventListener('stint:teams', (ev) => {
      if (form.dataset.dirty) {
        status.textContent = 'Someone else changed the teams; saving now replaces their change.';
        return;
      }
      for (const fieldset of form.querySelectorAll('fieldset.team-fields')) {
        fill(form, fieldset, ev.detail?.[fieldset.dataset.prefix] ?? null);
      }
      status.textContent = 'The teams were changed (shown as they are now).';
    });
  }
}

/** "12 players", "1 player", "no players"; "" without a team (as cgi-bin/pages-teams.c side_summary writes it). */
function playersText(team) {
  if (!team) return '';
  const n = team.players?.length ?? 0;
  return n === 0 ? 'no players' : `${n} player${n === 1 ? '' : 's'}`;
}

/**
 * Puts the full panel (the summary's link with ?part=panel) in place of the summary, focus on its
 * heading, its forms wired; when it cannot be had, the link's page is opened instead.
 */
async function openPanel(summary, link) {
  const status = summary.querySelector('#teams-open-status');
  if (summary.dataset.loading) return;
  summary.dataset.loading = '1';
  status.textContent = 'Loading the teams…';
  let panel = null;
  try {
    const res = await fetch(`${link.pathname}?part=panel`, { headers: { accept: 'text/html' } });
    if (res.ok) {
      const tpl = document.createElement('template');
      tpl.innerHTML = await res.text();
      panel = tpl.content.querySelector('section#teams');
    }
  } catch {
    panel = null;
  }
  if (!panel) {
    location.assign(link.href);
    return;
  }
  summary.replaceWith(panel);
  const heading = panel.querySelector('#teams-title');
  heading.tabIndex = -1;
  heading.focus();
  panel.querySelectorAll('form.teams-form').forEach(wire);
}

document.querySelectorAll('form.teams-form').forEach(wire);

const summary = document.querySelector('section.teams-summary');
if (summary) {
  const link = summary.querySelector('#teams-open');
  link.addEventListener('click', (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;  // a new tab: the page
    ev.preventDefault();
    openPanel(summary, link);
  });
  document.addEventListener('stint:teams', (ev) => {
    for (const li of summary.querySelectorAll('li[data-side]')) {
      const team = ev.detail?.[li.dataset.side] ?? null;
      li.querySelector('.team-name').textContent = team?.name || 'No team yet';
      li.querySelector('.team-count').textContent = playersText(team);
    }
  });
}
