/*
 * mustache.h: Stint's mustache renderer (no C implementation is packaged in
 * Debian). It implements the official spec v1.4.2 (github.com/mustache/spec):
 * comments, delimiters, interpolation, inverted sections, partials, sections,
 * and the optional ~inheritance module (blocks {{$name}} and parents
 * {{<name}}), which Stint's page layout uses. Lambdas are not supported: data
 * is cJSON, which cannot hold code.
 *
 * Data is a cJSON tree; lookups follow the spec's context stack and dotted
 * names. {{x}} is HTML-escaped with stint_html_txt(); {{{x}}} and {{&x}} are
 * written raw and are only for HTML the server built itself.
 */
#ifndef STINT_MUSTACHE_H
#define STINT_MUSTACHE_H

#include <cjson/cJSON.h>

#include "buf.h"

/*
 * Looks up a partial (or an inheritance parent) by name. Returns its
 * template text and sets *len, or returns NULL when there is no such
 * partial (rendered as the empty string, as the spec requires). The text
 * stays owned by the loader and must live until the render returns.
 */
typedef const char *(*stint_mustache_partial_fn)(void *ctx, const char *name,
						 size_t *len);

/*
 * Render template tmpl (tmpl_len bytes, need not be NUL-terminated) with
 * data into out (appended). partials may be NULL (every partial is empty).
 * Returns 0; on a malformed template (unclosed tag or section, mismatched
 * section end, bad delimiter change) returns -1 and, when err is not NULL,
 * appends a message naming the line number; on out of memory returns -1.
 * Partial recursion is cut at a depth of 64.
 */
int stint_mustache_render(const char *tmpl, size_t tmpl_len, const cJSON *data,
			  stint_mustache_partial_fn partials, void *ctx,
			  stint_buf *out, stint_buf *err);

#endif
