/*
 * s3.h: the recorder bucket on S3 or MinIO (issue 13; docs/recorder.md).
 *
 * The settings (stint_s3_conf_load), presigned GET URLs for browsers
 * (stint_s3_presign_get: AWS Signature Version 4 query authentication,
 * signed for the public endpoint), and a small client for the sync
 * (stint_s3_client_*: ListObjectsV2 with paging, GET with If-None-Match),
 * which signs its requests with libcurl's CURLOPT_AWS_SIGV4.
 *
 * The secret key lives only in stint_s3_conf.secret_key: it is never
 * logged, shown, returned or put in an error message. Wipe it with
 * stint_s3_conf_clear() when done.
 */
#ifndef STINT_S3_H
#define STINT_S3_H

#include <stddef.h>
#include <time.h>

#define STINT_S3_URL_MAX 512          /* an endpoint URL and its NUL */
#define STINT_S3_PRESIGN_MAX_S 604800 /* 7 days: SigV4's longest X-Amz-Expires */

/*
 * The settings (conf/stint.conf.example, "S3"), each overridden by
 * STINT_<KEY>: s3_enabled, s3_endpoint, s3_public_endpoint, s3_region,
 * s3_bucket, s3_access_key, s3_secret_key or s3_secret_key_file,
 * s3_path_style, s3_autolink_tolerance_min, s3_presign_expiry_s.
 */
typedef struct stint_s3_conf {
	int enabled;                            /* 0: no bucket; the rest is empty */
	char endpoint[STINT_S3_URL_MAX];        /* "http[s]://host[:port]", what Stint reaches */
	char public_endpoint[STINT_S3_URL_MAX]; /* what browsers reach (default: endpoint) */
	char region[64];                        /* e.g. "us-east-1" (the default) */
	char bucket[64];                        /* 3..63 of [a-z0-9.-] */
	char access_key[128];
	char secret_key[256];                   /* never logged, shown or returned */
	int path_style;                         /* 1: HOST/BUCKET/KEY (default); 0: BUCKET.HOST/KEY */
	long autolink_tolerance_min;            /* 0..1440, default 5 */
	long presign_expiry_s;                  /* 1..604800, default 3600 */
} stint_s3_conf;

/*
 * Fill *c from the settings. When s3_enabled is not "yes"/"true"/"1", *c
 * is zeroed (enabled 0) and 0 is returned. Otherwise every value is checked:
 * -1 with a message in err (errsize bytes) naming the setting (e.g.
 * "s3_bucket: ..."), never quoting the secret. The secret comes from
 * s3_secret_key, else from the first line of the file s3_secret_key_file.
 */
int stint_s3_conf_load(stint_s3_conf *c, char *err, size_t errsize);

/*
 * As stint_s3_conf_load(), whatever s3_enabled says (the media bucket,
 * lib/store.h, uses the same endpoint and keys without the recorder).
 */
int stint_s3_conf_load_any(stint_s3_conf *c, char *err, size_t errsize);

/* Wipe *c (the secret with OPENSSL_cleanse). */
void stint_s3_conf_clear(stint_s3_conf *c);

/*
 * A presigned GET URL for object key (a bucket key as stored, UTF-8, 1..1024
 * bytes) into url (urlsize bytes), signed at time now (seconds since the
 * epoch, UTC) for expires_s seconds (1..604800) for the public endpoint's
 * host, path-style or virtual-host style as c->path_style says.
 * download_name (NULL: none) adds response-content-disposition
 * "attachment; filename=\"NAME\"" with every byte of download_name but
 * A-Z a-z 0-9 space . _ - replaced by '_', so the browser saves a readable
 * name (plain ASCII: see disposition() in s3.c for why not RFC 5987).
 *
 * Algorithm: AWS "Authenticating Requests: Using Query Parameters (AWS
 * Signature Version 4)": canonical request with UNSIGNED-PAYLOAD and the
 * signed header host, string to sign, signing key by HMAC-SHA256 chained
 * over date, region, "s3", "aws4_request". Returns 0, or -1 on a bad
 * argument or a URL longer than urlsize (url is then "").
 */
int stint_s3_presign_get(const stint_s3_conf *c, const char *key, long expires_s, const char *download_name,
			 time_t now, char *url, size_t urlsize);

/*
 * As stint_s3_presign_get(), for method GET (head 0) or HEAD (head 1),
 * signed for the endpoint Stint itself reaches (c->endpoint, not the public
 * one), with no download name: what nginx's internal /_s3/ location sends
 * to S3 after a handler checked access (lib/store.h, docs/storage.md).
 */
int stint_s3_presign_internal(const stint_s3_conf *c, int head, const char *key, long expires_s, time_t now,
			      char *url, size_t urlsize);

/* ---- the client (the sync's requests, the media bucket's writes) ---- */

/* One connection to the bucket (a libcurl handle kept alive) and its counts. */
typedef struct stint_s3_client stint_s3_client;

/* Requests made by a client so far, by kind. */
typedef struct stint_s3_counts {
	long list;           /* ListObjectsV2 pages */
	long get;            /* GETs, whatever they answered */
	long not_modified;   /* GETs answered 304 (If-None-Match) */
	long put;            /* single PUTs of a whole object */
	long multipart;      /* CreateMultipartUploads */
	long parts;          /* UploadParts */
	long abort;          /* AbortMultipartUploads */
	long del;            /* DELETEs of an object */
} stint_s3_counts;

/* One object of a listing: its key, ETag (with its quotes, as S3 gives it) and size in bytes. */
typedef struct stint_s3_object {
	char *key;
	char *etag;
	long long size;
} stint_s3_object;

/* A whole listing (every page): objects and, with a delimiter, common prefixes. */
typedef struct stint_s3_listing {
	stint_s3_object *objects;
	size_t nobjects, capobjects;
	char **prefixes;
	size_t nprefixes, capprefixes;
} stint_s3_listing;

typedef enum {
	STINT_S3_OK = 0,
	STINT_S3_NOT_MODIFIED,   /* GET with If-None-Match: 304 */
	STINT_S3_NOT_FOUND,      /* GET: no such key (404 NoSuchKey) */
	STINT_S3_TOO_LARGE,      /* GET: the object is larger than the limit */
	STINT_S3_ERROR           /* unreachable, refused, or a bad answer: see err */
} stint_s3_rc;

/*
 * A client for the bucket of c (which must stay valid and unchanged while
 * the client lives). NULL when memory or libcurl fails. Free with
 * stint_s3_client_free().
 */
stint_s3_client *stint_s3_client_new(const stint_s3_conf *c);

void stint_s3_client_free(stint_s3_client *s);

/* The requests s has made so far. */
stint_s3_counts stint_s3_client_counts(const stint_s3_client *s);

/*
 * Every object under prefix (may be "") into *out (zeroed first; free with
 * stint_s3_listing_free() whatever is returned), following continuation
 * tokens page after page (1,000 keys a page). delimiter (NULL: none, e.g.
 * "/") groups keys into out->prefixes as ListObjectsV2 does. STINT_S3_OK,
 * or STINT_S3_ERROR with a message in err (errsize bytes) that names the
 * endpoint when it is unreachable ("S3 unreachable at ENDPOINT: ...") and
 * the setting to check when S3 refuses the credentials (s3_access_key,
 * s3_secret_key, s3_bucket). Messages never hold the secret.
 */
stint_s3_rc stint_s3_list(stint_s3_client *s, const char *prefix, const char *delimiter, stint_s3_listing *out,
			  char *err, size_t errsize);

void stint_s3_listing_free(stint_s3_listing *l);

/*
 * GET object key. if_none_match (NULL: none) is an ETag: when the object's
 * is the same, STINT_S3_NOT_MODIFIED (304) and no body. Otherwise *body
 * (caller frees; NUL-terminated, *len bytes before the NUL) and, when
 * etag_out is not NULL, the answer's ETag (with its quotes) in etag_out
 * (etagsize bytes; "" when none). Objects over max_bytes give
 * STINT_S3_TOO_LARGE; a missing key STINT_S3_NOT_FOUND; the rest as
 * stint_s3_list().
 */
stint_s3_rc stint_s3_get(stint_s3_client *s, const char *key, const char *if_none_match, size_t max_bytes,
			 char **body, size_t *len, char *etag_out, size_t etagsize, char *err, size_t errsize);

/* S3's smallest part of a multipart upload but the last: 5 MiB. */
#define STINT_S3_PART_MIN (5LL * 1024 * 1024)

/*
 * Store the regular file path as object key (1..1024 bytes) with Content-Type
 * ctype (NULL: none), streaming it from the file (never whole in memory):
 * one PUT when it is at most part_size bytes, else a multipart upload
 * (CreateMultipartUpload, UploadPart of part_size bytes each (>=
 * STINT_S3_PART_MIN; at most 10,000 parts), CompleteMultipartUpload;
 * AbortMultipartUpload when any step fails, so no parts are left behind).
 * Bodies are sent as UNSIGNED-PAYLOAD (their SigV4 signature covers the
 * headers, not the bytes; use https beyond loopback). STINT_S3_OK, or
 * STINT_S3_ERROR with a message in err as stint_s3_list() words it.
 */
stint_s3_rc stint_s3_put_file(stint_s3_client *s, const char *key, const char *path, const char *ctype,
			      long long part_size, char *err, size_t errsize);

/*
 * GET object key into the open file fd (written from its current offset as
 * the bytes arrive, never whole in memory). STINT_S3_OK; STINT_S3_NOT_FOUND
 * for no such key; else STINT_S3_ERROR with err as stint_s3_list() words it
 * (fd may then hold part of the object).
 */
stint_s3_rc stint_s3_get_file(stint_s3_client *s, const char *key, int fd, char *err, size_t errsize);

/* DELETE object key (S3 answers 204 for a key that is not there too). As stint_s3_put_file(). */
stint_s3_rc stint_s3_delete(stint_s3_client *s, const char *key, char *err, size_t errsize);

#endif
