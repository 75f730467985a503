/* store.c: where stored media files live, local disk or an S3 bucket (see store.h). */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "media.h"
#include "s3.h"
#include "validate.h"

#define MIB (1024L * 1024L)

int stint_store_is_s3(void)
{
	return strcmp(stint_config_get("media_storage", STINT_STORAGE_LOCAL), STINT_STORAGE_S3) == 0;
}

/* media_s3_prefix: "" or up to 200 of A-Z a-z 0-9 . _ - /, not starting with '/', no "..". */
static const char *prefix(void)
{
	const char *p = stint_config_get("media_s3_prefix", "");

	if (strlen(p) > 200 || strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/") !=
	    strlen(p) || p[0] == '/' || strstr(p, "..") != NULL || strstr(p, "//") != NULL)
		return NULL;
	return p;
}

static long long part_size(void)
{
	return (long long)stint_config_int("media_s3_part_size", 64 * MIB, 5 * MIB, 5L * 1024 * MIB);
}

/* The media bucket's settings: the s3_* ones, with media_s3_bucket for the bucket. */
static int media_conf(stint_s3_conf *c, char *err, size_t errsize)
{
	const char *b = stint_config_get("media_s3_bucket", "");

	if (stint_s3_conf_load_any(c, err, errsize) != 0)
		return -1;
	if (*b != '\0') {
		if (strlen(b) < 3 || strlen(b) > 63 || strspn(b, "abcdefghijklmnopqrstuvwxyz0123456789.-") != strlen(b)) {
			stint_s3_conf_clear(c);
			snprintf(err, errsize, "media_s3_bucket: must be 3 to 63 of a-z, 0-9, '.' and '-'");
			return -1;
		}
		snprintf(c->bucket, sizeof(c->bucket), "%s", b);
	}
	return 0;
}

int stint_store_check(char *err, size_t errsize)
{
	const char *m = stint_config_get("media_storage", STINT_STORAGE_LOCAL);
	stint_s3_conf c;

	if (errsize > 0)
		err[0] = '\0';
	if (strcmp(m, STINT_STORAGE_LOCAL) != 0 && strcmp(m, STINT_STORAGE_S3) != 0) {
		snprintf(err, errsize, "media_storage: must be local or s3");
		return -1;
	}
	if (strcmp(m, STINT_STORAGE_S3) != 0)
		return 0;
	if (prefix() == NULL) {
		snprintf(err, errsize, "media_s3_prefix: must be up to 200 of A-Z, a-z, 0-9, '.', '_', '-' and '/', "
			 "not starting with '/', without '..' or '//'");
		return -1;
	}
	if (media_conf(&c, err, errsize) != 0)
		return -1;
	stint_s3_conf_clear(&c);
	return 0;
}

/* The object key of var-relative rel into key; 0 or -1. */
static int object_key(const char *rel, char *key, size_t size)
{
	const char *p = prefix();
	int n;

	if (p == NULL || rel == NULL || !stint_is_safe_relpath(rel) ||
	    (strncmp(rel, "media/", 6) != 0 && strncmp(rel, "reports/", 8) != 0 && strncmp(rel, "uploads/raw/", 12) != 0))
		return -1;
	n = snprintf(key, size, "%s%s", p, rel);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

stint_store_rc stint_store_put(const char *src, const char *rel, const char *ctype, char *err, size_t errsize)
{
	char key[1100];
	stint_s3_conf c;
	stint_s3_client *s;
	stint_s3_rc rc;

	if (object_key(rel, key, sizeof(key)) != 0) {
		snprintf(err, errsize, "media_s3_prefix: not a usable key prefix (or a bad stored name)");
		return STINT_STORE_UNAVAILABLE;
	}
	if (media_conf(&c, err, errsize) != 0)
		return STINT_STORE_UNAVAILABLE;
	s = stint_s3_client_new(&c);
	if (s == NULL) {
		stint_s3_conf_clear(&c);
		snprintf(err, errsize, "out of memory (S3 client)");
		return STINT_STORE_UNAVAILABLE;
	}
	rc = stint_s3_put_file(s, key, src, ctype, part_size(), err, errsize);
	stint_s3_client_free(s);
	stint_s3_conf_clear(&c);
	if (rc != STINT_S3_OK) {
		stint_log(STINT_LOG_ERROR, "media storage: %s not stored in S3: %s", rel, err);
		return STINT_STORE_UNAVAILABLE;
	}
	return STINT_STORE_OK;
}

stint_store_rc stint_store_place(const char *src, stint_place_how how, const char *sid, const char *ext,
				 const char *ctype, char *rel, size_t size, const char **storage, char *err,
				 size_t errsize)
{
	char abs[4200];
	struct stat st;

	if (errsize > 0)
		err[0] = '\0';
	*storage = STINT_STORAGE_LOCAL;
	if (stint_media_new_name(sid, ext, rel, size, abs, sizeof(abs)) != 0 || stat(src, &st) != 0) {
		snprintf(err, errsize, "no stored name: %s", strerror(errno));
		rel[0] = '\0';
		return STINT_STORE_FAILED;
	}
	if (stint_store_is_s3()) {
		stint_store_rc rc = stint_store_put(src, rel, ctype, err, errsize);

		if (rc != STINT_STORE_OK) {
			rel[0] = '\0';
			return rc;
		}
		*storage = STINT_STORAGE_S3;
		return STINT_STORE_OK;
	}
	if ((how == STINT_PLACE_RENAME ? rename(src, abs) : link(src, abs)) != 0) {
		snprintf(err, errsize, "%s: %s", how == STINT_PLACE_RENAME ? "rename" : "link", strerror(errno));
		rel[0] = '\0';
		return STINT_STORE_FAILED;
	}
	return STINT_STORE_OK;
}

void stint_store_remove(const char *rel)
{
	char key[1100], err[512];
	stint_s3_conf c;
	stint_s3_client *s;

	if (!stint_store_is_s3() || object_key(rel, key, sizeof(key)) != 0)
		return;
	if (media_conf(&c, err, sizeof(err)) != 0) {
		stint_log(STINT_LOG_WARN, "media storage: %s not removed from S3: %s", rel, err);
		return;
	}
	s = stint_s3_client_new(&c);
	if (s != NULL && stint_s3_delete(s, key, err, sizeof(err)) != STINT_S3_OK)
		stint_log(STINT_LOG_WARN, "media storage: %s not removed from S3: %s", rel, err);
	stint_s3_client_free(s);
	stint_s3_conf_clear(&c);
}

stint_store_rc stint_store_fetch(const char *rel, const char *dst, char *err, size_t errsize)
{
	char key[1100];
	stint_s3_conf c;
	stint_s3_client *s;
	stint_s3_rc rc = STINT_S3_ERROR;
	int fd;

	if (object_key(rel, key, sizeof(key)) != 0) {
		snprintf(err, errsize, "media_s3_prefix: not a usable key prefix (or a bad stored name)");
		return STINT_STORE_UNAVAILABLE;
	}
	if (media_conf(&c, err, errsize) != 0)
		return STINT_STORE_UNAVAILABLE;
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		stint_s3_conf_clear(&c);
		snprintf(err, errsize, "cannot create %s: %s", dst, strerror(errno));
		return STINT_STORE_FAILED;
	}
	s = stint_s3_client_new(&c);
	if (s == NULL)
		snprintf(err, errsize, "out of memory (S3 client)");
	else
		rc = stint_s3_get_file(s, key, fd, err, errsize);
	stint_s3_client_free(s);
	stint_s3_conf_clear(&c);
	if (close(fd) != 0 && rc == STINT_S3_OK) {
		snprintf(err, errsize, "cannot write %s: %s", dst, strerror(errno));
		rc = STINT_S3_ERROR;
	}
	if (rc != STINT_S3_OK) {
		unlink(dst);
		return rc == STINT_S3_NOT_FOUND ? STINT_STORE_FAILED : STINT_STORE_UNAVAILABLE;
	}
	return STINT_STORE_OK;
}

stint_store_rc stint_store_local(const char *rel, char *path, size_t size, int *fetched, char *err, size_t errsize)
{
	const char *ext = strrchr(rel, '.');
	char dir[4200];
	stint_store_rc rc;
	int fd;

	*fetched = 0;
	if (errsize > 0)
		err[0] = '\0';
	if (stint_media_path(rel, path, size) != 0) {
		snprintf(err, errsize, "name too long");
		return STINT_STORE_FAILED;
	}
	if (access(path, F_OK) == 0 || !stint_store_is_s3())
		return STINT_STORE_OK;
	if (ext == NULL || strlen(ext) > 8 || strchr(ext, '/') != NULL)
		ext = "";
	if (stint_media_path("uploads", dir, sizeof(dir)) != 0 || (mkdir(dir, 0750) != 0 && errno != EEXIST) ||
	    snprintf(path, size, "%s/.fetch-XXXXXX%s", dir, ext) >= (int)size ||
	    (fd = mkstemps(path, (int)strlen(ext))) < 0) {
		snprintf(err, errsize, "no temporary file under uploads/: %s", strerror(errno));
		return STINT_STORE_FAILED;
	}
	close(fd);
	unlink(path);  /* stint_store_fetch creates it (O_EXCL) */
	rc = stint_store_fetch(rel, path, err, errsize);
	*fetched = rc == STINT_STORE_OK;
	return rc;
}

long stint_store_remove_tree(const char *rel_dir)
{
	char key[1100], err[512];
	stint_s3_listing l;
	stint_s3_conf c;
	stint_s3_client *s;
	long n = 0;
	size_t i;

	if (!stint_store_is_s3() || object_key(rel_dir, key, sizeof(key) - 1) != 0)
		return 0;
	memcpy(key + strlen(key), "/", 2);  /* object_key left that byte free */
	if (media_conf(&c, err, sizeof(err)) != 0) {
		stint_log(STINT_LOG_WARN, "media storage: %s/ not purged from S3: %s", rel_dir, err);
		return 0;
	}
	s = stint_s3_client_new(&c);
	if (s != NULL && stint_s3_list(s, key, NULL, &l, err, sizeof(err)) == STINT_S3_OK) {
		for (i = 0; i < l.nobjects; i++) {
			if (stint_s3_delete(s, l.objects[i].key, err, sizeof(err)) == STINT_S3_OK)
				n++;
			else
				stint_log(STINT_LOG_WARN, "media storage: an object under %s/ not removed from S3: %s", rel_dir, err);
		}
		stint_s3_listing_free(&l);
	} else if (s != NULL) {
		stint_s3_listing_free(&l);
		stint_log(STINT_LOG_WARN, "media storage: %s/ not purged from S3: %s", rel_dir, err);
	}
	stint_s3_client_free(s);
	stint_s3_conf_clear(&c);
	return n;
}

void stint_store_unlink(const char *rel)
{
	stint_media_unlink(rel);
	stint_store_remove(rel);
}

int stint_store_accel(const char *rel, int head, char *out, size_t size)
{
	char key[1100], url[4096], err[256];
	const char *rest;
	stint_s3_conf c;
	int rc, n;

	if (object_key(rel, key, sizeof(key)) != 0 || media_conf(&c, err, sizeof(err)) != 0)
		return -1;
	rc = stint_s3_presign_internal(&c, head, key, stint_config_int("media_s3_url_expiry_s", 60, 5, 3600),
				       time(NULL), url, sizeof(url));
	stint_s3_conf_clear(&c);
	if (rc != 0)
		return -1;
	/* "http://host/path?query" -> "/_s3/http/host/path?query" */
	rest = strstr(url, "://");
	n = snprintf(out, size, "/_s3/%.*s/%s", (int)(rest - url), url, rest + 3);
	return n > 0 && (size_t)n < size ? 0 : -1;
}
