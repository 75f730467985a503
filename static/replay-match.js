// replay-match.js: a match's replay (pages-replay.c) against its video. A
// rally's link (the video file at the rally's time, for pages without
// scripts) loads the clip that shows the rally into the page's player (a
// match filmed in parts has one per part), seeks there and plays; while the
// video plays, the rally under way in that clip is marked (aria-current)
// and named below the player.
const video = document.getElementById('replay-video');
const now = document.getElementById('replay-now');
const rallies = [...document.querySelectorAll('.rally[data-t]')];
const srcOf = (r) => new URL(r.dataset.src, location.href).href;

function mark() {
  const t = video.currentTime + 0.05;
  let current = null;
  for (const r of rallies) if (srcOf(r) === video.src && Number(r.dataset.t) <= t) current = r;
  for (const r of rallies) {
    if (r === current) r.setAttribute('aria-current', 'true');
    else r.removeAttribute('aria-current');
  }
  if (current) now.textContent = `Now: ${current.querySelector('.seek').textContent}`;
}

function seekAndPlay(t) {
  video.currentTime = t;
  video.play().catch(() => {});  // a pause that comes first is no error
  mark();
}

if (video) {
  document.getElementById('replay-match').addEventListener('click', (ev) => {
    const link = ev.target.closest('a.seek');
    if (!link) return;
    ev.preventDefault();
    const rally = link.closest('.rally');
    const t = Number(link.dataset.t);
    if (video.src !== srcOf(rally)) {
      video.src = srcOf(rally);
      video.addEventListener('loadedmetadata', () => seekAndPlay(t), { once: true });
    } else {
      seekAndPlay(t);
    }
  });
  video.addEventListener('timeupdate', mark);
}
