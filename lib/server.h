/*
 * server.h: the FastCGI handler program every cgi-bin/<resource>.c runs.
 *
 * stint_server_main() opens the unix socket, forks a pool of
 * single-threaded workers (prefork: no thread is ever stuck in
 * FCGX_Accept_r at shutdown, and a kept connection cannot stall another
 * thread) and restarts any worker that dies, so one bad request never takes
 * a resource down. Each worker holds one database connection and answers
 * requests through the dispatcher: route lookup (404/405), body type (415),
 * body size (413), body parsing (400), access (401/403), then the handler.
 */
#ifndef STINT_SERVER_H
#define STINT_SERVER_H

#include <stddef.h>

#include "route.h"

typedef struct stint_app {
	const char *name;                 /* "sessions": logs and settings */
	const stint_route *routes;
	size_t nroutes;
	/* Optional: runs once in each worker before its first request; 0 = ok. */
	int (*worker_init)(void);
	/* Optional: writes an HTML error page (status, message) for HTML routes. */
	void (*html_error)(stint_req *req, int status, const char *message);
} stint_app;

/*
 * Run app: `PROGRAM --socket PATH [--workers N]`. Settings: database_url,
 * max_body_bytes (default 1 MiB). Returns the process exit status.
 */
int stint_server_main(int argc, char **argv, const stint_app *app);

/*
 * Answer an error in the route's format: JSON (ARCHITECTURE.md's error
 * object) or the app's HTML error page. fields as stint_resp_error().
 */
void stint_fail(stint_req *req, int status, const char *code, const char *message,
		const cJSON *fields);

/* 422 invalid_fields with errors (an object field -> problem; consumed). */
void stint_fail_fields(stint_req *req, cJSON *errors);

/* 422 invalid_fields naming one field and its problem. */
void stint_fail_field(stint_req *req, const char *field, const char *problem);

/*
 * Answer a database failure: 503 with Retry-After while the database is
 * unavailable, 409 on a conflict, 422 on data the database refused, else
 * 500. rc is a stint_db_rc other than STINT_DB_OK.
 */
void stint_fail_db(stint_req *req, int rc);

#endif
