/*
 * fuzz_fit.c: libFuzzer target for Stint's FIT decoder (lib/wearable-fit.c).
 * The first byte picks the mode: even, the rest is decoded as it is (the
 * header, its CRC and the file CRC must hold); odd, the harness first sets
 * the rest's data size to its length and writes the header and file CRCs, so
 * that mutated records get past the CRC check into the record decoder.
 * Invariants: an error is "byte N: ..." with N within the input (or "out of
 * memory"); samples come out in time order with finite times, positions in
 * range or NAN. Built and run by tests/fuzz/run.sh; seeds: the .fit files in
 * $STINT_DATA_DIR/gps, in both modes.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wearable-fit.h"
#include "wearable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Make the FIT image d (n bytes) self-consistent: data size, header CRC, file CRC. */
static void fix_up(uint8_t *d, size_t n)
{
	size_t hsize = n > 0 ? d[0] : 0, dsize;
	uint16_t crc;

	if ((hsize != 12 && hsize != 14) || n < hsize + 2)
		return;
	dsize = n - hsize - 2;
	for (size_t i = 0; i < 4; i++)
		d[4 + i] = (uint8_t)(dsize >> (8 * i));
	if (hsize == 14) {
		crc = stint_fit_crc(0, d, 12);
		d[12] = (uint8_t)crc, d[13] = (uint8_t)(crc >> 8);
	}
	crc = stint_fit_crc(0, d, n - 2);
	d[n - 2] = (uint8_t)crc, d[n - 1] = (uint8_t)(crc >> 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	stint_tracks t = { 0 };
	char err[256] = "";
	uint8_t *copy;
	size_t n, at;
	int rc;

	if (size == 0)
		return 0;
	n = size - 1;
	if ((copy = malloc(n + 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, n);
	if (data[0] % 2 == 1)
		fix_up(copy, n);
	rc = stint_wearable_parse_fit_data(copy, n, &t, err, sizeof(err));
	if (rc != 0 && strcmp(err, "out of memory") != 0 && (sscanf(err, "byte %zu:", &at) != 1 || at > n))
		abort();
	for (size_t i = 0; rc == 0 && i < t.n; i++)
		for (size_t k = 0; k < t.tracks[i].n; k++) {
			const stint_sample *s = &t.tracks[i].samples[k];

			if (!isfinite(s->t_s) || (k > 0 && s->t_s < s[-1].t_s))
				abort();
			if (!isnan(s->lat_deg) && (fabs(s->lat_deg) > 90 || fabs(s->lon_deg) > 180))
				abort();
			if (!isnan(s->distance_m) && (!isfinite(s->distance_m) || s->distance_m < 0))
				abort();
		}
	stint_tracks_free(&t);
	free(copy);
	return 0;
}
