/* server.c: prefork pool and request dispatcher (see server.h). */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "csrf.h"
#include "db.h"
#include "fail.h"
#include "log.h"
#include "metrics.h"
#include "store.h"

#define MAX_WORKERS 64

static const stint_app *server_app;
static volatile sig_atomic_t server_stop;
static volatile sig_atomic_t worker_busy;

static void on_term(int sig)
{
	(void)sig;
	server_stop = 1;
}

static void on_worker_term(int sig)
{
	(void)sig;
	if (!worker_busy)
		_exit(0);
	server_stop = 1;
}

static int content_type_is(const stint_req *r, const char *want)
{
	const char *ct = stint_req_env(r, "CONTENT_TYPE");
	size_t n = strlen(want);

	return ct != NULL && strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Find the route for r; answers 404/405 itself and returns NULL then. */
static const stint_route *find_route(stint_req *r)
{
	const stint_route *rt;
	const char *params[STINT_ROUTE_PARAMS];
	stint_buf allow = STINT_BUF_INIT;
	size_t i;
	int m;

	for (i = 0; i < server_app->nroutes; i++) {
		rt = &server_app->routes[i];
		memset(params, 0, sizeof(params));
		m = stint_route_match(&r->arena, rt->pattern, r->path, params);
		if (m <= 0)
			continue;
		if (strcmp(rt->method, r->method) == 0) {
			memcpy(r->params, params, sizeof(params));
			stint_buf_free(&allow);
			return rt;
		}
		stint_buf_printf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
		r->route = rt;  /* for the error format */
	}
	if (allow.len > 0) {
		stint_resp_header(r, "Allow", allow.data);
		stint_fail(r, 405, "method_not_allowed", "This method is not allowed here.", NULL);
	} else if (server_app->html_error != NULL && strncmp(r->path, "/api/", 5) != 0) {
		server_app->html_error(r, 404, "There is nothing at this address.");  /* a page's address */
	} else {
		stint_fail(r, 404, "not_found", "There is nothing at this address.", NULL);
	}
	stint_buf_free(&allow);
	return NULL;
}

/*
 * 1 when JSON text s (n bytes) holds the escape \u0000: C strings would cut
 * the value there, so such bodies are refused rather than truncated.
 */
static int json_has_nul_escape(const char *s, size_t n)
{
	size_t i, slashes = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\') {
			slashes++;
			continue;
		}
		if (slashes % 2 == 1 && s[i] == 'u' && i + 4 < n && strncmp(s + i + 1, "0000", 4) == 0)
			return 1;
		slashes = 0;
	}
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when object o names a key twice: its keys sorted, neighbours compared. */
static int object_has_duplicate(const cJSON *o)
{
	const char *small[16], **keys = small;
	const cJSON *a;
	int n = cJSON_GetArraySize(o), i = 0, dup = 0;

	if (n < 2)
		return 0;
	if (n > 16 && (keys = malloc((size_t)n * sizeof(*keys))) == NULL)
		return 1;  /* refuse what cannot be checked */
	cJSON_ArrayForEach(a, o)
		keys[i++] = a->string;
	qsort(keys, (size_t)n, sizeof(*keys), key_cmp);
	for (i = 1; i < n && !dup; i++)
		dup = strcmp(keys[i - 1], keys[i]) == 0;
	if (keys != small)
		free(keys);
	return dup;
}

/*
 * 1 when some object in json names a key twice. Such bodies are refused
 * (RFC 7493, I-JSON): a validator reading the first and the database the
 * last value would not agree on what was checked. O(k log k) per object.
 */
static int json_has_duplicate_key(const cJSON *json)
{
	const cJSON *a;

	if (cJSON_IsObject(json) && object_has_duplicate(json))
		return 1;
	cJSON_ArrayForEach(a, json)
		if ((cJSON_IsObject(a) || cJSON_IsArray(a)) && json_has_duplicate_key(a))
			return 1;
	return 0;
}

/* Read and parse the body the route takes; answers errors itself (returns -1). */
static int take_body(stint_req *r, const stint_route *rt)
{
	static const long mib = 1024L * 1024L;
	const char *want = rt->body == STINT_BODY_JSON ? "application/json" :
			   rt->body == STINT_BODY_CSV ? "text/csv" : "application/x-www-form-urlencoded";
	size_t max = rt->max_body ? rt->max_body :
		     (size_t)stint_config_int("max_body_bytes", mib, 1024, 64 * mib);
	const char *end = NULL;
	int rc;

	if (rt->body == STINT_BODY_NONE || rt->body == STINT_BODY_FILE || rt->body == STINT_BODY_STREAM)
		return 0;
	if (rt->body != STINT_BODY_RAW && !content_type_is(r, want)) {
		char msg[96];

		snprintf(msg, sizeof(msg), "Send the body as %s.", want);
		stint_fail(r, 415, "unsupported_media_type", msg, NULL);
		return -1;
	}
	rc = stint_req_read_body(r, max);
	if (rc == 413) {
		stint_fail(r, 413, "too_large", "The request body is too large.", NULL);
		return -1;
	}
	if (rc != 0) {
		stint_fail(r, 400, "bad_request", "The request body could not be read.", NULL);
		return -1;
	}
	if (rt->body == STINT_BODY_CSV || rt->body == STINT_BODY_RAW)
		return 0;
	if (rt->body == STINT_BODY_FORM) {
		if (stint_parse_urlencoded(&r->arena, r->body.data, r->body.len, &r->form) != 0) {
			stint_fail(r, 500, "internal", "Out of memory.", NULL);
			return -1;
		}
		if (!stint_csrf_valid(r)) {
			stint_fail(r, 403, "csrf", "This form has expired; reload the page and try again.", NULL);
			return -1;
		}
		return 0;
	}
	if (rt->body == STINT_BODY_HTMX) {
		if (!stint_csrf_htmx_valid(r)) {
			stint_fail(r, 403, "csrf", "Send this request from a Stint page with HTMX (HX-Request and Origin).",
				   NULL);
			return -1;
		}
		if (stint_parse_urlencoded(&r->arena, r->body.data, r->body.len, &r->form) != 0) {
			stint_fail(r, 500, "internal", "Out of memory.", NULL);
			return -1;
		}
		return 0;
	}
	if (json_has_nul_escape(r->body.data, r->body.len)) {
		stint_fail(r, 400, "malformed_json", "JSON strings must not contain \\u0000.", NULL);
		return -1;
	}
	r->json = cJSON_ParseWithLengthOpts(r->body.data, r->body.len + 1, &end, 1);
	if (r->json == NULL) {
		char msg[96];

		snprintf(msg, sizeof(msg), "The body is not valid JSON (near byte %ld).",
			 end ? (long)(end - r->body.data) : 0L);
		stint_fail(r, 400, "malformed_json", msg, NULL);
		return -1;
	}
	if (json_has_duplicate_key(r->json)) {
		stint_fail(r, 400, "malformed_json", "An object in the body names the same key twice.", NULL);
		return -1;
	}
	return 0;
}

/* How many params route rt captures (its ":" segments). */
static int route_params(const stint_route *rt)
{
	int n = 0;

	for (const char *c = rt->pattern; *c; c++)
		n += *c == ':';
	return n;
}

/*
 * The most of a streamed body read and dropped after its handler answered
 * without reading it all (drain_stream).
 */
#define STREAM_DRAIN_MAX (64L * 1024L * 1024L)

/*
 * A streamed body (route body STREAM) that its handler answered without
 * reading to the end (a refusal: 401, 404, 409, 413, 423, ...): read and
 * drop up to STREAM_DRAIN_MAX more bytes before the answer leaves (it waits
 * in libfcgi's output buffer until the request is finished). Otherwise
 * nginx sends the answer and ends the connection while the client is still
 * writing its body, and a client that writes the whole body before it reads
 * (Node's fetch, many scripts) sees "connection closed" instead of the
 * answer. The editor's chunks (32 MiB) fit; past the limit nginx's
 * lingering close takes over.
 */
static void drain_stream(stint_req *r)
{
	char buf[65536];
	long got, total = 0;

	while (total < STREAM_DRAIN_MAX && (got = stint_req_read(r, buf, sizeof(buf))) > 0)
		total += got;
}

static void dispatch(stint_req *r)
{
	const stint_route *rt;

	r->html_error = server_app->html_error;
	rt = find_route(r);
	if (rt == NULL)
		return;
	r->route = rt;
	if (stint_csrf_foreign_origin(r)) {
		stint_fail(r, 403, "csrf", "This request comes from another site (its Origin or Referer).", NULL);
		return;
	}
	if (rt->prefetch > 0 && rt->access != STINT_ACCESS_PUBLIC && strcmp(rt->method, "GET") == 0)
		stint_db_prefetch(r->db, (stint_sql)(rt->prefetch - 1), route_params(rt), r->params);
	if (stint_auth_check(r, rt) == 0 && take_body(r, rt) == 0) {
		rt->fn(r);
		if (r->status == 0) {
			stint_log(STINT_LOG_ERROR, "%s %s: handler sent no response", r->method, r->path);
			stint_fail(r, 500, "internal", "Internal error; it has been logged.", NULL);
		}
	}
	if (rt->body == STINT_BODY_STREAM)
		drain_stream(r);
	stint_db_forget(r->db);
}

/* Log r and count it (lib/metrics.h): under its route when one matched its method. */
static void log_request(const stint_req *r)
{
	struct timespec now;
	double ms;
	size_t route = server_app->nroutes;  /* none */

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - r->started.tv_sec) * 1e3 +
	     (double)(now.tv_nsec - r->started.tv_nsec) / 1e6;
	if (r->route != NULL && strcmp(r->route->method, r->method) == 0)
		route = (size_t)(r->route - server_app->routes);
	stint_metrics_request(route, r->status, ms / 1e3);
	stint_log(STINT_LOG_INFO, "req=%s %s %s %d %.2fms %lub", r->request_id,
		  r->is_head ? "HEAD" : r->method, r->path, r->status, ms,
		  (unsigned long)r->bytes_out);
}

static int worker_main(int listen_fd)
{
	FCGX_Request fr;
	stint_req req;
	stint_db db;

	signal(SIGTERM, on_worker_term);
	signal(SIGINT, on_worker_term);
	signal(SIGPIPE, SIG_IGN);
	memset(&req, 0, sizeof(req));
	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0)
		return 1;
	if (server_app->worker_init != NULL && server_app->worker_init() != 0)
		return 1;
	FCGX_InitRequest(&fr, listen_fd, 0);
	while (!server_stop && FCGX_Accept_r(&fr) >= 0) {
		worker_busy = 1;
		if (stint_req_begin(&req, &fr, &db) == 0)
			dispatch(&req);
		else
			stint_resp_send(&req, 500, "text/plain", "out of memory\n", 14);
		stint_db_rollback(&db);
		log_request(&req);
		stint_req_end(&req);
		FCGX_Finish_r(&fr);
		worker_busy = 0;
	}
	stint_req_free(&req);
	stint_db_close(&db);
	return 0;
}

static pid_t spawn(int listen_fd)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(worker_main(listen_fd));
	if (pid < 0)
		stint_log(STINT_LOG_ERROR, "fork: %s", strerror(errno));
	return pid;
}

static void supervise(int listen_fd, pid_t *pids, int n)
{
	time_t started[MAX_WORKERS] = { 0 };
	int status, i;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pids[i] = spawn(listen_fd);
		started[i] = time(NULL);
	}
	while (!server_stop) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0)
			continue;
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n || server_stop)
			continue;
		stint_log(STINT_LOG_WARN, "worker %ld %s %d; restarting", (long)pid,
			  WIFSIGNALED(status) ? "killed by signal" : "exited with",
			  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		if (time(NULL) - started[i] < 1)
			sleep(1);  /* a worker that dies at once must not spin */
		stint_metrics_restart();
		pids[i] = spawn(listen_fd);
		started[i] = time(NULL);
	}
}

static void stop_workers(const pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

int stint_server_main(int argc, char **argv, const stint_app *app)
{
	const char *socket_path = NULL;
	pid_t pids[MAX_WORKERS] = { 0 };
	struct sigaction sa;
	int workers = 2, fd, i;

	server_app = app;
	stint_log_init(app->name);
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--socket") == 0)
			socket_path = argv[i + 1];
		else if (strcmp(argv[i], "--workers") == 0)
			workers = atoi(argv[i + 1]);
	}
	if (socket_path == NULL || workers < 1 || workers > MAX_WORKERS || i != argc) {
		fprintf(stderr, "usage: %s --socket PATH [--workers 1..%d]\n", argv[0], MAX_WORKERS);
		return 2;
	}
	if (stint_config_load(NULL) != 0 || FCGX_Init() != 0)
		return 1;
	stint_log_configure();
	if (stint_csrf_init() != 0)
		return 1;
	{
		char why[256];

		if (stint_store_check(why, sizeof(why)) != 0) {  /* media_storage and its bucket (docs/storage.md) */
			stint_log(STINT_LOG_ERROR, "settings: %s", why);
			return 1;
		}
	}
	unlink(socket_path);  /* a killed master leaves its socket behind */
	fd = FCGX_OpenSocket(socket_path, 128);
	if (fd < 0) {
		stint_log(STINT_LOG_ERROR, "cannot listen on %s", socket_path);
		return 1;
	}
	chmod(socket_path, 0660);
	if (stint_metrics_open(socket_path, app->name, app->nroutes) == 0)  /* optional: counts when it can */
		for (size_t r = 0; r < app->nroutes; r++)
			stint_metrics_name_route(r, app->routes[r].method, app->routes[r].pattern);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	stint_log(STINT_LOG_INFO, "listening on %s with %d workers", socket_path, workers);
	supervise(fd, pids, workers);
	stop_workers(pids, workers);
	stint_metrics_close();
	unlink(socket_path);
	stint_log(STINT_LOG_INFO, "stopped");
	return 0;
}
