/*
 * pages-session.c: a session's own forms: create (on the dashboard), the
 * editor's Details form, delete (archived first, restorable) and restore.
 * They write through lib/sessions.c as the JSON API does; a form with
 * problems comes back on its page (422) with the problems named.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fail.h"
#include "pages-dashboard.h"
#include "pages-editor.h"
#include "pages-session.h"
#include "pages-shared.h"
#include "sessions.h"
#include "tx.h"

void page_session_create(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, stint_session_fields, stint_session_nfields);
	cJSON *errors = NULL, *extra;
	char id[37], *text;
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
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		page_redirect_session(r, id, NULL, "created", NULL, NULL);
}

static void details_problems(stint_req *r, cJSON *body, cJSON *errors)
{
	page_problems p = { 0 };

	p.details_form = body;
	p.details_errors = errors;
	page_render_editor(r, 422, &p);
}

void page_session_update(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, stint_session_fields, stint_session_nfields);
	cJSON *errors = NULL;
	stint_tx tx;
	stint_db_rc rc;
	char *text;
	int found = 0;

	if (body == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (stint_session_validate(body, 0, &errors) != 0) {
		details_problems(r, body, errors);
		return;
	}
	text = cJSON_PrintUnformatted(body);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (text == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	stint_session_patch(&tx, r->params[0], text, &found);
	rc = stint_tx_end(&tx);
	free(text);
	if (rc == STINT_DB_INVALID && stint_session_db_problem(r->db, &errors) > 0) {
		details_problems(r, body, errors);
		return;
	}
	if (rc == STINT_DB_CONFLICT &&
	    stint_session_status_problem(r->db, r->params[0], cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "status")),
					 "status", &errors) > 0) {
		page_problems p = { 0 };

		p.details_form = body;
		p.details_errors = errors;
		page_render_editor(r, 409, &p);  /* the status rule refused the change (lib/sessions.h) */
		return;
	}
	cJSON_Delete(body);
	if (stint_found_or_fail(r, rc, found, "There is no session with this id."))
		page_redirect_session(r, r->params[0], NULL, "saved", NULL, "details");
}

void page_session_delete(stint_req *r)
{
	char location[64];
	int found;
	stint_db_rc rc = stint_req_write(r, stint_session_archive, r->params[0], &found);

	if (stint_found_or_fail(r, rc, found, "There is no session with this id.")) {
		snprintf(location, sizeof(location), "/?deleted=%s", r->params[0]);
		stint_resp_redirect(r, location);
	}
}

void page_session_restore(stint_req *r)
{
	int found;
	stint_db_rc rc = stint_req_write(r, stint_session_restore, r->params[0], &found);

	if (rc == STINT_DB_CONFLICT)
		stint_fail(r, 409, "conflict", "This session exists already; it was restored before.", NULL);
	else if (stint_found_or_fail(r, rc, found, "There is no deleted session with this id."))
		page_redirect_session(r, r->params[0], NULL, "restored", NULL, NULL);
}
