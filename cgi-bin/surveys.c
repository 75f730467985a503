/*
 * surveys.c: a session's player surveys (issue 12): RPE and wellness
 * answers. /api/v1/sessions/<id>/surveys (GET: the surveys with their sRPE
 * load and, per player, the acute:chronic workload ratios; POST: one survey
 * or {"items": [...]}), /surveys/<survey id> (DELETE) and /surveys/import
 * (a PMData-style wellness.csv or srpe.csv of one player). Every write is
 * one audited transaction (lib/surveys.c); nothing is stored when any item
 * or row is invalid.
 */
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "surveys.h"
#include "tx.h"
#include "validate.h"

static void list_surveys(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_surveys_list_text(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

/*
 * Store a validated array of surveys (items, deleted here) in one
 * transaction and answer 201; warnings (a JSON array, or NULL) join the
 * answer as "warnings".
 */
static void store(stint_req *r, cJSON *items, const char *source, cJSON *warnings)
{
	char *text = cJSON_PrintUnformatted(items), *result = NULL, *with = NULL;
	cJSON *answer;
	stint_db_rc rc;
	stint_tx tx;

	cJSON_Delete(items);
	if (text == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_surveys_add(&tx, r->params[0], text, r->user.id_text, source, &result);
	rc = stint_tx_end(&tx);
	free(text);
	if (rc == STINT_DB_OK && warnings != NULL && (answer = cJSON_Parse(result)) != NULL) {
		cJSON_AddItemReferenceToObject(answer, "warnings", warnings);
		with = cJSON_PrintUnformatted(answer);
		cJSON_Delete(answer);
		free(result);
		result = with;
	}
	stint_answer_json_text(r, rc, 201, result, NULL);
}

/* POST surveys: one survey, or {"items": [...]}. */
static void add_surveys(stint_req *r)
{
	cJSON *items = NULL, *errors = NULL;
	int bad = stint_surveys_validate(r->json, &items, &errors);

	if (bad < 0) {
		cJSON_Delete(errors);
		cJSON_Delete(items);
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	} else if (bad > 0) {
		stint_fail_fields(r, errors);
	} else {
		store(r, items, "manual", NULL);
	}
}

typedef struct import_query {
	const char *kind, *player;
} import_query;

static const char *const import_kinds[] = { "wellness", "srpe", NULL };

static const stint_field import_fields[] = {
	{ "kind", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, import_kinds, STINT_DEST(import_query, kind) },
	{ "player", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_DEST(import_query, player) },
};

/* POST surveys/import?kind=wellness|srpe&player=NAME: the CSV file as the body. */
static void import_surveys(stint_req *r)
{
	import_query q = { NULL, NULL };
	cJSON *items = NULL, *errors = NULL, *warnings = NULL;
	int srpe, rc;

	if (stint_validate_query(&r->query, STINT_SPEC(import_fields), &q, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	srpe = strcmp(q.kind, "srpe") == 0;
	rc = stint_surveys_from_csv(srpe ? STINT_SURVEY_CSV_SRPE : STINT_SURVEY_CSV_WELLNESS, q.player,
				    r->body.data, r->body.len, &items, &errors, &warnings);
	if (rc < 0)
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	else if (rc > 0)
		stint_fail(r, 422, "invalid_csv", "The CSV has problems; see fields. Nothing was stored.", errors);
	else
		store(r, items, srpe ? "import:srpe" : "import:wellness", warnings);
	cJSON_Delete(errors);
	cJSON_Delete(warnings);
}

static void delete_survey(stint_req *r)
{
	stint_db_rc rc;
	stint_tx tx;
	int found = 0;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_surveys_delete(&tx, r->params[0], r->params[1], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, "There is no such survey in this session."))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

#define STINT_PROGRAM_NAME "surveys"
#define STINT_ROUTES_OF_surveys STINT_MINE
#include "program.h"
