/*
 * check_fields.h: what a validator's errors object names, for unit tests
 * that compare it with the fields a case expects.
 */
#ifndef STINT_CHECK_FIELDS_H
#define STINT_CHECK_FIELDS_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/*
 * The names of errors' members (at most 32), sorted, joined by single
 * spaces into out (size bytes, truncated to fit); "" for NULL or none.
 */
static inline void stint_check_field_names(const cJSON *errors, char *out, size_t size)
{
	const char *list[32];
	size_t n = 0, used = 0;
	const cJSON *e;

	cJSON_ArrayForEach(e, errors)
		if (n < 32)
			list[n++] = e->string;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(list[j - 1], list[j]) > 0; j--) {
			const char *t = list[j];

			list[j] = list[j - 1];
			list[j - 1] = t;
		}
	out[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? " " : "", list[i]);
}

#endif
