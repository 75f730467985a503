/*
 * pages-editor.h: the session editor, /sessions/<id> (pages-editor.c). The
 * forms that post to it render it again with their problems.
 */
#ifndef STINT_PAGES_EDITOR_H
#define STINT_PAGES_EDITOR_H

#include <cjson/cJSON.h>

#include "http.h"

/* What an editor form sent back with problems; the cJSON parts are consumed. */
typedef struct page_problems {
	cJSON *details_form, *details_errors;  /* the Details form */
	cJSON *event_form, *event_errors;      /* the tag form, or the edit form of edit_id */
	cJSON *clip_errors;                    /* the clip form of clip_id */
	const char *edit_id, *clip_id;
	const stint_kvlist *teams_form;        /* the teams panel's form, with */
	cJSON *teams_errors;                   /* its problems by form field */
} page_problems;

/* Render the editor of session r->params[0] with status (problems may be NULL). */
void page_render_editor(stint_req *r, int status, page_problems *problems);

void page_editor(stint_req *r);  /* GET /sessions/<id> */

#endif
