/*
 * fuzz_surveys.c: libFuzzer target for the survey CSV import (lib/surveys.c
 * over libcsv), as POST /api/v1/sessions/:uuid/surveys/import runs it.
 *
 * The first byte picks the kind (even: wellness.csv, odd: srpe.csv), the
 * rest is the request body. stint_surveys_from_csv() must return 0 with an
 * array of 1 to STINT_SURVEYS_MAX_BATCH surveys and no errors, or a count
 * > 0 with errors and no array; the surveys it read must then pass the
 * API's own check (stint_surveys_validate of {"items": [...]}) with no
 * problem, and surveys, errors and warnings must print. Broken invariants
 * abort().
 *
 * Built and run by tests/fuzz/run.sh; seeds are written by that script.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "surveys.h"

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
	cJSON *items = NULL, *errors = NULL, *warnings = NULL, *body, *again = NULL, *problems = NULL;
	stint_survey_csv kind;
	int n;

	if (size == 0)
		return 0;
	kind = data[0] % 2 ? STINT_SURVEY_CSV_SRPE : STINT_SURVEY_CSV_WELLNESS;
	n = stint_surveys_from_csv(kind, "p01", (const char *)data + 1, size - 1, &items, &errors, &warnings);
	if (n < 0 || (n == 0) != (items != NULL) || (n > 0) != (errors != NULL))
		abort();
	if (n > 0) {
		must_print(errors);
	} else {
		if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) < 1 ||
		    cJSON_GetArraySize(items) > STINT_SURVEYS_MAX_BATCH)
			abort();
		body = cJSON_CreateObject();
		if (body == NULL)
			abort();
		cJSON_AddItemReferenceToObject(body, "items", items);
		if (stint_surveys_validate(body, &again, &problems) != 0 || problems != NULL)
			abort();
		cJSON_Delete(body);
		cJSON_Delete(again);
		must_print(items);
	}
	if (warnings != NULL)
		must_print(warnings);
	cJSON_Delete(items);
	cJSON_Delete(errors);
	cJSON_Delete(warnings);
	return 0;
}
