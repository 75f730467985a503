/*
 * sessions.c: the JSON API of sports sessions, /api/v1/sessions.
 * List (search and filters), create, get, patch, delete (archived whole
 * first) and restore. Rules for the fields are in lib/sessions.c.
 */
#include <stdio.h>
#include <string.h>

#include "fail.h"
#include "sessions.h"
#include "tokens.h"
#include "tx.h"

static const char no_session[] = "There is no session with this id.";

/* Send session id as stored, with status (200 or 201). */
static void send_session(stint_req *r, int status, const char *id)
{
	char *json = NULL;
	stint_db_rc rc = stint_session_get(r->db, id, &json);

	stint_answer_json_text(r, rc, status, json, no_session);
}

static void list_sessions(stint_req *r)
{
	stint_session_query q;
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;

	if (stint_session_query_parse(&r->query, &q, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	q.user_id = r->user.id_text;
	q.is_admin = strcmp(r->user.role, "admin") == 0;
	rc = stint_session_list(r->db, &q, &json);
	stint_answer_json_text(r, rc, 200, json, NULL);
}

static void create_session(stint_req *r)
{
	cJSON *errors = NULL;
	char id[37], location[64];
	stint_tx tx;
	stint_db_rc rc;

	if (stint_session_validate(r->json, 0, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_session_create(&tx, r->user.id_text, r->body.data, id);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	snprintf(location, sizeof(location), "/api/v1/sessions/%s", id);
	stint_resp_header(r, "Location", location);
	send_session(r, 201, id);
}

static void get_session(stint_req *r)
{
	send_session(r, 200, r->params[0]);
}

static void patch_session(stint_req *r)
{
	cJSON *errors = NULL;
	stint_tx tx;
	stint_db_rc rc;
	int found;

	if (stint_session_validate(r->json, 1, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_session_patch(&tx, r->params[0], r->body.data, &found);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_INVALID && stint_session_db_problem(r->db, &errors) > 0)
		stint_fail_fields(r, errors);
	else if (rc == STINT_DB_CONFLICT &&
		 stint_session_status_problem(r->db, r->params[0],
					      cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->json, "status")),
					      "status", &errors) > 0) {
		stint_fail(r, 409, "status_conflict", "The session's status may not change so.", errors);
		cJSON_Delete(errors);
	} else if (stint_found_or_fail(r, rc, found, no_session))
		send_session(r, 200, r->params[0]);
}

static void delete_session(stint_req *r)
{
	int found;
	stint_db_rc rc = stint_req_write(r, stint_session_archive, r->params[0], &found);

	if (stint_found_or_fail(r, rc, found, no_session))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

static void restore_session(stint_req *r)
{
	int found;
	stint_db_rc rc = stint_req_write(r, stint_session_restore, r->params[0], &found);

	if (rc == STINT_DB_CONFLICT)
		stint_fail(r, 409, "conflict", "A session with this id exists already.", NULL);
	else if (stint_found_or_fail(r, rc, found, "There is no deleted session with this id to restore."))
		send_session(r, 200, r->params[0]);
}

static const char *const share_roles[] = { "viewer", "editor", NULL };

typedef struct share_in {
	const char *email, *role;
} share_in;

static const stint_field share_fields[] = {
	{ "email", STINT_F_STRING, STINT_F_REQUIRED, 3, 254, NULL, STINT_DEST(share_in, email) },
	{ "role", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, share_roles, STINT_DEST(share_in, role) },
};

static void list_shares(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_share_list(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, NULL);
}

/* Share the session with a user (by email) as viewer or editor. */
static void put_share(stint_req *r)
{
	cJSON *errors = NULL;
	share_in in = { NULL, NULL };
	stint_tx tx;
	stint_db_rc rc;
	int found;

	if (stint_validate_json(r->json, STINT_SPEC(share_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_share_put(&tx, r->params[0], in.email, in.role, &found);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (!found)
		stint_fail_field(r, "email", "is not a user of this server");
	else
		list_shares(r);
}

static void delete_share(stint_req *r)
{
	stint_tx tx;
	stint_db_rc rc;
	int found;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_share_delete(&tx, r->params[0], r->params[1], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, "There is no such share."))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

#define STINT_PROGRAM_NAME "sessions"
#define STINT_ROUTES_OF_sessions STINT_MINE
#include "program.h"
