/*
 * stint-routes: print the route manifest, lib/routes.def, for the readers
 * that are not C: bin/stint (the nginx upstreams and locations), `make
 * check` (tests/lint-routes.sh) and the integration tests.
 *
 *   stint-routes json              {"programs":[{name, workers}],
 *                                   "routes":[{program, method, pattern,
 *                                   access, body, format, handler, max_body,
 *                                   prefetch}]}, max_body in bytes (0: the
 *                                   default, 1 MiB)
 *   stint-routes tsv               the routes, one a line, columns as above
 *   stint-routes programs          "NAME WORKERS", one program a line
 *   stint-routes check             the manifest is consistent (exit 1 if not)
 *   stint-routes nginx-upstreams RUN   one upstream per program (RUN/NAME.sock)
 *   stint-routes nginx-locations   the server's locations for every route
 *
 * The locations: a pattern without captures gets an exact location ("/"
 * a prefix one: its program answers every address no other location takes);
 * patterns with captures are grouped by the literal text before the first
 * capture (a `^~` prefix location, so no regex is tried for other
 * addresses). When programs share that text, the program serving the bare
 * capture keeps the prefix and each other program gets one nested regex on
 * the segment after the capture; an upload (body FILE or STREAM) gets its
 * own, first. A location's settings come from its routes: the largest body,
 * JSON error pages when all answer JSON, the sign-in rate limit for public
 * writes, 120 s timeouts for files (body RAW, FILE or STREAM), for FILE the
 * body written to a file whose name the handler gets in REQUEST_BODY_FILE,
 * and for STREAM nginx's request buffering off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "route.h"

typedef struct program {
	const char *name;
	int workers;
} program;

typedef struct route_row {
	const char *program, *method, *pattern, *access, *body, *format, *handler, *prefetch;
	size_t max_body;
} route_row;

#define STINT_PROGRAM(name, workers) { #name, workers },
#define STINT_ROUTE(prog, m, p, a, b, f, fn, max, pre)
static const program programs[] = {
#include "routes.def"
};

#define STINT_PROGRAM(name, workers)
#define STINT_ROUTE(prog, m, p, a, b, f, fn, max, pre) { #prog, #m, p, #a, #b, #f, #fn, #pre, max },
static const route_row routes[] = {
#include "routes.def"
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_GROUP COUNT(routes)

static int print_json(void)
{
	cJSON *doc = cJSON_CreateObject(), *list, *o;
	char *text;
	size_t i;

	list = cJSON_AddArrayToObject(doc, "programs");
	for (i = 0; i < COUNT(programs); i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", programs[i].name);
		cJSON_AddNumberToObject(o, "workers", programs[i].workers);
		cJSON_AddItemToArray(list, o);
	}
	list = cJSON_AddArrayToObject(doc, "routes");
	for (i = 0; i < COUNT(routes); i++) {
		const route_row *r = &routes[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "program", r->program);
		cJSON_AddStringToObject(o, "method", r->method);
		cJSON_AddStringToObject(o, "pattern", r->pattern);
		cJSON_AddStringToObject(o, "access", r->access);
		cJSON_AddStringToObject(o, "body", r->body);
		cJSON_AddStringToObject(o, "format", r->format);
		cJSON_AddStringToObject(o, "handler", r->handler);
		cJSON_AddNumberToObject(o, "max_body", (double)r->max_body);
		cJSON_AddStringToObject(o, "prefetch", r->prefetch);
		cJSON_AddItemToArray(list, o);
	}
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (text == NULL)
		return 1;
	puts(text);
	free(text);
	return 0;
}

static void print_tsv(void)
{
	size_t i;

	for (i = 0; i < COUNT(routes); i++) {
		const route_row *r = &routes[i];

		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%zu\t%s\n", r->program, r->method, r->pattern,
		       r->access, r->body, r->format, r->handler, r->max_body, r->prefetch);
	}
}

static int is_program(const char *name)
{
	size_t i;

	for (i = 0; i < COUNT(programs); i++)
		if (strcmp(programs[i].name, name) == 0)
			return 1;
	return 0;
}

/* Length of pattern p before its first capture (all of it when none). */
static size_t head_len(const char *p)
{
	const char *c = strchr(p, ':');

	return c ? (size_t)(c - p) : strlen(p);
}

/* The problems of the manifest on stderr; the number found. */
static int check(void)
{
	size_t i, j;
	int bad = 0, n;

	for (i = 0; i < COUNT(programs); i++) {
		for (n = 0, j = 0; j < COUNT(routes); j++)
			n += strcmp(routes[j].program, programs[i].name) == 0;
		if (n == 0 || programs[i].workers < 1) {
			fprintf(stderr, "program %s: %s\n", programs[i].name,
				n == 0 ? "serves no route" : "needs at least one worker");
			bad++;
		}
	}
	for (i = 0; i < COUNT(routes); i++) {
		const route_row *r = &routes[i];

		if (!is_program(r->program)) {
			fprintf(stderr, "%s %s: program %s has no STINT_PROGRAM line\n", r->method, r->pattern, r->program);
			bad++;
		}
		if (r->pattern[0] != '/' || strchr(r->pattern, ' ') != NULL ||
		    (strchr(r->pattern, ':') != NULL && r->pattern[head_len(r->pattern) - 1] != '/')) {
			fprintf(stderr, "%s %s: a pattern starts with / and captures whole segments\n",
				r->method, r->pattern);
			bad++;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(routes[j].pattern, r->pattern) == 0 &&
			    (strcmp(routes[j].method, r->method) == 0 || strcmp(routes[j].program, r->program) != 0)) {
				fprintf(stderr, "%s %s: the pattern is served twice (%s %s, program %s)\n", r->method,
					r->pattern, routes[j].method, routes[j].pattern, routes[j].program);
				bad++;
			}
		}
	}
	return bad;
}

static void print_upstreams(const char *run)
{
	size_t i;

	printf("# Generated by bin/stint-routes from lib/routes.def: one upstream per handler pool.\n");
	for (i = 0; i < COUNT(programs); i++)
		printf("upstream stint_%s {\n\tserver unix:%s/%s.sock;\n}\n", programs[i].name, run, programs[i].name);
}

/* --- nginx locations ------------------------------------------------------ */

/* The routes one location serves, in manifest order. */
typedef struct group {
	const route_row *rows[MAX_GROUP];
	size_t n;
} group;

static int has_body(const route_row *r, const char *body)
{
	return strcmp(r->body, body) == 0;
}

/* 1 when r takes an upload: a body nginx writes to a file (FILE) or streams (STREAM). */
static int is_upload(const route_row *r)
{
	return has_body(r, "FILE") || has_body(r, "STREAM");
}

/* The segment after pattern p's first capture ("events"; "" when none). */
static size_t segment(const char *p, const char **seg)
{
	const char *s = strchr(p + head_len(p), '/');

	*seg = s ? s + 1 : "";
	return strcspn(*seg, "/");
}

/* A location's directives for the routes in g; indent is its depth. */
static void print_settings(const group *g, const char *in)
{
	size_t i, max = 0;
	int json = 1, public_write = 0, file = 0, upload = 0, stream = 0;

	for (i = 0; i < g->n; i++) {
		const route_row *r = g->rows[i];
		size_t m = r->max_body ? r->max_body : STINT_MIB;

		max = m > max ? m : max;
		json &= strcmp(r->format, "JSON") == 0;
		public_write |= strcmp(r->access, "PUBLIC") == 0 && strcmp(r->method, "GET") != 0;
		file |= has_body(r, "RAW") || is_upload(r);
		upload |= has_body(r, "FILE");
		stream |= has_body(r, "STREAM");
	}
	if (max != STINT_MIB)
		printf("%sclient_max_body_size %zum;\n", in, (max + STINT_MIB - 1) / STINT_MIB);
	if (upload)
		printf("%sclient_body_in_file_only clean;\n%sclient_body_buffer_size 256k;\n", in, in);
	if (stream)
		printf("%sfastcgi_request_buffering off;\n%sclient_body_buffer_size 256k;\n", in, in);
	if (file)
		printf("%sclient_body_timeout 120s;\n%sfastcgi_read_timeout 120s;\n", in, in);
	if (public_write)
		printf("%slimit_req zone=login burst=20 nodelay;\n%slimit_req zone=perip burst=400 nodelay;\n", in, in);
	if (json)
		printf("%serror_page 413 /_error/413.json;\n%serror_page 429 /_error/429.json;\n"
		       "%serror_page 502 503 504 =503 /_error/503.json;\n", in, in, in);
	if (upload)
		printf("%sinclude /etc/nginx/fastcgi_params;\n%sfastcgi_param HTTP_PROXY \"\";\n"
		       "%sfastcgi_param REQUEST_BODY_FILE $request_body_file;\n"
		       "%sfastcgi_pass_request_body off;\n", in, in, in, in);
	printf("%sfastcgi_pass stint_%s;\n", in, g->rows[0]->program);
}

/* Pattern text p as a regex: captures [^/]+, dots escaped. */
static void print_regex(const char *p, size_t n)
{
	const char *end = p + n;

	for (; p < end; p++) {
		if (*p == ':') {
			fputs("[^/]+", stdout);
			p += strcspn(p, "/") - 1;
		} else {
			if (*p == '.')
				putchar('\\');
			putchar(*p);
		}
	}
}

/*
 * A nested regex location for g's routes, all after head (hl bytes) and a
 * capture: uploads by their whole rest ("clips/upload"), others by the
 * segment after the capture ("events", then anything).
 */
static void print_nested(const group *g, const char *head, size_t hl, int upload)
{
	const char *seg, *other;
	size_t i, k, n, on;
	int dup;

	printf("\t\tlocation ~ \"^%.*s[^/]+/(", (int)hl, head);
	for (i = 0; i < g->n; i++) {
		n = segment(g->rows[i]->pattern, &seg);
		if (upload)
			n = strlen(seg);
		for (dup = 0, k = 0; k < i; k++) {
			on = segment(g->rows[k]->pattern, &other);
			dup |= !upload && on == n && strncmp(other, seg, n) == 0;
		}
		if (dup)
			continue;
		if (i > 0)
			putchar('|');
		print_regex(seg, n);
	}
	printf(")%s\" {\n", upload ? "$" : "(/|$)");
	print_settings(g, "\t\t\t");
	printf("\t\t}\n");
}

/* The routes of all of program prog, uploads (body FILE or STREAM) or not, into g. */
static void pick(const group *all, const char *prog, int upload, group *g)
{
	size_t i;

	g->n = 0;
	for (i = 0; i < all->n; i++)
		if (strcmp(all->rows[i]->program, prog) == 0 && is_upload(all->rows[i]) == upload)
			g->rows[g->n++] = all->rows[i];
}

/*
 * The location of the patterns with captures that share routes[first]'s
 * head; marks them done.
 */
static int print_head(size_t first, int *done)
{
	const char *head = routes[first].pattern, *seg, *owner = NULL;
	size_t hl = head_len(head), i, k;
	group all = { .n = 0 }, g;
	int upload, shared = 0;

	for (i = first; i < COUNT(routes); i++) {
		if (strchr(routes[i].pattern, ':') == NULL || head_len(routes[i].pattern) != hl ||
		    strncmp(routes[i].pattern, head, hl) != 0)
			continue;
		all.rows[all.n++] = &routes[i];
		done[i] = 1;
		if (segment(routes[i].pattern, &seg) == 0 && owner == NULL)
			owner = routes[i].program;
		shared |= strcmp(routes[i].program, routes[first].program) != 0;
	}
	if (owner == NULL && shared) {
		fprintf(stderr, "stint-routes: programs share %.*s but none serves %.*s:capture alone\n",
			(int)hl, head, (int)hl, head);
		return 1;
	}
	if (owner == NULL)
		owner = routes[first].program;

	printf("\tlocation ^~ %.*s {\n", (int)hl, head);
	for (upload = 1; upload >= 0; upload--) {
		for (i = 0; i < all.n; i++) {
			const char *prog = all.rows[i]->program;

			for (k = 0; k < i && strcmp(all.rows[k]->program, prog) != 0; k++)
				;
			if (k < i || (!upload && strcmp(prog, owner) == 0))
				continue;
			pick(&all, prog, upload, &g);
			if (g.n > 0)
				print_nested(&g, head, hl, upload);
		}
	}
	pick(&all, owner, 0, &g);
	print_settings(&g, "\t\t");
	printf("\t}\n");
	return 0;
}

static int print_locations(void)
{
	int done[COUNT(routes)] = { 0 };
	size_t i, j;
	group g;

	printf("# Generated by bin/stint-routes from lib/routes.def: the locations of every route.\n");
	for (i = 0; i < COUNT(routes); i++) {
		const char *p = routes[i].pattern;

		if (done[i] || strchr(p, ':') != NULL)
			continue;
		g.n = 0;
		for (j = i; j < COUNT(routes); j++) {
			if (strcmp(routes[j].pattern, p) == 0) {
				g.rows[g.n++] = &routes[j];
				done[j] = 1;
			}
		}
		printf("\tlocation %s%s {\n", strcmp(p, "/") == 0 ? "" : "= ", p);
		print_settings(&g, "\t\t");
		printf("\t}\n");
	}
	for (i = 0; i < COUNT(routes); i++)
		if (!done[i] && print_head(i, done) != 0)
			return 1;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: stint-routes json | tsv | programs | check | nginx-upstreams RUN | nginx-locations\n");
	return 2;
}

int main(int argc, char **argv)
{
	size_t i;
	int bad;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "json") == 0)
		return print_json();
	if (strcmp(argv[1], "tsv") == 0) {
		print_tsv();
		return 0;
	}
	if (strcmp(argv[1], "programs") == 0) {
		for (i = 0; i < COUNT(programs); i++)
			printf("%s %d\n", programs[i].name, programs[i].workers);
		return 0;
	}
	bad = check();
	if (strcmp(argv[1], "check") == 0)
		return bad != 0;
	if (bad != 0)
		return 1;
	if (strcmp(argv[1], "nginx-upstreams") == 0 && argc == 3) {
		print_upstreams(argv[2]);
		return 0;
	}
	if (strcmp(argv[1], "nginx-locations") == 0)
		return print_locations();
	return usage();
}
