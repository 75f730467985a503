// bench/report.mjs: the device files of bench/report, written to DIR: PLAYERS generic GPS CSV exports
// (time, lat, lon, hr) at RATE_HZ for MINUTES, built from the real run in ../shared/data/gps/test.tcx:
// its points (1 s apart) looped forward and back to fill the time, interpolated to the rate, each
// player's copy time-shifted by 83 s more than the last. Prints the sample count.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [dir, data] = process.argv.slice(2);
const PLAYERS = Number(process.env.PLAYERS ?? 22), MINUTES = Number(process.env.MINUTES ?? 90);
const RATE = Number(process.env.RATE_HZ ?? 10), START = Date.parse(process.env.START ?? '2026-01-10T10:00:00Z') / 1000;

const text = readFileSync(path.join(data, 'gps/test.tcx'), 'utf8');
const pts = [];
for (const m of text.matchAll(/<Trackpoint>([\s\S]*?)<\/Trackpoint>/g)) {
  const t = /<Time>([^<]+)<\/Time>/.exec(m[1]), lat = /<LatitudeDegrees>([^<]+)</.exec(m[1]);
  const lon = /<LongitudeDegrees>([^<]+)</.exec(m[1]), hr = /<HeartRateBpm>\s*<Value>([^<]+)</.exec(m[1]);
  if (t && lat && lon) pts.push({ t: Date.parse(t[1]) / 1000, lat: +lat[1], lon: +lon[1], hr: hr ? +hr[1] : NaN });
}
const t0 = pts[0].t, span = pts.at(-1).t - t0;

/** The run at time x seconds into the loop (forward, then back), interpolated. */
function at(x) {
  const lap = Math.floor(x / span), u = x - lap * span, r = lap % 2 === 0 ? u : span - u;
  let lo = 0, hi = pts.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (pts[mid].t - t0 <= r) lo = mid; else hi = mid; }
  const a = pts[lo], b = pts[hi], f = b.t > a.t ? Math.min(1, Math.max(0, (r - (a.t - t0)) / (b.t - a.t))) : 0;
  return { lat: a.lat + f * (b.lat - a.lat), lon: a.lon + f * (b.lon - a.lon), hr: Math.round(a.hr + f * (b.hr - a.hr)) };
}

mkdirSync(dir, { recursive: true });
const n = MINUTES * 60 * RATE;
for (let p = 0; p < PLAYERS; p++) {
  const lines = ['time,lat,lon,hr'];
  for (let i = 0; i < n; i++) {
    const s = at(p * 83 + i / RATE);
    lines.push(`${new Date((START + i / RATE) * 1000).toISOString()},${s.lat.toFixed(7)},${s.lon.toFixed(7)},${s.hr}`);
  }
  writeFileSync(path.join(dir, `player${String(p + 1).padStart(2, '0')}.csv`), `${lines.join('\n')}\n`);
}
console.log(PLAYERS * n);
