/*
 * compat.c: the seed products' own calls, answered by the native modules
 * (issue 14; docs/compat.md). Each route maps one documented call of a
 * product Stint replaces onto lib/tasks.h and reshapes the native answer
 * into the product's fields; the native logic (access, dedupe, policies,
 * audit, announcements) is the module's, never repeated here.
 *
 *  - seed 002 (the e-shop's task sessions), under /eshop/api/v1/sessions:
 *    a "task session" is a task whose group_key is the e-shop's short_id;
 *  - seed 004 (Player1), /api/sessions/<id>/process/ and .../status/: a
 *    session's report, with the upper-case processing_status values;
 *  - seed 001 (ProjectClimb), /ws/session-live/<id>/: the session's live
 *    WebSocket (lib/livesub.h), two-way as /live/sessions/<id> is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fail.h"
#include "livesub.h"
#include "log.h"
#include "tasks.h"
#include "tasktypes.h"
#include "tx.h"
#include "validate.h"

#define PARAMS_MAX (64 * 1024)
#define SHORT_ID_MAX 64   /* a short id is a path segment: lib/route.c reads at most 64 bytes */

static const char no_task_session[] = "There is no session for this task.";

/* The task types, read once per worker (task_types_init). */
static stint_task_types task_types;

static int task_types_init(void)
{
	char err[512];

	if (stint_task_types_load(NULL, &task_types, err, sizeof(err)) == 0)
		return 0;
	stint_log(STINT_LOG_ERROR, "compat: %s", err);
	return -1;
}

/* --- seed 002: the e-shop's task sessions --------------------------------- */

/* The seed's status of a task's status: active while queued or running. */
static const char *eshop_status(const char *status)
{
	if (strcmp(status, "queued") == 0 || strcmp(status, "running") == 0)
		return "active";
	if (strcmp(status, "completed") == 0)
		return "completed";
	return "failed";  /* failed, and cancelled (a task session ended without its work) */
}

/* Whether a task of type name keeps a record (the seed's scraping tasks do not, and are never shown). */
static int eshop_tracked(const char *name)
{
	const stint_task_type *type = stint_task_type_find(&task_types, name);

	return type == NULL || type->tracked;
}

/*
 * The seed's session object of native task t (a Task of docs/openapi.yaml):
 * {short_id, task_type, task_id, user_id, status, created_at, updated_at};
 * user_id is the e-shop's own, kept in params.user_id (null without one).
 * NULL on out of memory. Caller deletes it.
 */
static cJSON *eshop_session(const cJSON *t)
{
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(t, "params");
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(params, "user_id");
	const char *names[] = { "short_id", "task_type", "task_id" };
	const char *from[] = { "group_key", "task_type", "task_id" };
	cJSON *s = cJSON_CreateObject();
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "status"));
	int ok = s != NULL && status != NULL;

	for (size_t i = 0; ok && i < sizeof(names) / sizeof(names[0]); i++)
		ok = cJSON_AddItemToObject(s, names[i],
					   cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(t, from[i]), 0));
	ok = ok && (cJSON_IsString(user) ? cJSON_AddStringToObject(s, "user_id", user->valuestring)
					 : cJSON_AddNullToObject(s, "user_id")) != NULL;
	ok = ok && cJSON_AddStringToObject(s, "status", eshop_status(status)) != NULL;
	ok = ok && cJSON_AddItemToObject(s, "created_at",
					 cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(t, "created_at"), 0));
	ok = ok && cJSON_AddItemToObject(s, "updated_at",
					 cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(t, "updated_at"), 0));
	if (!ok) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

/* Answer the seed's session object of the native task JSON text json (freed here). */
static void eshop_answer_session(stint_req *r, int status, char *json)
{
	cJSON *t = cJSON_Parse(json), *s;

	free(json);
	if (t == NULL || (s = eshop_session(t)) == NULL) {
		cJSON_Delete(t);
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	stint_resp_json(r, status, s);
	cJSON_Delete(s);
	cJSON_Delete(t);
}

/* Now as the seed writes its times, 2024-01-01T12:00:00Z, in buf. */
static void utc_now(char buf[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * GET /eshop/api/v1/sessions/<short_id>: {short_id, sessions, total_sessions,
 * timestamp}, the tasks of group short_id that the caller may see (the
 * newest 1,000), without untracked types. (The router takes a segment of
 * at most 64 bytes: a registration refuses a longer short_id.)
 */
static void eshop_sessions(stint_req *r)
{
	stint_task_query q = { NULL, r->params[0], NULL, NULL, 1000, 0, r->user.id_text,
			       strcmp(r->user.role, "admin") == 0 };
	cJSON *page = NULL, *out = NULL, *list = NULL, *s;
	const cJSON *t;
	char *json = NULL, now[32];
	stint_db_rc rc;

	rc = stint_task_list(r->db, &q, &json);
	if (rc != STINT_DB_OK) {
		free(json);
		stint_fail_db(r, rc);
		return;
	}
	page = cJSON_Parse(json);
	free(json);
	out = cJSON_CreateObject();
	if (page == NULL || out == NULL || cJSON_AddStringToObject(out, "short_id", r->params[0]) == NULL ||
	    (list = cJSON_AddArrayToObject(out, "sessions")) == NULL)
		goto oom;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(page, "items")) {
		if (!eshop_tracked(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "task_type"))))
			continue;
		if ((s = eshop_session(t)) == NULL || !cJSON_AddItemToArray(list, s))
			goto oom;
	}
	utc_now(now);
	if (cJSON_AddNumberToObject(out, "total_sessions", cJSON_GetArraySize(list)) == NULL ||
	    cJSON_AddStringToObject(out, "timestamp", now) == NULL)
		goto oom;
	stint_resp_json(r, 200, out);
	goto out;
oom:
	stint_fail(r, 500, "internal", "Out of memory.", NULL);
out:
	cJSON_Delete(out);
	cJSON_Delete(page);
}

/*
 * The caller's grant on the task the route names (the seed's task_id: a
 * task's UUID): 1 when it is at least need; else answers (404 for a task
 * it may not see or an id that is no task's, 403 for one it may only see)
 * and returns 0.
 */
static int eshop_task_grant(stint_req *r, stint_grant need)
{
	stint_grant grant = STINT_GRANT_ABSENT;
	stint_db_rc rc = STINT_DB_OK;

	if (stint_is_uuid(r->params[0]))
		rc = stint_task_access(r->db, r->params[0], r->user.id_text, &grant);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (grant == STINT_GRANT_ABSENT || grant == STINT_GRANT_NONE)
		stint_fail(r, 404, "not_found", no_task_session, NULL);
	else if (grant < need)
		stint_fail(r, 403, "forbidden", "You may not change this task's session.", NULL);
	else
		return 1;
	return 0;
}

/*
 * GET /eshop/api/v1/sessions/task/<task_id>: the seed's session object;
 * 404 for a task without a group_key (no task session) or of an untracked type.
 */
static void eshop_session_of_task(stint_req *r)
{
	cJSON *t;
	char *json = NULL;
	stint_db_rc rc;
	int found;

	if (!eshop_task_grant(r, STINT_GRANT_VIEW))
		return;
	rc = stint_task_get(r->db, r->params[0], &json);
	t = json != NULL ? cJSON_Parse(json) : NULL;
	found = t != NULL && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(t, "group_key")) &&
		eshop_tracked(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "task_type")));
	cJSON_Delete(t);
	if (!stint_found_or_fail(r, rc, found, no_task_session)) {
		free(json);
		return;
	}
	eshop_answer_session(r, 200, json);
}

/* Whether the task JSON text json is a removed record's ("removed": true). */
static int eshop_removed(const char *json)
{
	cJSON *t = cJSON_Parse(json);
	int removed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "removed"));

	cJSON_Delete(t);
	return removed;
}

/*
 * DELETE /eshop/api/v1/sessions/task/<task_id>: the task's DELETE
 * (stint_task_cancel, remove_finished): a finished task's record is removed
 * (204), a queued one cancelled (200 with its session, now failed), a
 * running one asked to stop (202 with its session).
 */
static void eshop_remove_session(stint_req *r)
{
	stint_task_cancel_result what;
	char *json = NULL;
	stint_tx tx;
	stint_db_rc rc;

	if (!eshop_task_grant(r, STINT_GRANT_EDIT))
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_cancel(&tx, &task_types, r->params[0], 1, &what, &json);
	rc = stint_tx_end(&tx);
	if (!stint_found_or_fail(r, rc, what != STINT_TASK_ABSENT, no_task_session))
		free(json);
	else if (what == STINT_TASK_REMOVED || json == NULL || eshop_removed(json)) {
		free(json);
		stint_resp_send(r, 204, NULL, NULL, 0);
	} else
		eshop_answer_session(r, what == STINT_TASK_CANCELLED ? 200 : 202, json);
}

typedef struct eshop_in {
	const char *short_id, *task_type, *user_id;
} eshop_in;

#define EIN(member) STINT_DEST(eshop_in, member)

static const stint_field eshop_fields[] = {
	{ "short_id", STINT_F_STRING, STINT_F_REQUIRED, 1, SHORT_ID_MAX, NULL, EIN(short_id) },
	{ "task_type", STINT_F_IDENT, STINT_F_REQUIRED, 1, STINT_TASK_TYPE_LEN, NULL, EIN(task_type) },
	{ "user_id", STINT_F_STRING, 0, 1, 200, NULL, EIN(user_id) },
};

/*
 * Split the body of a registration: its short_id, task_type and user_id
 * into *known, every member into *params (the seed's create_task keyword
 * arguments; user_id kept there too, the e-shop's own user). Caller
 * deletes both. -1 on out of memory.
 */
static int eshop_split(const cJSON *body, cJSON **known, cJSON **params)
{
	const cJSON *m;

	*known = cJSON_CreateObject();
	*params = cJSON_CreateObject();
	if (*known == NULL || *params == NULL)
		return -1;
	cJSON_ArrayForEach(m, body) {
		int is_known = strcmp(m->string, "short_id") == 0 || strcmp(m->string, "task_type") == 0 ||
			       strcmp(m->string, "user_id") == 0;

		if (is_known && !cJSON_AddItemToObject(*known, m->string, cJSON_Duplicate(m, 1)))
			return -1;
		if (strcmp(m->string, "short_id") != 0 && strcmp(m->string, "task_type") != 0 &&
		    !cJSON_AddItemToObject(*params, m->string, cJSON_Duplicate(m, 1)))
			return -1;
	}
	return 0;
}

/*
 * POST /eshop/api/v1/sessions {short_id, task_type, user_id?, ...}: the
 * seed's create_task(type, user_id=, short_id=, **kwargs) as a task of the
 * declared type with group_key short_id (stint_task_create); 201 with the
 * seed's session object. A type that keeps no record (scraping) is queued
 * all the same, and the answer says so: 202 with {"task_id", "session": null}.
 */
static void eshop_register(stint_req *r)
{
	eshop_in in = { NULL, NULL, NULL };
	const stint_task_type *type;
	cJSON *errors = NULL, *known = NULL, *params = NULL, *out;
	char *params_text = NULL, *json = NULL, id[STINT_TASK_ID_LEN];
	stint_task_new t;
	stint_tx tx;
	stint_db_rc rc;
	int created;

	if (!cJSON_IsObject(r->json)) {
		stint_fail_field(r, "(body)", "must be a JSON object");
		return;
	}
	if (eshop_split(r->json, &known, &params) != 0 ||
	    (params_text = cJSON_PrintUnformatted(params)) == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		goto out;
	}
	if (stint_validate_json(known, STINT_SPEC(eshop_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		goto out;
	}
	if (strchr(in.short_id, '/') != NULL || strcmp(in.short_id, ".") == 0 || strcmp(in.short_id, "..") == 0 ||
	    strlen(in.short_id) > SHORT_ID_MAX) {
		stint_fail_field(r, "short_id", "is read back as one path segment: at most 64 bytes, no '/', not . or ..");
		goto out;
	}
	if (strlen(params_text) > PARAMS_MAX) {
		stint_fail_field(r, "(body)", "is larger than 64 KiB");
		goto out;
	}
	if ((type = stint_task_type_find(&task_types, in.task_type)) == NULL) {
		stint_fail_field(r, "task_type", "is not a known task type");
		goto out;
	}
	t = (stint_task_new){ NULL, in.short_id, type->name, NULL, params_text, 100, type->max_attempts,
			      r->user.id_text };
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_create(&tx, &t, &json, &created, id);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK || json == NULL) {
		free(json);
		stint_answer_json_text(r, rc, 201, NULL, NULL);
	} else if (!type->tracked) {
		free(json);
		out = cJSON_CreateObject();
		if (out != NULL && cJSON_AddStringToObject(out, "task_id", id) != NULL &&
		    cJSON_AddNullToObject(out, "session") != NULL)
			stint_resp_json(r, 202, out);
		else
			stint_fail(r, 500, "internal", "Out of memory.", NULL);
		cJSON_Delete(out);
	} else
		eshop_answer_session(r, 201, json);
out:
	cJSON_free(params_text);
	cJSON_Delete(known);
	cJSON_Delete(params);
}

/* --- seed 004: Player1's report ------------------------------------------- */

/* Upper-cases the processing_status of the native object o in place. */
static void player1_status_upper(cJSON *o)
{
	cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "processing_status");

	if (cJSON_IsString(s))
		for (char *c = s->valuestring; *c != '\0'; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
}

/*
 * Answer the session's status (GET .../status/, and the body of a 202 to
 * POST .../process/): the native stint_task_session_status() object with
 * processing_status upper-cased (PENDING, QUEUED, PROCESSING, COMPLETED,
 * FAILED).
 */
static void player1_answer_status(stint_req *r, int status)
{
	char *json = NULL;
	cJSON *o;
	stint_db_rc rc = stint_task_session_status(r->db, r->params[0], &json);

	if (rc != STINT_DB_OK || json == NULL) {
		stint_answer_json_text(r, rc, status, json, "There is no session with this id.");
		return;
	}
	o = cJSON_Parse(json);
	free(json);
	if (o == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	player1_status_upper(o);
	stint_resp_json(r, status, o);
	cJSON_Delete(o);
}

/* POST /api/sessions/<id>/process/: the native POST .../process; 202 with the status. */
static void player1_process(stint_req *r)
{
	const stint_task_type *type = stint_task_type_find(&task_types, STINT_TASK_REPORT);
	char *json = NULL, id[STINT_TASK_ID_LEN];
	stint_tx tx;
	stint_db_rc rc;
	int created;

	if (type == NULL) {
		stint_log(STINT_LOG_ERROR, "compat: the task type %s is not declared", STINT_TASK_REPORT);
		stint_fail(r, 500, "internal", "Reports are not configured on this server.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_process_session(&tx, r->params[0], r->user.id_text, type->max_attempts, &json, &created, id);
	rc = stint_tx_end(&tx);
	free(json);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	player1_answer_status(r, 202);
}

/* GET /api/sessions/<id>/status/. */
static void player1_status(stint_req *r)
{
	player1_answer_status(r, 200);
}

/*
 * GET /ws/session-live/<id>/ (seed 001's SessionConsumer): the session's
 * live messages, as GET /live/sessions/<id>; over a WebSocket the client
 * also sends its session_update, climb_update and pose_update frames there
 * (cgi-bin/live.c's ws_frame(): editors only, else the socket closes 1008).
 */
static void climb_session_live(stint_req *r)
{
	stint_live_subscribe(r, r->params[0]);
}

#define STINT_PROGRAM_NAME "compat"
#define STINT_PROGRAM_INIT task_types_init
#define STINT_ROUTES_OF_compat STINT_MINE
#include "program.h"
