// live.js: the live view's board follows the session: after any change it
// fetches the board again (/sessions/<id>/board?part=board, rendered by the
// server) and tells screen readers the new score. The connection state says
// "Live" only while the session's status is live.
import { follow, showState } from './feed.js';

const board = document.getElementById('board');
const sid = board.dataset.session;
const announce = document.getElementById('announce');
const stateEl = document.getElementById('live-state');
let timer = 0;
let state = 'connecting';

const sessionLive = () => board.querySelector('.board-title')?.dataset.status === 'live';

function refresh() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const res = await fetch(`/sessions/${sid}/board?part=board`);
    if (!res.ok) return;
    board.innerHTML = await res.text();
    showState(stateEl, state, sessionLive());
    const a = document.getElementById('score-a');
    const b = document.getElementById('score-b');
    if (a && b) announce.textContent = `Score ${a.textContent} to ${b.textContent}`;
  }, 200);
}

follow(sid, Number(board.dataset.lastSeq), (msg) => {
  if (msg.type !== 'pose_updated') refresh();
}, (s) => {
  state = s;
  showState(stateEl, s, sessionLive());
});
