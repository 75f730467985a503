/* tasks.c: the task resource's rules and statements (see tasks.h). */
#include "tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

static const char *const task_statuses[] = { "queued", "running", "completed", "failed", "cancelled", NULL };

#define QUERY(member) STINT_DEST(stint_task_query, member)

static const stint_field query_fields[] = {
	{ "session", STINT_F_UUID, 0, 0, 0, NULL, QUERY(session) },
	{ "group", STINT_F_STRING, 0, 1, 200, NULL, QUERY(group) },
	{ "type", STINT_F_IDENT, 0, 1, 40, NULL, QUERY(type) },
	{ "status", STINT_F_ENUM, 0, 0, 0, task_statuses, QUERY(status) },
	{ "limit", STINT_F_INT, 0, 1, 1000, NULL, QUERY(limit) },
	{ "offset", STINT_F_INT, 0, 0, 100000000, NULL, QUERY(offset) },
};

int stint_task_query_parse(const stint_kvlist *query, stint_task_query *out, cJSON **errors)
{
	out->session = out->group = out->type = out->status = NULL;
	out->limit = 50;
	out->offset = 0;
	return stint_validate_query(query, STINT_SPEC(query_fields), out, errors);
}

stint_db_rc stint_task_list(stint_db *db, const stint_task_query *q, char **json)
{
	char limit[24], offset[24];
	const char *p[8] = { q->session, q->group, q->type, q->status, limit, offset, q->user_id,
			     q->is_admin ? "true" : "false" };

	snprintf(limit, sizeof(limit), "%ld", q->limit);
	snprintf(offset, sizeof(offset), "%ld", q->offset);
	return stint_db_text(db, STINT_SQL_TASK_LIST, 8, p, json);
}

stint_db_rc stint_task_get(stint_db *db, const char *task_id, char **json)
{
	return stint_db_text(db, STINT_SQL_TASK_GET, 1, &task_id, json);
}

stint_db_rc stint_task_access(stint_db *db, const char *task_id, const char *user_id, stint_grant *grant)
{
	const char *p[2] = { task_id, user_id };
	char *got = NULL;
	stint_db_rc rc = stint_db_text(db, STINT_SQL_TASK_ACCESS, 2, p, &got);

	*grant = got == NULL ? STINT_GRANT_ABSENT : strcmp(got, "edit") == 0 ? STINT_GRANT_EDIT :
		 strcmp(got, "view") == 0 ? STINT_GRANT_VIEW : STINT_GRANT_NONE;
	free(got);
	return rc;
}

/* Record task_updated with task (JSON text) as its data on session_id's channel (when it has one). */
static stint_db_rc announce(stint_tx *tx, const char *session_id, const char *task)
{
	const char *p[3] = { session_id, "task_updated", task };

	if (session_id == NULL || *session_id == '\0' || task == NULL)
		return tx->rc;
	return stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, p);
}

/* {"task_type": type} as JSON text (caller frees), or NULL. */
static char *type_detail(const char *type)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, "task_type", type) != NULL)
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/*
 * Insert task t (p: TASK_CREATE's parameters): 1 with *json and id_out set
 * when it is new (audited and announced), 0 when the unique index found an
 * active one (or tx failed).
 */
static int insert(stint_tx *tx, const stint_task_new *t, const char *const *p, char **json,
		  char id_out[STINT_TASK_ID_LEN])
{
	PGresult *res;
	const char *id, *task;
	char *detail;
	int inserted;

	if (stint_tx_exec(tx, STINT_SQL_TASK_CREATE, 8, p, &res) != STINT_DB_OK)
		return 0;
	inserted = PQntuples(res) > 0;
	id = stint_db_cell(res, 0, "task_id");
	task = stint_db_cell(res, 0, "task");
	if (inserted && (id == NULL || task == NULL || (*json = strdup(task)) == NULL))
		stint_tx_fail(tx, STINT_DB_ERROR);
	else if (inserted)
		snprintf(id_out, STINT_TASK_ID_LEN, "%s", id);
	PQclear(res);
	if (!inserted || tx->rc != STINT_DB_OK)
		return 0;
	detail = type_detail(t->task_type);
	if (detail == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, "task.create", "task", id_out, detail);
	free(detail);
	announce(tx, t->session_id, *json);
	return 1;
}

stint_db_rc stint_task_create(stint_tx *tx, const stint_task_new *t, char **json, int *created,
			      char id_out[STINT_TASK_ID_LEN])
{
	char priority[24], attempts[24];
	const char *dedupe = t->dedupe_key != NULL ? t->dedupe_key : "";
	const char *p[8] = { t->session_id, t->group_key, t->task_type, dedupe, t->params_json, priority,
			     attempts, t->user_id };
	const char *active[3] = { t->session_id, t->task_type, dedupe };
	int tries;

	*json = NULL;
	*created = 0;
	id_out[0] = '\0';
	snprintf(priority, sizeof(priority), "%ld", t->priority);
	snprintf(attempts, sizeof(attempts), "%d", t->max_attempts);
	/*
	 * The insert waits for a concurrent one of the same key to commit, then
	 * does nothing; the look-up is a statement of its own, so its snapshot
	 * sees that task. Should the task finish in between, insert again.
	 */
	for (tries = 0; tries < 3 && tx->rc == STINT_DB_OK && *json == NULL; tries++) {
		*created = insert(tx, t, p, json, id_out);
		if (!*created && t->session_id != NULL)
			stint_tx_text(tx, STINT_SQL_TASK_ACTIVE, 3, active, json);
	}
	if (tx->rc == STINT_DB_OK && *json == NULL)
		stint_tx_fail(tx, t->session_id != NULL ? STINT_DB_CONFLICT : STINT_DB_ERROR);
	return tx->rc;
}

stint_db_rc stint_task_cancel(stint_tx *tx, const char *task_id, stint_task_cancel_result *what,
			      char **json)
{
	static const struct { const char *status, *action; stint_sql change; stint_task_cancel_result what; } ways[] = {
		{ "queued", "task.cancel", STINT_SQL_TASK_CANCEL_QUEUED, STINT_TASK_CANCELLED },
		{ "running", "task.cancel_request", STINT_SQL_TASK_CANCEL_RUNNING, STINT_TASK_CANCEL_REQUESTED },
		{ NULL, "task.remove", STINT_SQL_TASK_REMOVE, STINT_TASK_REMOVED },
	};
	char status[16], session_id[STINT_TASK_ID_LEN];
	const char *v;
	PGresult *res;
	size_t i;

	*what = STINT_TASK_ABSENT;
	*json = NULL;
	if (stint_tx_exec(tx, STINT_SQL_TASK_LOCK, 1, &task_id, &res) != STINT_DB_OK)
		return tx->rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return tx->rc;
	}
	v = stint_db_cell(res, 0, "status");
	snprintf(status, sizeof(status), "%s", v != NULL ? v : "");
	v = stint_db_cell(res, 0, "session_id");
	snprintf(session_id, sizeof(session_id), "%s", v != NULL ? v : "");
	PQclear(res);
	/* the row is locked: its status holds until COMMIT */
	for (i = 0; ways[i].status != NULL && strcmp(ways[i].status, status) != 0; i++)
		;
	if (stint_tx_text(tx, ways[i].change, 1, &task_id, json) == STINT_DB_OK && *json == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, ways[i].action, "task", task_id, NULL);
	announce(tx, session_id, *json);
	if (tx->rc == STINT_DB_OK)
		*what = ways[i].what;
	return tx->rc;
}

stint_db_rc stint_task_process_session(stint_tx *tx, const char *session_id, const char *user_id,
				       int max_attempts, char **json, int *created,
				       char id_out[STINT_TASK_ID_LEN])
{
	const stint_task_new t = { session_id, NULL, STINT_TASK_REPORT, "", NULL, 100, max_attempts, user_id };
	char *id = NULL;

	if (stint_task_create(tx, &t, json, created, id_out) != STINT_DB_OK || !*created)
		return tx->rc;
	if (stint_tx_text(tx, STINT_SQL_SESSION_PROCESS_QUEUED, 1, &session_id, &id) == STINT_DB_OK && id == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);  /* the task's session is there: its row is locked by the insert */
	free(id);
	return stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_SESSION, 1, &session_id);
}

stint_db_rc stint_task_report_missing(stint_db *db, const char *session_id, const char **field,
				      const char **message)
{
	PGresult *res = NULL;
	const char *v;
	stint_db_rc rc = stint_db_exec(db, STINT_SQL_REPORT_READINESS, 1, &session_id, &res);

	*field = *message = NULL;
	if (rc != STINT_DB_OK || PQntuples(res) == 0) {
		PQclear(res);
		return rc;
	}
	if ((v = stint_db_cell(res, 0, "participants")) != NULL && strcmp(v, "0") == 0) {
		*field = "participants";
		*message = "The session has no participants: add the players and their devices first.";
	} else if ((v = stint_db_cell(res, 0, "with_file")) != NULL && strcmp(v, "0") == 0) {
		*field = "device_files";
		*message = "No participant's device has a file: upload the device files first.";
	} else if ((v = stint_db_cell(res, 0, "empty_windows")) != NULL && strcmp(v, "0") != 0) {
		*field = "window";
		*message = "A participant's time window is empty (it ends before it starts).";
	}
	PQclear(res);
	return STINT_DB_OK;
}

stint_db_rc stint_task_session_status(stint_db *db, const char *session_id, char **json)
{
	return stint_db_text(db, STINT_SQL_SESSION_PROCESSING, 1, &session_id, json);
}
