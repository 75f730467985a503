/*
 * pages-session-teams.c: the editor's teams panel on its own, GET
 * /sessions/<id>/teams (a page, or ?part=panel the panel alone), and its forms:
 * POST /sessions/<id>/teams (both sides; a problem renders the editor again,
 * 422, with what was typed and each problem beside its field) and POST
 * /sessions/<id>/teams/copy (a side from a saved team). The panel itself is
 * pages-teams.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "pages-editor.h"
#include "pages-session-teams.h"
#include "pages-shared.h"
#include "pages-teams.h"
#include "sessions.h"
#include "teams.h"
#include "tx.h"
#include "view.h"

/* ---- the session's teams ------------------------------------------------- */

void page_session_teams(stint_req *r)
{
	cJSON *data = cJSON_CreateObject(), *s = NULL;
	stint_grant grant = STINT_GRANT_NONE;
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &s);

	if (rc == STINT_DB_OK && s == NULL) {
		stint_fail(r, 404, "not_found", "There is no session with this id. It may have been deleted.", NULL);
		goto out;
	}
	if (rc == STINT_DB_OK)
		rc = stint_session_access(r->db, r->params[0], r->user.id_text, 0, &grant);
	if (rc == STINT_DB_OK)
		rc = page_teams_panel_data(r, data, NULL, NULL);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	cJSON_AddBoolToObject(data, "can_edit", grant == STINT_GRANT_EDIT);
	page_decorate_session(s);
	cJSON_AddItemToObject(data, "session", s);
	s = NULL;
	stint_view_send(r, 200, page_part(r, "panel") ? "teams-panel" : "session-teams", data);
out:
	cJSON_Delete(s);
	cJSON_Delete(data);
}

void page_session_teams_save(stint_req *r)
{
	const char *sides[] = { "home", "visiting" }, *bad_side = NULL;
	int rowmap[2][PAGE_TEAM_ROWS_MAX], count[2], blank;
	cJSON *body = cJSON_CreateObject(), *errors = NULL, *team, *shown;
	page_problems pp = { 0 };
	char *json = NULL;
	stint_db_rc rc;
	stint_tx tx;
	int bad;

	for (int i = 0; i < 2; i++) {
		team = page_team_from_form(&r->form, sides[i], rowmap[i], &blank);
		count[i] = cJSON_GetArraySize(cJSON_GetObjectItem(team, "players"));
		if (blank) {
			cJSON_Delete(team);
			cJSON_AddNullToObject(body, sides[i]);
		} else {
			cJSON_AddItemToObject(body, sides[i], team);
		}
	}
	bad = stint_teams_validate(body, &errors);
	if (bad == 0) {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_teams_put(&tx, r->params[0], body, &bad_side, &json);
		rc = stint_tx_end(&tx);
		free(json);
		cJSON_Delete(body);
		if (rc != STINT_DB_OK)
			stint_fail_db(r, rc);
		else
			page_redirect_session(r, r->params[0], NULL, "teams_saved", NULL, "teams");
		return;
	}
	cJSON_Delete(body);
	if (bad < 0) {
		cJSON_Delete(errors);
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	shown = cJSON_CreateObject();
	for (int i = 0; i < 2; i++)
		page_team_form_errors(errors, sides[i], sides[i], rowmap[i], count[i], shown);
	cJSON_Delete(errors);
	pp.teams_form = &r->form;
	pp.teams_errors = shown;
	page_render_editor(r, 422, &pp);
}

static const char *const side_names[] = { "home", "visiting", NULL };

void page_session_teams_copy(stint_req *r)
{
	const char *side = stint_kv_get(&r->form, "side"), *id = stint_kv_get(&r->form, "saved_team_id"), *bad_side;
	cJSON *body = cJSON_CreateObject(), *copy = cJSON_CreateObject();
	static const stint_field id_field = { "saved_team_id", STINT_F_INT, STINT_F_REQUIRED, 1, 9007199254740991LL,
					      NULL, STINT_NO_DEST };
	long long n = 0;
	char *json = NULL;
	stint_db_rc rc;
	stint_tx tx;

	if (side == NULL || (strcmp(side, side_names[0]) != 0 && strcmp(side, side_names[1]) != 0) ||
	    id == NULL || stint_text_int(&id_field, id, &n) != NULL) {
		cJSON_Delete(body);
		cJSON_Delete(copy);
		stint_fail(r, 422, "invalid_fields", "Choose a side and a saved team to copy in.", NULL);
		return;
	}
	cJSON_AddNumberToObject(copy, "saved_team_id", (double)n);
	cJSON_AddItemToObject(body, side, copy);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_teams_put(&tx, r->params[0], body, &bad_side, &json);
	rc = stint_tx_end(&tx);
	free(json);
	cJSON_Delete(body);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (bad_side != NULL)
		stint_fail(r, 404, "not_found", "There is no such saved team.", NULL);
	else
		page_redirect_session(r, r->params[0], NULL, "team_copied", NULL, "teams");
}
