/*
 * fuzz_http.c: libFuzzer target for what a request line and its headers
 * carry (lib/http.c, lib/route.c, lib/csrf.c and the query and form rules of
 * lib/sessions.c and lib/validate.c).
 *
 * The first byte picks the parser, the rest is its input; every byte value
 * picks one, so mutations move between them:
 *   byte & 3 == 0 ('p'): a path (DOCUMENT_URI) against every route pattern
 *                        the handlers declare;
 *   byte & 3 == 1 ('q'): a query string, then the session list's parameters
 *                        (stint_session_query_parse);
 *   byte & 3 == 2 ('f'): a urlencoded form body, then the CSRF check and the
 *                        session form (stint_form_to_json, stint_session_validate),
 *                        as POST /sessions does;
 *   byte & 3 == 3 ('c'): a Cookie header, then the CSRF checks against a form
 *                        field and an X-CSRF-Token header that repeat the
 *                        cookie's token: never valid, since a token must be
 *                        signed with the server's secret (lib/csrf.h).
 * Values FastCGI hands over as C strings (path, cookie) stop at the first
 * NUL, as they do in the server. Broken invariants abort().
 *
 * Built and run by tests/fuzz/run.sh; seeds are written by that script.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "csrf.h"
#include "http.h"
#include "route.h"
#include "sessions.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The patterns of the route tables in cgi-bin/, then one with as many
 * captures as STINT_ROUTE_PARAMS allows and one with more. */
static const char *const patterns[] = {
	"/",
	"/account",
	"/account/tokens",
	"/account/tokens/:id/revoke",
	"/api/v1/imports",
	"/api/v1/sessions",
	"/api/v1/sessions/:uuid",
	"/api/v1/sessions/:uuid/artifacts",
	"/api/v1/sessions/:uuid/artifacts/:id",
	"/api/v1/sessions/:uuid/artifacts/upload",
	"/api/v1/sessions/:uuid/clips",
	"/api/v1/sessions/:uuid/clips/:id",
	"/api/v1/sessions/:uuid/clips/upload",
	"/api/v1/sessions/:uuid/events",
	"/api/v1/sessions/:uuid/events/:id",
	"/api/v1/sessions/:uuid/export/events.csv",
	"/api/v1/sessions/:uuid/export/rollup.csv",
	"/api/v1/sessions/:uuid/import/events.csv",
	"/api/v1/sessions/:uuid/live",
	"/api/v1/sessions/:uuid/restore",
	"/api/v1/sessions/:uuid/rollup",
	"/api/v1/sessions/:uuid/rollup/rebuild",
	"/api/v1/sessions/:uuid/shares",
	"/api/v1/sessions/:uuid/shares/:id",
	"/api/v1/sessions/:uuid/timeline",
	"/api/v1/tokens",
	"/api/v1/tokens/:id",
	"/healthz",
	"/live/sessions/:uuid",
	"/login",
	"/logout",
	"/media/sessions/:uuid/artifacts/:id",
	"/media/sessions/:uuid/clips/:id",
	"/readyz",
	"/sessions",
	"/sessions/:uuid",
	"/sessions/:uuid/board",
	"/sessions/:uuid/clips/:id",
	"/sessions/:uuid/delete",
	"/sessions/:uuid/events",
	"/sessions/:uuid/events/:id",
	"/sessions/:uuid/events/:id/delete",
	"/sessions/:uuid/live",
	"/sessions/:uuid/restore",
	"/sessions/:uuid/stats",
	"/sessions/import",
	"/:id/:uuid/:id/:uuid",
	"/:id/:id/:id/:id/:id",
};

#define NPATTERNS (sizeof(patterns) / sizeof(patterns[0]))

/* n bytes of s as a heap C string (read up to the first NUL, if any). */
static char *cstring(const uint8_t *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Every pair of a parsed list has a key and a value, and lookups find it. */
static void check_list(const stint_kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->items[i].key == NULL || l->items[i].value == NULL ||
		    stint_kv_get(l, l->items[i].key) == NULL)
			abort();
	}
}

/*
 * After a match of pattern: each capture is a whole, non-empty path segment;
 * a ":uuid" capture is a UUID in lower case, an ":id" capture 1 to 18 digits.
 */
static void check_captures(const char *pattern, const char *const *params)
{
	const char *seg;
	size_t n;
	int k = 0;

	for (seg = strchr(pattern, ':'); seg != NULL; seg = strchr(seg + 1, ':'), k++) {
		n = strcspn(seg, "/");
		if (params[k] == NULL || *params[k] == '\0' || strlen(params[k]) > 64 ||
		    strchr(params[k], '/') != NULL)
			abort();
		if (n == 5 && strncmp(seg, ":uuid", 5) == 0 &&
		    (!stint_is_uuid(params[k]) || strpbrk(params[k], "ABCDEF") != NULL))
			abort();
		if (n == 3 && strncmp(seg, ":id", 3) == 0 &&
		    (strlen(params[k]) > 18 || strspn(params[k], "0123456789") != strlen(params[k])))
			abort();
	}
}

static void fuzz_path(stint_arena *a, const uint8_t *data, size_t size)
{
	char *path = cstring(data, size);
	const char *params[STINT_ROUTE_PARAMS];
	size_t i;
	int m;

	for (i = 0; i < NPATTERNS; i++) {
		memset(params, 0, sizeof(params));
		m = stint_route_match(a, patterns[i], path, params);
		if (m < 0)
			abort();
		if (m == 1)
			check_captures(patterns[i], params);
	}
	free(path);
}

static void fuzz_query(stint_arena *a, const uint8_t *data, size_t size)
{
	stint_kvlist query = { NULL, 0, 0 };
	stint_session_query q;
	cJSON *errors = NULL;
	int n;

	if (stint_parse_urlencoded(a, (const char *)data, size, &query) != 0)
		abort();
	check_list(&query);
	n = stint_session_query_parse(&query, &q, &errors);
	if ((n > 0) != (errors != NULL) || q.limit < 1 || q.limit > 1000 ||
	    q.offset < 0)
		abort();
	cJSON_Delete(errors);
}

static void fuzz_form(stint_arena *a, const uint8_t *data, size_t size)
{
	stint_req r;
	cJSON *body, *errors = NULL;
	int n;

	memset(&r, 0, sizeof(r));
	if (stint_parse_urlencoded(a, (const char *)data, size, &r.form) != 0)
		abort();
	check_list(&r.form);
	if (stint_csrf_valid(&r) != 0)  /* no cookie: never valid */
		abort();
	body = stint_form_to_json(&r.form, stint_session_fields, stint_session_nfields);
	if (body == NULL)
		abort();
	n = stint_session_validate(body, 0, &errors);
	if (n < 0 || (n > 0) != (errors != NULL))
		abort();
	cJSON_Delete(errors);
	cJSON_Delete(body);
}

static void fuzz_cookie(stint_arena *a, const uint8_t *data, size_t size)
{
	char *header = cstring(data, size), env_token[256];
	char *envp[] = { env_token, NULL };
	const char *token;
	FCGX_Request fcgx;
	stint_kv form_item;
	stint_req r;
	size_t i;
	int valid;

	memset(&r, 0, sizeof(r));
	if (stint_parse_cookies(a, header, &r.cookies) != 0)
		abort();
	check_list(&r.cookies);
	for (i = 0; i < r.cookies.n; i++)
		if (strchr(r.cookies.items[i].key, ';') != NULL ||
		    strchr(r.cookies.items[i].value, ';') != NULL)
			abort();
	token = stint_kv_get(&r.cookies, "stint_csrf");
	if (token != NULL && strlen(token) < sizeof(env_token) - 18) {
		valid = 0;  /* a forged signature: the fuzzer does not know the secret */
		form_item.key = "csrf";
		form_item.value = token;
		r.form.items = &form_item;
		r.form.n = r.form.cap = 1;
		snprintf(env_token, sizeof(env_token), "HTTP_X_CSRF_TOKEN=%s", token);
		memset(&fcgx, 0, sizeof(fcgx));
		fcgx.envp = envp;
		r.fcgx = &fcgx;
		if (stint_csrf_valid(&r) != valid || stint_csrf_header_valid(&r) != valid)
			abort();
	}
	free(header);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int csrf_ready;
	stint_arena arena = STINT_ARENA_INIT;

	if (!csrf_ready) {  /* the checks then compute real signatures */
		setenv("STINT_CSRF_SECRET", "fuzz-secret-fuzz-secret-fuzz-secret-0123", 1);
		if (stint_csrf_init() != 0)
			abort();
		csrf_ready = 1;
	}

	if (size == 0)
		return 0;
	switch (data[0] & 3) {
	case 0:
		fuzz_path(&arena, data + 1, size - 1);
		break;
	case 1:
		fuzz_query(&arena, data + 1, size - 1);
		break;
	case 2:
		fuzz_form(&arena, data + 1, size - 1);
		break;
	default:
		fuzz_cookie(&arena, data + 1, size - 1);
		break;
	}
	stint_arena_free(&arena);
	return 0;
}
