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

/* The formats, samples and tracks (stint_wearable_format, stint_sample, stint_track, stint_tracks). */
#include "wearable-sample.h"

/* Largest device file read (bytes). */
#define STINT_WEARABLE_MAX_BYTES (256L * 1024 * 1024)

/*
 * Parse the device file at path, of the given format, into *out (emptied
 * first; free with stint_tracks_free() either way; left empty on failure). For EPTS, path is the
 * tracking .txt and the metadata .xml is found beside it (same stem, or the
 * one .xml in its folder). Returns 0 (warnings, if any, in out->warnings), or
 * -1 with "line N: reason" ("byte N: reason" for FIT; "reason" when neither applies) in err
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

/*
 * The format of a device file from its first bytes (head, n bytes; 4 KiB is
 * enough) and its name (may be NULL). FIT: ".FIT" at byte 8; XML: the root
 * <gpx> or <TrainingCenterDatabase>; Metrica: the "Period,Frame,Time [s]" header
 * among the first lines; EPTS: a first line "frame:x,y,...;..."; then the
 * name's extension (.gpx, .tcx, .fit, .csv, .txt); then text whose first
 * line has a , ; or tab: csv. Returns 0 with *format, or -1 when neither
 * content nor name tells.
 */
int stint_wearable_detect(const char *head, size_t n, const char *name, stint_wearable_format *format);

/* Samples in all tracks of t. */
size_t stint_tracks_samples(const stint_tracks *t);

#endif
