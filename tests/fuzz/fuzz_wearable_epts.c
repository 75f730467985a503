/*
 * fuzz_wearable_epts.c: libFuzzer target for the EPTS parser
 * (lib/wearable-epts.c): the input is the metadata XML, a NUL byte, then the
 * tracking text (no NUL: the whole input is metadata and the tracking text
 * is one frame). Built and run by tests/fuzz/run.sh; seeds: the metadata in
 * $STINT_DATA_DIR/tracking with the first lines of its tracking file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wearable-epts.h"
#include "wearable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char frame[] = "1:NaN,NaN,0,NaN\n";
	const uint8_t *nul = memchr(data, '\0', size);
	const char *text = frame;
	size_t meta_n = size, text_n = sizeof(frame) - 1;
	stint_tracks t = { 0 };
	char err[256];

	if (nul != NULL) {
		meta_n = (size_t)(nul - data);
		text = (const char *)nul + 1;
		text_n = size - meta_n - 1;
	}
	if (stint_wearable_parse_epts(text, text_n, (const char *)data, meta_n, &t, err, sizeof(err)) == 0)
		for (size_t i = 0; i < t.n; i++)
			if (t.tracks[i].label == NULL || (t.tracks[i].n > 0 && t.tracks[i].samples == NULL))
				abort();
	stint_tracks_free(&t);
	return 0;
}
