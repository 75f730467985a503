/*
 * test_recorder_links.c: lib/recorder-links.c's part that needs no
 * database: a session JSON text gets its recording's presigned URLs (one
 * per file it has, the bucket's keys dropped), a session without one is
 * left as PostgreSQL wrote it, and text that is not JSON is an error.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_run.h"
#include "recorder-links.h"

/* 2026-11-22T18:00:00Z */
#define NOW ((time_t)1795370400)

static char *text(const char *s)
{
	char *t = strdup(s);

	ck_assert_ptr_nonnull(t);
	return t;
}

START_TEST(test_none_left_alone)
{
	const char *in = "{\"id\" : \"x\", \"title\" : \"t\", \"recording\" : null}";
	char *json = text(in);

	ck_assert_int_eq(stint_recording_urls_in_session(&json, NOW), STINT_DB_OK);
	ck_assert_str_eq(json, in);
	free(json);
}
END_TEST

START_TEST(test_urls_added)
{
	char *json = text("{\"id\" : \"x\", \"recording\" : {\"id\" : 7, \"name\" : \"Final court 1\","
			  " \"recording_id\" : \"take-1\", \"files\" : [\"ogg\", \"overview\"],"
			  " \"object_keys\" : {\"ogg\" : \"deck/sessions/take-1/data.ogg\","
			  " \"overview\" : \"deck/sessions/take-1/overview.png\", \"metadata\" : \"m\"}}}");
	cJSON *s, *rec, *urls;
	const char *ogg;

	ck_assert_int_eq(stint_recording_urls_in_session(&json, NOW), STINT_DB_OK);
	s = cJSON_Parse(json);
	rec = cJSON_GetObjectItem(s, "recording");
	urls = cJSON_GetObjectItem(rec, "urls");
	ck_assert_int_eq(cJSON_GetArraySize(urls), 2);
	ogg = cJSON_GetStringValue(cJSON_GetObjectItem(urls, "ogg"));
	ck_assert_ptr_nonnull(ogg);
	ck_assert_msg(strncmp(ogg, "http://media.test:9000/recordings/deck/sessions/take-1/data.ogg?", 64) == 0, "%s", ogg);
	ck_assert_ptr_nonnull(strstr(ogg, "X-Amz-Expires=900&"));
	ck_assert_ptr_nonnull(strstr(ogg, "X-Amz-Date=20261122T180000Z"));
	ck_assert_ptr_nonnull(strstr(ogg, "Final%20court%201.ogg"));
	ck_assert_ptr_nonnull(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(urls, "overview")), "/overview.png?"));
	ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(rec, "urls_expire_in_seconds")), 900);
	ck_assert(!cJSON_HasObjectItem(rec, "object_keys"));
	ck_assert_ptr_null(strstr(json, "secret"));
	cJSON_Delete(s);
	free(json);
}
END_TEST

START_TEST(test_not_json)
{
	char *json = text("{\"recording\" : {\"id\" : 1");

	ck_assert_int_eq(stint_recording_urls_in_session(&json, NOW), STINT_DB_ERROR);
	ck_assert_str_eq(json, "{\"recording\" : {\"id\" : 1");
	free(json);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("recorder-links");
	TCase *tc = tcase_create("urls");

	/* the settings are read once, at the first URL: the bucket a browser reaches */
	setenv("STINT_S3_ENABLED", "yes", 1);
	setenv("STINT_S3_ENDPOINT", "http://127.0.0.1:9000", 1);
	setenv("STINT_S3_PUBLIC_ENDPOINT", "http://media.test:9000", 1);
	setenv("STINT_S3_BUCKET", "recordings", 1);
	setenv("STINT_S3_ACCESS_KEY", "stint-test", 1);
	setenv("STINT_S3_SECRET_KEY", "not-a-secret-worth-keeping", 1);
	setenv("STINT_S3_PRESIGN_EXPIRY_S", "900", 1);
	tcase_add_test(tc, test_none_left_alone);
	tcase_add_test(tc, test_urls_added);
	tcase_add_test(tc, test_not_json);
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
