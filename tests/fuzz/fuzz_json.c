/*
 * fuzz_json.c: libFuzzer target for JSON request bodies and the rules that
 * check them (lib/validate.c, lib/sessions.c, lib/events.c).
 *
 * The input is a body as lib/server.c parses it (cJSON, NUL-terminated, no
 * trailing bytes). A body that parses goes through every validator a JSON
 * route runs: a session create and patch (stint_session_validate), an events
 * batch (stint_events_validate on the "events" member or the bare array, as
 * POST .../events takes it), an event patch (stint_validate_json with
 * stint_event_fields, partial) and a table of every field type with typed
 * destinations and an array of objects holding arrays (as a pose_update's
 * frames and keypoints), whose values must agree with the JSON when valid.
 * Each must return a count >= 0 that is
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

typedef struct typed_in {
	const char *s;
	int i, b, frames_sent;
	long long id;
	double d;
	const cJSON *o;
	stint_list frames;
} typed_in;

static const stint_field point_fields[] = {
	{ "x", STINT_F_NUMBER, STINT_F_REQUIRED, -1000, 1000, NULL, STINT_NO_DEST },
	{ "name", STINT_F_STRING, 0, 1, 40, NULL, STINT_NO_DEST },
};

static const stint_field frame_fields[] = {
	{ "t", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 1e6, NULL, STINT_NO_DEST },
	{ "points", STINT_F_ARRAY, STINT_F_REQUIRED, 1, 20, NULL, STINT_ITEMS(point_fields), STINT_NO_DEST },
};

static const stint_field typed_fields[] = {
	{ "s", STINT_F_IDENT, 0, 1, 40, NULL, STINT_DEST(typed_in, s) },
	{ "i", STINT_F_INT, STINT_F_NULLABLE, -1000, 1000, NULL, STINT_DEST(typed_in, i) },
	{ "id", STINT_F_INT, 0, 1, 9000000000000000000LL, NULL, STINT_DEST(typed_in, id) },
	{ "d", STINT_F_NUMBER, 0, -10, 10, NULL, STINT_DEST(typed_in, d) },
	{ "b", STINT_F_BOOL, 0, 0, 0, NULL, STINT_DEST(typed_in, b) },
	{ "o", STINT_F_OBJECT, STINT_F_NULLABLE, 0, 1000, NULL, STINT_DEST(typed_in, o) },
	{ "frames", STINT_F_ARRAY, STINT_F_NULLABLE, 1, 50, NULL, STINT_ITEMS(frame_fields),
	  STINT_DEST(typed_in, frames), STINT_PRESENT(typed_in, frames_sent) },
};

/* Validate doc against typed_fields; when valid, the typed values are the JSON's. */
static void check_typed(const cJSON *doc)
{
	typed_in in;
	const cJSON *v;
	cJSON *errors = NULL;
	int n;

	memset(&in, 0, sizeof(in));
	n = stint_validate_json(doc, STINT_SPEC(typed_fields), 1, &in, &errors);
	if (n == 0) {
		v = cJSON_GetObjectItem(doc, "i");
		if (cJSON_IsNumber(v) && in.i != (int)v->valuedouble)
			abort();
		v = cJSON_GetObjectItem(doc, "frames");
		if ((v != NULL) != (in.frames_sent != STINT_ABSENT) ||
		    (cJSON_IsArray(v) && (in.frames.json != v || in.frames.n != cJSON_GetArraySize(v))))
			abort();
		if ((in.s != NULL) != cJSON_IsString(cJSON_GetObjectItem(doc, "s")))
			abort();
	}
	check_result(n, errors);
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
						 1, NULL, &errors), errors);
		check_typed(doc);
		cJSON_Delete(doc);
	}
	free(body);
	return 0;
}
