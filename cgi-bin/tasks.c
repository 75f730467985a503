/*
 * tasks.c: the JSON API of tasks, /api/v1/tasks (issue 11; docs/tasks.md):
 * create (a task of a type declared in conf/tasks.conf), list (filters,
 * only what the caller may see), get, cancel and retry (a failed or
 * cancelled task queued again); and a session's report:
 * /api/v1/sessions/<id>/process queues it, .../status follows it; a session's
 * clips analyzed again: /api/v1/sessions/<id>/analyze (lib/analysis.h). The routes are open to
 * anyone signed in; each handler checks the task's own access (lib/tasks.h):
 * a task the caller may not see answers 404, as one that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "fail.h"
#include "log.h"
#include "tasks.h"
#include "tasktypes.h"
#include "tx.h"

#define PARAMS_MAX (64 * 1024)

static const char no_task[] = "There is no task with this id.";

/* The task types, read once per worker (task_types_init). */
static stint_task_types task_types;

static int task_types_init(void)
{
	char err[512];

	if (stint_task_types_load(NULL, &task_types, err, sizeof(err)) != 0) {
		stint_log(STINT_LOG_ERROR, "tasks: %s", err);
		return -1;
	}
	return stint_analysis_worker_init();
}

typedef struct task_in {
	const char *task_type, *session_id, *group_key, *dedupe_key;
	const cJSON *params;
	long priority;
} task_in;

#define IN(member) STINT_DEST(task_in, member)

static const stint_field task_fields[] = {
	{ "task_type", STINT_F_IDENT, STINT_F_REQUIRED, 1, STINT_TASK_TYPE_LEN, NULL, IN(task_type) },
	{ "session_id", STINT_F_UUID, STINT_F_NULLABLE, 0, 0, NULL, IN(session_id) },
	{ "group_key", STINT_F_STRING, STINT_F_NULLABLE, 1, 200, NULL, IN(group_key) },
	{ "dedupe_key", STINT_F_STRING, 0, 0, 200, NULL, IN(dedupe_key) },
	{ "params", STINT_F_OBJECT, 0, 0, PARAMS_MAX, NULL, IN(params) },
	{ "priority", STINT_F_INT, 0, 0, 1000, NULL, IN(priority) },
};

/*
 * May the caller queue a task for session_id (NULL: none, its own)? 1 when
 * it may change the session; else answers (a session it cannot see is
 * named as the field's problem, as one that does not exist) and returns 0.
 */
static int may_create(stint_req *r, const char *session_id)
{
	stint_grant grant;
	stint_db_rc rc;

	if (session_id == NULL)
		return 1;
	rc = stint_session_access(r->db, session_id, r->user.id_text, 0, &grant);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (grant == STINT_GRANT_ABSENT || grant == STINT_GRANT_NONE)
		stint_fail_field(r, "session_id", "is not a session you can see");
	else if (grant == STINT_GRANT_VIEW)
		stint_fail(r, 403, "forbidden", "You may not change this session.", NULL);
	else
		return 1;
	return 0;
}

static void create_task(stint_req *r)
{
	task_in in = { NULL, NULL, NULL, NULL, NULL, 100 };
	const stint_task_type *type;
	cJSON *errors = NULL;
	char *params = NULL, *json = NULL, id[STINT_TASK_ID_LEN], location[64];
	stint_task_new t;
	stint_tx tx;
	stint_db_rc rc;
	int created;

	if (stint_validate_json(r->json, STINT_SPEC(task_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if ((type = stint_task_type_find(&task_types, in.task_type)) == NULL) {
		stint_fail_field(r, "task_type", "is not a known task type");
		return;
	}
	if (!may_create(r, in.session_id))
		return;
	if (in.params != NULL && (params = cJSON_PrintUnformatted(in.params)) == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	t = (stint_task_new){ in.session_id, in.group_key, type->name, in.dedupe_key, params, in.priority,
			      type->max_attempts, r->user.id_text };
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_create(&tx, &t, &json, &created, id);
	rc = stint_tx_end(&tx);
	cJSON_free(params);
	if (rc == STINT_DB_OK && created) {
		snprintf(location, sizeof(location), "/api/v1/tasks/%s", id);
		stint_resp_header(r, "Location", location);
	}
	stint_answer_json_text(r, rc, created ? 201 : 200, json, NULL);
}

static void list_tasks(stint_req *r)
{
	stint_task_query q;
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;

	if (stint_task_query_parse(&r->query, &q, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	q.user_id = r->user.id_text;
	q.is_admin = strcmp(r->user.role, "admin") == 0;
	rc = stint_task_list(r->db, &q, &json);
	stint_answer_json_text(r, rc, 200, json, NULL);
}

/*
 * The caller's grant on the route's task: 1 when it is at least need; else
 * answers (404 for a task it may not see, 403 for one it may only see) and
 * returns 0.
 */
static int task_grant(stint_req *r, stint_grant need)
{
	stint_grant grant;
	stint_db_rc rc = stint_task_access(r->db, r->params[0], r->user.id_text, &grant);

	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (grant == STINT_GRANT_ABSENT || grant == STINT_GRANT_NONE)
		stint_fail(r, 404, "not_found", no_task, NULL);
	else if (grant < need)
		stint_fail(r, 403, "forbidden", "You may not change this task's session.", NULL);
	else
		return 1;
	return 0;
}

static void get_task(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc;

	if (!task_grant(r, STINT_GRANT_VIEW))
		return;
	rc = stint_task_get(r->db, r->params[0], &json);
	stint_answer_json_text(r, rc, 200, json, no_task);
}

/* Cancel a queued task (200), ask a running one to stop (202), remove a finished one's record (204). */
static void cancel_task(stint_req *r)
{
	stint_task_cancel_result what;
	char *json = NULL;
	stint_tx tx;
	stint_db_rc rc;

	if (!task_grant(r, STINT_GRANT_EDIT))
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_cancel(&tx, &task_types, r->params[0], 1, &what, &json);
	rc = stint_tx_end(&tx);
	if (!stint_found_or_fail(r, rc, what != STINT_TASK_ABSENT, no_task))
		free(json);
	else if (what == STINT_TASK_REMOVED) {
		free(json);
		stint_resp_send(r, 204, NULL, NULL, 0);
	} else
		stint_answer_json_text(r, rc, what == STINT_TASK_CANCELLED ? 200 : 202, json, NULL);
}

/*
 * Queue a failed or cancelled task again (200 with the task); 409 for one
 * that is queued or running, one that completed, or when the session has
 * another active task of its type and key.
 */
static void retry_task(stint_req *r)
{
	stint_task_retry_result what;
	char *json = NULL;
	stint_tx tx;
	stint_db_rc rc;

	if (!task_grant(r, STINT_GRANT_EDIT))
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_retry(&tx, r->params[0], &what, &json);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_CONFLICT)
		stint_fail(r, 409, "conflict",
			   "The session has another queued or running task of this type; cancel it first.", NULL);
	else if (rc == STINT_DB_OK && what == STINT_TASK_RETRY_ACTIVE)
		stint_fail(r, 409, "conflict", "The task is queued or running: there is nothing to retry yet.", NULL);
	else if (rc == STINT_DB_OK && what == STINT_TASK_RETRY_COMPLETED)
		stint_fail(r, 409, "conflict", "The task completed: there is nothing to retry.", NULL);
	else if (stint_found_or_fail(r, rc, what != STINT_TASK_RETRY_ABSENT, no_task)) {
		stint_answer_json_text(r, rc, 200, json, NULL);
		return;
	}
	free(json);
}

/*
 * Queue the session's report (202 with its process_report task, new or already active); 422 naming
 * what the session lacks for one (participants, device_files, window).
 */
static void process_session(stint_req *r)
{
	const stint_task_type *type = stint_task_type_find(&task_types, STINT_TASK_REPORT);
	char *json = NULL, id[STINT_TASK_ID_LEN], location[64];
	stint_tx tx;
	stint_db_rc rc;
	const char *field, *problem;
	int created;

	if (type == NULL) {
		stint_log(STINT_LOG_ERROR, "tasks: the task type %s is not declared", STINT_TASK_REPORT);
		stint_fail(r, 500, "internal", "Reports are not configured on this server.", NULL);
		return;
	}
	rc = stint_task_report_missing(r->db, r->params[0], &field, &problem);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (field != NULL) {
		stint_fail_field(r, field, problem);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_process_session(&tx, r->params[0], r->user.id_text, type->max_attempts, &json, &created, id);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_OK && created) {
		snprintf(location, sizeof(location), "/api/v1/tasks/%s", id);
		stint_resp_header(r, "Location", location);
	}
	stint_answer_json_text(r, rc, 202, json, NULL);
}

static void session_status(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_task_session_status(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no session with this id.");
}

typedef struct analyze_in {
	const char *analyzer;
	const char *clip_id;     /* digits, or NULL: every clip the analyzer takes */
	long long clip;
} analyze_in;

static const stint_field analyze_fields[] = {
	{ "analyzer", STINT_F_STRING, STINT_F_REQUIRED, 1, STINT_ANALYZER_NAME_LEN, NULL, STINT_DEST(analyze_in, analyzer) },
	{ "clip_id", STINT_F_INT, STINT_F_NULLABLE, 1, 9000000000000000000LL, NULL, STINT_DEST(analyze_in, clip) },
};

/*
 * Analyze the session's clips again with one analyzer: 202 with {"items":
 * [its analyze_clip tasks]}, one per clip (new, or the one already queued
 * or running for that analyzer and clip).
 */
static void analyze_session(stint_req *r)
{
	analyze_in in = { NULL, NULL, 0 };
	const stint_analyzer *a;
	cJSON *errors = NULL, *ids = NULL, *answer = NULL, *items;
	char clip[24], *text = NULL;
	stint_tx tx;
	stint_db_rc rc;
	int found, created;

	if (stint_validate_json(r->json, STINT_SPEC(analyze_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if ((a = stint_analyzer_find(stint_analysis_analyzers(), in.analyzer)) == NULL) {
		stint_fail_field(r, "analyzer", "is not an analyzer of this server");
		return;
	}
	if (cJSON_IsNumber(cJSON_GetObjectItem(r->json, "clip_id"))) {
		snprintf(clip, sizeof(clip), "%lld", in.clip);
		in.clip_id = clip;
	}
	rc = stint_analysis_clips(r->db, r->params[0], a, in.clip_id, &ids, &found);
	if (rc == STINT_DB_OK && in.clip_id != NULL && cJSON_GetArraySize(ids) == 0) {
		stint_fail_field(r, "clip_id", found == 0 ? "is not a clip of this session" :
				 "is not a clip this analyzer can analyze (a stored file of a kind it takes)");
		goto out;
	}
	if (rc == STINT_DB_OK) {
		answer = cJSON_CreateObject();
		items = cJSON_AddArrayToObject(answer, "items");
		stint_tx_begin(&tx, r->db, r->user.id_text);
		if (items == NULL)
			stint_tx_fail(&tx, STINT_DB_ERROR);
		stint_analysis_queue_clips(&tx, r->params[0], a, ids, items, &created);
		rc = stint_tx_end(&tx);
	}
	if (rc == STINT_DB_OK)
		text = cJSON_PrintUnformatted(answer);
	stint_answer_json_text(r, rc, 202, text, NULL);
out:
	cJSON_Delete(answer);
	cJSON_Delete(ids);
}

#define STINT_PROGRAM_NAME "tasks"
#define STINT_PROGRAM_INIT task_types_init
#define STINT_ROUTES_OF_tasks STINT_MINE
#include "program.h"
