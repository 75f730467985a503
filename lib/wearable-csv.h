/*
 * wearable-csv.h: CSV device files (libcsv), for lib/wearable.c: the exports
 * of 10 Hz GPS units and Metrica Sports tracking files.
 */
#ifndef STINT_WEARABLE_CSV_H
#define STINT_WEARABLE_CSV_H

#include <stddef.h>

#include "wearable-sample.h"

/*
 * Parse a GPS unit's CSV export (STATSports-, Catapult-, Polar-like) in data
 * (n bytes) into one track of out. The delimiter (",", ";" or tab) is the
 * most frequent one of the first line; lines before the header (export
 * metadata) are skipped; the header is the first row naming a time column.
 * Column names are matched case-blind, without blanks or punctuation, with
 * their unit in brackets or as a suffix: time/timestamp/utc/datetime/
 * elapsed time (ISO 8601 date-times, hh:mm:ss[.f] with a date column,
 * epoch seconds or milliseconds, or seconds from the start), date,
 * lat/latitude, lon/long/longitude, x/y (m), speed/velocity (m/s unless
 * km/h, kph or mph is said), distance/odometer (m, or km), accel/accl/acc/
 * accelerometer x/y/z (g, or m/s2), hr/heart rate (bpm). Decimal commas are
 * read ("4,25" in a ";" file). Returns 0, or -1 with "line N: reason":
 * no header, a row with another number of fields than the header, a value
 * that is not a number or a time.
 */
int stint_wearable_parse_csv(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize);

/*
 * Parse a Metrica Sports tracking CSV (one team: a row of team names, a row
 * of jersey numbers, the header "Period,Frame,Time [s],Player11,,...,Ball,",
 * then one row a frame at 25 Hz with x,y per player as fractions of the
 * pitch) into one track a player, labelled "<team>_<jersey>" in lower case
 * ("home_11"); the ball is left out. x_m = x * 105, y_m = y * 68; "NaN"
 * (off the pitch) gives NAN positions. t_s is the file's Time [s], seconds
 * from the start of the game (no date is in the file). Format: Metrica
 * Sports sample-data README; kloppy's metrica_csv deserializer.
 */
int stint_wearable_parse_metrica(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize);

/* The pitch of the tracking formats (Metrica, EPTS), metres. */
#define STINT_PITCH_LENGTH_M 105.0
#define STINT_PITCH_WIDTH_M 68.0

#endif
