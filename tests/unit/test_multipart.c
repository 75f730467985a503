/*
 * test_multipart.c: lib/multipart.c against what browsers send (RFC 7578)
 * and what a careless or hostile client can send instead.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_run.h"
#include "multipart.h"

#define CT "multipart/form-data; boundary=----WebKitFormBoundaryX3b"
#define B "------WebKitFormBoundaryX3b"
#define CRLF "\r\n"

/* What Chromium sends for the import form: a text field and a file. */
static const char browser_body[] =
	B CRLF "Content-Disposition: form-data; name=\"csrf\"" CRLF CRLF "abc123" CRLF
	B CRLF "Content-Disposition: form-data; name=\"file\"; filename=\"match.dvw\"" CRLF
	"Content-Type: application/octet-stream" CRLF CRLF "line 1\r\nline 2\r\n--not a delimiter\r\n" CRLF
	B "--" CRLF;

START_TEST(test_browser_form)
{
	stint_arena a = STINT_ARENA_INIT;
	stint_part parts[4];
	const stint_part *f;
	size_t n;

	ck_assert_int_eq(stint_multipart_parse(&a, CT, browser_body, sizeof(browser_body) - 1, parts, 4, &n),
			 STINT_MULTIPART_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(parts[0].name, "csrf");
	ck_assert_ptr_null(parts[0].filename);
	ck_assert_uint_eq(parts[0].len, 6);
	ck_assert(memcmp(parts[0].data, "abc123", 6) == 0);
	f = stint_multipart_get(parts, n, "file");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->filename, "match.dvw");
	ck_assert_str_eq(f->content_type, "application/octet-stream");
	ck_assert_uint_eq(f->len, strlen("line 1\r\nline 2\r\n--not a delimiter\r\n"));
	ck_assert(memcmp(f->data, "line 1\r\nline 2\r\n--not a delimiter\r\n", f->len) == 0);
	ck_assert_ptr_null(stint_multipart_get(parts, n, "title"));
	stint_arena_free(&a);
}
END_TEST

START_TEST(test_binary_and_padding)
{
	static const char body[] = "preamble to ignore" CRLF
		"--xyz  \t" CRLF "content-disposition: FORM-DATA; filename=\"\"; name=video" CRLF CRLF
		"\x00\x01\xff\r" CRLF "--xyz" CRLF "Content-Disposition: form-data; name=\"t\"" CRLF CRLF CRLF
		"--xyz--" CRLF "epilogue --xyz";
	stint_arena a = STINT_ARENA_INIT;
	stint_part parts[2];
	size_t n;

	ck_assert_int_eq(stint_multipart_parse(&a, "Multipart/Form-Data ; charset=utf-8; boundary=\"xyz\"",
					       body, sizeof(body) - 1, parts, 2, &n), STINT_MULTIPART_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(parts[0].name, "video");
	ck_assert_str_eq(parts[0].filename, "");
	ck_assert_uint_eq(parts[0].len, 4);
	ck_assert(memcmp(parts[0].data, "\x00\x01\xff\r", 4) == 0);
	ck_assert_str_eq(parts[1].name, "t");
	ck_assert_uint_eq(parts[1].len, 0);
	stint_arena_free(&a);
}
END_TEST

START_TEST(test_empty_form)
{
	stint_arena a = STINT_ARENA_INIT;
	stint_part parts[1];
	size_t n = 9;

	ck_assert_int_eq(stint_multipart_parse(&a, "multipart/form-data; boundary=q", "--q--\r\n", 7, parts, 1, &n),
			 STINT_MULTIPART_OK);
	ck_assert_uint_eq(n, 0);
	stint_arena_free(&a);
}
END_TEST

#define PART(name) "--q" CRLF "Content-Disposition: form-data; name=\"" name "\"" CRLF CRLF "v" CRLF
#define Q "multipart/form-data; boundary=q"

static char long_name[400], long_headers[9000], long_boundary[120];

static const struct {
	const char *what, *ct, *body;
	stint_multipart_rc rc;
} bad_cases[] = {
	{ "no content type", NULL, PART("a") "--q--", STINT_MULTIPART_NOT_FORM },
	{ "urlencoded", "application/x-www-form-urlencoded", "a=1", STINT_MULTIPART_NOT_FORM },
	{ "multipart/mixed", "multipart/mixed; boundary=q", PART("a") "--q--", STINT_MULTIPART_NOT_FORM },
	{ "a longer type name", "multipart/form-database; boundary=q", PART("a") "--q--", STINT_MULTIPART_NOT_FORM },
	{ "no boundary", "multipart/form-data", PART("a") "--q--", STINT_MULTIPART_NOT_FORM },
	{ "empty boundary", "multipart/form-data; boundary=\"\"", "----", STINT_MULTIPART_NOT_FORM },
	{ "boundary too long", long_boundary, "--", STINT_MULTIPART_NOT_FORM },
	{ "boundary with a bad character", "multipart/form-data; boundary=\"a;b\"", "--a;b--", STINT_MULTIPART_NOT_FORM },
	{ "unterminated quote", "multipart/form-data; boundary=\"q", PART("a") "--q--", STINT_MULTIPART_NOT_FORM },
	{ "empty body", Q, "", STINT_MULTIPART_MALFORMED },
	{ "no delimiter", Q, "just some text", STINT_MULTIPART_MALFORMED },
	{ "no close delimiter", Q, PART("a"), STINT_MULTIPART_MALFORMED },
	{ "cut inside the data", Q, "--q" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "val", STINT_MULTIPART_MALFORMED },
	{ "cut inside the headers", Q, "--q" CRLF "Content-Disposition: form-da", STINT_MULTIPART_MALFORMED },
	{ "LF line ends", Q, "--q\nContent-Disposition: form-data; name=a\n\nv\n--q--", STINT_MULTIPART_MALFORMED },
	{ "junk after a delimiter", Q, "--qx" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "no headers", Q, "--q" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "no Content-Disposition", Q, "--q" CRLF "Content-Type: text/plain" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "not form-data", Q, "--q" CRLF "Content-Disposition: attachment; name=a" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "no name", Q, "--q" CRLF "Content-Disposition: form-data; filename=x" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "empty name", Q, "--q" CRLF "Content-Disposition: form-data; name=\"\"" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "name too long", Q, long_name, STINT_MULTIPART_MALFORMED },
	{ "two dispositions", Q, "--q" CRLF "Content-Disposition: form-data; name=a" CRLF
	  "Content-Disposition: form-data; name=b" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "unquoted value with a space", Q, "--q" CRLF "Content-Disposition: form-data; name=a b" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "parameter without a value", Q, "--q" CRLF "Content-Disposition: form-data; name" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "header without a colon", Q, "--q" CRLF "Content-Disposition: form-data; name=a" CRLF "Bogus" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "folded header", Q, "--q" CRLF "Content-Disposition: form-data;" CRLF " name=a" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "control byte in a header", Q, "--q" CRLF "Content-Disposition: form-data; name=\"a\x01\"" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "bare CR in a header", Q, "--q" CRLF "Content-Disposition: form-data;\r name=a" CRLF CRLF "v" CRLF "--q--", STINT_MULTIPART_MALFORMED },
	{ "header block too long", Q, long_headers, STINT_MULTIPART_MALFORMED },
	{ "more parts than room", Q, PART("a") PART("b") PART("c") PART("d") PART("e") "--q--", STINT_MULTIPART_TOO_MANY },
};

START_TEST(test_bad)
{
	stint_arena a = STINT_ARENA_INIT;
	stint_part parts[4];
	size_t n;

	ck_assert_msg(stint_multipart_parse(&a, bad_cases[_i].ct, bad_cases[_i].body, strlen(bad_cases[_i].body),
					    parts, 4, &n) == bad_cases[_i].rc, "%s", bad_cases[_i].what);
	stint_arena_free(&a);
}
END_TEST

/* Every prefix of a good body is refused, never read past its end (ASan). */
START_TEST(test_every_prefix)
{
	stint_arena a = STINT_ARENA_INIT;
	stint_part parts[4];
	size_t n, cut, full = sizeof(browser_body) - 1 - strlen("--" CRLF);
	char *copy;

	for (cut = 0; cut < full; cut++) {
		copy = malloc(cut + 1);
		memcpy(copy, browser_body, cut);
		ck_assert_msg(stint_multipart_parse(&a, CT, copy, cut, parts, 4, &n) != STINT_MULTIPART_OK,
			      "prefix of %zu bytes", cut);
		free(copy);
		stint_arena_reset(&a);
	}
	stint_arena_free(&a);
}
END_TEST

static void fill_long_cases(void)
{
	char pad[8300];

	snprintf(long_boundary, sizeof(long_boundary), "multipart/form-data; boundary=%071d", 0);
	snprintf(long_name, sizeof(long_name), "--q" CRLF "Content-Disposition: form-data; name=\"%0201d\""
		 CRLF CRLF "v" CRLF "--q--", 0);
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	snprintf(long_headers, sizeof(long_headers), "--q" CRLF "Content-Disposition: form-data; name=a" CRLF
		 "X-Pad: %s" CRLF CRLF "v" CRLF "--q--", pad);
}

static Suite *multipart_suite(void)
{
	Suite *s = suite_create("multipart");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_browser_form);
	tcase_add_test(tc, test_binary_and_padding);
	tcase_add_test(tc, test_empty_form);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_every_prefix);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	fill_long_cases();
	return stint_check_run(multipart_suite());
}
