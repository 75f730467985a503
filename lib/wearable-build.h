/*
 * wearable-build.h: what every device-file format module (lib/wearable-*.c)
 * shares to build a stint_tracks (lib/wearable-sample.h): empty samples,
 * tracks that grow, time-order and clock checks, warnings, and the lenient
 * readers of times and numbers real exports need.
 */
#ifndef STINT_WEARABLE_BUILD_H
#define STINT_WEARABLE_BUILD_H

#include <stdarg.h>
#include <stddef.h>

#include "wearable-sample.h"

/* Warnings kept per file; more are counted in one last warning. */
#define STINT_WEARABLE_MAX_WARNINGS 20

/* Samples whose time is before this (1980-01-01, the GPS epoch) come from a device whose clock was not set. */
#define STINT_WEARABLE_CLOCK_MIN_S 315532800.0

/* Points a parser left out or kept with doubt, counted to give one warning per kind. */
typedef struct stint_wearable_skips {
	unsigned long no_time, no_time_line;       /* samples without a time (skipped) */
	unsigned long backwards, backwards_line;   /* samples earlier than the one before (skipped) */
	unsigned long unset_clock, unset_clock_line; /* times before 1980 (kept) */
} stint_wearable_skips;

/* A sample with every quantity NAN (t_s too). */
void stint_sample_clear(stint_sample *s);

/*
 * Add an empty track labelled label (copied; "" for one-device files) to t.
 * Returns the track (valid until the next call), or NULL when out of memory.
 */
stint_track *stint_tracks_add(stint_tracks *t, const char *label);

/*
 * Append s to track tr (of t) when its time is usable: a NAN time or one
 * earlier than the track's last sample is counted in skips and left out, a
 * time before 1980 is counted and kept. line is the file's line, for the
 * warnings stint_wearable_skips_warn() gives. Returns 0, or -1 when out of
 * memory.
 */
int stint_track_append(stint_track *tr, const stint_sample *s, unsigned long line, stint_wearable_skips *skips);

/* Turn the counts in skips into warnings of t ("line 33: 357 points without a time, skipped"). */
void stint_wearable_skips_warn(stint_tracks *t, const stint_wearable_skips *skips);

/* Add a warning to t (printf format; after STINT_WEARABLE_MAX_WARNINGS only counted). */
void stint_wearable_warn(stint_tracks *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write an error message into err (errsize bytes, may be 0); returns -1 for `return stint_wearable_err(...)`. */
int stint_wearable_err(char *err, size_t errsize, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Seconds since the epoch (UTC) of an ISO 8601 date-time s, as devices write
 * it: "YYYY-MM-DD[T ]hh:mm:ss[.fraction][Z|+hh:mm|+hhmm|-...]"; no zone
 * means UTC; any number of fraction digits; leading/trailing blanks ignored.
 * Returns 0, or -1 when s is not one (or the calendar date is invalid).
 */
int stint_wearable_time(const char *s, double *out);

/*
 * The number in s: leading/trailing blanks ignored, a decimal comma taken as
 * a point when s has no point ("4,25"), "NaN" (any case) gives NAN. Returns
 * 0, or -1 for an empty or malformed value or an infinite one.
 */
int stint_wearable_number(const char *s, double *out);

#endif
