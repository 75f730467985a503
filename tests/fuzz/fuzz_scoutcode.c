/*
 * fuzz_scoutcode.c: libFuzzer target for scout codes typed by hand
 * (lib/scoutcode.c over lib/dvw.c's stint_dvw_code): the input, cut at its
 * first NUL, is read as a code, with and without a roster (zones, cones); a whole code must
 * give an event with its code, every answer words and choices; the batch
 * form (stint_scout_expand) must agree with it.
 *
 * Built and run by tests/fuzz/run.sh (target scoutcode); seeds are written
 * there.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scoutcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *code, const cJSON *players, int cones)
{
	stint_scout_note note;
	cJSON *ev = NULL, *words, *batch, *one, *errors = NULL;
	char choices[400];
	int changed = 0, bad;
	stint_scout_rc rc = stint_scout_read(code, players, cones, &ev, &note);

	if (rc == STINT_SCOUT_NOMEM)
		abort();
	if (rc == STINT_SCOUT_OK &&
	    !cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "payload"), "code")))
		abort();
	if (rc == STINT_SCOUT_BAD && (note.part == NULL || note.message[0] == '\0'))
		abort();
	if (ev != NULL) {
		words = stint_scout_words(ev);
		if (words == NULL)
			abort();
		cJSON_Delete(words);
	}
	stint_scout_choices(ev, note.part, choices, sizeof choices);
	batch = cJSON_CreateArray();
	one = cJSON_CreateObject();
	cJSON_AddStringToObject(one, "code", code);
	cJSON_AddItemToArray(batch, one);
	bad = stint_scout_expand(batch, players, cones, &errors, &changed);
	if (bad < 0 || (bad == 0) != (rc == STINT_SCOUT_OK) || !changed)
		abort();
	cJSON_Delete(errors);
	cJSON_Delete(batch);
	cJSON_Delete(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[160];
	size_t n = size < sizeof code - 1 ? size : sizeof code - 1;
	cJSON *players = cJSON_Parse("[{\"side\":\"A\",\"number\":\"00\",\"name\":\"x\"},"
				     "{\"side\":\"B\",\"number\":\"7\",\"name\":\"y\"}]");

	memcpy(code, data, n);
	code[n] = '\0';
	check(code, NULL, 0);
	check(code, players, 1);
	cJSON_Delete(players);
	return 0;
}
