/*
 * route.h: the route table every handler program builds from the manifest,
 * lib/routes.def (STYLE.md habit 2), and the access levels the dispatcher
 * enforces for every route.
 */
#ifndef STINT_ROUTE_H
#define STINT_ROUTE_H

#include <stddef.h>

#include "http.h"
#include "sql.h"

/* Who may call a route; checked centrally before the handler runs. */
typedef enum stint_access {
	STINT_ACCESS_PUBLIC,          /* anyone, signed in or not */
	STINT_ACCESS_SIGNED_IN,       /* any signed-in user or token */
	STINT_ACCESS_AUTHOR,          /* may create sessions: admin, coach, analyst */
	STINT_ACCESS_SESSION_VIEWER,  /* may read the session named by params[0] */
	STINT_ACCESS_SESSION_EDITOR,  /* may change that session */
	STINT_ACCESS_DELETED_SESSION_EDITOR, /* could change that session, now deleted (restore) */
	STINT_ACCESS_ADMIN,
	STINT_ACCESS_COACH,           /* may change team settings: admin, coach */
	STINT_ACCESS_METRICS          /* ADMIN, or a request with no credential at all (no
					 Authorization, no login cookie) whose peer, nginx's
					 $remote_addr (REMOTE_ADDR), is loopback: /metrics */
} stint_access;

/* What body a route accepts; anything else is 415 before the handler runs. */
typedef enum stint_body {
	STINT_BODY_NONE,
	STINT_BODY_JSON,      /* application/json, parsed into req->json */
	STINT_BODY_FORM,      /* application/x-www-form-urlencoded, into req->form */
	STINT_BODY_CSV,       /* text/csv, raw in req->body */
	STINT_BODY_RAW,       /* any content type (a file), raw in req->body */
	STINT_BODY_FILE,      /* an upload nginx wrote to a file: its name in
				 REQUEST_BODY_FILE, nothing in req->body */
	STINT_BODY_STREAM,    /* any content type, not read before the handler:
				 nginx passes it on as it arrives (request
				 buffering off) and the handler reads it with
				 stint_req_read(), up to max_body; what it
				 leaves unread (a refusal) is read and dropped,
				 up to 64 MiB, before the answer leaves
				 (lib/server.c drain_stream) */
	STINT_BODY_HTMX       /* urlencoded as FORM, sent by HTMX (hx-post, hx-vals): its CSRF
				 check is the header HX-Request and an Origin (or Referer) of
				 Stint's own, not the form token (csrf.h's stint_csrf_htmx_valid) */
} stint_body;

/*
 * The response format of a route: decides how errors are written. A
 * FRAGMENT is HTML without the layout (an HTMX fragment: a page template
 * rendered with only its content block, lib/view.h).
 */
typedef enum stint_format { STINT_FORMAT_JSON, STINT_FORMAT_HTML, STINT_FORMAT_FRAGMENT } stint_format;

/*
 * A handler sends exactly one response through the http.h writers. If it
 * returns without sending one, the dispatcher answers 500.
 */
typedef void (*stint_handler)(stint_req *req);

typedef struct stint_route {
	const char *method;     /* "GET", "POST", "PATCH", "DELETE" */
	const char *pattern;    /* literal segments and ":uuid" captures, e.g.
				   "/api/v1/sessions/:uuid/restore" */
	stint_access access;
	stint_body body;
	stint_format format;
	stint_handler fn;
	size_t max_body;        /* bytes; 0: the setting max_body_bytes (1 MiB) */
	int prefetch;           /* STINT_PREFETCH(statement) or 0: see below */
} stint_route;

#define STINT_MIB ((size_t)1 << 20)

/*
 * A GET route whose handler reads with a statement taking exactly the
 * route's params, in order, names it here: the dispatcher sends it in the
 * same round trip as the caller's access check (stint_db_prefetch), and the
 * handler's own stint_db_exec of it, before any BEGIN, gets that result.
 * The statement must change nothing and stay small: it runs before the
 * caller is known (for any request that names a token or login cookie).
 */
#define STINT_PREFETCH(statement) (1 + (int)STINT_SQL_##statement)
#define STINT_SQL_NONE (-1)     /* STINT_PREFETCH(NONE): no prefetch (0) */

/*
 * A program's route table is its lines of the manifest: the program names
 * itself and includes lib/program.h, which includes the manifest inside its
 * table (and writes main):
 *
 *	#define STINT_PROGRAM_NAME "health"
 *	#define STINT_ROUTES_OF_health STINT_MINE
 *	#include "program.h"
 *
 * A line STINT_ROUTE(health, ...) becomes { "GET", "/healthz", ... }; the
 * lines of other programs (whose STINT_ROUTES_OF_<name> is not defined)
 * become nothing. How: STINT_ROUTE_MINE(prog) takes the second of the
 * tokens STINT_ROUTES_OF_<prog>, 0: "1" when that names STINT_MINE ("~, 1"),
 * else "0"; STINT_ROUTE_IF_1 keeps an entry, STINT_ROUTE_IF_0 drops it.
 */
#define STINT_MINE ~, 1
#define STINT_ROUTE_SECOND(a, b, ...) b
#define STINT_ROUTE_SECOND_OF(...) STINT_ROUTE_SECOND(__VA_ARGS__, 0, ~)
#define STINT_ROUTE_MINE(prog) STINT_ROUTE_SECOND_OF(STINT_ROUTES_OF_##prog)
#define STINT_ROUTE_IF(cond, ...) STINT_ROUTE_IF_(cond, __VA_ARGS__)
#define STINT_ROUTE_IF_(cond, ...) STINT_ROUTE_IF_##cond(__VA_ARGS__)
#define STINT_ROUTE_IF_1(...) __VA_ARGS__,
#define STINT_ROUTE_IF_0(...)
#define STINT_ROUTE_ENTRY(prog, m, p, a, b, f, fn, max, pre) \
	STINT_ROUTE_IF(STINT_ROUTE_MINE(prog), { #m, p, STINT_ACCESS_##a, STINT_BODY_##b, \
		       STINT_FORMAT_##f, fn, max, STINT_PREFETCH(pre) })

/*
 * Match path against pattern, storing captures in params (at most
 * STINT_ROUTE_PARAMS; they point into path copies made in arena a).
 * ":uuid" matches a canonical UUID only (captured in lower case); ":id" a
 * row id, 1 to 18 digits. Returns 1 on a match, 0 otherwise, -1 on out of
 * memory.
 */
int stint_route_match(stint_arena *a, const char *pattern, const char *path,
		      const char **params);

#endif
