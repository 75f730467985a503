/* s3.c: the recorder bucket's settings and presigned URLs (see s3.h). */
#include "s3.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
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

int stint_s3_conf_load_any(stint_s3_conf *c, char *err, size_t errsize)
{
	memset(c, 0, sizeof(*c));
	if (errsize > 0)
		err[0] = '\0';
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
static int presign_parts(const stint_s3_conf *c, const char *endpoint, const char *key, long expires_s,
			 const char *download_name, const char *amzdate, stint_buf *host, stint_buf *path,
			 stint_buf *query)
{
	const char *auth = strstr(endpoint, "://") + 3;
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

/*
 * A presigned request URL for method (GET or HEAD) against endpoint (the
 * public one, or the one Stint reaches), as stint_s3_presign_get() says.
 */
static int presign(const stint_s3_conf *c, const char *method, const char *endpoint, const char *key,
		   long expires_s, const char *download_name, time_t now, char *url, size_t urlsize)
{
	stint_buf host = STINT_BUF_INIT, path = STINT_BUF_INIT, query = STINT_BUF_INIT, canon = STINT_BUF_INIT;
	char amzdate[17], date8[9], hash[65], signature[65], sts[256];
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct tm tm;
	int rc = -1, n;

	if (urlsize > 0)
		url[0] = '\0';
	if (c == NULL || !c->enabled || key == NULL || key[0] == '\0' || strlen(key) > KEY_MAX || expires_s < 1 ||
	    expires_s > STINT_S3_PRESIGN_MAX_S || strstr(endpoint, "://") == NULL ||
	    gmtime_r(&now, &tm) == NULL || strftime(amzdate, sizeof(amzdate), "%Y%m%dT%H%M%SZ", &tm) != 16)
		return -1;
	if (presign_parts(c, endpoint, key, expires_s, download_name, amzdate, &host, &path, &query) != 0 ||
	    stint_buf_printf(&canon, "%s\n%s\n%s\nhost:%s\n\nhost\nUNSIGNED-PAYLOAD", method, path.data, query.data,
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
		     (int)(strstr(endpoint, "://") + 3 - endpoint), endpoint,
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

int stint_s3_presign_get(const stint_s3_conf *c, const char *key, long expires_s, const char *download_name,
			 time_t now, char *url, size_t urlsize)
{
	if (urlsize > 0)
		url[0] = '\0';
	if (c == NULL)
		return -1;
	return presign(c, "GET", c->public_endpoint, key, expires_s, download_name, now, url, urlsize);
}

int stint_s3_presign_internal(const stint_s3_conf *c, int head, const char *key, long expires_s, time_t now,
			      char *url, size_t urlsize)
{
	if (urlsize > 0)
		url[0] = '\0';
	if (c == NULL)
		return -1;
	return presign(c, head ? "HEAD" : "GET", c->endpoint, key, expires_s, NULL, now, url, urlsize);
}

/* ---- the client ---- */

#define LIST_MAX_BYTES (16 << 20)   /* one ListObjectsV2 page: 1,000 keys fit easily */
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct stint_s3_client {
	const stint_s3_conf *conf;
	CURL *curl;
	char sigv4[96];              /* "aws:amz:REGION:s3" */
	stint_s3_counts counts;
};

/* One answer: status, body (capped), ETag header. */
typedef struct answer {
	long status;
	stint_buf body;
	size_t max_bytes;
	int too_large;
	char etag[128];
} answer;

stint_s3_client *stint_s3_client_new(const stint_s3_conf *c)
{
	stint_s3_client *s;

	if (c == NULL || !c->enabled || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->conf = c;
	s->curl = curl_easy_init();
	if (s->curl == NULL) {
		free(s);
		return NULL;
	}
	snprintf(s->sigv4, sizeof(s->sigv4), "aws:amz:%s:s3", c->region);
	return s;
}

void stint_s3_client_free(stint_s3_client *s)
{
	if (s == NULL)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}

stint_s3_counts stint_s3_client_counts(const stint_s3_client *s)
{
	return s->counts;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	answer *a = arg;

	if (a->body.len + size * n > a->max_bytes) {
		a->too_large = 1;
		return 0;
	}
	return stint_buf_append(&a->body, data, size * n) == 0 ? size * n : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	answer *a = arg;
	size_t len = size * n;

	if (len > 5 && strncasecmp(data, "etag:", 5) == 0) {
		const char *v = data + 5;
		size_t vn = len - 5;

		while (vn > 0 && (*v == ' ' || *v == '\t'))
			v++, vn--;
		while (vn > 0 && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
			vn--;
		if (vn < sizeof(a->etag)) {
			memcpy(a->etag, v, vn);
			a->etag[vn] = '\0';
		}
	}
	return len;
}

/* The bucket's URL for key (NULL: the bucket itself) and query (already sorted and encoded, or ""). */
static int object_url(const stint_s3_conf *c, const char *key, const char *query, stint_buf *url)
{
	const char *auth = strstr(c->endpoint, "://") + 3;
	int rc;

	if (c->path_style)
		rc = stint_buf_printf(url, "%s/%s%s", c->endpoint, c->bucket, key != NULL ? "/" : "");
	else
		rc = stint_buf_printf(url, "%.*s%s.%s/", (int)(auth - c->endpoint), c->endpoint, c->bucket, auth);
	if (key != NULL)
		rc |= uri_encode(url, key, strlen(key), 1);
	if (query[0] != '\0')
		rc |= stint_buf_printf(url, "?%s", query);
	return rc;
}

/* The text of the first element named name below node (caller frees with xmlFree), or NULL. */
static xmlChar *child_text(xmlNode *node, const char *name)
{
	xmlNode *n;

	for (n = node != NULL ? node->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return xmlNodeGetContent(n);
	return NULL;
}

/* S3's <Error><Code> of an answer body into code (size bytes), or "". */
static void error_code(const answer *a, char *code, size_t size)
{
	xmlDoc *doc;
	xmlChar *t;

	code[0] = '\0';
	if (a->body.len == 0)
		return;
	doc = xmlReadMemory(a->body.data, (int)a->body.len, "error.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (doc == NULL)
		return;
	t = child_text(xmlDocGetRootElement(doc), "Code");
	if (t != NULL) {
		snprintf(code, size, "%s", (const char *)t);
		xmlFree(t);
	}
	xmlFreeDoc(doc);
}

/* A refused request's message, naming the setting to check. */
static void refused(const stint_s3_client *s, const answer *a, const char *what, char *err, size_t errsize)
{
	char code[64];

	error_code(a, code, sizeof(code));
	if (strcmp(code, "SignatureDoesNotMatch") == 0)
		snprintf(err, errsize, "S3 at %s refused the request signature (SignatureDoesNotMatch): check s3_secret_key",
			 s->conf->endpoint);
	else if (strcmp(code, "InvalidAccessKeyId") == 0)
		snprintf(err, errsize, "S3 at %s does not know the access key (InvalidAccessKeyId): check s3_access_key",
			 s->conf->endpoint);
	else if (strcmp(code, "NoSuchBucket") == 0)
		snprintf(err, errsize, "S3 at %s has no bucket %s (NoSuchBucket): check s3_bucket", s->conf->endpoint,
			 s->conf->bucket);
	else if (strcmp(code, "AccessDenied") == 0)
		snprintf(err, errsize, "S3 at %s denied %s (AccessDenied): check s3_access_key's rights on s3_bucket",
			 s->conf->endpoint, what);
	else if (strcmp(code, "RequestTimeTooSkewed") == 0)
		snprintf(err, errsize, "S3 at %s refused the request time (RequestTimeTooSkewed): check this host's clock",
			 s->conf->endpoint);
	else
		snprintf(err, errsize, "S3 at %s answered HTTP %ld%s%s%s to %s", s->conf->endpoint, a->status,
			 code[0] != '\0' ? " (" : "", code, code[0] != '\0' ? ")" : "", what);
}


/*
 * The settings every signed request of s shares: headers h, SigV4 with the
 * client's keys, the answer into a, a 5 s connect timeout, no signals, and
 * HTTP(S) only.
 */
static void set_signed(CURL *c, const stint_s3_client *s, struct curl_slist *h, answer *a)
{
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, s->sigv4);
	curl_easy_setopt(c, CURLOPT_USERNAME, s->conf->access_key);
	curl_easy_setopt(c, CURLOPT_PASSWORD, s->conf->secret_key);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
}
/* One signed GET of url; a transport failure is STINT_S3_ERROR with the "unreachable" message. */
static stint_s3_rc request(stint_s3_client *s, const char *url, const char *if_none_match, answer *a, char *err,
			   size_t errsize)
{
	struct curl_slist *h = NULL, *h2;
	char inm[160];
	CURLcode cc;
	CURL *c = s->curl;

	h2 = curl_slist_append(h, "x-amz-content-sha256: " EMPTY_SHA256);
	if (h2 == NULL)
		goto oom;
	h = h2;
	if (if_none_match != NULL && if_none_match[0] != '\0') {
		snprintf(inm, sizeof(inm), "If-None-Match: %s", if_none_match);
		h2 = curl_slist_append(h, inm);
		if (h2 == NULL)
			goto oom;
		h = h2;
	}
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	set_signed(c, s, h, a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 120000L);
	cc = curl_easy_perform(c);
	curl_slist_free_all(h);
	if (cc == CURLE_WRITE_ERROR && a->too_large)
		return STINT_S3_TOO_LARGE;
	if (cc != CURLE_OK) {
		snprintf(err, errsize, "S3 unreachable at %s: %s", s->conf->endpoint, curl_easy_strerror(cc));
		return STINT_S3_ERROR;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	return STINT_S3_OK;
oom:
	curl_slist_free_all(h);
	snprintf(err, errsize, "out of memory");
	return STINT_S3_ERROR;
}

static int listing_add_object(stint_s3_listing *l, xmlNode *n)
{
	xmlChar *key = child_text(n, "Key"), *etag = child_text(n, "ETag"), *size = child_text(n, "Size");
	int rc = -1;

	if (key == NULL)
		goto out;
	if (l->nobjects == l->capobjects) {
		size_t cap = l->capobjects ? l->capobjects * 2 : 256;
		stint_s3_object *o = realloc(l->objects, cap * sizeof(*o));

		if (o == NULL)
			goto out;
		l->objects = o;
		l->capobjects = cap;
	}
	l->objects[l->nobjects].key = strdup((const char *)key);
	l->objects[l->nobjects].etag = strdup(etag != NULL ? (const char *)etag : "");
	l->objects[l->nobjects].size = size != NULL ? strtoll((const char *)size, NULL, 10) : 0;
	if (l->objects[l->nobjects].key == NULL || l->objects[l->nobjects].etag == NULL) {
		free(l->objects[l->nobjects].key);
		free(l->objects[l->nobjects].etag);
		goto out;
	}
	l->nobjects++;
	rc = 0;
out:
	xmlFree(key);
	xmlFree(etag);
	xmlFree(size);
	return rc;
}

static int listing_add_prefix(stint_s3_listing *l, xmlNode *n)
{
	xmlChar *p = child_text(n, "Prefix");
	int rc = -1;

	if (p == NULL)
		return -1;
	if (l->nprefixes == l->capprefixes) {
		size_t cap = l->capprefixes ? l->capprefixes * 2 : 64;
		char **v = realloc(l->prefixes, cap * sizeof(*v));

		if (v == NULL)
			goto out;
		l->prefixes = v;
		l->capprefixes = cap;
	}
	l->prefixes[l->nprefixes] = strdup((const char *)p);
	if (l->prefixes[l->nprefixes] != NULL) {
		l->nprefixes++;
		rc = 0;
	}
out:
	xmlFree(p);
	return rc;
}

/*
 * One ListBucketResult page into l; its NextContinuationToken into next
 * (emptied when the listing is complete). 0, or -1 on a malformed page.
 */
static int parse_page(const answer *a, stint_s3_listing *l, stint_buf *next)
{
	xmlDoc *doc = xmlReadMemory(a->body.data != NULL ? a->body.data : "", (int)a->body.len, "list.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNode *root, *n;
	xmlChar *truncated, *token;
	int rc = 0;

	stint_buf_reset(next);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *)root->name, "ListBucketResult") != 0) {
		xmlFreeDoc(doc);
		return -1;
	}
	for (n = root->children; n != NULL && rc == 0; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "Contents") == 0)
			rc = listing_add_object(l, n);
		else if (strcmp((const char *)n->name, "CommonPrefixes") == 0)
			rc = listing_add_prefix(l, n);
	}
	truncated = child_text(root, "IsTruncated");
	token = child_text(root, "NextContinuationToken");
	if (rc == 0 && truncated != NULL && strcmp((const char *)truncated, "true") == 0)
		rc = token != NULL && token[0] != '\0' ? stint_buf_puts(next, (const char *)token) : -1;
	xmlFree(truncated);
	xmlFree(token);
	xmlFreeDoc(doc);
	return rc;
}

/* The sorted query of one ListObjectsV2 page (SigV4 signs it as given: keep the names in order). */
static int list_query(stint_buf *q, const char *token, const char *delimiter, const char *prefix)
{
	int rc = 0;

	if (token[0] != '\0') {
		rc |= stint_buf_puts(q, "continuation-token=");
		rc |= uri_encode(q, token, strlen(token), 0);
		rc |= stint_buf_putc(q, '&');
	}
	if (delimiter != NULL) {
		rc |= stint_buf_puts(q, "delimiter=");
		rc |= uri_encode(q, delimiter, strlen(delimiter), 0);
		rc |= stint_buf_putc(q, '&');
	}
	rc |= stint_buf_puts(q, "list-type=2&prefix=");
	return rc | uri_encode(q, prefix, strlen(prefix), 0);
}

stint_s3_rc stint_s3_list(stint_s3_client *s, const char *prefix, const char *delimiter, stint_s3_listing *out,
			  char *err, size_t errsize)
{
	stint_buf token = STINT_BUF_INIT, q = STINT_BUF_INIT, url = STINT_BUF_INIT;
	answer a;
	stint_s3_rc rc = STINT_S3_ERROR;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	do {
		stint_buf_reset(&q);
		stint_buf_reset(&url);
		stint_buf_reset(&a.body);
		a.max_bytes = LIST_MAX_BYTES;
		if (list_query(&q, token.data != NULL ? token.data : "", delimiter, prefix) != 0 ||
		    object_url(s->conf, NULL, q.data, &url) != 0) {
			snprintf(err, errsize, "out of memory");
			goto out;
		}
		s->counts.list++;
		rc = request(s, url.data, NULL, &a, err, errsize);
		if (rc == STINT_S3_TOO_LARGE)
			snprintf(err, errsize, "S3 at %s sent a listing page over %d bytes", s->conf->endpoint,
				 LIST_MAX_BYTES);
		if (rc != STINT_S3_OK)
			goto fail;
		if (a.status != 200) {
			refused(s, &a, "a listing", err, errsize);
			goto fail;
		}
		if (parse_page(&a, out, &token) != 0) {
			snprintf(err, errsize, "S3 at %s sent a listing that is not a ListBucketResult", s->conf->endpoint);
			goto fail;
		}
	} while (token.len > 0);
	rc = STINT_S3_OK;
	goto out;
fail:
	rc = STINT_S3_ERROR;
out:
	stint_buf_free(&token);
	stint_buf_free(&q);
	stint_buf_free(&url);
	stint_buf_free(&a.body);
	return rc;
}

void stint_s3_listing_free(stint_s3_listing *l)
{
	size_t i;

	for (i = 0; i < l->nobjects; i++) {
		free(l->objects[i].key);
		free(l->objects[i].etag);
	}
	for (i = 0; i < l->nprefixes; i++)
		free(l->prefixes[i]);
	free(l->objects);
	free(l->prefixes);
	memset(l, 0, sizeof(*l));
}

stint_s3_rc stint_s3_get(stint_s3_client *s, const char *key, const char *if_none_match, size_t max_bytes,
			 char **body, size_t *len, char *etag_out, size_t etagsize, char *err, size_t errsize)
{
	stint_buf url = STINT_BUF_INIT;
	answer a;
	stint_s3_rc rc;

	*body = NULL;
	*len = 0;
	if (etag_out != NULL && etagsize > 0)
		etag_out[0] = '\0';
	memset(&a, 0, sizeof(a));
	a.max_bytes = max_bytes;
	if (object_url(s->conf, key, "", &url) != 0) {
		snprintf(err, errsize, "out of memory");
		return STINT_S3_ERROR;
	}
	s->counts.get++;
	rc = request(s, url.data, if_none_match, &a, err, errsize);
	stint_buf_free(&url);
	if (rc == STINT_S3_OK && a.status == 304) {
		s->counts.not_modified++;
		rc = STINT_S3_NOT_MODIFIED;
	} else if (rc == STINT_S3_OK && a.status == 404) {
		char code[64];

		error_code(&a, code, sizeof(code));
		if (strcmp(code, "NoSuchBucket") == 0) {
			refused(s, &a, "a GET", err, errsize);
			rc = STINT_S3_ERROR;
		} else {
			rc = STINT_S3_NOT_FOUND;
		}
	} else if (rc == STINT_S3_OK && a.status != 200) {
		refused(s, &a, "a GET", err, errsize);
		rc = STINT_S3_ERROR;
	} else if (rc == STINT_S3_OK) {
		if (etag_out != NULL)
			snprintf(etag_out, etagsize, "%s", a.etag);
		*len = a.body.len;
		*body = stint_buf_take(&a.body);
		if (*body == NULL) {
			snprintf(err, errsize, "out of memory");
			rc = STINT_S3_ERROR;
		}
	}
	stint_buf_free(&a.body);
	return rc;
}

/* ---- writes: PUT, multipart upload, DELETE ---- */

#define ANSWER_MAX_BYTES (1 << 20)   /* an answer to a write: a small XML document */
#define PARTS_MAX 10000              /* S3's most parts in one multipart upload */

/* A request body: len bytes of file fd from off, or len bytes of mem. */
typedef struct body_src {
	int fd;
	off_t off;
	long long left;
	const char *mem;
} body_src;

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	body_src *b = arg;
	size_t want = size * n;
	ssize_t got;

	if ((long long)want > b->left)
		want = (size_t)b->left;
	if (want == 0)
		return 0;
	if (b->mem != NULL) {
		memcpy(buf, b->mem, want);
		b->mem += want;
		got = (ssize_t)want;
	} else {
		got = pread(b->fd, buf, want, b->off);
		if (got <= 0)  /* the file shrank under us, or an I/O error: never send a short object */
			return CURL_READFUNC_ABORT;
	}
	b->off += got;
	b->left -= got;
	return (size_t)got;
}

/*
 * One signed request with method to url, with body (NULL: none) of
 * content type ctype (NULL: none) whose payload hash is payload (64 hex
 * digits, or UNSIGNED-PAYLOAD). The answer (status, body, ETag) in *a.
 */
static stint_s3_rc send_request(stint_s3_client *s, const char *method, const char *url, const char *ctype,
				body_src *body, const char *payload, answer *a, char *err, size_t errsize)
{
	struct curl_slist *h = NULL, *h2;
	char line[160];
	CURLcode cc;
	CURL *c = s->curl;

	snprintf(line, sizeof(line), "x-amz-content-sha256: %s", payload);
	h2 = curl_slist_append(h, line);
	if (h2 != NULL && ctype != NULL) {
		h = h2;
		snprintf(line, sizeof(line), "Content-Type: %s", ctype);
		h2 = curl_slist_append(h, line);
	}
	if (h2 == NULL) {
		curl_slist_free_all(h);
		snprintf(err, errsize, "out of memory");
		return STINT_S3_ERROR;
	}
	h = h2;
	a->max_bytes = ANSWER_MAX_BYTES;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (strcmp(method, "PUT") == 0) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)(body != NULL ? body->left : 0));
	} else if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body != NULL ? body->left : 0));
	} else {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, body);
	}
	curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, 1000L);
	set_signed(c, s, h, a);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);   /* a stalled transfer fails after 60 s */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	cc = curl_easy_perform(c);
	curl_slist_free_all(h);
	if (cc != CURLE_OK) {
		if (cc == CURLE_ABORTED_BY_CALLBACK || cc == CURLE_READ_ERROR)
			snprintf(err, errsize, "the file could not be read while sending it to S3 at %s", s->conf->endpoint);
		else
			snprintf(err, errsize, "S3 unreachable at %s: %s", s->conf->endpoint, curl_easy_strerror(cc));
		return STINT_S3_ERROR;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	return STINT_S3_OK;
}

/* The text of element name anywhere under the root of an XML answer whose root is root_name, into out; 0 or -1. */
static int answer_field(const answer *a, const char *root_name, const char *name, char *out, size_t size)
{
	xmlDoc *doc;
	xmlNode *root;
	xmlChar *t;
	int rc = -1;

	if (a->body.len == 0)
		return -1;
	doc = xmlReadMemory(a->body.data, (int)a->body.len, "answer.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root != NULL && strcmp((const char *)root->name, root_name) == 0) {
		if (name == NULL) {
			rc = 0;
		} else if ((t = child_text(root, name)) != NULL) {
			if (t[0] != '\0' && strlen((const char *)t) < size) {
				memcpy(out, t, strlen((const char *)t) + 1);
				rc = 0;
			}
			xmlFree(t);
		}
	}
	xmlFreeDoc(doc);
	return rc;
}

/* One request on key with query; 0 when S3 answered a 2xx, else -1 with err. */
static int write_request(stint_s3_client *s, const char *method, const char *key, const char *query,
			 const char *ctype, body_src *body, const char *payload, answer *a, const char *what,
			 char *err, size_t errsize)
{
	stint_buf url = STINT_BUF_INIT;
	stint_s3_rc rc;

	stint_buf_reset(&a->body);
	a->status = 0;
	a->etag[0] = '\0';
	a->too_large = 0;
	if (object_url(s->conf, key, query, &url) != 0) {
		stint_buf_free(&url);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	rc = send_request(s, method, url.data, ctype, body, payload, a, err, errsize);
	stint_buf_free(&url);
	if (rc != STINT_S3_OK)
		return -1;
	if (a->status < 200 || a->status > 299) {
		refused(s, a, what, err, errsize);
		return -1;
	}
	return 0;
}

static int key_ok(const char *key)
{
	return key != NULL && key[0] != '\0' && strlen(key) <= KEY_MAX;
}

/* PUT the len bytes of fd as key in one request. */
static int put_whole(stint_s3_client *s, const char *key, int fd, long long len, const char *ctype, char *err,
		     size_t errsize)
{
	body_src b = { fd, 0, len, NULL };
	answer a;
	int rc;

	memset(&a, 0, sizeof(a));
	s->counts.put++;
	rc = write_request(s, "PUT", key, "", ctype, &b, "UNSIGNED-PAYLOAD", &a, "a PUT", err, errsize);
	stint_buf_free(&a.body);
	return rc;
}

/* AbortMultipartUpload (best effort: S3 expires an abandoned upload by the bucket's lifecycle rule). */
static void abort_upload(stint_s3_client *s, const char *key, const char *qid)
{
	stint_buf q = STINT_BUF_INIT;
	answer a;
	char ignored[256];

	memset(&a, 0, sizeof(a));
	if (stint_buf_printf(&q, "uploadId=%s", qid) == 0) {
		s->counts.abort++;
		write_request(s, "DELETE", key, q.data, NULL, NULL, EMPTY_SHA256, &a, "an AbortMultipartUpload",
			      ignored, sizeof(ignored));
	}
	stint_buf_free(&q);
	stint_buf_free(&a.body);
}

/* The body of CompleteMultipartUpload for the ETags of parts 1..n. */
static int complete_body(stint_buf *xml, char (*etags)[128], long n)
{
	long i;
	int rc = stint_buf_puts(xml, "<CompleteMultipartUpload>");

	for (i = 0; i < n && rc == 0; i++)
		rc = stint_buf_printf(xml, "<Part><PartNumber>%ld</PartNumber><ETag>%s</ETag></Part>", i + 1, etags[i]);
	return rc | stint_buf_puts(xml, "</CompleteMultipartUpload>");
}

/* CreateMultipartUpload, UploadPart x n, CompleteMultipartUpload; AbortMultipartUpload on a failure. */
static int put_multipart(stint_s3_client *s, const char *key, int fd, long long len, long long part_size,
			 const char *ctype, char *err, size_t errsize)
{
	stint_buf q = STINT_BUF_INIT, qid = STINT_BUF_INIT, xml = STINT_BUF_INIT;
	long n = (long)((len + part_size - 1) / part_size), i;
	char (*etags)[128] = NULL, upload_id[512], hash[65];
	unsigned char md[SHA256_DIGEST_LENGTH];
	answer a;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	if (n > PARTS_MAX) {
		snprintf(err, errsize, "media_s3_part_size: %lld bytes make more than %d parts of a %lld-byte file",
			 part_size, PARTS_MAX, len);
		return -1;
	}
	etags = calloc((size_t)n, sizeof(*etags));
	if (etags == NULL) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	s->counts.multipart++;
	if (write_request(s, "POST", key, "uploads=", ctype, NULL, EMPTY_SHA256, &a, "a CreateMultipartUpload", err,
			  errsize) != 0)
		goto out;
	if (answer_field(&a, "InitiateMultipartUploadResult", "UploadId", upload_id, sizeof(upload_id)) != 0) {
		snprintf(err, errsize, "S3 at %s sent no UploadId for a CreateMultipartUpload", s->conf->endpoint);
		goto out;
	}
	if (uri_encode(&qid, upload_id, strlen(upload_id), 0) != 0) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		long long off = (long long)i * part_size;
		body_src b = { fd, (off_t)off, len - off < part_size ? len - off : part_size, NULL };

		stint_buf_reset(&q);
		/* SigV4 signs the query as sent: its names in order (partNumber < uploadId) */
		if (stint_buf_printf(&q, "partNumber=%ld&uploadId=%s", i + 1, qid.data) != 0) {
			snprintf(err, errsize, "out of memory");
			goto abort;
		}
		s->counts.parts++;
		if (write_request(s, "PUT", key, q.data, NULL, &b, "UNSIGNED-PAYLOAD", &a, "an UploadPart", err,
				  errsize) != 0)
			goto abort;
		if (a.etag[0] == '\0') {
			snprintf(err, errsize, "S3 at %s sent no ETag for part %ld", s->conf->endpoint, i + 1);
			goto abort;
		}
		memcpy(etags[i], a.etag, sizeof(etags[i]));
	}
	stint_buf_reset(&q);
	if (complete_body(&xml, etags, n) != 0 || stint_buf_printf(&q, "uploadId=%s", qid.data) != 0) {
		snprintf(err, errsize, "out of memory");
		goto abort;
	}
	SHA256((const unsigned char *)xml.data, xml.len, md);
	to_hex(md, sizeof(md), hash);
	{
		body_src b = { -1, 0, (long long)xml.len, xml.data };

		if (write_request(s, "POST", key, q.data, "application/xml", &b, hash, &a, "a CompleteMultipartUpload",
				  err, errsize) != 0)
			goto abort;
	}
	/* S3 may answer 200 and put an <Error> in the body of a CompleteMultipartUpload */
	if (answer_field(&a, "CompleteMultipartUploadResult", NULL, NULL, 0) != 0) {
		refused(s, &a, "a CompleteMultipartUpload", err, errsize);
		goto abort;
	}
	rc = 0;
	goto out;
abort:
	abort_upload(s, key, qid.data != NULL ? qid.data : "");
out:
	free(etags);
	stint_buf_free(&q);
	stint_buf_free(&qid);
	stint_buf_free(&xml);
	stint_buf_free(&a.body);
	return rc;
}

stint_s3_rc stint_s3_put_file(stint_s3_client *s, const char *key, const char *path, const char *ctype,
			      long long part_size, char *err, size_t errsize)
{
	struct stat st;
	int fd, rc;

	if (errsize > 0)
		err[0] = '\0';
	if (!key_ok(key) || part_size < STINT_S3_PART_MIN) {
		snprintf(err, errsize, "bad key or part size");
		return STINT_S3_ERROR;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "the file to send to S3 cannot be read: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return STINT_S3_ERROR;
	}
	if ((long long)st.st_size <= part_size)
		rc = put_whole(s, key, fd, (long long)st.st_size, ctype, err, errsize);
	else
		rc = put_multipart(s, key, fd, (long long)st.st_size, part_size, ctype, err, errsize);
	close(fd);
	return rc == 0 ? STINT_S3_OK : STINT_S3_ERROR;
}

stint_s3_rc stint_s3_delete(stint_s3_client *s, const char *key, char *err, size_t errsize)
{
	answer a;
	int rc;

	if (!key_ok(key)) {
		snprintf(err, errsize, "bad key");
		return STINT_S3_ERROR;
	}
	memset(&a, 0, sizeof(a));
	s->counts.del++;
	rc = write_request(s, "DELETE", key, "", NULL, NULL, EMPTY_SHA256, &a, "a DELETE", err, errsize);
	stint_buf_free(&a.body);
	return rc == 0 ? STINT_S3_OK : STINT_S3_ERROR;
}

/* GET into a file: the body goes to fd when S3 answers 200, else (an error document) to the answer. */
typedef struct to_file {
	CURL *curl;
	int fd;
	int failed;       /* a write to fd failed */
	answer *a;
} to_file;

static size_t on_file_body(char *data, size_t size, size_t n, void *arg)
{
	to_file *t = arg;
	size_t len = size * n, done = 0;
	long status = 0;

	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200)
		return on_body(data, size, n, t->a);
	while (done < len) {
		ssize_t w = write(t->fd, data + done, len - done);

		if (w <= 0) {
			t->failed = 1;
			return 0;
		}
		done += (size_t)w;
	}
	return len;
}

stint_s3_rc stint_s3_get_file(stint_s3_client *s, const char *key, int fd, char *err, size_t errsize)
{
	stint_buf url = STINT_BUF_INIT;
	struct curl_slist *h = NULL;
	answer a;
	to_file t;
	CURLcode cc;
	CURL *c = s->curl;
	stint_s3_rc rc = STINT_S3_ERROR;

	if (!key_ok(key)) {
		snprintf(err, errsize, "bad key");
		return STINT_S3_ERROR;
	}
	memset(&a, 0, sizeof(a));
	a.max_bytes = ANSWER_MAX_BYTES;
	t.curl = c;
	t.fd = fd;
	t.failed = 0;
	t.a = &a;
	h = curl_slist_append(NULL, "x-amz-content-sha256: " EMPTY_SHA256);
	if (h == NULL || object_url(s->conf, key, "", &url) != 0) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	s->counts.get++;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	set_signed(c, s, h, &a);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_file_body);  /* the body into the file, not the answer */
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	cc = curl_easy_perform(c);
	if (t.failed) {
		snprintf(err, errsize, "the object could not be written to its local file: %s", strerror(errno));
		goto out;
	}
	if (cc != CURLE_OK) {
		snprintf(err, errsize, "S3 unreachable at %s: %s", s->conf->endpoint, curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
	if (a.status == 404) {
		snprintf(err, errsize, "S3 at %s has no object %s", s->conf->endpoint, key);
		rc = STINT_S3_NOT_FOUND;
	} else if (a.status != 200) {
		refused(s, &a, "a GET", err, errsize);
	} else {
		rc = STINT_S3_OK;
	}
out:
	curl_slist_free_all(h);
	stint_buf_free(&url);
	stint_buf_free(&a.body);
	return rc;
}
