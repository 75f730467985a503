/*
 * wearable.h: the samples of a wearable device file (issue 12), the shape
 * the device-file parsers (lib/wearable.c and its format modules) produce and
 * the load metrics (lib/loadmetrics.c) and the report (bin/stint-report)
 * read. One file gives one track (a player's GPS unit, watch or chest strap)
 * or, for team tracking formats (Metrica CSV, EPTS), one track per player.
 *
 * Every quantity a file does not have is NAN (isnan()), never 0: a file with
 * heart rate only has lat/lon/x/y/speed_mps NAN in every sample, and the
 * metrics that need positions are left out, not computed as zero.
 */
#ifndef STINT_WEARABLE_H
#define STINT_WEARABLE_H

#include <stddef.h>

/* The device-file formats (device_files.format in sql/migrations/0012). */
typedef enum stint_wearable_format {
	STINT_WEARABLE_CSV,               /* 10 Hz GPS unit exports (STATSports-, Catapult-like) */
	STINT_WEARABLE_GPX,               /* GPX 1.0/1.1, with heart-rate/speed extensions */
	STINT_WEARABLE_TCX,               /* Garmin Training Center XML */
	STINT_WEARABLE_FIT,               /* Garmin FIT (decoded through gpsbabel) */
	STINT_WEARABLE_METRICA,           /* Metrica Sports tracking CSV: one file a team */
	STINT_WEARABLE_EPTS               /* Metrica EPTS tracking (.txt + metadata .xml) */
} stint_wearable_format;

/* One sample. */
typedef struct stint_sample {
	double t_s;                       /* seconds since the Unix epoch, UTC (fractions kept) */
	double lat_deg, lon_deg;          /* WGS 84 position, or NAN */
	double x_m, y_m;                  /* position on the pitch in metres (tracking formats), or NAN */
	double speed_mps;                 /* speed the device measured, m/s, or NAN */
	double distance_m;                /* cumulative distance the device measured, m, or NAN */
	double ax_g, ay_g, az_g;          /* accelerometer axes in g, or NAN */
	double hr_bpm;                    /* heart rate, beats per minute, or NAN */
} stint_sample;

/* One player's samples, in time order (t_s never decreases). */
typedef struct stint_track {
	char *label;                      /* the player in a team file ("home_11"); "" for a one-device file (heap) */
	stint_sample *samples;            /* (heap) */
	size_t n;
} stint_track;

/* What a file gave: its tracks and the warnings met on the way. */
typedef struct stint_tracks {
	stint_wearable_format format;
	stint_track *tracks;              /* (heap) */
	size_t n;
	char **warnings;                  /* "line 12: a point without a time, skipped" (heap strings) */
	size_t n_warnings;
} stint_tracks;

/*
 * Parse the device file at path, of the given format, into *out (emptied
 * first; free with stint_tracks_free() either way). For EPTS, path is the
 * tracking .txt and the metadata .xml is found beside it (same stem, or the
 * one .xml in its folder). Returns 0 (warnings, if any, in out->warnings), or
 * -1 with "line N: reason" (or "reason" when no line applies) in err
 * (errsize bytes): an unreadable, corrupt or truncated file, or one without a
 * single usable sample. Never crashes on any input (fuzzed).
 */
int stint_wearable_parse_file(const char *path, stint_wearable_format format, stint_tracks *out, char *err,
			      size_t errsize);

/* Free what *t holds and empty it; t may be NULL or already empty. */
void stint_tracks_free(stint_tracks *t);

/* The format's name as stored in device_files.format ("csv", "gpx", ...). */
const char *stint_wearable_format_name(stint_wearable_format format);

/* The format named name into *format: 0, or -1 for an unknown name. */
int stint_wearable_format_parse(const char *name, stint_wearable_format *format);

#endif
