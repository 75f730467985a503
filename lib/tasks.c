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

/* Copy column col of res's first row into out (size bytes); "" for NULL. */
static void copy_cell(const PGresult *res, const char *col, char *out, size_t size)
{
	const char *v = stint_db_cell(res, 0, col);

	snprintf(out, size, "%s", v != NULL ? v : "");
}

/* Record task_updated with task (JSON text) as its data on session_id's channel (when it has one). */
static stint_db_rc announce(stint_tx *tx, const char *session_id, const char *task)
{
	const char *p[3] = { session_id, "task_updated", task };

	if (session_id == NULL || *session_id == '\0' || task == NULL)
		return tx->rc;
	return stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, p);
}

/* {key: value} as JSON text (caller frees), or NULL: an audit row's detail. */
static char *one_field(const char *key, const char *value)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, key, value) != NULL)
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
	detail = one_field("task_type", t->task_type);
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

/* A task locked for a change: what stint_task_cancel() and stint_task_retry() decide on. */
typedef struct locked_task {
	char status[16], session_id[STINT_TASK_ID_LEN], type[STINT_TASK_TYPE_LEN + 1], group[256];
} locked_task;

/* Lock task task_id for a change: 1 with its state in *t, 0 when there is no such task (or tx failed). */
static int lock_task(stint_tx *tx, const char *task_id, locked_task *t)
{
	PGresult *res;
	int found;

	if (stint_tx_exec(tx, STINT_SQL_TASK_LOCK, 1, &task_id, &res) != STINT_DB_OK)
		return 0;
	found = PQntuples(res) > 0;
	if (found) {
		copy_cell(res, "status", t->status, sizeof(t->status));
		copy_cell(res, "session_id", t->session_id, sizeof(t->session_id));
		copy_cell(res, "task_type", t->type, sizeof(t->type));
		copy_cell(res, "group_key", t->group, sizeof(t->group));
	}
	PQclear(res);
	return found;
}

stint_db_rc stint_task_cancel(stint_tx *tx, const stint_task_types *types, const char *task_id,
			      int remove_finished, stint_task_cancel_result *what, char **json)
{
	static const struct { const char *status, *action; stint_sql change; stint_task_cancel_result what; } ways[] = {
		{ "queued", "task.cancel", STINT_SQL_TASK_CANCEL_QUEUED, STINT_TASK_CANCELLED },
		{ "running", "task.cancel_request", STINT_SQL_TASK_CANCEL_RUNNING, STINT_TASK_CANCEL_REQUESTED },
		{ NULL, "task.remove", STINT_SQL_TASK_REMOVE, STINT_TASK_REMOVED },
	};
	locked_task t;
	stint_task_end end = { task_id, t.session_id, t.group, t.type, "cancelled", NULL };
	char *gone = NULL;
	size_t i;

	*what = STINT_TASK_ABSENT;
	*json = NULL;
	if (!lock_task(tx, task_id, &t))
		return tx->rc;
	/* the row is locked: its status holds until COMMIT */
	for (i = 0; ways[i].status != NULL && strcmp(ways[i].status, t.status) != 0; i++)
		;
	if (ways[i].status == NULL && !remove_finished) {
		*what = STINT_TASK_FINISHED;
		return tx->rc;
	}
	if (stint_tx_text(tx, ways[i].change, 1, &task_id, json) == STINT_DB_OK && *json == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, ways[i].action, "task", task_id, NULL);
	if (ways[i].what == STINT_TASK_CANCELLED && tx->rc == STINT_DB_OK) {
		/* the task ends here: its type's policy may remove the record */
		end.task = *json;
		stint_task_ended(tx, types, &end, &gone);
		if (gone != NULL) {
			free(*json);
			*json = gone;
		}
	} else {
		announce(tx, t.session_id, *json);
	}
	if (tx->rc == STINT_DB_OK)
		*what = ways[i].what;
	return tx->rc;
}

stint_db_rc stint_task_retry(stint_tx *tx, const char *task_id, stint_task_retry_result *what, char **json)
{
	locked_task t;
	char *detail;

	*what = STINT_TASK_RETRY_ABSENT;
	*json = NULL;
	if (!lock_task(tx, task_id, &t))
		return tx->rc;
	if (strcmp(t.status, "queued") == 0 || strcmp(t.status, "running") == 0) {
		*what = STINT_TASK_RETRY_ACTIVE;
		return tx->rc;
	}
	if (strcmp(t.status, "completed") == 0) {
		*what = STINT_TASK_RETRY_COMPLETED;
		return tx->rc;
	}
	/* failed or cancelled, and locked: the update finds it (or the unique index refuses it) */
	if (stint_tx_text(tx, STINT_SQL_TASK_RETRY, 1, &task_id, json) == STINT_DB_OK && *json == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	detail = one_field("from", t.status);
	if (detail == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, "task.retry", "task", task_id, detail);
	free(detail);
	announce(tx, t.session_id, *json);
	if (tx->rc == STINT_DB_OK)
		*what = STINT_TASK_RETRY_DONE;
	return tx->rc;
}

/* --- what is kept of a task that ended (its type's record policy) --- */

/* remove_on's bit of a final status; 0 for a status that is not final. */
static unsigned final_bit(const char *status)
{
	if (strcmp(status, "completed") == 0)
		return STINT_TASK_REMOVE_COMPLETED;
	if (strcmp(status, "failed") == 0)
		return STINT_TASK_REMOVE_FAILED;
	if (strcmp(status, "cancelled") == 0)
		return STINT_TASK_REMOVE_CANCELLED;
	return 0;
}

/* {"task_type", "reason", "follow_up" (when not NULL)} as JSON text (caller frees), or NULL. */
static char *remove_detail(const char *type, const char *reason, const char *follow_up)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, "task_type", type) != NULL &&
	    cJSON_AddStringToObject(o, "reason", reason) != NULL &&
	    (follow_up == NULL || cJSON_AddStringToObject(o, "follow_up", follow_up) != NULL))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* Audit the removal of task_id's record (task.remove, why) and announce task, its last JSON text. */
static void removed_one(stint_tx *tx, const char *task_id, const char *session_id, const char *type,
			const char *reason, const char *follow_up, const char *task)
{
	char *detail = remove_detail(type, reason, follow_up);

	if (detail == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, "task.remove", "task", task_id, detail);
	free(detail);
	announce(tx, session_id, task);
}

/*
 * The types whose records are kept until a task of type name completes, as
 * a comma-separated list (caller frees), "" when there are none; NULL when
 * out of memory.
 */
static char *keepers_of(const stint_task_types *types, const char *name)
{
	size_t size = types->n * (STINT_TASK_TYPE_LEN + 1) + 1, i, len = 0;
	char *list = malloc(size);

	if (list == NULL)
		return NULL;
	list[0] = '\0';
	for (i = 0; i < types->n; i++) {
		if (strcmp(types->types[i].keep_until, name) != 0)
			continue;
		len += (size_t)snprintf(list + len, size - len, "%s%s", len > 0 ? "," : "", types->types[i].name);
	}
	return list;
}

/* Follow-up e completed: remove the finished records of its group of the types keepers (a list). */
static void release_group(stint_tx *tx, const stint_task_end *e, const char *keepers)
{
	const char *p[2] = { e->group_key, keepers };
	PGresult *res;
	int i;

	if (stint_tx_exec(tx, STINT_SQL_TASK_RELEASE_GROUP, 2, p, &res) != STINT_DB_OK)
		return;
	for (i = 0; i < PQntuples(res) && tx->rc == STINT_DB_OK; i++)
		removed_one(tx, stint_db_cell(res, i, "task_id"), stint_db_cell(res, i, "session_id"),
			    stint_db_cell(res, i, "task_type"), "keep_until", e->task_id,
			    stint_db_cell(res, i, "task"));
	PQclear(res);
}

stint_db_rc stint_task_ended(stint_tx *tx, const stint_task_types *types, const stint_task_end *e,
			     char **removed)
{
	const stint_task_type *type = types != NULL ? stint_task_type_find(types, e->task_type) : NULL;
	unsigned bit = final_bit(e->status);
	int grouped = e->group_key != NULL && *e->group_key != '\0', held;
	const char *reason = NULL;
	char *keepers, *gone = NULL;

	if (removed != NULL)
		*removed = NULL;
	if (type == NULL || bit == 0)
		return announce(tx, e->session_id, e->task);
	held = type->keep_until[0] != '\0' && grouped;
	if (!type->tracked)
		reason = "untracked";
	else if (!held && (type->remove_on & bit) != 0)
		reason = "remove_on";
	if (bit == STINT_TASK_REMOVE_COMPLETED && grouped) {
		if ((keepers = keepers_of(types, type->name)) == NULL)
			stint_tx_fail(tx, STINT_DB_ERROR);
		else if (*keepers != '\0') {
			release_group(tx, e, keepers);
			if (!held && reason == NULL)
				reason = "keep_until";
		}
		free(keepers);
	}
	if (reason == NULL)
		return announce(tx, e->session_id, e->task);
	if (stint_tx_text(tx, STINT_SQL_TASK_REMOVE, 1, &e->task_id, &gone) == STINT_DB_OK && gone == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);  /* the caller has just finished it: the row is locked */
	removed_one(tx, e->task_id, e->session_id, type->name, reason,
		    strcmp(reason, "keep_until") == 0 ? e->task_id : NULL, gone);
	if (removed != NULL && tx->rc == STINT_DB_OK)
		*removed = gone;
	else
		free(gone);
	return tx->rc;
}

/* The sweep's policies: [{task_type, retention_days, held}] for each type, as JSON text (caller frees). */
static char *sweep_policies(const stint_task_types *types)
{
	cJSON *a = cJSON_CreateArray(), *o;
	char *text = NULL;
	size_t i;

	for (i = 0; a != NULL && i < types->n; i++) {
		const stint_task_type *t = &types->types[i];

		if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, o) ||
		    cJSON_AddStringToObject(o, "task_type", t->name) == NULL ||
		    cJSON_AddNumberToObject(o, "retention_days", t->retention_days) == NULL ||
		    cJSON_AddBoolToObject(o, "held", t->keep_until[0] != '\0') == NULL)
			break;
	}
	if (a != NULL && i == types->n)
		text = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return text;
}

stint_db_rc stint_task_sweep(stint_tx *tx, const stint_task_types *types, long batch, long *n)
{
	char limit[24], *policies = sweep_policies(types);
	const char *p[2] = { policies, limit };
	PGresult *res;
	int i;

	*n = 0;
	snprintf(limit, sizeof(limit), "%ld", batch);
	if (policies == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	if (stint_tx_exec(tx, STINT_SQL_TASK_SWEEP, 2, p, &res) == STINT_DB_OK) {
		for (i = 0; i < PQntuples(res) && tx->rc == STINT_DB_OK; i++)
			removed_one(tx, stint_db_cell(res, i, "task_id"), stint_db_cell(res, i, "session_id"),
				    stint_db_cell(res, i, "task_type"), "retention", NULL,
				    stint_db_cell(res, i, "task"));
		*n = tx->rc == STINT_DB_OK ? PQntuples(res) : 0;
		PQclear(res);
	}
	free(policies);
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
