/*
 * wearable-fit.h: Garmin FIT activity files, decoded by Stint's own reader,
 * for lib/wearable.c. Debian packages no C FIT decoder (checked: apt-cache
 * search libfit / garmin / fit), and gpsbabel drops the record's distance.
 *
 * The format: Garmin/ANT "Flexible and Interoperable Data Transfer (FIT)
 * Protocol", FIT SDK, revision 2.x (developer.garmin.com/fit/protocol/), and
 * the record message (global 20) of its Profile.xlsx.
 */
#ifndef STINT_WEARABLE_FIT_H
#define STINT_WEARABLE_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "wearable-sample.h"

/* Largest FIT file read (bytes): a 90-minute 10 Hz recording is about 2 MB. */
#define STINT_FIT_MAX_BYTES (32L * 1024 * 1024)

/*
 * Parse the FIT activity file at path (at most STINT_FIT_MAX_BYTES) into one
 * track of out, as stint_wearable_parse_fit_data() does. Returns 0, or -1
 * with the reason in err ("cannot open the file: ...", "the file is larger
 * than ...", or the decoder's "byte N: ...").
 */
int stint_wearable_parse_fit(const char *path, stint_tracks *out, char *err, size_t errsize);

/*
 * Decode the FIT file in data (n bytes; several FIT files one after another
 * are read in turn) into one track of out (appended; free with
 * stint_tracks_free()). Each record message (global 20) with a timestamp
 * (field 253, or a compressed-timestamp header) and at least one of
 * position_lat/long (0/1, semicircles -> degrees), heart_rate (3, bpm),
 * distance (5, 1/100 m), speed (6, 1/1000 m/s) or enhanced_speed (73),
 * compressed_speed_distance (8: speed 12 bits in 1/100 m/s, distance 12 bits
 * in 1/16 m, accumulated across its rollover) gives one sample: t_s = FIT
 * time + 631065600 (the FIT epoch 1989-12-31T00:00:00Z in Unix seconds),
 * distance_m the device's cumulative distance. Invalid values (the base
 * type's "invalid") are NAN. Altitude and cadence are not kept (no place in
 * stint_sample); developer fields are skipped by their size.
 *
 * Returns 0, with warnings naming the byte for records out of time order or
 * without a time (skipped), times in FIT "system time" (below 0x10000000:
 * seconds since the device started, kept) and bytes after the last file
 * (ignored); or -1 with "byte N: reason" in err: a bad header or header CRC,
 * an unsupported protocol version (not 1.x or 2.x), a data size beyond the
 * end of the file ("truncated"), a file CRC that does not match, a message
 * that runs past the data, a data message whose local type has no
 * definition, an architecture neither 0 nor 1. Fields of unknown base types
 * are skipped. Every read is bounded by n; never crashes (fuzzed:
 * tests/fuzz/fuzz_fit.c).
 */
int stint_wearable_parse_fit_data(const uint8_t *data, size_t n, stint_tracks *out, char *err, size_t errsize);

/*
 * The FIT CRC-16 (the protocol's nibble-table algorithm, polynomial 0xA001,
 * i.e. CRC-16/ARC) of n bytes at p, continuing from crc (0 to start).
 */
uint16_t stint_fit_crc(uint16_t crc, const uint8_t *p, size_t n);

#endif
