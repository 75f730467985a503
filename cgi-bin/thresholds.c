/*
 * thresholds.c: the load thresholds of the team report (issue 12) as
 * settings: GET /api/v1/thresholds lists every row of load_thresholds,
 * PUT /api/v1/thresholds inserts or replaces the row of a body's (team,
 * valid_from), DELETE /api/v1/thresholds?team=&valid_from= removes one.
 * Whoever may create sessions reads them (AUTHOR); admins and coaches
 * change them (COACH): analysts read only. The default row (team '' from
 * 1970-01-01) cannot be deleted (409). The settings page is
 * cgi-bin/pages-thresholds.c.
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fail.h"
#include "thresholds.h"
#include "tx.h"
#include "validate.h"

static void list_thresholds(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_thresholds_list(r->db, &json);

	stint_answer_json_text(r, rc, 200, json, NULL);
}

static void put_thresholds(stint_req *r)
{
	cJSON *errors = NULL, *row = NULL;
	const char *field, *problem = NULL;
	char *json = NULL;
	int created = 0, bad;
	stint_db_rc rc;
	stint_tx tx;

	bad = stint_thresholds_validate(r->json, &row, &errors);
	if (!stint_valid_or_fail(r, bad, errors))
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_thresholds_put(&tx, row, &json, &created);
	rc = stint_tx_end(&tx);
	cJSON_Delete(row);
	field = stint_thresholds_refusal(rc, r->db->constraint, &problem);
	if (field != NULL) {
		free(json);
		stint_fail_field(r, field, problem);
		return;
	}
	stint_answer_json_text(r, rc, created ? 201 : 200, json, NULL);
}

static const stint_field key_fields[] = {
	{ "team", STINT_F_STRING, 0, 0, 200, NULL, STINT_NO_DEST },
	{ "valid_from", STINT_F_STRING, STINT_F_REQUIRED, 10, 10, NULL, STINT_NO_DEST },
};

static void delete_thresholds(stint_req *r)
{
	cJSON *errors = NULL;
	const char *team = stint_kv_get(&r->query, "team"), *from = stint_kv_get(&r->query, "valid_from");
	int found = 0;
	stint_db_rc rc;
	stint_tx tx;

	if (stint_validate_query(&r->query, STINT_SPEC(key_fields), NULL, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if (stint_thresholds_date_ok(from) != 0) {
		stint_fail_field(r, "valid_from", "must be a date YYYY-MM-DD from 1900");
		return;
	}
	if (team == NULL)
		team = "";
	if (team[0] == '\0' && strcmp(from, STINT_THRESHOLDS_DEFAULT_FROM) == 0) {
		stint_fail(r, 409, "conflict",
			   "The default thresholds (every team, from 1970-01-01) cannot be deleted; change them instead.",
			   NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_thresholds_delete(&tx, team, from, &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, "There are no thresholds of this team from this date."))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

#define STINT_PROGRAM_NAME "thresholds"
#define STINT_ROUTES_OF_thresholds STINT_MINE
#include "program.h"
