/*
 * view.h: server-rendered pages. Templates are the *.mustache files of the
 * template directory (setting template_dir), read once per worker; a page
 * template extends "layout" through mustache inheritance ({{<layout}}).
 */
#ifndef STINT_VIEW_H
#define STINT_VIEW_H

#include <cjson/cJSON.h>

#include "http.h"

/* Hex digits of a static file's fingerprint (?v=HASH): the start of its SHA-256. */
#define STINT_STATIC_HASH_LEN 12

/*
 * Copy text (len bytes) into *out (malloc'd, NUL-terminated, length in
 * *out_len; the caller frees it) with every address /static/NAME of a file
 * that exists in directory dir fingerprinted as /static/NAME?v=HASH, HASH the
 * first STINT_STATIC_HASH_LEN hex digits of the file's SHA-256: a changed file
 * gets a new address, so the production nginx configuration can let browsers
 * cache ?v= addresses for a year. Addresses that already carry a query, and
 * files that cannot be read, stay as they are. Returns 0, or -1 out of memory.
 */
int stint_view_fingerprint(const char *text, size_t len, const char *dir, char **out, size_t *out_len);

/*
 * Read every *.mustache file of dir (name = file name without extension),
 * fingerprinting its /static/ addresses (stint_view_fingerprint, files of
 * setting static_dir, default "static") once, here, at the worker's start.
 * Returns 0, or -1 with a log line naming the file.
 */
int stint_view_load(const char *dir);

/*
 * Render template name with data and send it as text/html with status; on
 * a FRAGMENT route (lib/route.h) without the layout: the template's
 * {{$content}} block alone, for HTMX to swap in.
 * Adds to data (which stays the caller's): "csrf" (the request's CSRF
 * token, see csrf.h), "app" ("Stint") and "user" (email, name, role of the
 * signed-in caller). Returns 0, or -1 after answering
 * 500 itself when the template is missing or broken.
 */
int stint_view_send(stint_req *r, int status, const char *name, cJSON *data);

/*
 * Render template name (loaded by stint_view_load) with data into out
 * (appended), outside any request: for files the tools write (the team
 * report, bin/stint-report). Returns 0, or -1 with the reason in err (a
 * missing template, a broken one naming its line, out of memory).
 */
int stint_view_render(const char *name, const cJSON *data, stint_buf *out, stint_buf *err);

/*
 * The error page: status, its reason phrase and message (a "temporarily
 * unavailable" page for 503). Fits stint_app.html_error.
 */
void stint_view_error(stint_req *r, int status, const char *message);

#endif
