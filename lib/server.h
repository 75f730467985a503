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
	/*
	 * Optional: writes an HTML error page (status, message) for HTML
	 * routes; the dispatcher hands it to stint_fail on each request.
	 */
	void (*html_error)(stint_req *req, int status, const char *message);
} stint_app;

/*
 * Run app: `PROGRAM --socket PATH [--workers N]`. Settings: database_url,
 * max_body_bytes (default 1 MiB). Returns the process exit status.
 */
int stint_server_main(int argc, char **argv, const stint_app *app);

#endif
