/* wearable-build.c: the shared building blocks of the device-file parsers (see wearable-build.h). */
#include "wearable-build.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void stint_sample_clear(stint_sample *s)
{
	s->t_s = s->lat_deg = s->lon_deg = s->x_m = s->y_m = NAN;
	s->speed_mps = s->distance_m = s->ax_g = s->ay_g = s->az_g = s->hr_bpm = NAN;
}

stint_track *stint_tracks_add(stint_tracks *t, const char *label)
{
	stint_track *grown, *tr;
	char *copy = strdup(label);

	if (copy == NULL)
		return NULL;
	grown = realloc(t->tracks, (t->n + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(copy);
		return NULL;
	}
	t->tracks = grown;
	tr = &t->tracks[t->n++];
	tr->label = copy;
	tr->samples = NULL;
	tr->n = 0;
	return tr;
}

/* Make room for one more sample: the capacity doubles whenever n reaches a power of two (from 64). */
static int track_grow(stint_track *tr)
{
	size_t n = tr->n, cap;
	stint_sample *grown;

	if (n != 0 && (n < 64 || (n & (n - 1)) != 0))
		return 0;
	cap = n == 0 ? 64 : 2 * n;
	if (cap > SIZE_MAX / sizeof(*grown))
		return -1;
	grown = realloc(tr->samples, cap * sizeof(*grown));
	if (grown == NULL)
		return -1;
	tr->samples = grown;
	return 0;
}

static void count(unsigned long *n, unsigned long *first_line, unsigned long line)
{
	if ((*n)++ == 0)
		*first_line = line;
}

int stint_track_append(stint_track *tr, const stint_sample *s, unsigned long line, stint_wearable_skips *skips)
{
	if (isnan(s->t_s) || isinf(s->t_s)) {
		count(&skips->no_time, &skips->no_time_line, line);
		return 0;
	}
	if (tr->n > 0 && s->t_s < tr->samples[tr->n - 1].t_s) {
		count(&skips->backwards, &skips->backwards_line, line);
		return 0;
	}
	if (s->t_s < STINT_WEARABLE_CLOCK_MIN_S)
		count(&skips->unset_clock, &skips->unset_clock_line, line);
	if (track_grow(tr) != 0)
		return -1;
	tr->samples[tr->n++] = *s;
	return 0;
}

void stint_wearable_skips_warn(stint_tracks *t, const stint_wearable_skips *skips)
{
	if (skips->no_time > 0)
		stint_wearable_warn(t, "line %lu: %lu point%s without a time, skipped", skips->no_time_line,
				    skips->no_time, skips->no_time == 1 ? "" : "s");
	if (skips->backwards > 0)
		stint_wearable_warn(t, "line %lu: %lu point%s earlier than the point before, skipped",
				    skips->backwards_line, skips->backwards, skips->backwards == 1 ? "" : "s");
	if (skips->unset_clock > 0)
		stint_wearable_warn(t, "line %lu: %lu time%s before 1980 (the device's clock was not set), kept",
				    skips->unset_clock_line, skips->unset_clock, skips->unset_clock == 1 ? "" : "s");
}

void stint_wearable_warn(stint_tracks *t, const char *fmt, ...)
{
	char text[512], **grown;
	va_list ap;

	if (t->n_warnings > STINT_WEARABLE_MAX_WARNINGS)
		return;
	if (t->n_warnings == STINT_WEARABLE_MAX_WARNINGS) {
		snprintf(text, sizeof(text), "more warnings left out");
	} else {
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
	}
	grown = realloc(t->warnings, (t->n_warnings + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	t->warnings = grown;
	if ((t->warnings[t->n_warnings] = strdup(text)) != NULL)
		t->n_warnings++;
}

int stint_wearable_err(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (errsize > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errsize, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Read exactly n digits at *p into *v and advance; -1 when one is not a digit. */
static int digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/*
 * Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1-12):
 * H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil
 * (public domain). The same figure as timegm()'s day part, without its
 * normalisation work: this runs once per sample of a 10 Hz file.
 */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int stint_wearable_time(const char *s, double *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1;
	double frac = 0, scale = 0.1;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if ((*p != 'T' && *p != 't' && *p != ' ') || (p++, digits(&p, 2, &h)) || *p++ != ':' ||
	    digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (*p == '.' || *p == ',')
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && digits(&p, 2, &om))
			return -1;
		if (oh > 15 || om > 59)
			return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		return -1;
	*out = (double)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec + frac -
	       sign * (double)(oh * 3600 + om * 60);
	return 0;
}

/* Powers of ten that a double holds exactly (10^0 .. 10^22). */
static const double exact_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
	1e19, 1e20, 1e21, 1e22,
};

/*
 * The common cell "[blanks][-+]digits[.digits][blanks]" (the point may be a
 * comma) read without strtod: the digits as an integer m below 2^53 and k
 * digits after the point (k <= 22), then m / 10^k. Both operands are exact
 * doubles and IEEE 754 division rounds correctly, so the result is the one
 * strtod gives (Clinger's fast path: W. D. Clinger, "How to read floating
 * point numbers accurately", PLDI 1990). Returns 0, or -1 for anything else
 * (more digits, an exponent, "NaN", ...), which the caller hands to strtod.
 */
static int number_fast(const char *s, double *out)
{
	uint64_t m = 0;
	int digits = 0, k = -1, neg = 0;
	double v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++digits > 15)    /* then m < 10^15 < 2^53 */
				return -1;
			m = m * 10 + (uint64_t)(*s - '0');
			if (k >= 0)
				k++;
		} else if ((*s == '.' || *s == ',') && k < 0) {
			k = 0;
		} else {
			break;
		}
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s != '\0' || k > 22)
		return -1;
	if (digits == 0)    /* "", "-", ".": strtod's path refuses them */
		return -1;
	v = (double)m / exact_pow10[k > 0 ? k : 0];
	*out = neg ? -v : v;
	return 0;
}

int stint_wearable_number(const char *s, double *out)
{
	char buf[64], *end, *comma;
	size_t n;

	if (number_fast(s, out) == 0)
		return 0;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strcasecmp(buf, "nan") == 0) {
		*out = NAN;
		return 0;
	}
	if (strchr(buf, '.') == NULL && (comma = strchr(buf, ',')) != NULL && strchr(comma + 1, ',') == NULL)
		*comma = '.';
	/* strtod would also take "inf", "nan(...)" and hex: only decimal digits, sign, point and exponent here */
	if (buf[strspn(buf, "+-0123456789.eE")] != '\0')
		return -1;
	*out = strtod(buf, &end);
	if (end == buf || *end != '\0' || isinf(*out) || isnan(*out))
		return -1;
	return 0;
}
