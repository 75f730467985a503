/*
 * timeshow.h: the one way pages show a moment: in the installation's time
 * zone (setting time_zone, an IANA name such as "Europe/Paris"; default
 * "UTC") with its UTC offset, "2026-11-22 11:00 UTC+01:00". The JSON API
 * keeps RFC 3339; static/time.js shows times the same way in the browser
 * (the layout passes the zone in <meta name="time-zone">).
 */
#ifndef STINT_TIMESHOW_H
#define STINT_TIMESHOW_H

#include <stddef.h>

/*
 * The zone's name. The first call applies it to the process (TZ and
 * tzset(3)); a name that is not a file under /usr/share/zoneinfo is logged
 * once and UTC is used. Static string.
 */
const char *stint_time_zone(void);

/*
 * epoch_s (seconds since 1970, UTC) as "YYYY-MM-DD HH:MM UTC+hh:mm" in the
 * zone, into out (at least 32 bytes). Returns 0, or -1 with out "".
 */
int stint_time_show(double epoch_s, char *out, size_t size);

/* epoch_s as a datetime-local input value in the zone, "YYYY-MM-DDTHH:MM". */
int stint_time_input(double epoch_s, char *out, size_t size);

/*
 * A datetime-local value ("YYYY-MM-DDTHH:MM") read in the zone, as RFC 3339
 * with the zone's offset at that moment ("2026-11-22T10:00:00+01:00").
 * Returns 0, or -1 when local is not one (out "").
 */
int stint_time_from_input(const char *local, char *out, size_t size);

#endif
