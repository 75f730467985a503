/*
 * http.h: one FastCGI request and its response.
 *
 * A stint_req lives for one request: stint_req_begin() after FCGX_Accept_r,
 * stint_req_end() before FCGX_Finish_r. Strings it hands out live in its
 * arena and die with the request. The response is written once, by
 * stint_resp_send() (or the helpers built on it), which adds the fixed
 * security headers (STYLE.md habit 6) and refuses CR/LF in header values.
 */
#ifndef STINT_HTTP_H
#define STINT_HTTP_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <fcgiapp.h>

#include "arena.h"
#include "buf.h"
#include "db.h"

struct stint_route;
struct stint_tx;

/* One name/value pair of a query string, form body or cookie header. */
typedef struct stint_kv {
	const char *key, *value;
} stint_kv;

typedef struct stint_kvlist {
	stint_kv *items;
	size_t n, cap;
} stint_kvlist;

#define STINT_ROUTE_PARAMS 4

/* Who is calling: set by the dispatcher's access check (lib/auth.c). */
typedef struct stint_principal {
	long long id;             /* users.id, 0 when nobody is signed in */
	char id_text[24];         /* the same as text, for statement parameters */
	const char *role;         /* "admin", "coach", "analyst", "viewer" */
	const char *email;
	const char *name;
	int via_token;            /* 1: API token; 0: browser login */
	char login_id[24];        /* the browser login's web_sessions.id, "" for a token */
	int can_write;            /* 0 for read-scope tokens */
	int grant_known;          /* grant was looked up with the token (one round trip) */
	const char *grant;        /* then: "edit", "view", "none" or NULL (no such session) */
} stint_principal;

typedef struct stint_req {
	FCGX_Request *fcgx;
	stint_arena arena;
	const char *method;       /* "GET", ... (HEAD is answered as GET without body) */
	const char *path;         /* decoded, normalised by nginx ($document_uri) */
	stint_kvlist query;       /* decoded query parameters, in order */
	stint_kvlist form;        /* decoded urlencoded body, when the route takes one */
	stint_kvlist cookies;
	const char *params[STINT_ROUTE_PARAMS]; /* route pattern captures */
	stint_buf body;           /* raw request body (read by the dispatcher) */
	cJSON *json;              /* parsed JSON body or NULL; freed by stint_req_end */
	char request_id[17];      /* 16 hex digits, also sent as X-Request-Id */
	struct timespec started;
	const struct stint_route *route;
	/* The program's HTML error page (stint_fail on HTML routes); set by the dispatcher. */
	void (*html_error)(struct stint_req *req, int status, const char *message);
	struct stint_db *db;
	stint_principal user;
	int is_head;
	int status;               /* status sent, 0 until then */
	size_t bytes_out;         /* body bytes sent */
	stint_buf headers;        /* extra header lines queued before sending */
	stint_buf out;            /* scratch for building response bodies */
} stint_req;

/*
 * Start request r over the accepted FastCGI request f: copies method and
 * path, parses query string and cookies. Returns 0, or -1 on out of memory.
 */
int stint_req_begin(stint_req *r, FCGX_Request *f, struct stint_db *db);

/*
 * A module's write of the one row named id (stint_session_archive,
 * stint_session_restore) in tx; *found is 0 when there is no such row.
 */
typedef stint_db_rc stint_row_write(struct stint_tx *tx, const char *id, int *found);

/*
 * Run write on id as r's user in one audited write (tx.h: BEGIN, the
 * write, COMMIT or ROLLBACK); *found as write sets it. Returns the write's
 * result, as stint_tx_end().
 */
stint_db_rc stint_req_write(stint_req *r, stint_row_write *write, const char *id, int *found);

/* Release everything request r holds (memory is kept for the next one). */
void stint_req_end(stint_req *r);

/* Free the buffers kept between requests (at worker exit). */
void stint_req_free(stint_req *r);

/* The CGI parameter name (e.g. "HTTP_IDEMPOTENCY_KEY"), or NULL. */
const char *stint_req_env(const stint_req *r, const char *name);

/*
 * Whether cookies set on this request carry Secure (the session's and the
 * CSRF token's): the request came over TLS (nginx's HTTPS=on) or the setting
 * public_base_url starts with https: (TLS ended before nginx). 1 or 0.
 */
int stint_req_https(const stint_req *r);

/* Append key/value (kept as given: arena strings) to l; 0 or -1. */
int stint_kv_add(stint_arena *a, stint_kvlist *l, const char *k, const char *v);

/* First value of key in list l, or NULL. */
const char *stint_kv_get(const stint_kvlist *l, const char *key);

/*
 * Read the body into r->body, at most max bytes. Returns 0, or 413 when the
 * body is larger, or -1 on a read error or out of memory.
 */
int stint_req_read_body(stint_req *r, size_t max);

/*
 * Read the next bytes of a streamed body (a route with body STREAM: nginx
 * passes it on as it arrives) into buf, at most n (n <= INT_MAX). Returns
 * the number read (blocking until some arrive), 0 at the end of the body, or
 * -1 when it broke off (the client went away and nginx closed the
 * connection: libfcgi's stream error).
 */
long stint_req_read(stint_req *r, char *buf, size_t n);

/*
 * Parse application/x-www-form-urlencoded text s (n bytes) into l, with
 * '+' as space and %XX decoded; keys and values are arena copies. A bad
 * %-escape is kept literally. Returns 0 or -1 on out of memory.
 */
int stint_parse_urlencoded(stint_arena *a, const char *s, size_t n, stint_kvlist *l);

/*
 * Parse a Cookie header value ("a=1; b=2") into l. Returns 0 or -1.
 */
int stint_parse_cookies(stint_arena *a, const char *s, stint_kvlist *l);

/*
 * Queue one response header. Returns 0, or -1 when name or value holds CR
 * or LF (nothing is queued) or the response has already started.
 */
int stint_resp_header(stint_req *r, const char *name, const char *value);

/*
 * Let the pages load images and media (<img>, <audio>) from origin, e.g.
 * the recorder bucket's public endpoint "http://127.0.0.1:9000", besides
 * their own: the Content-Security-Policy's img-src and media-src name it.
 * Call once at program start. Returns 0, or -1 when origin is not
 * "http[s]://host[:port]" (nothing changes).
 */
int stint_http_allow_media_origin(const char *origin);

/*
 * Send the whole response: status line, security headers, queued headers,
 * Content-Type (ctype may be NULL for no body), Content-Length and body.
 * Returns 0, or -1 when the response was already sent or the write failed.
 */
int stint_resp_send(stint_req *r, int status, const char *ctype,
		    const char *body, size_t len);

/* Send json (not consumed) unformatted with application/json. */
int stint_resp_json(stint_req *r, int status, const cJSON *json);

/* Send the JSON text body (len bytes) with application/json. */
int stint_resp_json_text(stint_req *r, int status, const char *body, size_t len);

/*
 * Send the error format of ARCHITECTURE.md:
 * {"error":{"code":code,"message":message,"fields":fields}}; fields is an
 * object of field name -> problem, or NULL (not consumed).
 */
int stint_resp_error(stint_req *r, int status, const char *code,
		     const char *message, const cJSON *fields);

/* 303 See Other to location (a path on this site). */
int stint_resp_redirect(stint_req *r, const char *location);

/* The reason phrase of an HTTP status ("Not Found"), "Unknown" if unlisted. */
const char *stint_status_text(int status);

#endif
