/*
 * fuzz_dvw.c: libFuzzer target for the DataVolley parser (lib/dvw.c).
 *
 * Built and run by tests/fuzz/run.sh; by hand:
 * clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilib \
 *   lib/buf.c lib/dvw.c tests/fuzz/fuzz_dvw.c $(pkg-config --cflags --libs libcjson)
 * Seeds: the .dvw files in $STINT_DATA_DIR/volleyball and the same files cut
 * 40 lines into [3SCOUT] (written to a scratch corpus directory, never into
 * the repository).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "dvw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	stint_buf warnings = STINT_BUF_INIT;
	cJSON *doc = NULL;
	char *json;

	if (stint_dvw_parse((const char *)data, size, &doc, &warnings) == STINT_DVW_OK) {
		json = cJSON_PrintUnformatted(doc);
		if (json == NULL)
			abort();
		free(json);
	} else if (doc != NULL) {
		abort();
	}
	cJSON_Delete(doc);
	stint_buf_free(&warnings);
	return 0;
}
