// scout.js: the editor's scout line and court (volleyball sessions, issue 19).
// The server reads the code (GET .../scout-code, the parser that reads .dvw
// files): while typing, the hint says in words what the code means so far and
// what comes next with its choices for the skill; Enter hands a whole code to
// the editor's tag queue (POST .../events with "code", parsed again there).
// The court's zones (DataVolley's 1-9: start on your side below the net, end on
// the other) write the start or end zone into the code; they are buttons
// (Tab, then Enter or Space).

const EVAL = /[#+!\-/=]/;

/** Length of a player's skill code up to and including the evaluation ("*16AH#" is 6), or 0. */
function headLen(s) {
  if ((s[0] !== '*' && s[0] !== 'a') || 'pzPcCT*'.includes(s[1] ?? '')) return 0;
  let i = 1;
  if (s.startsWith('$$', 1)) i = 3;
  else while (i < s.length && /\d/.test(s[i])) i++;
  return i === 1 ? 0 : i + 3;
}

/** typed with its start or end zone set to zone, or null while the code has no evaluation yet. */
export function withZone(typed, which, zone) {
  let s = typed.trim();
  if (/^\d/.test(s)) s = `*${s}`;
  const head = headLen(s);
  if (!head || s.length < head || !EVAL.test(s[head - 1])) return null;
  if (/\s/.test(s)) {
    const w = s.split(/\s+/);
    while (w.length < 3) w.push('~');
    if (which === 'start') w[1] = String(zone);
    else w[2] = String(zone) + (w[2].length > 1 ? w[2].slice(1) : '');
    return w.join(' ').replace(/( ~)+$/, '');
  }
  const slots = s.slice(head).padEnd(6, '~').split('');  // combination (2), set type, start, end, subzone, rest
  slots[which === 'start' ? 3 : 4] = String(zone);
  return (s.slice(0, head) + slots.join('')).replace(/~+$/, '');
}

/**
 * Wires the scout line: field (the input), hint (the live hint), court (the
 * SVG), add (its button). now() is the time of a tag made now (null when
 * there is none: it says so); onCode(code, event, t) queues a code made at t:
 * event is what the server says it stores (null when the server could not be
 * asked: it reads the code again when the tag is sent).
 */
export function scoutLine({ sid, field, hint, court, add, now, onCode }) {
  let timer = 0;
  let pending = null;
  const help = hint.textContent;

  async function ask(code, signal) {
    const res = await fetch(`/api/v1/sessions/${sid}/scout-code?code=${encodeURIComponent(code)}`,
      { headers: { accept: 'application/json' }, signal });
    const body = await res.json().catch(() => null);
    return { status: res.status, body };
  }

  // the hint's question: a newer one (the next key) aborts it
  function describe(code) {
    pending?.abort();
    pending = new AbortController();
    return ask(code, pending.signal);
  }

  function showZones(event) {
    const pl = event?.payload ?? {};
    for (const g of court.querySelectorAll('.zone')) {
      const z = Number(g.dataset.zone);
      const on = g.dataset.which === 'start' ? pl.start_zone === z : (pl.end_zone ?? pl.end_cone) === z;
      g.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
  }

  function show(answer) {
    hint.classList.remove('problem', 'complete');
    if (!answer) {
      hint.textContent = help;
      return;
    }
    const { status, body } = answer;
    if (status === 422) {
      hint.classList.add('problem');
      hint.textContent = `Not a code: ${body?.error?.fields?.code ?? body?.error?.message ?? 'the server refused it'}.`;
      showZones(null);
      return;
    }
    if (status !== 200 || !body) {
      hint.textContent = 'The server cannot read the code now; Enter still adds it.';
      return;
    }
    const words = body.words.map((w) => (w.startsWith('#') && body.player_name ? `${w} ${body.player_name}` : w));
    const said = words.join(' · ');
    if (body.complete) {
      hint.classList.add('complete');
      hint.textContent = `${said}. Enter adds it.`;
    } else {
      hint.textContent = `${said ? `${said}. ` : ''}Next: ${body.part}${body.choices ? ` (${body.choices})` : ''}.`;
    }
    showZones(body.event);
  }

  async function refresh() {
    const code = field.value;
    if (!code.trim()) {
      pending?.abort();
      show(null);
      showZones(null);
      return null;
    }
    try {
      const answer = await describe(code);
      if (field.value === code) show(answer);
      return answer;
    } catch (err) {
      if (err.name === 'AbortError') return null;
      show({ status: 0 });
      return { status: 0 };
    }
  }

  // Whether a code may be queued on this answer: whole, or the server not able to say now (the tag queue
  // waits and sends it; the server reads it then); not when it is wrong or unfinished.
  const queueable = (a) => (a.status === 200 ? a.body.complete : ![400, 404, 422].includes(a.status));

  /**
   * Enter: the line is emptied at once (the next code can be typed while this one is checked), the code
   * asked about once more (a question of its own, not aborted by typing on) and queued; a code that is
   * wrong or unfinished comes back into an empty line with the hint saying why, else the hint says it.
   */
  async function submit() {
    const code = field.value.trim();
    if (!code) {
      hint.classList.add('problem');
      hint.textContent = 'Type a scout code first, e.g. *16AH#V6 4 2.';
      field.focus();
      return;
    }
    const t = now();  // the moment of Enter, not of the server's answer
    if (t === null) return;
    clearTimeout(timer);
    pending?.abort();
    field.value = '';
    show(null);
    showZones(null);
    let answer;
    try {
      answer = await ask(code);
    } catch {
      answer = { status: 0 };
    }
    if (queueable(answer)) {
      onCode(code, answer.status === 200 ? answer.body.event : null, t);
      return;
    }
    if (!field.value) {
      field.value = code;
      show(answer);
      return;
    }
    const why = answer.body?.error?.fields?.code ?? (answer.body?.part ? `the ${answer.body.part} is missing` : 'refused');
    hint.classList.add('problem');
    hint.textContent = `Not added: ${code}: ${why}.`;
  }

  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
  field.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      submit();
    } else if (ev.key === 'Escape') {
      field.blur();  // back to the single-key shortcuts
    }
  });
  add.addEventListener('click', (ev) => {
    ev.preventDefault();
    submit();
  });

  function pick(g) {
    const code = withZone(field.value, g.dataset.which, Number(g.dataset.zone));
    if (code === null) {
      hint.classList.add('problem');
      hint.textContent = 'Type the code up to its evaluation first (e.g. *16AH#), then pick the zones.';
      return;
    }
    field.value = code;
    refresh();
  }
  court.addEventListener('click', (ev) => {
    const g = ev.target.closest('.zone');
    if (g) pick(g);
  });
  court.addEventListener('keydown', (ev) => {
    const g = ev.target.closest('.zone');
    if (g && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      pick(g);
    }
  });
  if (field.value) refresh();
}
