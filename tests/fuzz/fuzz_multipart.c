/*
 * fuzz_multipart.c: libFuzzer target for multipart/form-data bodies
 * (lib/multipart.c), as POST /sessions/import (the dashboard's import form)
 * reads them.
 *
 * The input is a Content-Type header value, a newline, then the body (any
 * bytes). stint_multipart_parse() must answer one of its codes; on
 * STINT_MULTIPART_OK every part must have a name of 1 to 200 bytes, a file
 * name of at most 255, and data inside the body, after the previous part's;
 * stint_multipart_get() must find the first part of each name. Broken
 * invariants abort().
 *
 * Built and run by tests/fuzz/run.sh; seeds are written by that script.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "multipart.h"

#define PARTS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_parts(const char *body, size_t len, const stint_part *parts, size_t n)
{
	const char *after = body;
	size_t i, k;

	if (n > PARTS)
		abort();
	for (i = 0; i < n; i++) {
		const stint_part *p = &parts[i];

		if (p->name == NULL || strlen(p->name) < 1 || strlen(p->name) > STINT_MULTIPART_NAME_MAX ||
		    (p->filename != NULL && strlen(p->filename) > STINT_MULTIPART_FILENAME_MAX) ||
		    p->data < after || p->data + p->len > body + len)
			abort();
		after = p->data + p->len;
		for (k = 0; k < i && strcmp(parts[k].name, p->name) != 0; k++)
			;
		if (stint_multipart_get(parts, n, p->name) != &parts[k])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size < 256 ? size : 256);
	stint_arena a = STINT_ARENA_INIT;
	stint_part parts[PARTS];
	char *ctype, *body;
	size_t clen, blen, n = 0;
	stint_multipart_rc rc;

	if (nl == NULL)
		return 0;
	clen = (size_t)(nl - (const char *)data);
	blen = size - clen - 1;
	ctype = strndup((const char *)data, clen);
	body = malloc(blen ? blen : 1);  /* its own block, so ASan sees any read past the end */
	if (ctype == NULL || body == NULL)
		abort();
	memcpy(body, nl + 1, blen);
	rc = stint_multipart_parse(&a, ctype, body, blen, parts, PARTS, &n);
	if (rc == STINT_MULTIPART_OK)
		check_parts(body, blen, parts, n);
	else if (rc != STINT_MULTIPART_NOT_FORM && rc != STINT_MULTIPART_MALFORMED &&
		 rc != STINT_MULTIPART_TOO_MANY && rc != STINT_MULTIPART_NOMEM)
		abort();
	stint_arena_free(&a);
	free(ctype);
	free(body);
	return 0;
}
