/*
 * pages-htmx.h: seed 000's (VolleySense's) HTMX fragments under /_api/sessions
 * (pages-htmx.c; issue 14, docs/compat.md): the dashboard and the editor
 * rendered from the pages' own templates without the layout (route format
 * FRAGMENT), a session's create from hx-post/hx-vals (route body HTMX: its
 * CSRF check is the HX-Request header and the Origin, lib/csrf.h), and the
 * polled summary "title - N events".
 */
#ifndef STINT_PAGES_HTMX_H
#define STINT_PAGES_HTMX_H

#include "http.h"

void htmx_dashboard(stint_req *r);        /* GET /_api/sessions/ui/dashboard */
void htmx_editor(stint_req *r);           /* GET /_api/sessions/ui/editor/<id> */
void htmx_session_create(stint_req *r);   /* POST /_api/sessions (hx-vals, urlencoded) */
void htmx_session_summary(stint_req *r);  /* GET /_api/sessions/<id> */

#endif
