/*
 * test_upload.c: table-driven tests of lib/upload.c's reading of tus 1.0's
 * Upload-Metadata header (stint_upload_meta_parse): the keys Stint reads,
 * a kind from filetype, defaults, and bad syntax, base64 and values.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "upload.h"

typedef struct meta_case {
	const char *name, *header;
	const char *field;             /* NULL: accepted */
	const char *kind, *filename, *title;
	double offset_sec;
} meta_case;

/* base64: dmlkZW8= video, YXVkaW8= audio, c2lkZS5tcDQ= side.mp4, U2lkZSBjYW1lcmE= Side camera, */
/* MTIuNQ== 12.5, LTM= -3, dmlkZW8vbXA0 video/mp4, YXVkaW8vd2F2 audio/wav, aW1hZ2UvcG5n image/png, */
/* c29vbg== soon, MWUzMDA= 1e300, cGljdHVyZQ== picture, YQli a<TAB>b */
static const meta_case cases[] = {
	{ "all keys", "kind dmlkZW8=,filename c2lkZS5tcDQ=,title U2lkZSBjYW1lcmE=,offset_sec MTIuNQ==", NULL,
	  "video", "side.mp4", "Side camera", 12.5 },
	{ "title defaults to filename", "kind YXVkaW8=,filename c2lkZS5tcDQ=", NULL, "audio", "side.mp4", "side.mp4", 0 },
	{ "kind from filetype", "filename c2lkZS5tcDQ=,filetype dmlkZW8vbXA0", NULL, "video", "side.mp4", "side.mp4", 0 },
	{ "audio filetype", "filetype YXVkaW8vd2F2", NULL, "audio", "", "", 0 },
	{ "kind wins over filetype", "filetype YXVkaW8vd2F2,kind dmlkZW8=", NULL, "video", "", "", 0 },
	{ "negative offset, spaces after commas", "kind dmlkZW8=, offset_sec LTM=", NULL, "video", "", "", -3 },
	{ "unknown keys ignored, key alone", "kind dmlkZW8=,relativePath,name c2lkZS5tcDQ=", NULL, "video", "", "", 0 },
	{ "no header", NULL, "kind", NULL, NULL, NULL, 0 },
	{ "empty header", "", "kind", NULL, NULL, NULL, 0 },
	{ "an image filetype", "filetype aW1hZ2UvcG5n", "kind", NULL, NULL, NULL, 0 },
	{ "another kind", "kind cGljdHVyZQ==", "kind", NULL, NULL, NULL, 0 },
	{ "not base64", "kind ***", "Upload-Metadata", NULL, NULL, NULL, 0 },
	{ "base64 without padding", "kind dmlkZW8", "Upload-Metadata", NULL, NULL, NULL, 0 },
	{ "a control character", "kind dmlkZW8=,title YQli", "title", NULL, NULL, NULL, 0 },
	{ "empty key", ",kind dmlkZW8=", "Upload-Metadata", NULL, NULL, NULL, 0 },
	{ "offset not a number", "kind dmlkZW8=,offset_sec c29vbg==", "offset_sec", NULL, NULL, NULL, 0 },
	{ "offset too far", "kind dmlkZW8=,offset_sec MWUzMDA=", "offset_sec", NULL, NULL, NULL, 0 },
};

START_TEST(test_meta)
{
	const meta_case *c = &cases[_i];
	stint_upload_meta m;
	const char *problem = NULL, *field = stint_upload_meta_parse(c->header, &m, &problem);

	if (c->field == NULL) {
		ck_assert_msg(field == NULL, "%s: refused (%s: %s)", c->name, field, problem);
		ck_assert_str_eq(m.kind, c->kind);
		ck_assert_str_eq(m.filename, c->filename);
		ck_assert_str_eq(m.title, c->title);
		ck_assert_msg(fabs(m.offset_sec - c->offset_sec) < 1e-9, "%s: offset %g", c->name, m.offset_sec);
	} else {
		ck_assert_msg(field != NULL && strcmp(field, c->field) == 0, "%s: field %s", c->name, field ? field : "(none)");
		ck_assert_ptr_nonnull(problem);
	}
}
END_TEST

/* A title of 200 bytes fits, 201 do not: 150 and 151 groups of "YWFh" (aaa), cut to 200 and 201 bytes. */
START_TEST(test_lengths)
{
	char header[1200] = "kind dmlkZW8=,title ";
	stint_upload_meta m;
	const char *problem;
	size_t i;

	for (i = 0; i < 66; i++)
		snprintf(header + strlen(header), sizeof(header) - strlen(header), "YWFh");
	snprintf(header + strlen(header), sizeof(header) - strlen(header), "YWE=");  /* 198 + 2 = 200 bytes */
	ck_assert_ptr_null(stint_upload_meta_parse(header, &m, &problem));
	ck_assert_uint_eq(strlen(m.title), 200);
	header[strlen(header) - 4] = '\0';
	snprintf(header + strlen(header), sizeof(header) - strlen(header), "YWFh");  /* 201 bytes */
	ck_assert_str_eq(stint_upload_meta_parse(header, &m, &problem), "title");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("upload");
	TCase *tc = tcase_create("meta");

	tcase_add_loop_test(tc, test_meta, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_lengths);
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
