/* s3.c: the recorder bucket's settings and presigned URLs (see s3.h). */
#include "s3.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "buf.h"
#include "conf.h"

#define KEY_MAX 1024   /* S3's longest object key, in bytes */

/* ---- settings ---- */

static int fail(char *err, size_t errsize, const char *setting, const char *why)
{
	snprintf(err, errsize, "%s: %s", setting, why);
	return -1;
}

/* "yes", "true", "on" or "1" (any case). */
static int truthy(const char *v)
{
	return strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
	       strcmp(v, "1") == 0;
}

/*
 * An endpoint "http[s]://host[:port][/]" into out as "scheme://host[:port]"
 * with the host lower-cased and a default port (80, 443) dropped, as a
 * browser writes the Host header. 0, or -1.
 */
static int normalize_endpoint(const char *v, char *out, size_t size)
{
	const char *auth;
	size_t n, i, scheme_n;
	const char *colon;

	if (strncmp(v, "http://", 7) == 0)
		scheme_n = 7;
	else if (strncmp(v, "https://", 8) == 0)
		scheme_n = 8;
	else
		return -1;
	auth = v + scheme_n;
	n = strlen(auth);
	if (n > 0 && auth[n - 1] == '/')
		n--;
	if (n == 0 || scheme_n + n >= size)
		return -1;
	for (i = 0; i < n; i++)
		if (!(isalnum((unsigned char)auth[i]) || strchr(".-:[]", auth[i]) != NULL))
			return -1;
	memcpy(out, v, scheme_n);
	for (i = 0; i < n; i++)
		out[scheme_n + i] = (char)tolower((unsigned char)auth[i]);
	out[scheme_n + n] = '\0';
	colon = strrchr(out + scheme_n, ':');
	if (colon != NULL && strchr(colon, ']') == NULL &&
	    ((scheme_n == 7 && strcmp(colon, ":80") == 0) || (scheme_n == 8 && strcmp(colon, ":443") == 0)))
		out[colon - out] = '\0';
	return 0;
}

static int bucket_ok(const char *b)
{
	size_t n = strlen(b), i;

	if (n < 3 || n > 63 || b[0] == '.' || b[0] == '-' || b[n - 1] == '.' || b[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)b[i]) || isdigit((unsigned char)b[i]) || b[i] == '.' || b[i] == '-'))
			return 0;
	return 1;
}

/* Printable ASCII without spaces, 1..size-1 bytes. */
static int token_ok(const char *v, size_t size)
{
	size_t n = strlen(v), i;

	if (n == 0 || n >= size)
		return 0;
	for (i = 0; i < n; i++)
		if (!isgraph((unsigned char)v[i]))
			return 0;
	return 1;
}

/* The first line of path, trimmed, into out; 0, or -1 (no file, or empty). */
static int read_first_line(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	char *t;

	if (f == NULL)
		return -1;
	if (fgets(out, (int)size, f) == NULL)
		out[0] = '\0';
	fclose(f);
	t = stint_trim(out);
	memmove(out, t, strlen(t) + 1);
	return out[0] == '\0' ? -1 : 0;
}

static int copy_setting(const char *key, const char *def, char *out, size_t size)
{
	const char *v = stint_config_get(key, def);

	if (strlen(v) >= size)
		return -1;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

static int load_secret(stint_s3_conf *c, char *err, size_t errsize)
{
	const char *file;

	if (copy_setting("s3_secret_key", "", c->secret_key, sizeof(c->secret_key)) != 0)
		return fail(err, errsize, "s3_secret_key", "longer than 255 characters");
	if (c->secret_key[0] != '\0')
		return token_ok(c->secret_key, sizeof(c->secret_key)) ? 0 :
		       fail(err, errsize, "s3_secret_key", "must be printable ASCII without spaces");
	file = stint_config_get("s3_secret_key_file", "");
	if (*file == '\0')
		return fail(err, errsize, "s3_secret_key", "is not set (nor s3_secret_key_file)");
	if (read_first_line(file, c->secret_key, sizeof(c->secret_key)) != 0)
		return fail(err, errsize, "s3_secret_key_file", "cannot be read, or its first line is empty");
	if (!token_ok(c->secret_key, sizeof(c->secret_key)))
		return fail(err, errsize, "s3_secret_key_file", "its first line must be printable ASCII without spaces");
	return 0;
}

static int load_checked(stint_s3_conf *c, char *err, size_t errsize)
{
	char raw[STINT_S3_URL_MAX];
	size_t i;

	if (copy_setting("s3_endpoint", "", raw, sizeof(raw)) != 0 ||
	    normalize_endpoint(raw, c->endpoint, sizeof(c->endpoint)) != 0)
		return fail(err, errsize, "s3_endpoint", "must be an http:// or https:// URL with a host and no path");
	if (copy_setting("s3_public_endpoint", c->endpoint, raw, sizeof(raw)) != 0 ||
	    normalize_endpoint(raw, c->public_endpoint, sizeof(c->public_endpoint)) != 0)
		return fail(err, errsize, "s3_public_endpoint",
			    "must be an http:// or https:// URL with a host and no path");
	if (copy_setting("s3_region", "us-east-1", c->region, sizeof(c->region)) != 0 || c->region[0] == '\0')
		return fail(err, errsize, "s3_region", "must be 1 to 63 characters");
	for (i = 0; c->region[i] != '\0'; i++)
		if (!(isalnum((unsigned char)c->region[i]) || c->region[i] == '-'))
			return fail(err, errsize, "s3_region", "must hold only letters, digits and '-'");
	if (copy_setting("s3_bucket", "", c->bucket, sizeof(c->bucket)) != 0 || !bucket_ok(c->bucket))
		return fail(err, errsize, "s3_bucket", "must be 3 to 63 of a-z, 0-9, '.' and '-'");
	if (copy_setting("s3_access_key", "", c->access_key, sizeof(c->access_key)) != 0 ||
	    !token_ok(c->access_key, sizeof(c->access_key)))
		return fail(err, errsize, "s3_access_key", "must be 1 to 127 printable characters without spaces");
	c->path_style = truthy(stint_config_get("s3_path_style", "yes"));
	c->autolink_tolerance_min = stint_config_int("s3_autolink_tolerance_min", 5, 0, 1440);
	c->presign_expiry_s = stint_config_int("s3_presign_expiry_s", 3600, 1, STINT_S3_PRESIGN_MAX_S);
	return load_secret(c, err, errsize);
}

int stint_s3_conf_load(stint_s3_conf *c, char *err, size_t errsize)
{
	memset(c, 0, sizeof(*c));
	if (errsize > 0)
		err[0] = '\0';
	if (!truthy(stint_config_get("s3_enabled", "no")))
		return 0;
	c->enabled = 1;
	if (load_checked(c, err, errsize) != 0) {
		stint_s3_conf_clear(c);
		return -1;
	}
	return 0;
}

void stint_s3_conf_clear(stint_s3_conf *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
}

/* ---- Signature Version 4 ---- */

/*
 * s (n bytes) percent-encoded as SigV4's UriEncode: every byte but
 * A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex); '/' kept when keep_slash.
 */
static int uri_encode(stint_buf *b, const char *s, size_t n, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~' || (keep_slash && ch == '/')) {
			rc = stint_buf_putc(b, (char)ch);
		} else {
			char esc[3] = { '%', hex[ch >> 4], hex[ch & 15] };

			rc = stint_buf_append(b, esc, 3);
		}
	}
	return rc;
}

static void to_hex(const unsigned char *md, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/* HMAC-SHA256 of msg under key into out (32 bytes); 0 or -1. */
static int hmac256(const unsigned char *key, size_t keylen, const char *msg, unsigned char out[32])
{
	unsigned int n = 0;

	return HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, strlen(msg), out, &n) != NULL &&
	       n == 32 ? 0 : -1;
}

/*
 * The signature (64 hex digits) of string_to_sign for date8 (YYYYMMDD):
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date8), region), "s3"),
 * "aws4_request").
 */
static int sign(const stint_s3_conf *c, const char *date8, const char *string_to_sign, char out[65])
{
	unsigned char k[32], k2[32];
	char first[sizeof(c->secret_key) + 4];
	int rc;

	snprintf(first, sizeof(first), "AWS4%s", c->secret_key);
	rc = hmac256((const unsigned char *)first, strlen(first), date8, k) |
	     hmac256(k, 32, c->region, k2) | hmac256(k2, 32, "s3", k) | hmac256(k, 32, "aws4_request", k2) |
	     hmac256(k2, 32, string_to_sign, k);
	if (rc == 0)
		to_hex(k, 32, out);
	OPENSSL_cleanse(first, sizeof(first));
	OPENSSL_cleanse(k2, sizeof(k2));
	OPENSSL_cleanse(k, sizeof(k));
	return rc == 0 ? 0 : -1;
}

/*
 * The value of response-content-disposition for name: attachment with
 * filename="..." where every byte but A-Z a-z 0-9 space . _ - becomes
 * '_'. No RFC 5987 filename*=UTF-8''...: its ' and * are encoded by SigV4's
 * UriEncode but not by every S3 server's canonicalisation (s3rver uses
 * encodeURIComponent), so a URL carrying them would be refused there.
 */
static int disposition(stint_buf *b, const char *name)
{
	size_t i, n = strlen(name);
	int rc = stint_buf_puts(b, "attachment; filename=\"");

	for (i = 0; i < n && rc == 0; i++) {
		unsigned char ch = (unsigned char)name[i];

		rc = stint_buf_putc(b, isalnum(ch) || strchr(" ._-", ch) != NULL ? (char)ch : '_');
	}
	return rc | stint_buf_putc(b, '"');
}

/* Everything of a presigned URL but the signature; 0 or -1. */
static int presign_parts(const stint_s3_conf *c, const char *key, long expires_s, const char *download_name,
			 const char *amzdate, stint_buf *host, stint_buf *path, stint_buf *query)
{
	const char *auth = strstr(c->public_endpoint, "://") + 3;
	stint_buf v = STINT_BUF_INIT;
	int rc = 0;

	if (c->path_style) {
		rc |= stint_buf_puts(host, auth);
		rc |= stint_buf_printf(path, "/%s/", c->bucket);
	} else {
		rc |= stint_buf_printf(host, "%s.%s", c->bucket, auth);
		rc |= stint_buf_puts(path, "/");
	}
	rc |= uri_encode(path, key, strlen(key), 1);
	rc |= stint_buf_printf(&v, "%s/%.8s/%s/s3/aws4_request", c->access_key, amzdate, c->region);
	rc |= stint_buf_puts(query, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
	rc |= uri_encode(query, v.data, v.len, 0);
	rc |= stint_buf_printf(query, "&X-Amz-Date=%s&X-Amz-Expires=%ld&X-Amz-SignedHeaders=host", amzdate,
			       expires_s);
	if (download_name != NULL && rc == 0) {
		stint_buf_reset(&v);
		rc |= disposition(&v, download_name);
		rc |= stint_buf_puts(query, "&response-content-disposition=");
		rc |= uri_encode(query, v.data, v.len, 0);
	}
	stint_buf_free(&v);
	return rc == 0 ? 0 : -1;
}

int stint_s3_presign_get(const stint_s3_conf *c, const char *key, long expires_s, const char *download_name,
			 time_t now, char *url, size_t urlsize)
{
	stint_buf host = STINT_BUF_INIT, path = STINT_BUF_INIT, query = STINT_BUF_INIT, canon = STINT_BUF_INIT;
	char amzdate[17], date8[9], hash[65], signature[65], sts[256];
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct tm tm;
	int rc = -1, n;

	if (urlsize > 0)
		url[0] = '\0';
	if (c == NULL || !c->enabled || key == NULL || key[0] == '\0' || strlen(key) > KEY_MAX || expires_s < 1 ||
	    expires_s > STINT_S3_PRESIGN_MAX_S || strstr(c->public_endpoint, "://") == NULL ||
	    gmtime_r(&now, &tm) == NULL || strftime(amzdate, sizeof(amzdate), "%Y%m%dT%H%M%SZ", &tm) != 16)
		return -1;
	if (presign_parts(c, key, expires_s, download_name, amzdate, &host, &path, &query) != 0 ||
	    stint_buf_printf(&canon, "GET\n%s\n%s\nhost:%s\n\nhost\nUNSIGNED-PAYLOAD", path.data, query.data,
			     host.data) != 0)
		goto out;
	SHA256((const unsigned char *)canon.data, canon.len, md);
	to_hex(md, sizeof(md), hash);
	n = snprintf(sts, sizeof(sts), "AWS4-HMAC-SHA256\n%s\n%.8s/%s/s3/aws4_request\n%s", amzdate, amzdate,
		     c->region, hash);
	memcpy(date8, amzdate, 8);
	date8[8] = '\0';
	if (n < 0 || (size_t)n >= sizeof(sts) || sign(c, date8, sts, signature) != 0)
		goto out;
	n = snprintf(url, urlsize, "%.*s%s%s?%s&X-Amz-Signature=%s",
		     (int)(strstr(c->public_endpoint, "://") + 3 - c->public_endpoint), c->public_endpoint,
		     host.data, path.data, query.data, signature);
	if (n < 0 || (size_t)n >= urlsize) {
		if (urlsize > 0)
			url[0] = '\0';
		goto out;
	}
	rc = 0;
out:
	stint_buf_free(&host);
	stint_buf_free(&path);
	stint_buf_free(&query);
	stint_buf_free(&canon);
	return rc;
}
