// feed.js: a session's live messages (ARCHITECTURE.md, "Live") for the
// pages: an EventSource on /live/sessions/<id>, and catch-up from the stored
// timeline (/api/v1/sessions/<id>/timeline) after every (re)connect and on
// any gap in the seq numbers, so no message is lost or applied twice.

const TYPES = ['session_updated', 'event_added', 'event_updated', 'event_deleted', 'rollup_updated',
  'clip_added', 'climb_updated', 'pose_updated', 'task_updated', 'report_ready', 'recorder_linked',
  'teams_updated'];
const PAGE = 500;

/**
 * Follows session `id` after message seq `after`. Calls onMessage(msg) once
 * per message, in seq order, and onState('connecting' | 'live' |
 * 'reconnecting' | 'ended': access to the session is gone, no more
 * retries). Returns { close() }.
 */
export function follow(id, after, onMessage, onState = () => {}) {
  let seq = after;
  let source = null;
  let catching = null;
  let retryMs = 1000;
  let closed = false;

  const deliver = (msg) => {
    seq = msg.seq;
    onMessage(msg);
  };

  // Fetch what the database stored after seq, page by page.
  const catchUp = () => {
    catching ??= (async () => {
      for (;;) {
        const res = await fetch(`/api/v1/sessions/${id}/timeline?after_seq=${seq}&limit=${PAGE}`,
          { headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`timeline: HTTP ${res.status}`);
        const page = await res.json();
        for (const msg of page.messages) if (msg.seq > seq) deliver(msg);
        if (page.messages.length < PAGE) return;
      }
    })().finally(() => { catching = null; });
    return catching;
  };

  const receive = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    if (typeof msg.seq !== 'number' || msg.seq <= seq) return;  // seen already
    if (!catching && msg.seq === seq + 1) {
      deliver(msg);
      return;
    }
    // a gap (or a catch-up running): fill it from the database, then look again
    catchUp().then(() => receive(ev), () => onState('reconnecting'));
  };

  // Whether this page may no longer follow the session (the share removed,
  // the login ended): the server then ends the stream and refuses it again.
  const accessEnded = async () => {
    try {
      const res = await fetch(`/api/v1/sessions/${id}/timeline?after_seq=${seq}&limit=1`,
        { headers: { accept: 'application/json' } });
      return res.status === 401 || res.status === 403 || res.status === 404;
    } catch {
      return false;
    }
  };

  const connect = () => {
    if (closed) return;
    onState('connecting');
    source = new EventSource(`/live/sessions/${id}`);
    for (const type of TYPES) source.addEventListener(type, receive);
    source.addEventListener('message', receive);
    source.onopen = () => {
      retryMs = 1000;
      onState('live');
      catchUp().catch(() => onState('reconnecting'));
    };
    source.onerror = () => {
      onState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {  // the browser gave up: retry, slower each time
        accessEnded().then((gone) => {
          if (gone) {
            closed = true;
            onState('ended');
            return;
          }
          setTimeout(connect, retryMs);
          retryMs = Math.min(retryMs * 2, 30000);
        });
      }
    };
  };

  connect();
  return {
    close() {
      closed = true;
      source?.close();
    },
  };
}

/** Shows a feed state in element el ("Live", "Reconnecting…"); "Up to date" rather than "Live" when the session is not live. */
export function showState(el, state, sessionLive = true) {
  // "Live" only while the session is live; a finished one that is followed is "Up to date"
  const words = { connecting: 'Connecting…', live: sessionLive ? 'Live' : 'Up to date', reconnecting: 'Reconnecting…',
    ended: 'Ended' };
  el.textContent = words[state] ?? state;
  el.dataset.state = state;
  el.dataset.session = sessionLive ? 'live' : 'not-live';
}
