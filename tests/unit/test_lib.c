/*
 * test_lib.c: table-driven tests of the shared core's parsers and
 * validators (lib/validate.c, lib/route.c, lib/http.c, lib/buf.c), with
 * the bad cases a client can send.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "check_run.h"
#include "db.h"
#include "http.h"
#include "media.h"
#include "route.h"
#include "sessions.h"
#include "validate.h"

static const struct { const char *s; int ok; } uuid_cases[] = {
	{ "0b6e4f00-1234-4abc-8def-0123456789ab", 1 },
	{ "0B6E4F00-1234-4ABC-8DEF-0123456789AB", 1 },
	{ "0b6e4f00-1234-4abc-8def-0123456789a", 0 },
	{ "0b6e4f00-1234-4abc-8def-0123456789abc", 0 },
	{ "0b6e4f0g-1234-4abc-8def-0123456789ab", 0 },
	{ "0b6e4f00x1234-4abc-8def-0123456789ab", 0 },
	{ "'; DROP TABLE sessions; --", 0 },
	{ "", 0 },
};

START_TEST(test_uuid)
{
	ck_assert_int_eq(stint_is_uuid(uuid_cases[_i].s), uuid_cases[_i].ok);
}
END_TEST

static const struct { const char *s; int ok; } ts_cases[] = {
	{ "2026-11-22T10:00:00Z", 1 },
	{ "2026-11-22T10:00:00.123456+01:00", 1 },
	{ "2024-02-29T00:00:00-05:30", 1 },
	{ "2023-02-29T00:00:00Z", 0 },
	{ "2026-13-01T00:00:00Z", 0 },
	{ "2026-11-22T24:00:00Z", 0 },
	{ "2026-11-22T10:00Z", 0 },
	{ "2026-11-22", 0 },
	{ "2026-11-22T10:00:00", 0 },
	{ "2026-11-22T10:00:00+0100", 0 },
	{ "yesterday", 0 },
	{ "0001-01-01T00:30:00+01:00", 0 },
	{ "9999-12-31T23:30:00-01:00", 0 },
	{ "2026-11-22T10:00:00+16:00", 0 },
	{ "2026-11-22T10:00:00-15:59", 1 },
};

START_TEST(test_timestamp)
{
	ck_assert_msg(stint_is_timestamp(ts_cases[_i].s) == ts_cases[_i].ok, "%s", ts_cases[_i].s);
}
END_TEST

START_TEST(test_timestamp_epoch)
{
	double a, b;

	ck_assert_int_eq(stint_timestamp_epoch("1970-01-01T00:00:10Z", &a), 0);
	ck_assert(a == 10.0);
	ck_assert_int_eq(stint_timestamp_epoch("2026-11-22T11:00:00+01:00", &a), 0);
	ck_assert_int_eq(stint_timestamp_epoch("2026-11-22T10:00:00Z", &b), 0);
	ck_assert(a == b);
	ck_assert_int_eq(stint_timestamp_epoch("nope", &a), -1);
}
END_TEST

static const struct { const char *s; long n; } utf8_cases[] = {
	{ "abc", 3 }, { "Bed\xc5\xba" "in", 6 }, { "\xe2\x82\xac", 1 }, { "\xf0\x9f\x8f\x90", 1 },
	{ "\xc3", -1 }, { "\xc0\xaf", -1 }, { "\xed\xa0\x80", -1 }, { "\xff", -1 },
};

START_TEST(test_utf8)
{
	ck_assert_int_eq(stint_utf8_len(utf8_cases[_i].s), utf8_cases[_i].n);
}
END_TEST

/* Every problem is reported with its field name. */
static const struct { const char *body; const char *field; const char *problem; } session_cases[] = {
	{ "{}", "title", "is required" },
	{ "{\"title\":\"\"}", "title", "must not be empty" },
	{ "{\"title\":5}", "title", "must be a string" },
	{ "{\"title\":\"x\",\"colour\":1}", "colour", "is not a known field" },
	{ "{\"title\":\"x\",\"id\":\"0b6e4f00-1234-4abc-8def-0123456789ab\"}", "id", "is read-only" },
	{ "{\"title\":\"x\",\"kind\":\"rugby\"}", "kind", "is not one of the allowed values" },
	{ "{\"title\":\"x\",\"starts_at\":\"tomorrow\"}", "starts_at", "must be an RFC 3339 date-time (years 1900 to 9998)" },
	{ "{\"title\":\"x\",\"meta\":[]}", "meta", "must be an object" },
	{ "{\"title\":\"x\",\"title2\":null}", "title2", "is not a known field" },
	{ "{\"title\":null}", "title", "must not be null" },
	{ "{\"title\":\"a\\u0001b\"}", "title", "must not contain control characters" },
	{ "{\"title\":\"x\",\"starts_at\":\"2026-01-02T00:00:00Z\",\"ends_at\":\"2026-01-01T00:00:00Z\"}",
	  "ends_at", "must not be before starts_at" },
	{ "[1]", "(body)", "must be a JSON object" },
};

START_TEST(test_session_validation)
{
	cJSON *body = cJSON_Parse(session_cases[_i].body), *errors = NULL;
	const cJSON *got;

	ck_assert_ptr_nonnull(body);
	ck_assert_int_gt(stint_session_validate(body, 0, &errors), 0);
	got = cJSON_GetObjectItemCaseSensitive(errors, session_cases[_i].field);
	ck_assert_msg(cJSON_IsString(got), "no error for %s in %s", session_cases[_i].field,
		      session_cases[_i].body);
	ck_assert_str_eq(got->valuestring, session_cases[_i].problem);
	cJSON_Delete(errors);
	cJSON_Delete(body);
}
END_TEST

START_TEST(test_session_valid)
{
	cJSON *body = cJSON_Parse("{\"title\":\"Braslov\\u010de v Nova KBM Branik\",\"kind\":\"match\","
				  "\"venue\":\"<b>Hall</b>\",\"starts_at\":\"2015-01-25T18:00:00+01:00\","
				  "\"ends_at\":\"2015-01-25T17:30:00Z\",\"meta\":{\"sets\":3}}");
	cJSON *errors = NULL;

	ck_assert_int_eq(stint_session_validate(body, 0, &errors), 0);
	ck_assert_ptr_null(errors);
	cJSON_Delete(body);
}
END_TEST

/* The status rule (lib/sessions.h), every pair of statuses. */
static const struct { const char *from, *to; stint_status_step step; } status_cases[] = {
	{ "planned", "planned", STINT_STATUS_SAME }, { "planned", "live", STINT_STATUS_START },
	{ "planned", "completed", STINT_STATUS_REFUSED }, { "planned", "abandoned", STINT_STATUS_REFUSED },
	{ "live", "planned", STINT_STATUS_REFUSED }, { "live", "live", STINT_STATUS_SAME },
	{ "live", "completed", STINT_STATUS_END }, { "live", "abandoned", STINT_STATUS_END },
	{ "completed", "planned", STINT_STATUS_REFUSED }, { "completed", "live", STINT_STATUS_RESTART },
	{ "completed", "completed", STINT_STATUS_SAME }, { "completed", "abandoned", STINT_STATUS_REFUSED },
	{ "abandoned", "planned", STINT_STATUS_REFUSED }, { "abandoned", "live", STINT_STATUS_RESTART },
	{ "abandoned", "completed", STINT_STATUS_REFUSED }, { "abandoned", "abandoned", STINT_STATUS_SAME },
};

START_TEST(test_session_status_rule)
{
	char why[200];

	ck_assert_msg(stint_session_status_step(status_cases[_i].from, status_cases[_i].to) == status_cases[_i].step,
		      "%s -> %s", status_cases[_i].from, status_cases[_i].to);
	stint_session_status_why(status_cases[_i].from, status_cases[_i].to, why, sizeof(why));
	ck_assert_ptr_nonnull(strstr(why, "planned -> live -> completed or abandoned"));
}
END_TEST

static const struct { const char *pattern, *path; int match; const char *p0; } route_cases[] = {
	{ "/", "/", 1, NULL },
	{ "/api/v1/sessions", "/api/v1/sessions", 1, NULL },
	{ "/api/v1/sessions", "/api/v1/sessions/", 0, NULL },
	{ "/api/v1/sessions/:uuid", "/api/v1/sessions/0b6e4f00-1234-4abc-8def-0123456789ab", 1,
	  "0b6e4f00-1234-4abc-8def-0123456789ab" },
	{ "/api/v1/sessions/:uuid", "/api/v1/sessions/not-a-uuid", 0, NULL },
	{ "/api/v1/sessions/:uuid", "/api/v1/sessions/0b6e4f00-1234-4abc-8def-0123456789ab/x", 0, NULL },
	{ "/api/v1/sessions/:uuid/restore", "/api/v1/sessions/0b6e4f00-1234-4abc-8def-0123456789ab/restore",
	  1, "0b6e4f00-1234-4abc-8def-0123456789ab" },
	{ "/x/:id", "/x/", 0, NULL },
	{ "/x/:id", "/x/abc", 0, NULL },
	{ "/x/:id", "/x/042", 1, "042" },
	{ "/x/:id", "/x/1234567890123456789", 0, NULL },
	{ "/x/:uuid", "/x/0B6E4F00-1234-4ABC-8DEF-0123456789AB", 1, "0b6e4f00-1234-4abc-8def-0123456789ab" },
};

START_TEST(test_route)
{
	stint_arena a = STINT_ARENA_INIT;
	const char *params[STINT_ROUTE_PARAMS] = { NULL };
	int m = stint_route_match(&a, route_cases[_i].pattern, route_cases[_i].path, params);

	ck_assert_msg(m == route_cases[_i].match, "%s ~ %s", route_cases[_i].pattern, route_cases[_i].path);
	if (route_cases[_i].p0 != NULL)
		ck_assert_str_eq(params[0], route_cases[_i].p0);
	stint_arena_free(&a);
}
END_TEST

START_TEST(test_urlencoded)
{
	stint_arena a = STINT_ARENA_INIT;
	stint_kvlist l = { NULL, 0, 0 };
	const char *qs = "q=caf%C3%A9+bar&empty=&flag&bad=%zz%4&x=1&x=2&&=v";

	ck_assert_int_eq(stint_parse_urlencoded(&a, qs, strlen(qs), &l), 0);
	ck_assert_str_eq(stint_kv_get(&l, "q"), "caf\xc3\xa9 bar");
	ck_assert_str_eq(stint_kv_get(&l, "empty"), "");
	ck_assert_str_eq(stint_kv_get(&l, "flag"), "");
	ck_assert_str_eq(stint_kv_get(&l, "bad"), "%zz%4");
	ck_assert_str_eq(stint_kv_get(&l, "x"), "1");
	ck_assert_str_eq(stint_kv_get(&l, ""), "v");
	ck_assert_ptr_null(stint_kv_get(&l, "missing"));
	stint_arena_free(&a);
}
END_TEST

START_TEST(test_cookies)
{
	stint_arena a = STINT_ARENA_INIT;
	stint_kvlist l = { NULL, 0, 0 };

	ck_assert_int_eq(stint_parse_cookies(&a, "a=1; stint_csrf=abc ;b=; junk; c=x=y", &l), 0);
	ck_assert_str_eq(stint_kv_get(&l, "a"), "1");
	ck_assert_str_eq(stint_kv_get(&l, "stint_csrf"), "abc ");
	ck_assert_str_eq(stint_kv_get(&l, "b"), "");
	ck_assert_str_eq(stint_kv_get(&l, "c"), "x=y");
	ck_assert_ptr_null(stint_kv_get(&l, "junk"));
	stint_arena_free(&a);
}
END_TEST

START_TEST(test_arena_grow)
{
	stint_arena a = STINT_ARENA_INIT;
	long *items = NULL, *first = NULL;
	size_t n, cap = 0;

	for (n = 0; n < 20; n++) {
		items = stint_arena_grow(&a, items, n, &cap, sizeof(*items));
		ck_assert_ptr_nonnull(items);
		ck_assert_uint_gt(cap, n);
		if (n == 0)
			first = items;
		items[n] = (long)n * 7;
	}
	ck_assert_uint_eq(cap, 32);
	ck_assert_ptr_ne(items, first);  /* grown twice: 8, 16, 32 */
	for (n = 0; n < 20; n++)
		ck_assert_int_eq(items[n], (long)n * 7);
	ck_assert_ptr_eq(stint_arena_grow(&a, items, 20, &cap, sizeof(*items)), items);
	ck_assert_ptr_null(stint_arena_grow(&a, items, 32, &cap, (size_t)-1 / 8));
	ck_assert_uint_eq(cap, 32);
	stint_arena_free(&a);
}
END_TEST

static const struct {
	stint_db_rc rc;
	const char *text;
	stint_db_rc want;
	int parsed;
} parse_cases[] = {
	{ STINT_DB_OK, "{\"a\": 1}", STINT_DB_OK, 1 },
	{ STINT_DB_OK, NULL, STINT_DB_OK, 0 },            /* no row */
	{ STINT_DB_OK, "{\"a\": ", STINT_DB_ERROR, 0 },   /* not JSON */
	{ STINT_DB_CONFLICT, NULL, STINT_DB_CONFLICT, 0 },  /* the read's own failure */
};

START_TEST(test_db_parse)
{
	char *text = parse_cases[_i].text ? strdup(parse_cases[_i].text) : NULL;
	cJSON *out = NULL;

	ck_assert_int_eq(stint_db_parse(parse_cases[_i].rc, &text, &out), parse_cases[_i].want);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(out != NULL, parse_cases[_i].parsed);
	if (parse_cases[_i].parsed)
		ck_assert_int_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(out, "a")), 1);
	cJSON_Delete(out);
}
END_TEST

START_TEST(test_buf)
{
	stint_buf b = STINT_BUF_INIT;
	char *s;
	int i;

	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(stint_buf_printf(&b, "%d,", i), 0);
	ck_assert_uint_eq(b.len, strlen(b.data));
	ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	s = stint_buf_take(&b);
	ck_assert_ptr_null(b.data);
	free(s);
}
END_TEST

/* A stored upload gets its name under media/<session>/; only such names are ever unlinked. */
START_TEST(test_media_files)
{
	char var[] = "/tmp/stint-test-media.XXXXXX", tmp[128], outside[128], kept[256], rel[200];
	const char *sid = "0b7e0e3e-4f7a-4c8e-9d2b-1e5f6a7b8c9d";
	struct stat st_tmp, st_kept;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(var));
	ck_assert_int_eq(setenv("STINT_VAR_DIR", var, 1), 0);
	snprintf(tmp, sizeof(tmp), "%s/upload", var);
	snprintf(outside, sizeof(outside), "%s/keep-me", var);
	ck_assert_ptr_nonnull(f = fopen(tmp, "w"));
	fputs("bytes", f);
	fclose(f);
	ck_assert_ptr_nonnull(f = fopen(outside, "w"));
	fclose(f);
	snprintf(kept, sizeof(kept), "%s/media", var);
	ck_assert_int_eq(mkdir(kept, 0750), 0);

	ck_assert_int_eq(stint_media_keep(tmp, sid, "mp4", rel, sizeof(rel)), 0);
	ck_assert_uint_eq(strlen(rel), strlen("media/") + 36 + 1 + 32 + strlen(".mp4"));
	ck_assert(strncmp(rel, "media/0b7e0e3e-", 15) == 0);
	ck_assert_int_eq(stint_media_path(rel, kept, sizeof(kept)), 0);
	ck_assert_int_eq(stat(tmp, &st_tmp), 0);  /* nginx's name stays for nginx */
	ck_assert_int_eq(stat(kept, &st_kept), 0);
	ck_assert(st_tmp.st_ino == st_kept.st_ino);
	ck_assert_int_eq(stint_media_path(rel, kept, 8), -1);

	stint_media_unlink("keep-me");
	stint_media_unlink("media/../keep-me");
	stint_media_unlink("");
	stint_media_unlink(NULL);
	ck_assert_int_eq(access(outside, F_OK), 0);
	stint_media_unlink(rel);
	ck_assert_int_eq(access(kept, F_OK), -1);

	unlink(tmp);
	unlink(outside);
	snprintf(kept, sizeof(kept), "%s/media/%s", var, sid);
	rmdir(kept);
	snprintf(kept, sizeof(kept), "%s/media", var);
	rmdir(kept);
	rmdir(var);
	unsetenv("STINT_VAR_DIR");
}
END_TEST

static Suite *lib_suite(void)
{
	Suite *s = suite_create("lib");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_uuid, 0, sizeof(uuid_cases) / sizeof(uuid_cases[0]));
	tcase_add_loop_test(tc, test_timestamp, 0, sizeof(ts_cases) / sizeof(ts_cases[0]));
	tcase_add_test(tc, test_timestamp_epoch);
	tcase_add_loop_test(tc, test_utf8, 0, sizeof(utf8_cases) / sizeof(utf8_cases[0]));
	tcase_add_loop_test(tc, test_session_validation, 0, sizeof(session_cases) / sizeof(session_cases[0]));
	tcase_add_loop_test(tc, test_session_status_rule, 0, sizeof(status_cases) / sizeof(status_cases[0]));
	tcase_add_test(tc, test_session_valid);
	tcase_add_loop_test(tc, test_route, 0, sizeof(route_cases) / sizeof(route_cases[0]));
	tcase_add_test(tc, test_urlencoded);
	tcase_add_test(tc, test_cookies);
	tcase_add_test(tc, test_arena_grow);
	tcase_add_loop_test(tc, test_db_parse, 0, sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, test_buf);
	tcase_add_test(tc, test_media_files);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(lib_suite());
}
