/*
 * teams.c: teams and rosters (issue 18; lib/teams.h): a session's two
 * sides, GET and PUT /api/v1/sessions/<id>/teams (whoever may read the
 * session reads them, its editors change them), and the club's saved
 * teams, /api/v1/teams (GET, POST) and /api/v1/teams/<id> (GET, PUT,
 * DELETE): anyone signed in reads them, admins and coaches (COACH) write.
 * A session side copies a saved team with {"saved_team_id": n}. The pages
 * (the editor's teams panel, /teams) are cgi-bin/pages-teams.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "teams.h"
#include "tx.h"

static const char no_team[] = "There is no such saved team.";

static void get_session_teams(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_teams_get(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

static void put_session_teams(stint_req *r)
{
	cJSON *errors = NULL;
	const char *bad_side = NULL;
	char *json = NULL, field[40];
	int bad = stint_teams_validate(r->json, &errors);
	stint_db_rc rc;
	stint_tx tx;

	if (!stint_valid_or_fail(r, bad, errors))
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_teams_put(&tx, r->params[0], r->json, &bad_side, &json);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_OK && bad_side != NULL) {
		snprintf(field, sizeof(field), "%s.saved_team_id", bad_side);
		stint_fail_field(r, field, "there is no such saved team");
		return;
	}
	stint_answer_json_text(r, rc, 200, json, NULL);
}

static void list_saved_teams(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_saved_team_list(r->db, &json);

	stint_answer_json_text(r, rc, 200, json, NULL);
}

static void get_saved_team(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_saved_team_get(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, no_team);
}

/* Write the body as saved team id (NULL: a new one); answers with status. */
static void write_saved_team(stint_req *r, const char *id, int status)
{
	cJSON *errors = NULL;
	char *json = NULL;
	int bad = stint_team_validate(NULL, r->json, 0, &errors);
	stint_db_rc rc;
	stint_tx tx;

	if (!stint_valid_or_fail(r, bad, errors))
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_saved_team_put(&tx, id, r->json, r->user.id_text, &json);
	rc = stint_tx_end(&tx);
	stint_answer_json_text(r, rc, status, json, no_team);
}

static void create_saved_team(stint_req *r)
{
	write_saved_team(r, NULL, 201);
}

static void put_saved_team(stint_req *r)
{
	write_saved_team(r, r->params[0], 200);
}

static void delete_saved_team(stint_req *r)
{
	int found = 0;
	stint_db_rc rc;
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_saved_team_delete(&tx, r->params[0], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, no_team))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

#define STINT_PROGRAM_NAME "teams"
#define STINT_ROUTES_OF_teams STINT_MINE
#include "program.h"
