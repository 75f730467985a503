// review.js: the video review (cgi-bin/pages-review.c). Plays the list's
// items against the session's video: item i from its clip time (data-t) less
// the pre-roll to its time plus the post-roll, then the next one. N or the
// right arrow goes to the next item, P or the left arrow to the previous one
// (not while typing in a field); a click on an item plays it. The item
// playing is marked (aria-current) and named below the player; the player
// carries its number (data-item) and start time (data-start). The share link
// is shown as a whole address.
const video = document.getElementById('review-video');
const now = document.getElementById('review-now');
const pre = document.getElementById('review-pre');
const post = document.getElementById('review-post');
const items = [...document.querySelectorAll('#review-items li[data-t]')];
const share = document.getElementById('share-link');
let current = -1;

// the share link as a whole address (the server writes its path)
if (share) share.value = new URL(share.value, location.href).href;

const seconds = (input, fallback) => {
  const v = Number(input?.value);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
};
const startOf = (li) => Math.max(0, Number(li.dataset.t) - seconds(pre, 3));
const endOf = (li) => Number(li.dataset.t) + seconds(post, 2);

function mark(i) {
  items.forEach((li, j) => {
    if (j === i) li.setAttribute('aria-current', 'true');
    else li.removeAttribute('aria-current');
  });
  const li = items[i];
  li.scrollIntoView({ block: 'nearest' });
  now.textContent = `Playing ${i + 1} of ${items.length}: ${li.querySelector('.seek').textContent}`;
}

function seekAndPlay(li) {
  const start = startOf(li);
  video.dataset.start = String(start);
  video.currentTime = start;
  video.play().catch(() => {});
}

function play(i) {
  if (!video || i < 0 || i >= items.length) return;
  current = i;
  const li = items[i];
  video.dataset.item = String(i + 1);
  mark(i);
  const src = new URL(li.dataset.src, location.href).href;
  if (video.src !== src) {
    video.src = src;
    video.addEventListener('loadedmetadata', () => seekAndPlay(li), { once: true });
  } else {
    seekAndPlay(li);
  }
}

if (video && items.length) {
  video.addEventListener('timeupdate', () => {
    if (current < 0 || video.seeking || video.currentTime < endOf(items[current])) return;
    if (current + 1 < items.length) play(current + 1);
    else video.pause();
  });
  document.getElementById('review-items').addEventListener('click', (ev) => {
    const link = ev.target.closest('a.seek');
    if (!link) return;
    ev.preventDefault();
    play(items.indexOf(link.closest('li')));
  });
  document.getElementById('review-next').addEventListener('click', () => play(current + 1));
  document.getElementById('review-prev').addEventListener('click', () => play(Math.max(0, current - 1)));
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.target.closest('input, select, textarea')) return;
    const key = ev.key.toLowerCase();
    if (key === 'n' || key === 'arrowright') play(current + 1);
    else if (key === 'p' || key === 'arrowleft') play(Math.max(0, current - 1));
    else return;
    ev.preventDefault();
  });
} else {
  for (const id of ['review-next', 'review-prev']) {
    const b = document.getElementById(id);
    if (b) b.disabled = true;
  }
}
