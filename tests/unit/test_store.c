/*
 * test_store.c: lib/store.c's settings (media_storage, media_s3_*; each bad
 * one named) and the X-Accel-Redirect target of a file in the media bucket
 * (/_s3/<scheme>/<host>/<bucket>/<prefix><name>?<presigned query>, the same
 * presigned request lib/s3.c makes for the endpoint Stint reaches).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"
#include "s3.h"
#include "store.h"

static void s3_settings(void)
{
	setenv("STINT_S3_ENDPOINT", "http://127.0.0.1:9000", 1);
	setenv("STINT_S3_PUBLIC_ENDPOINT", "https://files.example.org", 1);
	setenv("STINT_S3_BUCKET", "recordings", 1);
	setenv("STINT_S3_ACCESS_KEY", "AKIDEXAMPLE", 1);
	setenv("STINT_S3_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1);
	unsetenv("STINT_S3_ENABLED");
	unsetenv("STINT_MEDIA_S3_BUCKET");
	unsetenv("STINT_MEDIA_S3_PREFIX");
	setenv("STINT_MEDIA_STORAGE", "s3", 1);
}

START_TEST(test_check)
{
	char err[256];

	unsetenv("STINT_MEDIA_STORAGE");
	ck_assert_int_eq(stint_store_is_s3(), 0);
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), 0);  /* local: nothing else is read */
	setenv("STINT_MEDIA_STORAGE", "disk", 1);
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), -1);
	ck_assert_str_eq(err, "media_storage: must be local or s3");

	s3_settings();
	ck_assert_int_eq(stint_store_is_s3(), 1);
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), 0);  /* s3_enabled (the recorder) may stay off */
	setenv("STINT_MEDIA_S3_PREFIX", "../up", 1);
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "media_s3_prefix: "));
	setenv("STINT_MEDIA_S3_PREFIX", "/abs", 1);
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), -1);
	setenv("STINT_MEDIA_S3_PREFIX", "stint/media-1/", 1);
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), 0);
	setenv("STINT_MEDIA_S3_BUCKET", "Bad_Bucket", 1);
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "media_s3_bucket: "));
	unsetenv("STINT_MEDIA_S3_BUCKET");
	unsetenv("STINT_S3_ENDPOINT");
	ck_assert_int_eq(stint_store_check(err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "s3_endpoint: "));
	ck_assert_ptr_null(strstr(err, "EXAMPLEKEY"));
}
END_TEST

START_TEST(test_accel)
{
	char out[4200], url[4096], err[256];
	const char *q;
	stint_s3_conf c;

	s3_settings();
	setenv("STINT_MEDIA_S3_BUCKET", "media", 1);
	setenv("STINT_MEDIA_S3_PREFIX", "stint/", 1);
	ck_assert_int_eq(stint_store_accel("media/0b6f0d8e-6c57-4f0e-9f44-1f0c1a2b3c4d/ab12.mp4", 0, out, sizeof(out)), 0);
	{
		static const char want[] = "/_s3/http/127.0.0.1:9000/media/stint/media/0b6f0d8e-6c57-4f0e-9f44-1f0c1a2b3c4d/"
					   "ab12.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F";

		ck_assert_int_eq(strncmp(out, want, strlen(want)), 0);
	}
	ck_assert_ptr_nonnull(strstr(out, "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature="));
	ck_assert_ptr_null(strstr(out, "files.example.org"));  /* signed for the endpoint nginx reaches */
	ck_assert_ptr_null(strstr(out, "EXAMPLEKEY"));

	/* the same request lib/s3.c presigns for the internal endpoint, within the same second */
	ck_assert_int_eq(stint_s3_conf_load_any(&c, err, sizeof(err)), 0);
	snprintf(c.bucket, sizeof(c.bucket), "media");
	for (int tries = 0; tries < 3; tries++) {
		time_t now = time(NULL);

		ck_assert_int_eq(stint_store_accel("reports/x/run/report.html", 1, out, sizeof(out)), 0);
		ck_assert_int_eq(stint_s3_presign_internal(&c, 1, "stint/reports/x/run/report.html", 60, now, url, sizeof(url)), 0);
		if (time(NULL) == now)
			break;
	}
	q = strstr(url, "://");
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(out + strlen("/_s3/http/"), q + 3);
	stint_s3_conf_clear(&c);

	/* names outside the stored folders, or with "..": no target */
	ck_assert_int_eq(stint_store_accel("etc/passwd", 0, out, sizeof(out)), -1);
	ck_assert_int_eq(stint_store_accel("media/../etc/passwd", 0, out, sizeof(out)), -1);
	ck_assert_int_eq(stint_store_accel("uploads/raw/x/y.gpx", 0, out, sizeof(out)), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_accel);
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
