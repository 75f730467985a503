/*
 * recorder.c: the JSON API of the recorder bucket's discovery (issue 13;
 * docs/recorder.md): GET /api/v1/recorder/sessions lists the recordings a
 * sync found (filters recorder, from, to, closed, deleted; limit, offset),
 * POST /api/v1/recorder/sync queues the recorder_sync task that
 * bin/stint-recorder-sync runs (202; one at a time: a second request gets
 * the task already queued or running).
 *
 * Who: the roles that may create sessions (admin, coach, analyst: the
 * manifest's AUTHOR) may list the recordings and ask for a sync; the viewer
 * role may not (403). The list holds no object keys, URLs or settings:
 * files are fetched through a session's download route, after its access
 * check (cgi-bin/recorder-links.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "log.h"
#include "recorder.h"
#include "s3.h"
#include "tasktypes.h"
#include "tx.h"
#include "validate.h"

static const char *const booleans[] = { "true", "false", NULL };

/* The bucket's settings and the task type, read once per worker (recorder_init). */
static stint_s3_conf s3_conf;
static stint_task_types task_types;

static int recorder_init(void)
{
	char err[512];

	if (stint_s3_conf_load(&s3_conf, err, sizeof(err)) != 0) {
		/* the setting is named, its value never logged; the sync answers 503 until it is fixed */
		stint_log(STINT_LOG_ERROR, "recorder: the bucket's settings: %s", err);
		s3_conf.enabled = 0;
	}
	if (stint_task_types_load(NULL, &task_types, err, sizeof(err)) == 0)
		return 0;
	stint_log(STINT_LOG_ERROR, "recorder: %s", err);
	return -1;
}

#define QUERY(member) STINT_DEST(stint_recorder_filter, member)

static const stint_field list_fields[] = {
	{ "recorder", STINT_F_STRING, 0, 1, 200, NULL, QUERY(recorder_id) },
	{ "from", STINT_F_TIMESTAMP, 0, 0, 0, NULL, QUERY(from) },
	{ "to", STINT_F_TIMESTAMP, 0, 0, 0, NULL, QUERY(to) },
	{ "closed", STINT_F_ENUM, 0, 0, 0, booleans, QUERY(closed) },
	{ "deleted", STINT_F_ENUM, 0, 0, 0, booleans, QUERY(deleted) },
	{ "limit", STINT_F_INT, 0, 1, 1000, NULL, QUERY(limit) },
	{ "offset", STINT_F_INT, 0, 0, 100000000, NULL, QUERY(offset) },
};

static void list_recordings(stint_req *r)
{
	stint_recorder_filter f = { NULL, NULL, NULL, NULL, NULL, 50, 0 };
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, STINT_SPEC(list_fields), &f, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	rc = stint_recorder_list(r->db, &f, &json);
	stint_answer_json_text(r, rc, 200, json, NULL);
}

/* Queue a sync (202 with the recorder_sync task, new or already active). */
static void sync_recorder(stint_req *r)
{
	const stint_task_type *type = stint_task_type_find(&task_types, STINT_RECORDER_SYNC_TYPE);
	char *json = NULL, location[64];
	stint_tx tx;
	stint_db_rc rc;
	int created;

	if (!s3_conf.enabled) {
		stint_fail(r, 503, "not_configured",
			   "The recorder bucket is not configured on this server (s3_enabled and the s3_* settings).",
			   NULL);
		return;
	}
	if (type == NULL) {
		stint_log(STINT_LOG_ERROR, "recorder: the task type %s is not declared", STINT_RECORDER_SYNC_TYPE);
		stint_fail(r, 500, "internal", "The recorder sync is not configured on this server.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_recorder_sync_queue(&tx, r->user.id_text, type->max_attempts, &json, &created);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_OK && json != NULL) {
		cJSON *t = cJSON_Parse(json);
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "task_id");

		if (cJSON_IsString(id)) {
			snprintf(location, sizeof(location), "/api/v1/tasks/%s", id->valuestring);
			stint_resp_header(r, "Location", location);
		}
		cJSON_Delete(t);
	}
	stint_answer_json_text(r, rc, 202, json, NULL);
}

#define STINT_PROGRAM_NAME "recorder"
#define STINT_PROGRAM_INIT recorder_init
#define STINT_ROUTES_OF_recorder STINT_MINE
#include "program.h"
