// recordings.js: the editor's recordings panel (the page works without it): the
// playhead on the timeline follows the recording's player, a click on the
// timeline plays the recording from that moment of the session, and a player
// whose presigned URL has expired gets a fresh one from the API.
const panel = document.getElementById('recordings');
const audio = document.getElementById('rec-audio');
const svg = document.getElementById('rec-timeline');
const head = document.getElementById('rec-playhead');

if (panel && audio && svg && head && panel.dataset.t1) {
  const t0 = Number(panel.dataset.t0);
  const t1 = Number(panel.dataset.t1);
  const offset = Number(panel.dataset.offset);
  const x = (t) => Math.round(((t - t0) / (t1 - t0)) * 1000);
  audio.addEventListener('timeupdate', () => head.setAttribute('x', String(x(offset + audio.currentTime))));
  svg.addEventListener('click', (e) => {
    const box = svg.getBoundingClientRect();
    const t = t0 + ((e.clientX - box.left) / box.width) * (t1 - t0) - offset;
    if (t < 0 || (Number.isFinite(audio.duration) && t > audio.duration)) return;
    audio.currentTime = t;
    audio.play().catch(() => {});
  });
}

if (audio) {
  const sid = document.getElementById('editor')?.dataset.session;
  let renewed = false;
  audio.addEventListener('error', async () => {
    if (renewed || !sid) return;
    renewed = true;
    const format = /\.flac\b|%2Fdata\.flac|\/data\.flac/.test(audio.currentSrc) ? 'flac' : 'ogg';
    const r = await fetch(`/api/v1/sessions/${sid}/recorder/download/${format}`, { credentials: 'same-origin' });
    if (r.ok) audio.src = (await r.json()).url;
  });
}
