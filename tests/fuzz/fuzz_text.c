/*
 * fuzz_text.c: libFuzzer target for the checks on single text values
 * (lib/validate.c): RFC 3339 timestamps (stint_is_timestamp,
 * stint_timestamp_epoch), UTF-8 (stint_utf8_len), UUIDs, relative file
 * paths (stint_is_safe_relpath) and stint_validate_text over every field of
 * the session and event tables.
 *
 * The input, read as a C string, is checked against independent reference
 * versions written here: UTF-8 by the well-formed byte sequences of The
 * Unicode Standard 15.0, table 3-7; epoch seconds from the calendar by
 * Howard Hinnant's days_from_civil (howardhinnant.github.io/date_algorithms.html).
 * Any disagreement aborts.
 *
 * Built and run by tests/fuzz/run.sh; seeds are written by that script.
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "sessions.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Characters in s by table 3-7, or -1 when s is not well-formed UTF-8. */
static long ref_utf8_len(const unsigned char *s)
{
	long n = 0;
	unsigned char lo, hi;
	int extra, i;

	while (*s != '\0') {
		lo = 0x80, hi = 0xBF;
		if (*s < 0x80)
			extra = 0;
		else if (*s >= 0xC2 && *s <= 0xDF)
			extra = 1;
		else if (*s >= 0xE0 && *s <= 0xEF)
			extra = 2, lo = *s == 0xE0 ? 0xA0 : 0x80, hi = *s == 0xED ? 0x9F : 0xBF;
		else if (*s >= 0xF0 && *s <= 0xF4)
			extra = 3, lo = *s == 0xF0 ? 0x90 : 0x80, hi = *s == 0xF4 ? 0x8F : 0xBF;
		else
			return -1;
		for (i = 1; i <= extra; i++, lo = 0x80, hi = 0xBF)
			if (s[i] < lo || s[i] > hi)
				return -1;
		s += extra + 1;
		n++;
	}
	return n;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* Epoch seconds of a timestamp stint_is_timestamp() accepted. */
static double ref_epoch(const char *s)
{
	double t, frac = 0, scale = 0.1;
	const char *p = s + 19;
	int off = 0;

	t = (double)days_from_civil(num(s, 4), (unsigned)num(s + 5, 2),
				    (unsigned)num(s + 8, 2)) * 86400.0 +
	    num(s + 11, 2) * 3600.0 + num(s + 14, 2) * 60.0 + num(s + 17, 2);
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	if (*p == '+' || *p == '-')
		off = (*p == '-' ? -1 : 1) * (num(p + 1, 2) * 3600 + num(p + 4, 2) * 60);
	return t + frac - off;
}

static void check_timestamp(const char *s)
{
	double epoch = 0;
	int ok = stint_is_timestamp(s);

	if (stint_timestamp_epoch(s, &epoch) != (ok ? 0 : -1))
		abort();
	if (ok && (!isfinite(epoch) || fabs(epoch - ref_epoch(s)) > 1e-3))
		abort();
}

/* A relative path of [A-Za-z0-9._-] segments, none empty, "." or "..". */
static int ref_safe_relpath(const char *s)
{
	const char *seg = s;
	size_t n;

	if (*s == '\0')
		return 0;
	for (;;) {
		n = strcspn(seg, "/");
		if (n == 0 || strcmp(seg, ".") == 0 || strncmp(seg, "./", 2) == 0 ||
		    strcmp(seg, "..") == 0 || strncmp(seg, "../", 3) == 0 ||
		    strspn(seg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != n)
			return 0;
		if (seg[n] == '\0')
			return 1;
		seg += n + 1;
	}
}

static int is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

/* stint_validate_text() of one field agrees with the checks it is built on. */
static void check_field(const stint_field *f, const char *s, long chars)
{
	const char *problem = stint_validate_text(f, s);
	const char *c;
	int control = 0;

	for (c = s; *c != '\0'; c++)
		control |= is_control((unsigned char)*c);
	switch (f->type) {
	case STINT_F_STRING:
		if ((problem == NULL) != (chars >= 0 && !control && chars >= f->min &&
					  chars <= f->max))
			abort();
		break;
	case STINT_F_TIMESTAMP:
		if ((problem == NULL) != stint_is_timestamp(s))
			abort();
		break;
	case STINT_F_UUID:
		if ((problem == NULL) != stint_is_uuid(s))
			abort();
		break;
	case STINT_F_IDENT:
		if (problem == NULL && (strlen(s) < (size_t)f->min || strlen(s) > (size_t)f->max ||
					strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(s)))
			abort();
		break;
	case STINT_F_OBJECT:
	case STINT_F_BOOL:
		if (problem == NULL)
			abort();
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	long chars;
	size_t i;

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	chars = stint_utf8_len(s);
	if (chars != ref_utf8_len((const unsigned char *)s))
		abort();
	check_timestamp(s);
	if (stint_is_safe_relpath(s) != ref_safe_relpath(s))
		abort();
	for (i = 0; i < stint_session_nfields; i++)
		check_field(&stint_session_fields[i], s, chars);
	for (i = 0; i < stint_event_nfields; i++)
		check_field(&stint_event_fields[i], s, chars);
	free(s);
	return 0;
}
