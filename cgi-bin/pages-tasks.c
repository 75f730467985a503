/*
 * pages-tasks.c: the editor's tasks panel (issue 11; docs/tasks.md). The
 * panel lists the session's newest tasks: type, status, a progress bar with
 * the progress message, the error of a failed one, times, and for those who
 * may change the session Cancel (queued, running) and Retry (failed,
 * cancelled) buttons, "Process report" and, when the server declares
 * analyzers (lib/analysis.h), "Re-analyze". Its forms post to the routes here, which change the task
 * through lib/tasks.c as the JSON API does and redirect back to the panel
 * (303), so they work without JavaScript; static/tasks.js applies each
 * task_updated message live and sends the same requests to the JSON API.
 *
 * The form routes are SESSION_EDITOR routes of the session in the path (the
 * dispatcher checks it and the CSRF token); a task named in a form must be
 * a task of that session, else 404 as for a task that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "fail.h"
#include "log.h"
#include "pages-shared.h"
#include "pages-tasks.h"
#include "tasks.h"
#include "tasktypes.h"
#include "tx.h"
#include "validate.h"

#define TASKS_SHOWN 20        /* the newest tasks the panel shows */

static const char no_task[] = "There is no task with this id in this session.";

/* The task types, read once per worker (page_tasks_init). */
static stint_task_types task_types;

/* How the panel names the task types it knows; others as page_type_label() makes them. */
static const page_choice task_type_labels[] = {
	{ "process_report", "Report" }, { "analyze_clip", "Clip analysis" },
	{ "recorder_sync", "Recorder sync" }, { "noop", "No-op" },
};
static const page_choice task_status_labels[] = {
	{ "queued", "Queued" }, { "running", "Running" }, { "completed", "Completed" },
	{ "failed", "Failed" }, { "cancelled", "Cancelled" },
};

int page_tasks_init(void)
{
	char err[512];

	if (stint_task_types_load(NULL, &task_types, err, sizeof(err)) != 0) {
		stint_task_types_free(&task_types);  /* none, rather than those before the mistake */
		stint_log(STINT_LOG_ERROR, "pages: %s (the tasks panel's forms will not queue tasks)", err);
	}
	return 0;
}

/* An RFC 3339 time as pages show it (timeshow.h) into out ("" when not a time). */
static void shown_time(const cJSON *v, char *out, size_t size)
{
	page_time_text(cJSON_GetStringValue(v), out, size);
}

/* Labels, times and buttons of one task of the panel (its API JSON, changed in place). */
static void decorate_task(cJSON *t)
{
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(t, "task_type"));
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(t, "status"));
	const char *analyzer = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "params"), "analyzer"));
	int stopping = cJSON_IsString(cJSON_GetObjectItem(t, "cancel_requested_at"));
	int running = status != NULL && strcmp(status, "running") == 0;
	double attempts = cJSON_GetNumberValue(cJSON_GetObjectItem(t, "attempts"));
	char base[64], label[160], buf[64];
	const char *known = page_label(task_type_labels, COUNT(task_type_labels), type);

	if (known != type)
		snprintf(base, sizeof(base), "%s", known);
	else
		page_type_label(NULL, type, base, sizeof(base));
	snprintf(label, sizeof(label), "%s%s%s", base, analyzer != NULL ? " · " : "", analyzer != NULL ? analyzer : "");
	cJSON_AddStringToObject(t, "type_label", label);
	cJSON_AddStringToObject(t, "status_label", running && stopping ? "Stopping" :
				page_label(task_status_labels, COUNT(task_status_labels), status));
	cJSON_AddBoolToObject(t, "can_cancel", (running && !stopping) || (status && strcmp(status, "queued") == 0));
	cJSON_AddBoolToObject(t, "can_retry", status && (strcmp(status, "failed") == 0 || strcmp(status, "cancelled") == 0));
	cJSON_AddBoolToObject(t, "show_error", status && strcmp(status, "failed") == 0 &&
			      cJSON_IsString(cJSON_GetObjectItem(t, "error")));
	if (attempts > 0) {
		snprintf(buf, sizeof(buf), "attempt %.0f of %.0f", attempts,
			 cJSON_GetNumberValue(cJSON_GetObjectItem(t, "max_attempts")));
		cJSON_AddStringToObject(t, "attempts_shown", buf);
	}
	shown_time(cJSON_GetObjectItem(t, "created_at"), buf, sizeof(buf));
	cJSON_AddStringToObject(t, "created_shown", buf);
	shown_time(cJSON_GetObjectItem(t, "started_at"), buf, sizeof(buf));
	cJSON_AddStringToObject(t, "started_shown", buf);
	shown_time(cJSON_GetObjectItem(t, "finished_at"), buf, sizeof(buf));
	cJSON_AddStringToObject(t, "finished_shown", buf);
}

typedef struct analyze_form {
	const char *analyzer;
} analyze_form;

static const stint_field analyze_fields[] = {
	{ "analyzer", STINT_F_STRING, STINT_F_REQUIRED, 1, STINT_ANALYZER_NAME_LEN, NULL, STINT_DEST(analyze_form, analyzer) },
};

/* The declared analyzers' names as [{name}] (caller deletes): conf/analyzers.conf (lib/analysis.h). */
static cJSON *analyzer_names(void)
{
	const stint_analyzers *all = stint_analysis_analyzers();
	cJSON *list = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; list != NULL && i < all->n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", all->list[i].name);
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

stint_db_rc page_add_tasks(stint_req *r, cJSON *data)
{
	stint_task_query q = { r->params[0], NULL, NULL, NULL, TASKS_SHOWN, 0, r->user.id_text,
			       strcmp(r->user.role, "admin") == 0 };
	cJSON *page, *items, *t, *analyzers;
	char *json = NULL;
	double total;
	stint_db_rc rc = stint_task_list(r->db, &q, &json);

	if (rc != STINT_DB_OK || json == NULL || (page = cJSON_Parse(json)) == NULL) {
		free(json);
		return rc != STINT_DB_OK ? rc : STINT_DB_ERROR;
	}
	free(json);
	items = cJSON_DetachItemFromObject(page, "items");
	total = cJSON_GetNumberValue(cJSON_GetObjectItem(page, "total"));
	cJSON_Delete(page);
	cJSON_ArrayForEach(t, items)
		decorate_task(t);
	cJSON_AddBoolToObject(data, "has_tasks", cJSON_GetArraySize(items) > 0);
	cJSON_AddItemToObject(data, "tasks", items ? items : cJSON_CreateArray());
	cJSON_AddNumberToObject(data, "tasks_total", total);
	cJSON_AddNumberToObject(data, "tasks_shown", TASKS_SHOWN);
	cJSON_AddBoolToObject(data, "tasks_more", total > TASKS_SHOWN);
	analyzers = analyzer_names();
	cJSON_AddBoolToObject(data, "has_analyzers", cJSON_GetArraySize(analyzers) > 0);
	cJSON_AddItemToObject(data, "analyzers", analyzers);
	return STINT_DB_OK;
}

/* --- the forms --- */

typedef struct task_form {
	const char *task_id;
} task_form;

static const stint_field task_form_fields[] = {
	{ "task_id", STINT_F_UUID, STINT_F_REQUIRED, 0, 0, NULL, STINT_DEST(task_form, task_id) },
};

/*
 * The task a panel form names, when it is a task of the route's session:
 * its id (an arena string); else answers (422 for a form without a valid
 * task_id, 404 for a task of another session or none) and returns NULL.
 */
static const char *form_task(stint_req *r)
{
	task_form in = { NULL };
	cJSON *errors = NULL, *task;
	char *json = NULL;
	const char *session;
	stint_db_rc rc;
	int mine;

	if (stint_validate_query(&r->form, STINT_SPEC(task_form_fields), &in, &errors) != 0) {
		cJSON_Delete(errors);
		stint_fail(r, 422, "invalid_fields", "The form did not name a task (task_id).", NULL);
		return NULL;
	}
	rc = stint_task_get(r->db, in.task_id, &json);
	task = json != NULL ? cJSON_Parse(json) : NULL;
	free(json);
	session = cJSON_GetStringValue(cJSON_GetObjectItem(task, "session_id"));
	mine = session != NULL && strcmp(session, r->params[0]) == 0;  /* a task's session never changes */
	cJSON_Delete(task);
	if (!stint_found_or_fail(r, rc, mine, no_task))
		return NULL;
	return in.task_id;
}

/* Back to the panel with flash. */
static void back(stint_req *r, const char *flash)
{
	page_redirect_session(r, r->params[0], NULL, flash, NULL, "tasks");
}

void page_task_cancel(stint_req *r)
{
	static const char *const flashes[] = {
		[STINT_TASK_CANCELLED] = "task_cancelled", [STINT_TASK_CANCEL_REQUESTED] = "task_stopping",
		[STINT_TASK_FINISHED] = "task_finished",
	};
	const char *id = form_task(r);
	stint_task_cancel_result what;
	char *json = NULL;
	stint_tx tx;
	stint_db_rc rc;

	if (id == NULL)
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_cancel(&tx, &task_types, id, 0, &what, &json);
	rc = stint_tx_end(&tx);
	free(json);
	if (stint_found_or_fail(r, rc, what != STINT_TASK_ABSENT, no_task))
		back(r, flashes[what]);
}

void page_task_retry(stint_req *r)
{
	static const char *const flashes[] = {
		[STINT_TASK_RETRY_ACTIVE] = "task_active", [STINT_TASK_RETRY_DONE] = "task_retried",
		[STINT_TASK_RETRY_COMPLETED] = "task_completed",
	};
	const char *id = form_task(r);
	stint_task_retry_result what;
	char *json = NULL;
	stint_tx tx;
	stint_db_rc rc;

	if (id == NULL)
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_retry(&tx, id, &what, &json);
	rc = stint_tx_end(&tx);
	free(json);
	if (rc == STINT_DB_CONFLICT)
		back(r, "task_conflict");
	else if (stint_found_or_fail(r, rc, what != STINT_TASK_RETRY_ABSENT, no_task))
		back(r, flashes[what]);
}

/* The declared type called name, or NULL after answering 500 (the server's configuration lacks it). */
static const stint_task_type *declared(stint_req *r, const char *name)
{
	const stint_task_type *type = stint_task_type_find(&task_types, name);

	if (type == NULL) {
		stint_log(STINT_LOG_ERROR, "pages: the task type %s is not declared", name);
		stint_fail(r, 500, "internal", "This server has no such task configured.", NULL);
	}
	return type;
}

void page_session_process(stint_req *r)
{
	const stint_task_type *type = declared(r, STINT_TASK_REPORT);
	const char *field, *problem;
	char *json = NULL, id[STINT_TASK_ID_LEN], flash[40];
	stint_tx tx;
	stint_db_rc rc;
	int created = 0;

	if (type == NULL)
		return;
	/* what the session lacks for a report, said as POST /api/v1/sessions/<id>/process says it */
	rc = stint_task_report_missing(r->db, r->params[0], &field, &problem);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (field != NULL) {
		snprintf(flash, sizeof(flash), "process_%s", field);
		back(r, flash);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_task_process_session(&tx, r->params[0], r->user.id_text, type->max_attempts, &json, &created, id);
	rc = stint_tx_end(&tx);
	free(json);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		back(r, created ? "process_queued" : "process_active");
}

/*
 * Queue analyzer a over every clip of the session it takes (a stored file
 * of a kind it takes), as POST /api/v1/sessions/<id>/analyze does: one
 * analyze_clip task per clip, or the one already queued or running.
 * *queued counts the new ones.
 */
static stint_db_rc queue_analysis(stint_req *r, const stint_analyzer *a, int *queued)
{
	cJSON *ids = NULL;
	stint_tx tx;
	int found;
	stint_db_rc rc = stint_analysis_clips(r->db, r->params[0], a, NULL, &ids, &found);

	*queued = 0;
	if (rc != STINT_DB_OK)
		return rc;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_analysis_queue_clips(&tx, r->params[0], a, ids, NULL, queued);
	cJSON_Delete(ids);
	return stint_tx_end(&tx);
}

void page_session_analyze(stint_req *r)
{
	analyze_form in = { NULL };
	const stint_analyzer *a = NULL;
	cJSON *errors = NULL;
	stint_db_rc rc;
	int queued;

	if (stint_validate_query(&r->form, STINT_SPEC(analyze_fields), &in, &errors) != 0 ||
	    (a = stint_analyzer_find(stint_analysis_analyzers(), in.analyzer)) == NULL) {
		cJSON_Delete(errors);
		stint_fail(r, 422, "invalid_fields", "The analyzer is not one this server has (analyzer).", NULL);
		return;
	}
	rc = queue_analysis(r, a, &queued);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		back(r, queued > 0 ? "analyze_queued" : "analyze_none");
}
