/*
 * pages-session.c: a session's own forms: create (on the dashboard), the
 * editor's Details form, delete (archived first, restorable) and restore.
 * They write through lib/sessions.c as the JSON API does; a form with
 * problems comes back on its page (422) with the problems named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "pages-dashboard.h"
#include "pages-editor.h"
#include "pages-session.h"
#include "pages-shared.h"
#include "sessions.h"
#include "teams.h"
#include "tx.h"

static const stint_field saved_team_field = { "saved_team_id", STINT_F_INT, 0, 1, 9007199254740991LL, NULL,
					      STINT_NO_DEST };

/*
 * The create form's saved teams (home_team, visiting_team: a saved team's
 * id, "" for none) as a PUT body of the session's teams in *teams (NULL
 * when neither is chosen); a value that is no id is a problem in *errors.
 */
static void saved_teams_chosen(stint_req *r, cJSON **teams, cJSON **errors)
{
	const char *fields[] = { "home_team", "visiting_team" }, *sides[] = { "home", "visiting" }, *v;
	long long id;
	cJSON *copy;

	*teams = NULL;
	for (int i = 0; i < 2; i++) {
		v = stint_kv_get(&r->form, fields[i]);
		if (v == NULL || *v == '\0')
			continue;
		if (stint_text_int(&saved_team_field, v, &id) != NULL) {
			if (*errors == NULL)
				*errors = cJSON_CreateObject();
			cJSON_AddStringToObject(*errors, fields[i], "is not a saved team");
			continue;
		}
		if (*teams == NULL)
			*teams = cJSON_CreateObject();
		copy = cJSON_AddObjectToObject(*teams, sides[i]);
		cJSON_AddNumberToObject(copy, "saved_team_id", (double)id);
	}
}

/* The create form again (422): its values, the saved teams chosen, the problems. */
static void create_problems(stint_req *r, cJSON *body, cJSON *errors)
{
	cJSON *extra = cJSON_CreateObject();
	const char *v;

	v = stint_kv_get(&r->form, "home_team");
	cJSON_AddStringToObject(body, "home_team", v ? v : "");
	v = stint_kv_get(&r->form, "visiting_team");
	cJSON_AddStringToObject(body, "visiting_team", v ? v : "");
	cJSON_AddItemToObject(extra, "form", body);
	cJSON_AddItemToObject(extra, "errors", errors ? errors : cJSON_CreateObject());
	page_render_dashboard(r, 422, extra);
}

void page_session_create(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, stint_session_fields, stint_session_nfields);
	cJSON *errors = NULL, *teams = NULL;
	const char *bad_side = NULL;
	char id[37], *text, *teams_json = NULL;
	stint_tx tx;
	stint_db_rc rc;
	int bad;

	if (body == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	bad = stint_session_validate(body, 0, &errors);
	saved_teams_chosen(r, &teams, &errors);
	if (bad != 0 || errors != NULL) {
		cJSON_Delete(teams);
		create_problems(r, body, errors);
		return;
	}
	text = cJSON_PrintUnformatted(body);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (text == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	stint_session_create(&tx, r->user.id_text, text, id);
	if (teams != NULL)  /* the saved teams copied in, in the same change: both or neither */
		stint_teams_put(&tx, id, teams, &bad_side, &teams_json);
	rc = stint_tx_end(&tx);
	free(text);
	free(teams_json);
	cJSON_Delete(teams);
	if (rc == STINT_DB_OK && bad_side != NULL) {
		errors = cJSON_CreateObject();
		cJSON_AddStringToObject(errors, strcmp(bad_side, "home") == 0 ? "home_team" : "visiting_team",
					"is no longer a saved team");
		create_problems(r, body, errors);
		return;
	}
	cJSON_Delete(body);
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
