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
 *    WebSocket (lib/livesub.h), two-way as /live/sessions/<id> is;
 *    /api/sessions/ and /api/sessions/<id>/ (lib/sessions.h) with the
 *    seed's Session fields, PUT a whole-object update; /api/session-recordings/
 *    as the sessions' clips (lib/media.h);
 *  - seed 003 (the DJ system's session-recorder API), under
 *    /api/session-recorder/: the recorder bucket's recordings and a
 *    session's link to one (lib/recorder.h, lib/recorder-links.h); and
 *    its POST /api/sessions/start, a DJ's live session, auto-linked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "conf.h"
#include "fail.h"
#include "live.h"
#include "livesub.h"
#include "log.h"
#include "media.h"
#include "recorder-links.h"
#include "recorder.h"
#include "sessions.h"
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
	const char *field, *problem;
	stint_tx tx;
	stint_db_rc rc;
	int created;

	if (type == NULL) {
		stint_log(STINT_LOG_ERROR, "compat: the task type %s is not declared", STINT_TASK_REPORT);
		stint_fail(r, 500, "internal", "Reports are not configured on this server.", NULL);
		return;
	}
	rc = stint_task_report_missing(r->db, r->params[0], &field, &problem);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (field != NULL) {  /* as the native route: 422 naming what the report lacks */
		stint_fail_field(r, field, problem);
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


/* --- seed 001: ProjectClimb's sessions and recordings ---------------------- */

#define CLIMB_LIST_MAX "1000"

/*
 * A date-time as ProjectClimb's Python may send it (isoformat(), without a
 * zone) into out with a Z (taken as UTC); others are copied unchanged.
 */
static const char *climb_zoned(const char *in, char *out, size_t size)
{
	size_t n = strlen(in);

	if (n >= 19 && n < size - 1 && in[10] == 'T' && strpbrk(in + 19, "Zz+-") == NULL) {
		snprintf(out, size, "%sZ", in);
		return out;
	}
	return in;
}

/* The seed's status (started, completed, abandoned) of a Stint session's. */
static const char *climb_status_out(const char *status)
{
	if (status != NULL && (strcmp(status, "completed") == 0 || strcmp(status, "abandoned") == 0))
		return status;
	return "started";  /* live, and planned: the seed has no state before the start */
}

/* Duplicate member name of obj into out as key (JSON null when absent). */
static void climb_copy(cJSON *out, const char *key, const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	cJSON_AddItemToObject(out, key, v != NULL ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
}

/*
 * The seed's climb_data of a session's data: the holds and the rest of
 * data, with the climb's own members (data.climb: startTime, endTime,
 * status) at the top, as the seed's climb object has them.
 */
static cJSON *climb_data_out(const cJSON *data)
{
	cJSON *out = cJSON_IsObject(data) ? cJSON_Duplicate(data, 1) : cJSON_CreateObject();
	cJSON *climb = cJSON_DetachItemFromObjectCaseSensitive(out, "climb");
	cJSON *m;

	if (cJSON_IsObject(climb)) {
		cJSON_ArrayForEach(m, climb)
			if (!cJSON_HasObjectItem(out, m->string))
				cJSON_AddItemToObject(out, m->string, cJSON_Duplicate(m, 1));
	}
	cJSON_Delete(climb);
	return out;
}

/* The seed's climb_data as a Stint session's data: startTime, endTime, status go under climb. */
static cJSON *climb_data_in(const cJSON *cd)
{
	static const char *const own[] = { "startTime", "endTime", "status" };
	cJSON *data = cJSON_IsObject(cd) ? cJSON_Duplicate(cd, 1) : cJSON_CreateObject();
	cJSON *climb = cJSON_CreateObject();

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(data, own[i]);

		if (v != NULL)
			cJSON_AddItemToObject(climb, own[i], v);
	}
	if (cJSON_GetArraySize(climb) > 0)
		cJSON_AddItemToObject(data, "climb", climb);
	else
		cJSON_Delete(climb);
	return data;
}

/*
 * The seed's Session object (its serializer's fields) of native session s:
 * {id, uuid, slug, deleted, created, updated, route, user, start_time,
 * end_time, status, climb_data}; route is the session's meta.route.
 */
static cJSON *climb_session(const cJSON *s)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(s, "meta");

	climb_copy(o, "id", s, "id");
	climb_copy(o, "uuid", s, "id");
	cJSON_AddNullToObject(o, "slug");
	cJSON_AddFalseToObject(o, "deleted");
	climb_copy(o, "created", s, "created_at");
	climb_copy(o, "updated", s, "updated_at");
	climb_copy(o, "route", meta, "route");
	climb_copy(o, "user", s, "owner_id");
	climb_copy(o, "start_time", s, "starts_at");
	climb_copy(o, "end_time", s, "ends_at");
	cJSON_AddStringToObject(o, "status",
				climb_status_out(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "status"))));
	cJSON_AddItemToObject(o, "climb_data", climb_data_out(cJSON_GetObjectItemCaseSensitive(s, "data")));
	cJSON_AddStringToObject(o, "title", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "title")));
	return o;
}

/* Answer session id (after a change) in the seed's shape with status. */
static void climb_answer_session(stint_req *r, int status, const char *id)
{
	cJSON *s = NULL, *o;
	stint_db_rc rc = stint_session_load(r->db, id, &s);

	if (rc != STINT_DB_OK || s == NULL) {
		stint_found_or_fail(r, rc, s != NULL, "There is no such session.");
		return;
	}
	o = climb_session(s);
	stint_resp_json(r, status, o);
	cJSON_Delete(o);
	cJSON_Delete(s);
}

static const char *const climb_statuses[] = { "started", "completed", "abandoned", NULL };

/* What a client may send of the seed's Session (the rest is the server's, ignored). */
typedef struct climb_in {
	const char *start_time, *end_time, *status;
} climb_in;

static const stint_field climb_fields[] = {
	{ "start_time", STINT_F_STRING, STINT_F_REQUIRED, 10, 40, NULL, STINT_DEST(climb_in, start_time) },
	{ "end_time", STINT_F_STRING, STINT_F_NULLABLE, 10, 40, NULL, STINT_DEST(climb_in, end_time) },
	{ "status", STINT_F_ENUM, 0, 0, 0, climb_statuses, STINT_DEST(climb_in, status) },
	{ "route", STINT_F_STRING, STINT_F_NULLABLE, 0, 200, NULL, STINT_NO_DEST },
	{ "climb_data", STINT_F_OBJECT, 0, 0, 1024 * 1024, NULL, STINT_NO_DEST },
	{ "title", STINT_F_STRING, 0, 1, 200, NULL, STINT_NO_DEST },
	/* the server's own fields, as the seed's client may send them back: ignored */
	{ "id", STINT_F_STRING, STINT_F_NULLABLE, 0, 64, NULL, STINT_NO_DEST },
	{ "uuid", STINT_F_STRING, STINT_F_NULLABLE, 0, 64, NULL, STINT_NO_DEST },
	{ "slug", STINT_F_STRING, STINT_F_NULLABLE, 0, 200, NULL, STINT_NO_DEST },
	{ "deleted", STINT_F_BOOL, 0, 0, 0, NULL, STINT_NO_DEST },
	{ "created", STINT_F_STRING, STINT_F_NULLABLE, 0, 64, NULL, STINT_NO_DEST },
	{ "updated", STINT_F_STRING, STINT_F_NULLABLE, 0, 64, NULL, STINT_NO_DEST },
	{ "user", STINT_F_INT, STINT_F_NULLABLE, 0, 9000000000000000000LL, NULL, STINT_NO_DEST },
};

/*
 * The native session body (POST or PATCH /api/v1/sessions) of the seed's
 * Session r->json, a whole object: what it leaves out takes the seed's
 * default (end_time null, status started, climb_data {}, route null).
 * meta is the session's meta so far (NULL on create), route set in it.
 * NULL after answering 422.
 */
static cJSON *climb_native(stint_req *r, const cJSON *meta)
{
	climb_in in = { NULL, NULL, "started" };
	cJSON *errors = NULL, *b, *m;
	const cJSON *route, *title;
	char st[64], et[64];

	if (stint_validate_json(r->json, STINT_SPEC(climb_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return NULL;
	}
	b = cJSON_CreateObject();
	title = cJSON_GetObjectItemCaseSensitive(r->json, "title");
	if (meta == NULL)
		cJSON_AddStringToObject(b, "title", cJSON_IsString(title) ? title->valuestring : "Climb");
	else if (cJSON_IsString(title))
		cJSON_AddStringToObject(b, "title", title->valuestring);
	if (meta == NULL)
		cJSON_AddStringToObject(b, "kind", "climb");
	cJSON_AddStringToObject(b, "starts_at", climb_zoned(in.start_time, st, sizeof(st)));
	if (in.end_time != NULL)
		cJSON_AddStringToObject(b, "ends_at", climb_zoned(in.end_time, et, sizeof(et)));
	else
		cJSON_AddNullToObject(b, "ends_at");
	cJSON_AddStringToObject(b, "status", strcmp(in.status, "started") == 0 ? "live" : in.status);
	cJSON_AddItemToObject(b, "data", climb_data_in(cJSON_GetObjectItemCaseSensitive(r->json, "climb_data")));
	m = cJSON_IsObject(meta) ? cJSON_Duplicate(meta, 1) : cJSON_CreateObject();
	route = cJSON_GetObjectItemCaseSensitive(r->json, "route");
	cJSON_DeleteItemFromObjectCaseSensitive(m, "route");
	cJSON_AddItemToObject(m, "route", route != NULL ? cJSON_Duplicate(route, 1) : cJSON_CreateNull());
	cJSON_AddItemToObject(b, "meta", m);
	if (stint_session_validate(b, meta != NULL, &errors) != 0) {
		cJSON_Delete(b);
		stint_fail_fields(r, errors);  /* named as Stint's fields: starts_at is start_time */
		return NULL;
	}
	return b;
}

/* GET /api/sessions/: the climbs the caller may see, newest first, as a list (no paging). */
static void climb_list(stint_req *r)
{
	stint_kvlist q = { 0 };
	stint_session_query sq;
	cJSON *errors = NULL, *page, *out;
	const cJSON *s;
	char *json = NULL;
	stint_db_rc rc;

	(void)stint_session_query_parse(&q, &sq, &errors);
	cJSON_Delete(errors);
	sq.kind = "climb";
	sq.limit = atol(CLIMB_LIST_MAX);
	sq.user_id = r->user.id_text;
	sq.is_admin = strcmp(r->user.role, "admin") == 0;
	rc = stint_session_list(r->db, &sq, &json);
	if (rc != STINT_DB_OK || json == NULL || (page = cJSON_Parse(json)) == NULL) {
		free(json);
		stint_fail_db(r, rc != STINT_DB_OK ? rc : STINT_DB_ERROR);
		return;
	}
	free(json);
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(page, "items"))
		cJSON_AddItemToArray(out, climb_session(s));
	stint_resp_json(r, 200, out);
	cJSON_Delete(out);
	cJSON_Delete(page);
}

/* POST /api/sessions/: a new climb session, the caller its owner (the seed's user is ignored). */
static void climb_create(stint_req *r)
{
	cJSON *b = climb_native(r, NULL);
	char *text, id[37], location[64];
	stint_tx tx;
	stint_db_rc rc;

	if (b == NULL)
		return;
	text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_session_create(&tx, r->user.id_text, text, id);
	rc = stint_tx_end(&tx);
	free(text);
	if (rc == STINT_DB_INVALID) {
		stint_fail_field(r, "end_time", "must not be before start_time");
		return;
	}
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	snprintf(location, sizeof(location), "/api/sessions/%s/", id);
	stint_resp_header(r, "Location", location);
	climb_answer_session(r, 201, id);
}

/* GET /api/sessions/<id>/. */
static void climb_get(stint_req *r)
{
	climb_answer_session(r, 200, r->params[0]);
}

/* PUT /api/sessions/<id>/: the whole object (PATCH /api/v1/sessions/<id> of every field). */
static void climb_put(stint_req *r)
{
	cJSON *s = NULL, *b, *errors = NULL;
	char *text, to[16];
	stint_tx tx;
	stint_db_rc rc;
	int found = 0;

	rc = stint_session_load(r->db, r->params[0], &s);
	if (rc != STINT_DB_OK || s == NULL) {
		stint_found_or_fail(r, rc, s != NULL, "There is no such session.");
		return;
	}
	b = climb_native(r, cJSON_GetObjectItemCaseSensitive(s, "meta"));
	cJSON_Delete(s);
	if (b == NULL)
		return;
	snprintf(to, sizeof(to), "%s", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "status")));
	text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	/* the status rule (lib/sessions.h) is stint_session_patch()'s: a refused change is 409 */
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_session_patch(&tx, r->params[0], text, &found);
	rc = stint_tx_end(&tx);
	free(text);
	if (rc == STINT_DB_INVALID) {
		stint_fail_field(r, "end_time", "must not be before start_time");
	} else if (rc == STINT_DB_CONFLICT &&
		   stint_session_status_problem(r->db, r->params[0], to, "status", &errors) > 0) {
		stint_fail(r, 409, "status_conflict", "The session's status may not change so.", errors);
		cJSON_Delete(errors);
	} else if (stint_found_or_fail(r, rc, found, "There is no such session."))
		climb_answer_session(r, 200, r->params[0]);
}

/* DELETE /api/sessions/<id>/: archived, as DELETE /api/v1/sessions/<id>. */
static void climb_delete(stint_req *r)
{
	int found;
	stint_db_rc rc = stint_req_write(r, stint_session_archive, r->params[0], &found);

	if (stint_found_or_fail(r, rc, found, "There is no such session."))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

/*
 * The seed's SessionRecording of clip c of session sid: {uuid, id, name,
 * description, created, duration (s), frame_count, video_file_path, status,
 * session}; description, frame_count and status come from the clip's meta
 * (as POST put them), video_file_path is its uri or media address.
 */
static cJSON *climb_recording(const cJSON *c, const char *sid)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(c, "meta");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(c, "duration_sec");
	const cJSON *uri = cJSON_GetObjectItemCaseSensitive(c, "uri");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(meta, "status");
	const cJSON *fc = cJSON_GetObjectItemCaseSensitive(meta, "frame_count");

	climb_copy(o, "id", c, "id");
	climb_copy(o, "uuid", c, "id");
	climb_copy(o, "name", c, "title");
	climb_copy(o, "description", meta, "description");
	climb_copy(o, "created", c, "created_at");
	cJSON_AddNumberToObject(o, "duration", cJSON_IsNumber(d) ? (double)(long long)d->valuedouble : 0);
	cJSON_AddNumberToObject(o, "frame_count", cJSON_IsNumber(fc) ? fc->valuedouble : 0);
	climb_copy(o, "video_file_path", c, cJSON_IsString(uri) ? "uri" : "media_url");
	cJSON_AddStringToObject(o, "status", cJSON_IsString(st) ? st->valuestring : "completed");
	cJSON_AddStringToObject(o, "session", sid);
	return o;
}

/* The recordings of session sid appended to out; rc of the read. */
static stint_db_rc climb_add_recordings(stint_req *r, const char *sid, cJSON *out)
{
	cJSON *clips = NULL;
	const cJSON *c;
	stint_db_rc rc = stint_clip_list_json(r->db, sid, &clips);

	cJSON_ArrayForEach(c, clips)
		cJSON_AddItemToArray(out, climb_recording(c, sid));
	cJSON_Delete(clips);
	return rc;
}

/*
 * 0 when the caller may see (edit: change) session sid, else -1 after
 * answering 404 (also for a session they may not see) or 403.
 */
static int climb_session_allowed(stint_req *r, const char *sid, int edit)
{
	stint_grant g;
	stint_db_rc rc;

	if (!stint_is_uuid(sid)) {
		stint_fail_field(r, "session", "must be a session id (a UUID)");
		return -1;
	}
	rc = stint_session_access(r->db, sid, r->user.id_text, 0, &g);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return -1;
	}
	if (g == STINT_GRANT_ABSENT || g == STINT_GRANT_NONE) {
		stint_fail(r, 404, "not_found", "There is no such session.", NULL);
		return -1;
	}
	if (edit && g != STINT_GRANT_EDIT) {
		stint_fail(r, 403, "forbidden", "You may not change this session.", NULL);
		return -1;
	}
	return 0;
}

/*
 * GET /api/session-recordings/[?session=<id>]: the clips of that session,
 * or of every climb the caller may see, as the seed's recordings.
 */
static void climb_recordings(stint_req *r)
{
	const char *sid = stint_kv_get(&r->query, "session");
	cJSON *out = cJSON_CreateArray();
	stint_db_rc rc = STINT_DB_OK;

	if (sid != NULL) {
		if (climb_session_allowed(r, sid, 0) != 0) {
			cJSON_Delete(out);
			return;
		}
		rc = climb_add_recordings(r, sid, out);
	} else {
		stint_kvlist q = { 0 };
		stint_session_query sq;
		cJSON *errors = NULL, *page = NULL;
		const cJSON *s;
		char *json = NULL;

		(void)stint_session_query_parse(&q, &sq, &errors);
		cJSON_Delete(errors);
		sq.kind = "climb";
		sq.limit = 200;
		sq.user_id = r->user.id_text;
		sq.is_admin = strcmp(r->user.role, "admin") == 0;
		rc = stint_session_list(r->db, &sq, &json);
		if (rc == STINT_DB_OK && json != NULL)
			page = cJSON_Parse(json);
		free(json);
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(page, "items")) {
			if (rc == STINT_DB_OK)
				rc = climb_add_recordings(r, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "id")), out);
		}
		cJSON_Delete(page);
	}
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		stint_resp_json(r, 200, out);
	cJSON_Delete(out);
}

static const char *const recording_statuses[] = { "recording", "completed", "processing", NULL };

typedef struct recording_in {
	const char *name, *session, *video_file_path;
} recording_in;

static const stint_field recording_fields[] = {
	{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_DEST(recording_in, name) },
	{ "description", STINT_F_STRING, STINT_F_NULLABLE, 0, 10000, NULL, STINT_NO_DEST },
	{ "session", STINT_F_UUID, STINT_F_REQUIRED, 0, 0, NULL, STINT_DEST(recording_in, session) },
	{ "duration", STINT_F_INT, 0, 0, 10000000, NULL, STINT_NO_DEST },
	{ "frame_count", STINT_F_INT, 0, 0, 2000000000, NULL, STINT_NO_DEST },
	{ "video_file_path", STINT_F_STRING, STINT_F_REQUIRED, 8, 2000, NULL,
	  STINT_DEST(recording_in, video_file_path) },
	{ "status", STINT_F_ENUM, 0, 0, 0, recording_statuses, STINT_NO_DEST },
};

/*
 * POST /api/session-recordings/: a clip of the session the recording names
 * (as POST /api/v1/sessions/<id>/clips with a uri): video_file_path is
 * where the video is, https:// or s3://; description, frame_count and
 * status go to the clip's meta.
 */
static void climb_add_recording(stint_req *r)
{
	recording_in in = { NULL, NULL, NULL };
	cJSON *errors = NULL, *clip, *meta, *c;
	const char *keep[] = { "description", "frame_count", "status" };
	const cJSON *d;
	char *text, *json = NULL;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_json(r->json, STINT_SPEC(recording_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if (strncmp(in.video_file_path, "https://", 8) != 0 && strncmp(in.video_file_path, "s3://", 5) != 0) {
		stint_fail_field(r, "video_file_path", "must start with https:// or s3:// (upload files with POST /api/v1/sessions/{id}/clips/upload)");
		return;
	}
	if (climb_session_allowed(r, in.session, 1) != 0)
		return;
	clip = cJSON_CreateObject();
	cJSON_AddStringToObject(clip, "kind", "video");
	cJSON_AddStringToObject(clip, "title", in.name);
	cJSON_AddStringToObject(clip, "uri", in.video_file_path);
	d = cJSON_GetObjectItemCaseSensitive(r->json, "duration");
	if (cJSON_IsNumber(d))
		cJSON_AddNumberToObject(clip, "duration_sec", d->valuedouble);
	meta = cJSON_AddObjectToObject(clip, "meta");
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, keep[i]);

		if (v != NULL)
			cJSON_AddItemToObject(meta, keep[i], cJSON_Duplicate(v, 1));
	}
	text = cJSON_PrintUnformatted(clip);
	cJSON_Delete(clip);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_clip_create(&tx, in.session, text, &json);
	rc = stint_tx_end(&tx);
	free(text);
	if (rc != STINT_DB_OK || json == NULL || (c = cJSON_Parse(json)) == NULL) {
		free(json);
		stint_fail_db(r, rc != STINT_DB_OK ? rc : STINT_DB_ERROR);
		return;
	}
	free(json);
	clip = climb_recording(c, in.session);
	stint_resp_json(r, 201, clip);
	cJSON_Delete(clip);
	cJSON_Delete(c);
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

/*
 * GET /ws/session/<id>/ (seed 001's SessionReplayConsumer): the session's
 * stored live messages replayed at their pace to this caller alone: a
 * live_replay task (bin/stint-replay, conf/tasks.conf) of the caller's,
 * not of the session, publishes the messages stored so far on a new
 * channel "replay-<random>" that only this request subscribes to; the
 * channel is deleted at the end, which closes the socket.
 */
static void climb_session_replay(stint_req *r)
{
	const stint_task_type *type = stint_task_type_find(&task_types, "live_replay");
	char secret[STINT_SECRET_HEX + 1], channel[STINT_LIVE_REPLAY_LEN], params[192];
	char id[STINT_TASK_ID_LEN], *json = NULL;
	stint_task_new t;
	stint_tx tx;
	stint_db_rc rc;
	int created = 0;

	if (!stint_live_origin_ok(r)) {
		stint_fail(r, 403, "forbidden", "Live updates are only served to Stint's own pages.", NULL);
		return;
	}
	if (type == NULL || stint_secret_new(secret, sizeof(secret), 0) != 0) {
		stint_fail(r, 503, "unavailable", "Replays are not set up on this server (task type live_replay).", NULL);
		return;
	}
	snprintf(channel, sizeof(channel), "replay-%s", secret);
	snprintf(params, sizeof(params), "{\"session\": \"%s\", \"channel\": \"%s\"}", r->params[0], channel);
	/* not a task of the session: it would announce itself in the session's own timeline */
	t = (stint_task_new){ NULL, NULL, type->name, NULL, params, 50, type->max_attempts, r->user.id_text };
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_create(&tx, &t, &json, &created, id);
	rc = stint_tx_end(&tx);
	free(json);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	stint_live_subscribe_replay(r, r->params[0], channel);
}

/* --- seed 003: the DJ system's session-recorder API ------------------------ */

static const char no_dj_session[] = "There is no session with this id.";

/* The seed's files object of a recording: its five keys, each null (see dj_recording). */
static cJSON *dj_files(void)
{
	const char *keys[] = { "ogg_url", "flac_url", "waveform_url", "overview_png_url", "metadata_url" };
	cJSON *f = cJSON_CreateObject();

	for (size_t i = 0; f != NULL && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (cJSON_AddNullToObject(f, keys[i]) == NULL) {
			cJSON_Delete(f);
			return NULL;
		}
	return f;
}

/* Copy member from of o into out as name (null when o has none). 0, or -1 on out of memory. */
static int dj_copy(cJSON *out, const char *name, const cJSON *o, const char *from)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, from);

	return cJSON_AddItemToObject(out, name, v != NULL ? cJSON_Duplicate(v, 1) : cJSON_CreateNull()) ? 0 : -1;
}

/*
 * The seed's recorder session of native recording rec (an item of
 * stint_recorder_list): {id (the bucket's recording id), recorder_id, name,
 * start_time, end_time, duration_seconds (whole seconds), is_closed, keep,
 * files}. files has the seed's keys, each null: Stint hands out a
 * recording's files only through a session that links it, after that
 * session's access check (GET .../download/<session>/<format>,
 * docs/recorder.md "Security"). NULL on out of memory; caller deletes.
 */
static cJSON *dj_recording(const cJSON *rec)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "duration_s");
	cJSON *o = cJSON_CreateObject();
	int ok = o != NULL && dj_copy(o, "id", rec, "recording_id") == 0 && dj_copy(o, "recorder_id", rec, "recorder_id") == 0 &&
		 dj_copy(o, "name", rec, "name") == 0 && dj_copy(o, "start_time", rec, "start_time") == 0 &&
		 dj_copy(o, "end_time", rec, "end_time") == 0;

	ok = ok && (cJSON_IsNumber(d) ? cJSON_AddNumberToObject(o, "duration_seconds", (double)(long long)(d->valuedouble + 0.5))
				      : cJSON_AddNullToObject(o, "duration_seconds")) != NULL;
	ok = ok && dj_copy(o, "is_closed", rec, "is_closed") == 0 && dj_copy(o, "keep", rec, "keep") == 0;
	ok = ok && cJSON_AddItemToObject(o, "files", dj_files());
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/*
 * GET /api/session-recorder/available-sessions: every recording the syncs
 * found in the bucket and still there (stint_recorder_list, page after
 * page), newest start first, as the seed's array of recorder sessions.
 */
static void dj_available(stint_req *r)
{
	stint_recorder_filter f = { NULL, NULL, NULL, NULL, NULL, 1000, 0 };
	cJSON *out = cJSON_CreateArray(), *page = NULL, *o;
	const cJSON *rec;
	char *json = NULL;
	stint_db_rc rc = STINT_DB_OK;
	double total = 1;

	while (out != NULL && f.offset < total) {
		rc = stint_recorder_list(r->db, &f, &json);
		if (rc != STINT_DB_OK)
			break;
		page = cJSON_Parse(json);
		free(json);
		json = NULL;
		if (page == NULL)
			goto oom;
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "items")) == 0)
			break;
		cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(page, "items")) {
			if ((o = dj_recording(rec)) == NULL || !cJSON_AddItemToArray(out, o))
				goto oom;
		}
		total = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(page, "total"));
		f.offset += f.limit;
		cJSON_Delete(page);
		page = NULL;
	}
	free(json);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (out == NULL)
		goto oom;
	else
		stint_resp_json(r, 200, out);
	goto out;
oom:
	stint_fail(r, 500, "internal", "Out of memory.", NULL);
out:
	cJSON_Delete(page);
	cJSON_Delete(out);
}

/* Answer 200 {"success": true, "message": message}, the seed's auto-link answer. */
static void dj_success(stint_req *r, int success, const char *message)
{
	cJSON *o = cJSON_CreateObject();

	if (o != NULL && cJSON_AddBoolToObject(o, "success", success) != NULL &&
	    cJSON_AddStringToObject(o, "message", message) != NULL)
		stint_resp_json(r, 200, o);
	else
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	cJSON_Delete(o);
}

/*
 * POST /api/session-recorder/link/<session>/<recorder_id>/<recording_id>:
 * stint_recorder_link() (as POST /api/v1/sessions/<id>/recorder); 200 on
 * success ({"success": true, "message"}), 404 when the bucket has no such
 * recording (the route's segments are at most 64 bytes).
 */
static void dj_link(stint_req *r)
{
	stint_link_result what;
	stint_tx tx;
	stint_db_rc rc;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_recorder_link(&tx, r->params[0], r->params[1], r->params[2], &what);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_OK && what == STINT_LINK_NO_RECORDING)
		stint_fail(r, 404, "not_found", "The bucket has no such recording of this recorder"
			   " (a sync finds new ones: POST /api/v1/recorder/sync).", NULL);
	else if (stint_found_or_fail(r, rc, what == STINT_LINKED, no_dj_session))
		dj_success(r, 1, "Session successfully linked to recorder session");
}

typedef struct dj_auto_in {
	long tolerance_minutes;
} dj_auto_in;

static const stint_field dj_auto_fields[] = {
	{ "tolerance_minutes", STINT_F_INT, 0, 0, 1440, NULL, STINT_DEST(dj_auto_in, tolerance_minutes) },
};

/*
 * POST /api/session-recorder/auto-link/<session>?tolerance_minutes=: the
 * native auto-link (stint_recorder_autolink, the setting's tolerance by
 * default); 200 {"success": true, "message"} when linked, 200 with
 * "success": false when no recording starts within the tolerance (the
 * seed's answer has the flag), 422 naming starts_at for a session without
 * a start time.
 */
static void dj_auto_link(stint_req *r)
{
	dj_auto_in in = { stint_recorder_tolerance_min() };
	stint_link_result what;
	cJSON *errors = NULL;
	char tie[256], message[200];
	double start_s;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, STINT_SPEC(dj_auto_fields), &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_recorder_autolink(&tx, r->params[0], in.tolerance_minutes, "auto", &what, &start_s, tie, sizeof(tie));
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_OK && what == STINT_LINK_NO_START) {
		stint_fail_field(r, "starts_at", "is not set on this session: auto-link matches recordings by the"
				 " session's start time");
	} else if (rc == STINT_DB_OK && what == STINT_LINK_NONE_NEAR) {
		snprintf(message, sizeof(message), "No recorder session starts within %ld minute%s of this"
			 " session's start.", in.tolerance_minutes, in.tolerance_minutes == 1 ? "" : "s");
		dj_success(r, 0, message);
	} else if (stint_found_or_fail(r, rc, what == STINT_LINKED, no_dj_session)) {
		dj_success(r, 1, "Session successfully auto-linked to recorder session");
	}
}

/*
 * GET /api/session-recorder/download/<session>/<format>: the native
 * download route's answer {"url", "expires_in_seconds", "format"}, a
 * presigned URL of the linked recording's ogg, flac or waveform file
 * (overview too); 404 for another format, an unlinked session or a file
 * the recording lacks, 503 when the bucket is not configured.
 */
static void dj_download(stint_req *r)
{
	const char *format = r->params[1];
	stint_download_result what;
	char url[2048], why[256];
	long expires_s;
	cJSON *o;
	size_t i;
	stint_db_rc rc;

	for (i = 0; stint_recording_formats[i] != NULL && strcmp(stint_recording_formats[i], format) != 0; i++)
		;
	if (stint_recording_formats[i] == NULL) {
		stint_fail(r, 404, "not_found", "There is no such format: ask for ogg, flac or waveform.", NULL);
		return;
	}
	rc = stint_recorder_download(r->db, r->params[0], format, time(NULL), url, sizeof(url), &expires_s, &what,
				     why, sizeof(why));
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (what == STINT_DOWNLOAD_NOT_LINKED || what == STINT_DOWNLOAD_NO_FILE)
		stint_fail(r, 404, "not_found", what == STINT_DOWNLOAD_NOT_LINKED ?
			   "This session has no linked recorder session." :
			   "The linked recorder session has no file of this format.", NULL);
	else if (what == STINT_DOWNLOAD_NOT_CONFIGURED)
		stint_fail(r, 503, "s3_not_configured", why, NULL);
	else if (what != STINT_DOWNLOAD_OK || (o = cJSON_CreateObject()) == NULL)
		stint_fail(r, 500, "internal", "The download URL could not be made.", NULL);
	else {
		if (cJSON_AddStringToObject(o, "url", url) != NULL &&
		    cJSON_AddNumberToObject(o, "expires_in_seconds", (double)expires_s) != NULL &&
		    cJSON_AddStringToObject(o, "format", format) != NULL) {
			stint_resp_header(r, "Cache-Control", "no-store");
			stint_resp_json(r, 200, o);
		} else
			stint_fail(r, 500, "internal", "Out of memory.", NULL);
		cJSON_Delete(o);
	}
}

/* The string member name of meta, else fallback (a member of s copied), into out as key. */
static int dj_meta_or(cJSON *out, const char *key, const cJSON *meta, const char *name, const cJSON *s,
		      const char *fallback)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, name);

	if (cJSON_IsString(v))
		return cJSON_AddStringToObject(out, key, v->valuestring) != NULL ? 0 : -1;
	if (fallback == NULL)
		return cJSON_AddNullToObject(out, key) != NULL ? 0 : -1;
	return dj_copy(out, key, s, fallback);
}

/* The seed's recording_urls of the session's recording (its fresh "urls"), or null. */
static cJSON *dj_recording_urls(const cJSON *urls)
{
	const char *keys[] = { "ogg_url", "flac_url", "waveform_url" }, *from[] = { "ogg", "flac", "waveform" };
	cJSON *o;

	if (!cJSON_IsObject(urls))
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	for (size_t i = 0; o != NULL && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (dj_copy(o, keys[i], urls, from[i]) != 0) {
			cJSON_Delete(o);
			return NULL;
		}
	return o;
}

/*
 * The session r->params[0] (stint_session_load, its recording's URLs
 * fresh) as the seed's DJ session: id, dj_id and dj_name (the session's meta.dj_id and
 * meta.dj_name; Stint keeps no DJs of its own), started_at, ended_at,
 * duration_minutes (whole minutes, null while it has no end), download_link
 * (the presigned ogg URL), upload_status ("uploaded" when it links a
 * recording, else "pending"), session_type (meta.session_type, else the
 * session's kind) and recording_urls (presigned ogg, flac, waveform URLs;
 * null when it links none). Answers status, or 404 for no such session.
 */
static void dj_session_answer(stint_req *r, int status)
{
	cJSON *s = NULL, *out = NULL;
	const cJSON *meta, *rec, *urls;
	double start, end;
	const char *starts, *ends;
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &s);
	int ok;

	if (!stint_found_or_fail(r, rc, s != NULL, no_dj_session))
		return;
	meta = cJSON_GetObjectItemCaseSensitive(s, "meta");
	rec = cJSON_GetObjectItemCaseSensitive(s, "recording");
	urls = cJSON_GetObjectItemCaseSensitive(rec, "urls");
	starts = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "starts_at"));
	ends = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "ends_at"));
	out = cJSON_CreateObject();
	ok = out != NULL && dj_copy(out, "id", s, "id") == 0 && dj_meta_or(out, "dj_id", meta, "dj_id", s, NULL) == 0 &&
	     dj_meta_or(out, "dj_name", meta, "dj_name", s, NULL) == 0 &&
	     dj_copy(out, "started_at", s, "starts_at") == 0 && dj_copy(out, "ended_at", s, "ends_at") == 0;
	ok = ok && (starts != NULL && ends != NULL && stint_timestamp_epoch(starts, &start) == 0 &&
		    stint_timestamp_epoch(ends, &end) == 0
		    ? cJSON_AddNumberToObject(out, "duration_minutes", (double)(long long)((end - start) / 60.0 + 0.5))
		    : cJSON_AddNullToObject(out, "duration_minutes")) != NULL;
	ok = ok && dj_copy(out, "download_link", urls, "ogg") == 0 &&
	     cJSON_AddStringToObject(out, "upload_status", cJSON_IsObject(rec) ? "uploaded" : "pending") != NULL &&
	     dj_meta_or(out, "session_type", meta, "session_type", s, "kind") == 0 &&
	     cJSON_AddItemToObject(out, "recording_urls", dj_recording_urls(urls));
	if (ok) {
		stint_resp_header(r, "Cache-Control", "no-store");
		stint_resp_json(r, status, out);
	} else
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	cJSON_Delete(out);
	cJSON_Delete(s);
}

/* GET /api/session-recorder/session/<session>: dj_session_answer(). */
static void dj_session(stint_req *r)
{
	dj_session_answer(r, 200);
}

typedef struct dj_start_in {
	const char *dj_id, *dj_name, *session_type;
} dj_start_in;

static const stint_field dj_start_fields[] = {
	{ "dj_id", STINT_F_STRING, STINT_F_REQUIRED, 1, 100, NULL, STINT_DEST(dj_start_in, dj_id) },
	{ "dj_name", STINT_F_STRING, 0, 1, 100, NULL, STINT_DEST(dj_start_in, dj_name) },
	{ "session_type", STINT_F_STRING, 0, 1, 50, NULL, STINT_DEST(dj_start_in, session_type) },
};

/*
 * The native session body of a DJ's start (text, caller frees with
 * cJSON_free): a live dj_set starting now, titled after the DJ, whose meta
 * keeps the DJ system's dj_id, dj_name and session_type. NULL on out of memory.
 */
static char *dj_start_body(const dj_start_in *in)
{
	cJSON *b = cJSON_CreateObject(), *meta;
	char title[160], now[32];
	char *text = NULL;

	utc_now(now);
	snprintf(title, sizeof(title), "DJ set: %s", in->dj_name != NULL ? in->dj_name : in->dj_id);
	if (b != NULL && cJSON_AddStringToObject(b, "title", title) != NULL &&
	    cJSON_AddStringToObject(b, "kind", "dj_set") != NULL && cJSON_AddStringToObject(b, "status", "live") != NULL &&
	    cJSON_AddStringToObject(b, "starts_at", now) != NULL && (meta = cJSON_AddObjectToObject(b, "meta")) != NULL &&
	    cJSON_AddStringToObject(meta, "dj_id", in->dj_id) != NULL &&
	    (in->dj_name == NULL || cJSON_AddStringToObject(meta, "dj_name", in->dj_name) != NULL) &&
	    (in->session_type == NULL || cJSON_AddStringToObject(meta, "session_type", in->session_type) != NULL))
		text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	return text;
}

/*
 * POST /api/sessions/start {"dj_id", "dj_name"?, "session_type"?}: the
 * seed's "DJ starts a session", as POST /api/v1/sessions
 * (stint_session_create) of a live dj_set starting now, then its
 * "Automatic Linking" in the same unit of work: the recording starting
 * nearest now within the bucket's tolerance (stint_recorder_autolink,
 * linked_by "create"; done by the create itself when the setting
 * recorder_autolink_on_create is on). 201 with the seed's DJ session.
 */
static void dj_start(stint_req *r)
{
	dj_start_in in = { NULL, NULL, NULL };
	stint_link_result what;
	cJSON *errors = NULL;
	char id[37], tie[256], *body;
	double start_s;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_json(r->json, STINT_SPEC(dj_start_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if ((body = dj_start_body(&in)) == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_session_create(&tx, r->user.id_text, body, id);
	if (tx.rc == STINT_DB_OK && stint_config_int("recorder_autolink_on_create", 0, 0, 1) == 0)
		stint_recorder_autolink(&tx, id, stint_recorder_tolerance_min(), "create", &what, &start_s, tie,
					sizeof(tie));
	rc = stint_tx_end(&tx);
	cJSON_free(body);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	r->params[0] = id;
	dj_session_answer(r, 201);
}

#define STINT_PROGRAM_NAME "compat"
#define STINT_PROGRAM_INIT task_types_init
#define STINT_ROUTES_OF_compat STINT_MINE
#include "program.h"
