/*
 * fuzz_csv.c: libFuzzer target for the events CSV import (lib/events.c over
 * libcsv), as POST /api/v1/sessions/:uuid/import/events.csv runs it.
 *
 * The input is the request body (any bytes). stint_events_from_csv() must
 * return 0 with an array and no errors, or a count > 0 with errors and no
 * array; an array then goes through stint_events_validate() as the handler
 * does, and both the batch and any errors must print. Broken invariants
 * abort().
 *
 * Built and run by tests/fuzz/run.sh; seeds are written by that script.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_print(const cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);

	if (text == NULL)
		abort();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *events = NULL, *errors = NULL;
	int n = stint_events_from_csv((const char *)data, size, &events, &errors);

	if (n < 0 || (n == 0) != (events != NULL) || (n > 0) != (errors != NULL))
		abort();
	if (n > 0) {
		must_print(errors);
	} else {
		if (!cJSON_IsArray(events) || cJSON_GetArraySize(events) > STINT_EVENTS_MAX_BATCH)
			abort();
		n = stint_events_validate(events, &errors);
		if (n < 0 || (n > 0) != (errors != NULL))
			abort();
		must_print(events);
		if (errors != NULL)
			must_print(errors);
	}
	cJSON_Delete(events);
	cJSON_Delete(errors);
	return 0;
}
