/*
 * wearable-sample.h: the types of lib/wearable.h (formats, samples, tracks)
 * on their own, so that the format modules (lib/wearable-xml.c, ...) can
 * build them without depending on lib/wearable.c, which calls them (no
 * include cycle: tests/lint-includes.sh). Include lib/wearable.h instead.
 */
#ifndef STINT_WEARABLE_SAMPLE_H
#define STINT_WEARABLE_SAMPLE_H

#include <stddef.h>

/* The device-file formats (device_files.format in sql/migrations/0012). */
typedef enum stint_wearable_format {
	STINT_WEARABLE_CSV,               /* 10 Hz GPS unit exports (STATSports-, Catapult-like) */
	STINT_WEARABLE_GPX,               /* GPX 1.0/1.1, with heart-rate/speed extensions */
	STINT_WEARABLE_TCX,               /* Garmin Training Center XML */
	STINT_WEARABLE_FIT,               /* Garmin FIT (lib/wearable-fit.c) */
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

#endif
