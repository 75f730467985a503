// live.js: the live view's board follows the session: after any change it
// fetches the board again (/sessions/<id>/board, rendered by the server) and
// tells screen readers the new score.
import { follow, showState } from './feed.js';

const board = document.getElementById('board');
const sid = board.dataset.session;
const announce = document.getElementById('announce');
let timer = 0;

function refresh() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const res = await fetch(`/sessions/${sid}/board`);
    if (!res.ok) return;
    board.innerHTML = await res.text();
    const a = document.getElementById('score-a');
    const b = document.getElementById('score-b');
    if (a && b) announce.textContent = `Score ${a.textContent} to ${b.textContent}`;
  }, 200);
}

follow(sid, Number(board.dataset.lastSeq), (msg) => {
  if (msg.type !== 'pose_updated') refresh();
}, (s) => showState(document.getElementById('live-state'), s));
