// clock.js: the editor's session clock, for tagging a live session without
// video. It reads the seconds since the session went live (the session's
// live_at), runs on this browser's clock, and can be paused and set (a
// correction: the referee's clock was stopped, the page was opened late).
// A pause or a correction is kept in localStorage under stint.clock.<sid>,
// so a reload keeps it. Before the session went live the clock stands at 0
// until started.

/**
 * The clock of session sid that went live at liveAt (RFC 3339, or '' when it
 * has not). Returns { now() seconds, running(), pause(), run(), set(seconds),
 * wentLive(liveAt) }.
 */
export function sessionClock(sid, liveAt) {
  const store = `stint.clock.${sid}`;
  const live = liveAt ? Date.parse(liveAt) : NaN;
  // zero_ms: the wall-clock time (ms) at which the running clock read 0;
  // held_s: the reading while paused (null while running).
  let state = Number.isNaN(live) ? { zero_ms: null, held_s: 0 } : { zero_ms: live, held_s: null };
  try {
    const saved = JSON.parse(localStorage.getItem(store) ?? 'null');
    if (saved && (typeof saved.held_s === 'number' || typeof saved.zero_ms === 'number')) state = saved;
  } catch {
    // a damaged entry: the clock from live_at
  }
  const save = () => localStorage.setItem(store, JSON.stringify(state));
  const now = () => (state.held_s !== null ? state.held_s : Math.max(0, (Date.now() - state.zero_ms) / 1000));

  return {
    now,
    running: () => state.held_s === null,
    pause() {
      state = { zero_ms: null, held_s: now() };
      save();
    },
    run() {
      if (state.held_s === null) return;
      state = { zero_ms: Date.now() - state.held_s * 1000, held_s: null };
      save();
    },
    /**
     * The session went live at liveAt (RFC 3339) while the page was open: a
     * clock never started nor set here starts from it.
     */
    wentLive(liveAt) {
      const at = Date.parse(liveAt);
      if (Number.isNaN(at) || localStorage.getItem(store) !== null || state.zero_ms !== null) return;
      state = { zero_ms: at, held_s: null };
    },
    /** Sets the reading to seconds (>= 0), running or paused as it was. */
    set(seconds) {
      state = state.held_s === null ? { zero_ms: Date.now() - seconds * 1000, held_s: null } :
        { zero_ms: null, held_s: seconds };
      save();
    },
  };
}

/** Seconds from "m:ss", "h:mm:ss", "m:ss.s" or plain seconds; NaN when it is none of those. */
export function parseClock(text) {
  const t = text.trim();
  if (!/^\d+(:[0-5]?\d){0,2}(\.\d+)?$/.test(t)) return NaN;
  return t.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
}
