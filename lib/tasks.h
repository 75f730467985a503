/*
 * tasks.h: the task resource (issue 11; docs/tasks.md): one unit of long
 * work of a declared type (lib/tasktypes.h), queued here and run later by
 * bin/stint-spooler. Used by cgi-bin/tasks.c.
 *
 * Reads take the database; changes take a unit of work (lib/tx.h), write
 * their audit_log row (task.create, task.cancel, task.cancel_request,
 * task.remove, task.retry) and, for a task of a session, record
 * task_updated on the session's live channel with the task as its data. What a change hands
 * back is only meaningful once stint_tx_end() has returned STINT_DB_OK; the
 * caller frees a returned text whatever stint_tx_end() returns.
 *
 * Who may see a task (stint_task_access): a task of a session follows the
 * session's access, one without a session belongs to the user who made
 * it, admins may do everything.
 */
#ifndef STINT_TASKS_H
#define STINT_TASKS_H

#include "db.h"
#include "http.h"
#include "sessions.h"
#include "tasktypes.h"
#include "tx.h"

#define STINT_TASK_ID_LEN 37   /* a task_id (a uuid) and its NUL */

/* A task to create: the caller has validated each value. */
typedef struct stint_task_new {
	const char *session_id;    /* NULL: no session */
	const char *group_key;     /* NULL: no group */
	const char *task_type;     /* a declared type */
	const char *dedupe_key;    /* NULL or "": one active task per session and type */
	const char *params_json;   /* a JSON object's text; NULL: {} */
	long priority;             /* 0..1000, lower runs first */
	int max_attempts;          /* the type's */
	const char *user_id;       /* who asks (users.id as text) */
} stint_task_new;

/*
 * Queue task t, or find the active (queued or running) task of the same
 * session, type and dedupe key that the unique index tasks_one_active_idx
 * keeps to one: *json (caller frees) is the task's JSON text either way,
 * *created 1 for a new task (its id in id_out) and 0 for the existing one
 * (id_out ""). A new task is audited as task.create, announced, and wakes
 * a spooler (NOTIFY tasks) at COMMIT. STINT_DB_CONFLICT when the active
 * task finished between the insert and the look-up three times running.
 */
stint_db_rc stint_task_create(stint_tx *tx, const stint_task_new *t, char **json, int *created,
			      char id_out[STINT_TASK_ID_LEN]);

/* Task task_id's JSON text in *json (caller frees), or NULL when there is none. */
stint_db_rc stint_task_get(stint_db *db, const char *task_id, char **json);

/*
 * What user_id may do with task task_id in *grant: STINT_GRANT_ABSENT when
 * there is no such task (or on an error), STINT_GRANT_NONE when it may not
 * see it, else VIEW or EDIT.
 */
stint_db_rc stint_task_access(stint_db *db, const char *task_id, const char *user_id, stint_grant *grant);

/* Query parameters of the task list. */
typedef struct stint_task_query {
	const char *session;  /* filters, or NULL */
	const char *group;
	const char *type;
	const char *status;
	long limit;           /* 1..1000, default 50 */
	long offset;          /* >= 0 */
	const char *user_id;  /* only tasks this user may see... */
	int is_admin;         /* ...unless an admin asks */
} stint_task_query;

/*
 * Read and check the list parameters from query (session, group, type,
 * status, limit, offset); problems go to *errors as in
 * stint_validate_json(). Returns the number of problems.
 */
int stint_task_query_parse(const stint_kvlist *query, stint_task_query *out, cJSON **errors);

/*
 * The page of tasks matching q as JSON text {"items": [...], "total": n,
 * "limit": n, "offset": n} in *json (caller frees), newest first.
 */
stint_db_rc stint_task_list(stint_db *db, const stint_task_query *q, char **json);

/* What stint_task_cancel() did. */
typedef enum stint_task_cancel_result {
	STINT_TASK_ABSENT,            /* there is no such task */
	STINT_TASK_CANCELLED,         /* it was queued: now cancelled */
	STINT_TASK_CANCEL_REQUESTED,  /* it is running: cancel_requested_at is set, and
					 the spooler running it stops its child */
	STINT_TASK_REMOVED,           /* it had finished: its record is removed */
	STINT_TASK_FINISHED           /* it had finished and remove_finished was 0: unchanged */
} stint_task_cancel_result;

/*
 * Cancel task task_id as its status allows (stint_task_cancel_result in
 * *what); a finished task's record is removed when remove_finished is 1
 * (the API's DELETE), and left as it is otherwise (the editor's Cancel
 * button, which may meet a task that finished since the page was shown).
 * *json (caller frees) is the task's JSON text after the change (the
 * removed record's, with "removed": true), NULL when absent or unchanged. A
 * queued task cancelled here ends, so its type's policy applies (types,
 * NULL: none; stint_task_ended()): its record may be removed at once, *json
 * then the removed record's and *what still STINT_TASK_CANCELLED.
 */
stint_db_rc stint_task_cancel(stint_tx *tx, const stint_task_types *types, const char *task_id,
			      int remove_finished, stint_task_cancel_result *what, char **json);

/* A task whose status has just changed in a unit of work: its row's facts. */
typedef struct stint_task_end {
	const char *task_id;
	const char *session_id;   /* NULL or "": no session */
	const char *group_key;    /* NULL or "": no group */
	const char *task_type;
	const char *status;       /* its new status */
	const char *task;         /* its JSON text after the change */
} stint_task_end;

/*
 * Announce task e's change in tx, and when e->status is final (completed,
 * failed, cancelled) apply its type's record policy (types; NULL, or a type
 * types does not declare: none; docs/tasks.md, "Record policies"):
 *  - the record is removed when the type is untracked (tracked = no), or
 *    when the status is in its remove_on and the record is not held (a type
 *    with keep_until holds its records that have a group_key);
 *  - a completed task with a group_key, of a type that others name in their
 *    keep_until, removes the finished records of its group of those types,
 *    and then its own record unless that is held itself.
 * Each removal is audited as task.remove (detail: task_type, reason
 * untracked, remove_on or keep_until, and follow_up: the releasing task's
 * id) and announced as task_updated with "removed": true; a record that
 * stays is announced as it is. When e's own record was removed and removed
 * is not NULL, *removed is the removed record's JSON text (caller frees;
 * else NULL). Returns tx->rc.
 */
stint_db_rc stint_task_ended(stint_tx *tx, const stint_task_types *types, const stint_task_end *e,
			     char **removed);

/*
 * Remove the finished records older than their type's retention_days
 * (finished_at), at most batch of them (oldest first), in tx: records of a
 * type with keep_until that have a group_key are held and stay, and types
 * not declared in types are left alone. Each removal is audited (task.remove,
 * reason retention) and announced. *n is how many were removed (batch: there
 * may be more). Returns tx->rc.
 */
stint_db_rc stint_task_sweep(stint_tx *tx, const stint_task_types *types, long batch, long *n);

/* What stint_task_retry() did. */
typedef enum stint_task_retry_result {
	STINT_TASK_RETRY_ABSENT,   /* there is no such task */
	STINT_TASK_RETRY_ACTIVE,   /* it is queued or running: unchanged */
	STINT_TASK_RETRY_DONE,     /* it was failed or cancelled: queued again */
	STINT_TASK_RETRY_COMPLETED  /* it completed: unchanged (nothing to retry) */
} stint_task_retry_result;

/*
 * Queue task task_id again when it failed or was cancelled: the same task
 * (its id, params and history kept) starts a new attempt cycle, attempts
 * 0, run_after now, error, result and progress cleared; audited as
 * task.retry ({"from": the old status}), announced, and NOTIFY tasks at
 * COMMIT. *what says what it found; *json (caller frees) is the task's
 * JSON text after a retry, NULL otherwise. STINT_DB_CONFLICT when the
 * task's session has another active task of the same type and dedupe key
 * (the unique index tasks_one_active_idx refuses the second).
 */
stint_db_rc stint_task_retry(stint_tx *tx, const char *task_id, stint_task_retry_result *what, char **json);

/* --- a session's processing (its report) --- */

#define STINT_TASK_REPORT "process_report"   /* the type of a session's report */

/*
 * Queue the report of session_id: a process_report task made by user_id
 * with max_attempts (the type's), or the one queued or running already, as
 * stint_task_create(). A new one also sets the session's processing_status
 * to queued (session_updated announced).
 */
stint_db_rc stint_task_process_session(stint_tx *tx, const char *session_id, const char *user_id,
				       int max_attempts, char **json, int *created,
				       char id_out[STINT_TASK_ID_LEN]);

/*
 * What session session_id lacks for a report, into *field and *message
 * (static strings; both NULL when it can be processed): "participants"
 * (none), "device_files" (no participant's device has a file) or "window"
 * (a participant's time window, theirs or the session's, is empty)
 * (REPORT_READINESS). A device file that is corrupt is found by the run.
 */
stint_db_rc stint_task_report_missing(stint_db *db, const char *session_id, const char **field,
				      const char **message);

/*
 * Session session_id's processing as JSON text in *json (caller frees):
 * {session_id, processing_status, progress, progress_message, report_url,
 * last_processed_at, task (its newest process_report task, or null)};
 * NULL when there is no such session.
 */
stint_db_rc stint_task_session_status(stint_db *db, const char *session_id, char **json);

#endif
