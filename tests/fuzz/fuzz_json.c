/*
 * fuzz_json.c: libFuzzer target for JSON request bodies and the rules that
 * check them (lib/validate.c, lib/sessions.c, lib/events.c).
 *
 * The input is a body as lib/server.c parses it (cJSON, NUL-terminated, no
 * trailing bytes). A body that parses goes through every validator a JSON
 * route runs: a session create and patch (stint_session_validate), an events
 * batch (stint_events_validate on the "events" member or the bare array, as
 * POST .../events takes it) and an event patch (stint_validate_json with
 * stint_event_fields, partial). Each must return a count >= 0 that is
 * non-zero exactly when it filled in the errors object, and that object must
 * print (it becomes the 422 body). Broken invariants abort().
 *
 * Built and run by tests/fuzz/run.sh; seeds are written by that script.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "events.h"
#include "sessions.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A validator's result n and its errors agree; errors is freed. */
static void check_result(int n, cJSON *errors)
{
	char *text;

	if (n < 0 || (n > 0) != (errors != NULL))
		abort();
	if (errors != NULL) {
		text = cJSON_PrintUnformatted(errors);
		if (text == NULL)
			abort();
		free(text);
	}
	cJSON_Delete(errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const cJSON *events;
	const char *end = NULL;
	cJSON *doc, *errors;
	char *body;

	body = malloc(size + 1);
	if (body == NULL)
		abort();
	memcpy(body, data, size);
	body[size] = '\0';
	doc = cJSON_ParseWithLengthOpts(body, size + 1, &end, 1);
	if (doc != NULL) {
		errors = NULL;
		check_result(stint_session_validate(doc, 0, &errors), errors);
		errors = NULL;
		check_result(stint_session_validate(doc, 1, &errors), errors);
		events = cJSON_IsArray(doc) ? doc : cJSON_GetObjectItem(doc, "events");
		errors = NULL;
		check_result(stint_events_validate(events, &errors), errors);
		errors = NULL;
		check_result(stint_validate_json(doc, stint_event_fields, stint_event_nfields,
						 1, &errors), errors);
		cJSON_Delete(doc);
	}
	free(body);
	return 0;
}
