/*
 * wearable-xml.h: GPX and TCX device files (libxml2's streaming reader), for
 * lib/wearable.c.
 */
#ifndef STINT_WEARABLE_XML_H
#define STINT_WEARABLE_XML_H

#include <stddef.h>

#include "wearable-sample.h"

/*
 * Parse the GPX 1.0/1.1 document data (n bytes) into one track of out (which
 * the caller emptied and frees): every <trkpt> in file order with its
 * <time>, lat/lon, GPX 1.0 <speed> (m/s) and the extensions devices write
 * (Garmin TrackPointExtension gpxtpx:hr, gpxtpx:speed; <heartrate>,
 * <distance>), matched by local name. Points without a time are skipped and
 * counted in a warning, so are points earlier than the one before; times
 * before 1980 are kept with a warning. Returns 0, or -1 with "line N:
 * reason" in err: not well-formed XML (libxml2's message), another root
 * element, or a value that is not a number or a time.
 * Format: https://www.topografix.com/GPX/1/1/ and /GPX/1/0/.
 */
int stint_wearable_parse_gpx(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize);

/*
 * The same for a Garmin Training Center XML (TCX v2) document: every
 * <Trackpoint> with Time, Position (LatitudeDegrees, LongitudeDegrees),
 * DistanceMeters (the device's cumulative distance), HeartRateBpm/Value and
 * the ActivityExtension's Speed (m/s). Schema:
 * https://www8.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd.
 */
int stint_wearable_parse_tcx(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize);

#endif
