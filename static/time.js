// time.js: the one way pages show a moment, as lib/timeshow.c does on the
// server: "2026-11-22 11:00 UTC+01:00" in the installation's time zone (the
// layout's <meta name="time-zone">, an IANA name; UTC when absent).

const ZONE = document.querySelector('meta[name="time-zone"]')?.content || 'UTC';

/** iso (RFC 3339) as pages show it; '' when it is not a time. */
export function showTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23', timeZoneName: 'longOffset',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  // longOffset is "GMT+01:00", or "GMT" for UTC itself
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.slice(3);
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} UTC${offset}`;
}
