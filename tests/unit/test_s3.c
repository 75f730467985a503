/*
 * test_s3.c: lib/s3.c's pure parts: presigned URLs against the example AWS
 * publishes ("Authenticating Requests: Using Query Parameters (AWS Signature
 * Version 4)", Amazon S3 API Reference), path-style and download names, and
 * the settings with the message naming each bad one.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "s3.h"

static const char *const s3_vars[] = {
	"STINT_S3_ENABLED", "STINT_S3_ENDPOINT", "STINT_S3_PUBLIC_ENDPOINT", "STINT_S3_REGION",
	"STINT_S3_BUCKET", "STINT_S3_ACCESS_KEY", "STINT_S3_SECRET_KEY", "STINT_S3_SECRET_KEY_FILE",
	"STINT_S3_PATH_STYLE", "STINT_S3_AUTOLINK_TOLERANCE_MIN", "STINT_S3_PRESIGN_EXPIRY_S",
};

static void clear_env(void)
{
	size_t i;

	for (i = 0; i < sizeof(s3_vars) / sizeof(s3_vars[0]); i++)
		unsetenv(s3_vars[i]);
}

/* The AWS example's account: virtual-host style on s3.amazonaws.com. */
static void aws_example(stint_s3_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->enabled = 1;
	snprintf(c->endpoint, sizeof(c->endpoint), "%s", "https://s3.amazonaws.com");
	snprintf(c->public_endpoint, sizeof(c->public_endpoint), "%s", "https://s3.amazonaws.com");
	snprintf(c->region, sizeof(c->region), "%s", "us-east-1");
	snprintf(c->bucket, sizeof(c->bucket), "%s", "examplebucket");
	snprintf(c->access_key, sizeof(c->access_key), "%s", "AKIAIOSFODNN7EXAMPLE");
	snprintf(c->secret_key, sizeof(c->secret_key), "%s", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	c->path_style = 0;
}

START_TEST(test_aws_example)
{
	stint_s3_conf c;
	char url[1024];

	aws_example(&c);
	/* 2013-05-24T00:00:00Z, 86400 s: the published URL and signature. */
	ck_assert_int_eq(stint_s3_presign_get(&c, "test.txt", 86400, NULL, 1369353600, url, sizeof(url)), 0);
	ck_assert_str_eq(url, "https://examplebucket.s3.amazonaws.com/test.txt"
			      "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
			      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
			      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
			      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}
END_TEST

/*
 * The internal presign (nginx's /_s3/ proxy, lib/store.h) signs for the
 * endpoint Stint reaches, whatever the public one: with the AWS example it
 * is the published URL; HEAD signs another request.
 */
START_TEST(test_internal)
{
	static const char published[] = "https://examplebucket.s3.amazonaws.com/test.txt"
					"?X-Amz-Algorithm=AWS4-HMAC-SHA256"
					"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
					"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
					"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
	stint_s3_conf c;
	char url[1024], head[1024];

	aws_example(&c);
	snprintf(c.public_endpoint, sizeof(c.public_endpoint), "%s", "https://media.example.org");
	ck_assert_int_eq(stint_s3_presign_internal(&c, 0, "test.txt", 86400, 1369353600, url, sizeof(url)), 0);
	ck_assert_str_eq(url, published);
	ck_assert_int_eq(stint_s3_presign_get(&c, "test.txt", 86400, NULL, 1369353600, url, sizeof(url)), 0);
	ck_assert_int_eq(strncmp(url, "https://examplebucket.media.example.org/test.txt?", 49), 0);
	ck_assert_int_eq(stint_s3_presign_internal(&c, 1, "test.txt", 86400, 1369353600, head, sizeof(head)), 0);
	ck_assert_int_eq(strncmp(head, published, strlen(published) - 64), 0);
	ck_assert_str_ne(head, published);
}
END_TEST

START_TEST(test_path_style_and_name)
{
	stint_s3_conf c;
	char url[2048], small[64];

	aws_example(&c);
	c.path_style = 1;
	snprintf(c.public_endpoint, sizeof(c.public_endpoint), "%s", "http://127.0.0.1:9000");
	ck_assert_int_eq(stint_s3_presign_get(&c, "rec 1/sessions/a+b/data.ogg", 60, "Match \"A\" é.ogg", 1369353600,
					      url, sizeof(url)), 0);
	ck_assert_msg(strncmp(url, "http://127.0.0.1:9000/examplebucket/rec%201/sessions/a%2Bb/data.ogg?", 68) == 0,
		      "%s", url);
	ck_assert_ptr_nonnull(strstr(url, "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&response-content-disposition="
					  "attachment%3B%20filename%3D%22Match%20_A_%20__.ogg%22&X-Amz-Signature="));
	ck_assert_uint_eq(strlen(strstr(url, "&X-Amz-Signature=")), 17 + 64);
	/* bad arguments and a buffer too small */
	ck_assert_int_eq(stint_s3_presign_get(&c, "k", 0, NULL, 0, url, sizeof(url)), -1);
	ck_assert_int_eq(stint_s3_presign_get(&c, "k", 604801, NULL, 0, url, sizeof(url)), -1);
	ck_assert_int_eq(stint_s3_presign_get(&c, "", 60, NULL, 0, url, sizeof(url)), -1);
	ck_assert_int_eq(stint_s3_presign_get(&c, "k", 60, NULL, 0, small, sizeof(small)), -1);
	ck_assert_str_eq(small, "");
	c.enabled = 0;
	ck_assert_int_eq(stint_s3_presign_get(&c, "k", 60, NULL, 0, url, sizeof(url)), -1);
}
END_TEST

START_TEST(test_conf_load)
{
	stint_s3_conf c;
	char err[256], path[] = "/tmp/test_s3_secretXXXXXX";
	int fd;

	clear_env();
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.enabled, 0);
	setenv("STINT_S3_ENABLED", "yes", 1);
	setenv("STINT_S3_ENDPOINT", "HTTP://127.0.0.1:80/", 1);
	setenv("STINT_S3_BUCKET", "recordings", 1);
	setenv("STINT_S3_ACCESS_KEY", "AKID", 1);
	setenv("STINT_S3_SECRET_KEY", "s3cr3t/key", 1);
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "s3_endpoint: must be an http:// or https:// URL with a host and no path");
	setenv("STINT_S3_ENDPOINT", "http://Minio.local:80/", 1);
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.endpoint, "http://minio.local");
	ck_assert_str_eq(c.public_endpoint, "http://minio.local");
	ck_assert_str_eq(c.region, "us-east-1");
	ck_assert_str_eq(c.secret_key, "s3cr3t/key");
	ck_assert_int_eq(c.path_style, 1);
	ck_assert_int_eq(c.autolink_tolerance_min, 5);
	ck_assert_int_eq(c.presign_expiry_s, 3600);
	setenv("STINT_S3_PUBLIC_ENDPOINT", "https://files.example.org:443", 1);
	setenv("STINT_S3_PRESIGN_EXPIRY_S", "999999", 1);   /* over 7 days: the default */
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.public_endpoint, "https://files.example.org");
	ck_assert_int_eq(c.presign_expiry_s, 3600);

	/* the secret from a file; neither set names the setting */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "  from-file \nsecond\n", 20), 20);
	close(fd);
	unsetenv("STINT_S3_SECRET_KEY");
	setenv("STINT_S3_SECRET_KEY_FILE", path, 1);
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.secret_key, "from-file");
	unlink(path);
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "s3_secret_key_file: cannot be read, or its first line is empty");
	ck_assert_str_eq(c.secret_key, "");
	unsetenv("STINT_S3_SECRET_KEY_FILE");
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "s3_secret_key: is not set (nor s3_secret_key_file)");
	setenv("STINT_S3_SECRET_KEY", "x", 1);
	setenv("STINT_S3_BUCKET", "Bad_Bucket", 1);
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "s3_bucket: must be 3 to 63 of a-z, 0-9, '.' and '-'");
	setenv("STINT_S3_BUCKET", "recordings", 1);
	setenv("STINT_S3_ACCESS_KEY", "has space", 1);
	ck_assert_int_eq(stint_s3_conf_load(&c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "s3_access_key: must be 1 to 127 printable characters without spaces");
	clear_env();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("s3");
	TCase *tc = tcase_create("presign");

	tcase_add_test(tc, test_aws_example);
	tcase_add_test(tc, test_internal);
	tcase_add_test(tc, test_path_style_and_name);
	tcase_add_test(tc, test_conf_load);
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
