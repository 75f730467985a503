// replay-match.js: a match's replay (pages-replay.c) against its video. A
// rally's link (the video file at the rally's time, for pages without
// scripts) seeks the page's player there and plays; while the video plays,
// the rally under way is marked (aria-current) and named below the player.
const video = document.getElementById('replay-video');
const now = document.getElementById('replay-now');
const rallies = [...document.querySelectorAll('.rally[data-t]')];

function mark() {
  const t = video.currentTime + 0.05;
  let current = null;
  for (const r of rallies) if (Number(r.dataset.t) <= t) current = r;
  for (const r of rallies) {
    if (r === current) r.setAttribute('aria-current', 'true');
    else r.removeAttribute('aria-current');
  }
  if (current) now.textContent = `Now: ${current.querySelector('.seek').textContent}`;
}

if (video) {
  document.getElementById('replay-match').addEventListener('click', (ev) => {
    const link = ev.target.closest('a.seek');
    if (!link) return;
    ev.preventDefault();
    video.currentTime = Number(link.dataset.t);
    video.play().catch(() => {});
    mark();
  });
  video.addEventListener('timeupdate', mark);
}
