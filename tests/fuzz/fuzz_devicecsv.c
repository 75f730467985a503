/*
 * fuzz_devicecsv.c: libFuzzer target for the CSV device-file parsers
 * (lib/wearable-csv.c). The first byte picks the format (even: a GPS unit's
 * export, odd: Metrica tracking), the rest is the file. Built and run by
 * tests/fuzz/run.sh; seeds: the Metrica files in $STINT_DATA_DIR/tracking,
 * inline GPS exports (one shaped as gpsbabel's unicsv).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wearable-csv.h"
#include "wearable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	stint_tracks t = { 0 };
	char err[256];
	int rc;

	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		rc = stint_wearable_parse_csv((const char *)data + 1, size - 1, &t, err, sizeof(err));
	else
		rc = stint_wearable_parse_metrica((const char *)data + 1, size - 1, &t, err, sizeof(err));
	for (size_t i = 0; rc == 0 && i < t.n; i++)
		for (size_t k = 1; k < t.tracks[i].n; k++)
			if (t.tracks[i].samples[k].t_s < t.tracks[i].samples[k - 1].t_s)
				abort();
	stint_tracks_free(&t);
	return 0;
}
