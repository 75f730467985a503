/*
 * timeshow.c: times as pages show them (see timeshow.h). The zone is
 * applied once per process through TZ, so localtime_r(3) and mktime(3)
 * follow it; tm_gmtoff gives the offset of each moment (summer time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "timeshow.h"

#define ZONEINFO "/usr/share/zoneinfo/"

static int zone_ok(const char *name)
{
	char path[256];

	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/+-") != strlen(name))
		return 0;
	if (snprintf(path, sizeof(path), ZONEINFO "%s", name) >= (int)sizeof(path))
		return 0;
	return access(path, R_OK) == 0;
}

const char *stint_time_zone(void)
{
	static const char *zone;  /* set once per process: a setting, read-only afterwards */
	const char *name;

	if (zone != NULL)
		return zone;
	name = stint_config_get("time_zone", "UTC");
	if (strcmp(name, "UTC") != 0 && !zone_ok(name)) {
		stint_log(STINT_LOG_WARN, "time_zone: %s is not a time zone under " ZONEINFO ": pages show UTC", name);
		name = "UTC";
	}
	setenv("TZ", name, 1);
	tzset();
	zone = name;
	return zone;
}

/* The moment's broken-down local time; 0 or -1. */
static int local(double epoch_s, struct tm *tm)
{
	time_t secs = (time_t)epoch_s;

	stint_time_zone();
	return epoch_s == epoch_s && localtime_r(&secs, tm) != NULL ? 0 : -1;
}

/* "+hh:mm" of tm's offset into out (8 bytes). */
static void offset(const struct tm *tm, char out[8])
{
	long off = tm->tm_gmtoff, a = labs(off);

	snprintf(out, 8, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}

int stint_time_show(double epoch_s, char *out, size_t size)
{
	struct tm tm;
	char day[24], off[8];

	if (size > 0)
		out[0] = '\0';
	if (local(epoch_s, &tm) != 0 || strftime(day, sizeof(day), "%Y-%m-%d %H:%M", &tm) == 0)
		return -1;
	offset(&tm, off);
	if (snprintf(out, size, "%s UTC%s", day, off) >= (int)size) {
		if (size > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int stint_time_input(double epoch_s, char *out, size_t size)
{
	struct tm tm;

	if (size > 0)
		out[0] = '\0';
	return local(epoch_s, &tm) == 0 && strftime(out, size, "%Y-%m-%dT%H:%M", &tm) > 0 ? 0 : -1;
}

int stint_time_from_input(const char *s, char *out, size_t size)
{
	struct tm tm;
	char off[8];
	time_t secs;
	size_t len;
	int y, mo, d, h, mi, n = 0;

	if (size > 0)
		out[0] = '\0';
	if (s == NULL || strlen(s) != 16 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16)
		return -1;
	stint_time_zone();
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	if ((secs = mktime(&tm)) == (time_t)-1 || localtime_r(&secs, &tm) == NULL)
		return -1;
	offset(&tm, off);
	len = strftime(out, size, "%Y-%m-%dT%H:%M:00", &tm);
	if (len == 0 || (size_t)snprintf(out + len, size - len, "%s", strcmp(off, "+00:00") == 0 ? "Z" : off) >= size - len) {
		if (size > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
