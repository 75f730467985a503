/* wearable-build.c: the shared building blocks of the device-file parsers (see wearable-build.h). */
#include "wearable-build.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

int stint_wearable_time(const char *s, double *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1;
	double frac = 0, scale = 0.1;
	struct tm tm;
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
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (double)timegm(&tm) + frac - sign * (double)(oh * 3600 + om * 60);
	return 0;
}

int stint_wearable_number(const char *s, double *out)
{
	char buf[64], *end, *comma;
	size_t n;

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
