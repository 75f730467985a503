/*
 * events.c: a session's timeline of tagged events and its rollups:
 * /api/v1/sessions/<id>/events (batch POST with Idempotency-Key, CSV
 * import, filtered GET), /events/<event id> (GET, PATCH, DELETE),
 * /rollup (+ /rebuild) and /export/events.csv, /export/rollup.csv.
 * Rollups change in the same transaction as the events (database triggers);
 * the writes themselves are lib/timeline.c, shared with the pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "auth.h"
#include "db.h"
#include "events.h"
#include "live.h"
#include "server.h"
#include "timeline.h"
#include "validate.h"

static void send_one(stint_req *r, stint_sql id, int n, const char *const *p, const char *ctype,
		     const char *missing)
{
	char *text = NULL;
	stint_db_rc rc = stint_db_text(r->db, id, n, p, &text);

	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (text == NULL)
		stint_fail(r, 404, "not_found", missing, NULL);
	else
		stint_resp_send(r, 200, ctype, text, strlen(text));
	free(text);
}

static void body_sha256(const stint_req *r, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int n = 0, i;

	EVP_Digest(r->body.data, r->body.len, md, &n, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/*
 * Claim the Idempotency-Key of this request inside the open transaction.
 * Returns 1 when the request should run, 0 after answering (a replay, or a
 * key reused for another body), -1 after answering a database error.
 */
static int claim_key(stint_req *r, const char *key)
{
	char sha[65];
	const char *p[3] = { r->params[0], key, sha };
	PGresult *res = NULL;
	stint_db_rc rc;
	int claimed;

	body_sha256(r, sha);
	rc = stint_db_exec(r->db, STINT_SQL_IDEM_CLAIM, 3, p, &res);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return -1;
	}
	claimed = PQntuples(res) == 1;
	PQclear(res);
	if (claimed)
		return 1;
	rc = stint_db_exec(r->db, STINT_SQL_IDEM_GET, 2, p, &res);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 0), sha) != 0) {
		stint_fail(r, 422, "idempotency_key_reused",
			   "This Idempotency-Key was used for a different request body.", NULL);
	} else {
		stint_resp_header(r, "Idempotent-Replayed", "true");
		stint_resp_json_text(r, atoi(PQgetvalue(res, 0, 1)), PQgetvalue(res, 0, 2),
				     (size_t)PQgetlength(res, 0, 2));
	}
	PQclear(res);
	return 0;
}

static int valid_key(const char *key)
{
	size_t n = key ? strlen(key) : 0, i;

	for (i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return 0;
	return n >= 1 && n <= 200;
}

/* Store a validated batch (JSON array text) in one transaction; answers. */
static void store_batch(stint_req *r, const char *events_json, const char *source)
{
	const char *key = stint_req_env(r, "HTTP_IDEMPOTENCY_KEY");
	const char *sp[4];
	char *result = NULL;
	stint_db_rc rc;
	int go = 1;

	if (key != NULL && !valid_key(key)) {
		stint_fail(r, 400, "bad_idempotency_key",
			   "Idempotency-Key must be 1 to 200 visible ASCII characters.", NULL);
		return;
	}
	rc = stint_db_begin(r->db);
	if (rc == STINT_DB_OK && key != NULL && (go = claim_key(r, key)) != 1) {
		stint_db_rollback(r->db);
		return;
	}
	if (rc == STINT_DB_OK)
		rc = stint_timeline_insert(r, r->params[0], events_json, source, &result);
	if (rc == STINT_DB_OK && key != NULL) {
		sp[0] = r->params[0];
		sp[1] = key;
		sp[2] = "201";
		sp[3] = result;
		rc = stint_db_exec(r->db, STINT_SQL_IDEM_STORE, 4, sp, NULL);
	}
	rc = stint_live_finish(r, rc);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		stint_resp_json_text(r, 201, result, strlen(result));
	free(result);
}

/* Validate a batch array and its clips; answers and returns 0 on problems. */
static int batch_ok(stint_req *r, const cJSON *events)
{
	cJSON *errors = NULL;
	int bad = stint_events_validate(events, &errors);
	stint_db_rc rc;

	if (bad == 0 && (rc = stint_timeline_check_clips(r, r->params[0], events, &errors, &bad)) != STINT_DB_OK) {
		cJSON_Delete(errors);
		stint_fail_db(r, rc);
		return 0;
	}
	if (bad != 0) {
		stint_fail_fields(r, errors);
		return 0;
	}
	return 1;
}

/* POST events: {"events": [...]} or a bare array. */
static void add_events(stint_req *r)
{
	const cJSON *events = cJSON_IsArray(r->json) ? r->json : cJSON_GetObjectItem(r->json, "events");
	const cJSON *item, *fields = cJSON_IsObject(r->json) ? r->json : NULL;

	cJSON_ArrayForEach(item, fields) {
		if (strcmp(item->string, "events") != 0) {
			cJSON *errors = cJSON_CreateObject();

			cJSON_AddStringToObject(errors, item->string, "is not a known field");
			stint_fail_fields(r, errors);
			return;
		}
	}
	if (batch_ok(r, events))
		store_batch(r, r->body.data, "manual");  /* as sent: numbers keep their precision */
}

/* POST import/events.csv: the CSV that export/events.csv writes. */
static void import_csv(stint_req *r)
{
	cJSON *events = NULL, *errors = NULL;
	char *text;
	int rc = stint_events_from_csv(r->body.data, r->body.len, &events, &errors);

	if (rc != 0) {
		if (rc < 0)
			stint_fail(r, 500, "internal", "Out of memory.", NULL);
		else
			stint_fail(r, 422, "invalid_csv", "The CSV has problems; see fields.", errors);
		cJSON_Delete(errors);
		return;
	}
	if (!batch_ok(r, events)) {
		cJSON_Delete(events);
		return;
	}
	text = cJSON_PrintUnformatted(events);
	cJSON_Delete(events);
	if (text == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	store_batch(r, text, "import:csv");
	free(text);
}

static const char *const list_teams[] = { "A", "B", NULL };
static const stint_field list_fields[] = {
	{ "type", STINT_F_IDENT, 0, 1, 40, NULL },
	{ "team", STINT_F_ENUM, 0, 0, 0, list_teams },
	{ "player", STINT_F_INT, 0, 0, 999, NULL },
	{ "from", STINT_F_NUMBER, 0, 0, 10000000, NULL },
	{ "to", STINT_F_NUMBER, 0, 0, 10000000, NULL },
	{ "limit", STINT_F_INT, 0, 1, 10000, NULL },
	{ "offset", STINT_F_INT, 0, 0, 100000000, NULL },
};

static void list_events(stint_req *r)
{
	const char *p[8], *v;
	cJSON *errors = NULL;
	size_t i;

	if (stint_validate_query(&r->query, list_fields, 7, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	p[0] = r->params[0];
	for (i = 0; i < 7; i++) {
		v = stint_kv_get(&r->query, list_fields[i].name);
		p[i + 1] = v != NULL && *v != '\0' ? v : NULL;
	}
	if (p[6] == NULL)
		p[6] = "1000";
	if (p[7] == NULL)
		p[7] = "0";
	send_one(r, STINT_SQL_EVENTS_LIST, 8, p, "application/json", "There is no such session.");
}

static int event_id_ok(stint_req *r)
{
	const char *id = r->params[1];

	if (strspn(id, "0123456789") == strlen(id) && strlen(id) <= 18)
		return 1;
	stint_fail(r, 404, "not_found", "There is no such event in this session.", NULL);
	return 0;
}

static void get_event(stint_req *r)
{
	if (event_id_ok(r))
		send_one(r, STINT_SQL_EVENT_GET, 2, r->params, "application/json",
			 "There is no such event in this session.");
}

static void patch_event(stint_req *r)
{
	cJSON *errors = NULL, *batch;
	char *result = NULL;
	stint_db_rc rc = STINT_DB_OK;
	int bad;

	if (!event_id_ok(r))
		return;
	bad = stint_validate_json(r->json, stint_event_fields, stint_event_nfields, 1, &errors);
	if (bad == 0 && (batch = cJSON_CreateArray()) != NULL) {
		cJSON_AddItemReferenceToArray(batch, r->json);
		rc = stint_timeline_check_clips(r, r->params[0], batch, &errors, &bad);
		cJSON_Delete(batch);
	}
	if (rc == STINT_DB_OK && bad != 0) {
		/* one event, not a batch: name the field itself */
		cJSON *clip = cJSON_DetachItemFromObject(errors, "events[0].clip_id");

		if (clip != NULL)
			cJSON_AddItemToObject(errors, "clip_id", clip);
		stint_fail_fields(r, errors);
		return;
	}
	if (rc == STINT_DB_OK)
		rc = stint_timeline_patch(r, r->params[0], r->params[1], r->body.data, &result);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (result == NULL)
		stint_fail(r, 404, "not_found", "There is no such event in this session.", NULL);
	else
		stint_resp_json_text(r, 200, result, strlen(result));
	free(result);
	cJSON_Delete(errors);
}

static void delete_event(stint_req *r)
{
	stint_db_rc rc;
	int found = 0;

	if (!event_id_ok(r))
		return;
	rc = stint_timeline_delete(r, r->params[0], r->params[1], &found);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (!found)
		stint_fail(r, 404, "not_found", "There is no such event in this session.", NULL);
	else
		stint_resp_send(r, 204, NULL, NULL, 0);
}

static void get_rollup(stint_req *r)
{
	send_one(r, STINT_SQL_ROLLUP_GET, 1, r->params, "application/json", "There is no such session.");
}

static void rebuild_rollup(stint_req *r)
{
	stint_db_rc rc = stint_db_begin(r->db);

	if (rc == STINT_DB_OK)
		rc = stint_db_exec(r->db, STINT_SQL_ROLLUP_REBUILD, 1, r->params, NULL);
	if (rc == STINT_DB_OK)
		rc = stint_audit(r, "rollup.rebuild", "session", r->params[0], NULL);
	if (rc == STINT_DB_OK)
		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD_ROLLUP, 1, r->params);
	rc = stint_live_finish(r, rc);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		get_rollup(r);
}

static void export_csv(stint_req *r, stint_sql id, const char *name)
{
	char disposition[128];

	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%.36s-%s\"", r->params[0], name);
	stint_resp_header(r, "Content-Disposition", disposition);
	send_one(r, id, 1, r->params, "text/csv; charset=utf-8; header=present", "There is no such session.");
}

static void export_events(stint_req *r)
{
	export_csv(r, STINT_SQL_EXPORT_EVENTS_CSV, "events.csv");
}

static void export_rollup(stint_req *r)
{
	export_csv(r, STINT_SQL_EXPORT_ROLLUP_CSV, "rollup.csv");
}

#define STINT_ROUTES_OF_events STINT_MINE
static const stint_route event_routes[] = {
#include "routes.def"
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"events", event_routes, sizeof(event_routes) / sizeof(event_routes[0]), NULL, NULL
	};

	return stint_server_main(argc, argv, &app);
}
