/*
 * pages-htmx.c: seed 000's HTMX fragments (see pages-htmx.h). Each calls
 * what the page calls (page_dashboard, page_editor, lib/sessions.h); the
 * route's format FRAGMENT makes lib/view.c render the same template
 * without its layout.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fail.h"
#include "pages-dashboard.h"
#include "pages-editor.h"
#include "pages-htmx.h"
#include "sessions.h"
#include "tx.h"
#include "view.h"

void htmx_dashboard(stint_req *r)
{
	page_dashboard(r);
}

void htmx_editor(stint_req *r)
{
	page_editor(r);
}

/*
 * Answer the summary fragment of session id (templates/session-summary,
 * the editor's own line) with status; 404 when there is none.
 */
static void send_summary(stint_req *r, int status, const char *id)
{
	cJSON *s = NULL;
	stint_db_rc rc = stint_session_load(r->db, id, &s);

	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (s == NULL)
		stint_fail(r, 404, "not_found", "There is no session with this id. It may have been deleted.", NULL);
	else
		stint_view_send(r, status, "session-summary", s);
	cJSON_Delete(s);
}

void htmx_session_summary(stint_req *r)
{
	send_summary(r, 200, r->params[0]);
}

/*
 * hx-post="/_api/sessions" hx-vals='{"title": ..., "venue": ...}': the
 * dashboard's create form's fields (lib/sessions.h), created as the form
 * creates; 201 with the new session's summary and its address in Location
 * (the seed swaps nothing: hx-swap="none"), or 422 with the dashboard's
 * create form and its problems.
 */
void htmx_session_create(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, stint_session_fields, stint_session_nfields);
	cJSON *errors = NULL, *extra;
	char id[37], where[64], *text;
	stint_tx tx;
	stint_db_rc rc;

	if (body == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (stint_session_validate(body, 0, &errors) != 0) {
		extra = cJSON_CreateObject();
		cJSON_AddItemToObject(extra, "form", body);
		cJSON_AddItemToObject(extra, "errors", errors ? errors : cJSON_CreateObject());
		page_render_dashboard(r, 422, extra);
		return;
	}
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (text == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	stint_session_create(&tx, r->user.id_text, text, id);
	rc = stint_tx_end(&tx);
	free(text);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	snprintf(where, sizeof(where), "/sessions/%s", id);
	stint_resp_header(r, "Location", where);
	send_summary(r, 201, id);
}
