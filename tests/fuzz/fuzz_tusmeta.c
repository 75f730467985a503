/*
 * fuzz_tusmeta.c: libFuzzer target for tus 1.0's Upload-Metadata header as
 * lib/upload.c reads it (stint_upload_meta_parse). The input, read as a C
 * string, is a header; whatever it holds, an accepted one must give a kind
 * of video or audio, NUL-terminated fields of at most 200 bytes without
 * control characters and a finite offset within the limits. Any breach
 * aborts.
 *
 * Built and run by tests/fuzz/run.sh; seeds are written by that script.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "upload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when s (at most max bytes before its NUL) holds no control character. */
static int printable(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1), i;

	if (n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = malloc(size + 1);
	stint_upload_meta m;
	const char *problem = NULL, *field;

	if (h == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	field = stint_upload_meta_parse(h, &m, &problem);
	if (field == NULL) {
		if ((strcmp(m.kind, "video") != 0 && strcmp(m.kind, "audio") != 0) || !printable(m.filename, 200) ||
		    !printable(m.title, 200) || !isfinite(m.offset_sec) || fabs(m.offset_sec) > 10000000)
			abort();
	} else if (problem == NULL) {
		abort();
	}
	free(h);
	return 0;
}
