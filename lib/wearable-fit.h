/*
 * wearable-fit.h: Garmin FIT device files, decoded by gpsbabel, for
 * lib/wearable.c.
 */
#ifndef STINT_WEARABLE_FIT_H
#define STINT_WEARABLE_FIT_H

#include <stddef.h>

#include "wearable-sample.h"

/* The gpsbabel program run (found on PATH). */
#define STINT_GPSBABEL "gpsbabel"

/*
 * Parse the FIT activity file at path into one track of out: runs
 * `gpsbabel -t -i garmin_fit,allpoints=1 -f PATH -o unicsv,utc=0 -F -` as a
 * child (no shell; 30 s of CPU at most; its output capped at 256 MiB) and
 * reads the CSV it writes with stint_wearable_parse_csv(): time, latitude,
 * longitude (0,0 = no position: NAN), speed (m/s), heart rate. gpsbabel
 * 1.8 does not pass on the record's distance field, so distance_m is NAN
 * (the metrics sum the positions). Returns 0, or -1 with the reason in err:
 * gpsbabel's own message for a file it cannot read ("gpsbabel: ..."), or
 * "gpsbabel not found".
 */
int stint_wearable_parse_fit(const char *path, stint_tracks *out, char *err, size_t errsize);

#endif
