/* spool.c: the spooler's queue operations and statements (see spool.h). */
#include "spool.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "media.h"
#include "store.h"
#include "tx.h"

/* Record task_updated with task (JSON text) on session_id's channel (when it has one). */
static void announce(stint_tx *tx, const char *session_id, const char *task)
{
	const char *p[3] = { session_id, "task_updated", task };

	if (session_id != NULL && *session_id != '\0' && task != NULL)
		stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, p);
}

/*
 * The facts of row i of res, a finishing statement's (session_id, status,
 * task_type, group_key, task; task_id unless id is given).
 */
static stint_task_end end_of(const PGresult *res, int i, const char *id)
{
	stint_task_end e = { id, stint_db_cell(res, i, "session_id"), stint_db_cell(res, i, "group_key"),
			     stint_db_cell(res, i, "task_type"), stint_db_cell(res, i, "status"),
			     stint_db_cell(res, i, "task") };

	if (e.task_id == NULL)
		e.task_id = stint_db_cell(res, i, "task_id");
	if (e.status == NULL)
		e.status = "";
	if (e.task_type == NULL)
		e.task_type = "";
	return e;
}

/*
 * Run fenced change id (n parameters p, p[0] the task id) as a unit of
 * work: audited as task.ACTION (action NULL: task.retry when the task is
 * queued again, else task.fail) and announced; a task that ended has its
 * type's record policy applied (types; stint_task_ended()). *held 0 when no
 * row changed; status_out (16 bytes, may be NULL) the new status.
 */
static stint_db_rc change(stint_db *db, const stint_task_types *types, stint_sql id, int n, const char *const *p,
			  const char *action, int *held, char *status_out)
{
	stint_task_end e;
	char act[32];
	const char *status;
	PGresult *res = NULL;
	stint_tx tx;

	*held = 0;
	if (status_out != NULL)
		status_out[0] = '\0';
	stint_tx_begin(&tx, db, NULL);
	if (stint_tx_exec(&tx, id, n, p, &res) == STINT_DB_OK && PQntuples(res) == 1) {
		*held = 1;
		status = stint_db_cell(res, 0, "status");
		if (status_out != NULL && status != NULL)
			snprintf(status_out, 16, "%s", status);
		if (action == NULL)
			action = status != NULL && strcmp(status, "queued") == 0 ? "retry" : "fail";
		snprintf(act, sizeof(act), "task.%s", action);
		stint_tx_audit(&tx, act, "task", p[0], NULL);
		e = end_of(res, 0, p[0]);
		stint_task_ended(&tx, types, &e, NULL);
	}
	PQclear(res);
	if (!*held)
		stint_tx_cancel(&tx);
	return stint_tx_end(&tx);
}

stint_db_rc stint_spool_claim(stint_db *db, const char *owner, double lease_s, const char *types,
			      stint_spool_task *t)
{
	char lease[32];
	const char *p[3] = { owner, lease, types };
	const char *v;
	PGresult *res = NULL;
	stint_db_rc rc;
	stint_tx tx;

	memset(t, 0, sizeof(*t));
	snprintf(lease, sizeof(lease), "%.3f", lease_s);
	stint_tx_begin(&tx, db, NULL);
	if (stint_tx_exec(&tx, STINT_SQL_SPOOL_CLAIM, 3, p, &res) == STINT_DB_OK && PQntuples(res) == 1) {
		snprintf(t->task_id, sizeof(t->task_id), "%s", stint_db_cell(res, 0, "task_id"));
		v = stint_db_cell(res, 0, "session_id");
		snprintf(t->session_id, sizeof(t->session_id), "%s", v != NULL ? v : "");
		snprintf(t->task_type, sizeof(t->task_type), "%s", stint_db_cell(res, 0, "task_type"));
		snprintf(t->token, sizeof(t->token), "%s", stint_db_cell(res, 0, "lease_token"));
		t->attempts = atoi(stint_db_cell(res, 0, "attempts"));
		t->max_attempts = atoi(stint_db_cell(res, 0, "max_attempts"));
		v = stint_db_cell(res, 0, "params");
		if ((t->params = strdup(v != NULL ? v : "{}")) == NULL)
			stint_tx_fail(&tx, STINT_DB_ERROR);
		stint_tx_audit(&tx, "task.claim", "task", t->task_id, NULL);
		announce(&tx, t->session_id, stint_db_cell(res, 0, "task"));
	} else {
		stint_tx_cancel(&tx);
	}
	PQclear(res);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK) {
		stint_spool_task_free(t);
		t->task_id[0] = '\0';
	}
	return rc;
}

void stint_spool_task_free(stint_spool_task *t)
{
	free(t->params);
	t->params = NULL;
}

stint_db_rc stint_spool_heartbeat(stint_db *db, const char *task_id, const char *token, double lease_s,
				  int *held, int *cancel)
{
	char lease[32];
	const char *p[3] = { task_id, token, lease };
	const char *v;
	PGresult *res = NULL;
	stint_db_rc rc;

	snprintf(lease, sizeof(lease), "%.3f", lease_s);
	*held = *cancel = 0;
	rc = stint_db_exec(db, STINT_SQL_SPOOL_HEARTBEAT, 3, p, &res);
	if (rc == STINT_DB_OK && PQntuples(res) == 1) {
		*held = 1;
		v = stint_db_cell(res, 0, "cancel");
		*cancel = v != NULL && strcmp(v, "t") == 0;
	}
	PQclear(res);
	return rc;
}

stint_db_rc stint_spool_progress(stint_db *db, const char *task_id, const char *token, int progress,
				 const char *message, int *held)
{
	char pct[16];
	const char *p[4] = { task_id, token, pct, message != NULL ? message : "" };
	PGresult *res = NULL;
	stint_tx tx;

	snprintf(pct, sizeof(pct), "%d", progress < 0 ? 0 : progress > 100 ? 100 : progress);
	*held = 0;
	stint_tx_begin(&tx, db, NULL);
	if (stint_tx_exec(&tx, STINT_SQL_SPOOL_PROGRESS, 4, p, &res) == STINT_DB_OK && PQntuples(res) == 1) {
		*held = 1;
		announce(&tx, stint_db_cell(res, 0, "session_id"), stint_db_cell(res, 0, "task"));
	} else {
		stint_tx_cancel(&tx);
	}
	PQclear(res);
	return stint_tx_end(&tx);
}

stint_db_rc stint_spool_complete(stint_db *db, const stint_task_types *types, const char *task_id,
				 const char *token, const char *result, int *held)
{
	const char *p[3] = { task_id, token, result };

	return change(db, types, STINT_SQL_SPOOL_COMPLETE, 3, p, "complete", held, NULL);
}

stint_db_rc stint_spool_fail(stint_db *db, const stint_task_types *types, const char *task_id, const char *token,
			     const char *error, int retry, double backoff_s, int *held, int *queued)
{
	char base[32], status[16];
	const char *p[5] = { task_id, token, error != NULL ? error : "", retry ? "true" : "false", base };
	stint_db_rc rc;

	snprintf(base, sizeof(base), "%.3f", backoff_s);
	rc = change(db, types, STINT_SQL_SPOOL_FAIL, 5, p, NULL, held, status);
	*queued = strcmp(status, "queued") == 0;
	return rc;
}

stint_db_rc stint_spool_cancelled(stint_db *db, const stint_task_types *types, const char *task_id,
				  const char *token, int *held)
{
	const char *p[2] = { task_id, token };

	return change(db, types, STINT_SQL_SPOOL_CANCELLED, 2, p, "cancelled", held, NULL);
}

stint_db_rc stint_spool_release(stint_db *db, const char *task_id, const char *token, int *held)
{
	const char *p[2] = { task_id, token };

	return change(db, NULL, STINT_SQL_SPOOL_RELEASE, 2, p, "release", held, NULL);
}

stint_db_rc stint_spool_reap(stint_db *db, const stint_task_types *types, long *n)
{
	PGresult *res = NULL;
	stint_task_end e;
	stint_tx tx;
	int i;

	*n = 0;
	stint_tx_begin(&tx, db, NULL);
	if (stint_tx_exec(&tx, STINT_SQL_SPOOL_REAP, 0, NULL, &res) == STINT_DB_OK) {
		for (i = 0; i < PQntuples(res); i++) {
			e = end_of(res, i, NULL);
			stint_tx_audit(&tx, "task.reap", "task", e.task_id, NULL);
			stint_task_ended(&tx, types, &e, NULL);
		}
		*n = PQntuples(res);
	}
	PQclear(res);
	if (*n == 0)
		stint_tx_cancel(&tx);
	return stint_tx_end(&tx);
}

stint_db_rc stint_spool_sweep(stint_db *db, const stint_task_types *types, long batch, long *n)
{
	stint_tx tx;

	stint_tx_begin(&tx, db, NULL);
	stint_task_sweep(&tx, types, batch, n);
	if (*n == 0)
		stint_tx_cancel(&tx);
	return stint_tx_end(&tx);
}

/* nftw callback: remove one entry (children first, FTW_DEPTH). */
static int purge_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) != 0)
		stint_log(STINT_LOG_WARN, "archive retention: could not remove %s", path);
	return 0;
}

/* Remove the var-relative folder rel/sid and all it holds (gone already: nothing to do), and its objects in S3. */
static void purge_dir(const char *rel, const char *sid)
{
	char sub[200], abs[4200];
	struct stat st;

	if (snprintf(sub, sizeof(sub), "%s/%s", rel, sid) >= (int)sizeof(sub))
		return;
	stint_store_remove_tree(sub);  /* its objects in the media bucket, with media_storage s3 */
	if (stint_media_path(sub, abs, sizeof(abs)) != 0 || lstat(abs, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	nftw(abs, purge_entry, 16, FTW_DEPTH | FTW_PHYS);
}

stint_db_rc stint_spool_purge_archives(stint_db *db, long days, long batch, long *n)
{
	char d[24], b[24];
	const char *p[2] = { d, b };
	char **gone = NULL;
	PGresult *res = NULL;
	stint_tx tx;
	stint_db_rc rc;
	int i, rows = 0, k = 0;

	*n = 0;
	snprintf(d, sizeof(d), "%ld", days);
	snprintf(b, sizeof(b), "%ld", batch);
	stint_tx_begin(&tx, db, NULL);
	if (stint_tx_exec(&tx, STINT_SQL_ARCHIVE_PURGE, 2, p, &res) == STINT_DB_OK) {
		rows = PQntuples(res);
		if (rows > 0 && (gone = calloc((size_t)rows, sizeof(*gone))) == NULL)
			stint_tx_fail(&tx, STINT_DB_ERROR);
		for (i = 0; i < rows && tx.rc == STINT_DB_OK; i++) {
			const char *sid = stint_db_cell(res, i, "session_id");

			stint_tx_audit(&tx, "session.purge", "session", sid, stint_db_cell(res, i, "detail"));
			if (strcmp(stint_db_cell(res, i, "remove_files"), "t") == 0 && (gone[k] = strdup(sid)) != NULL)
				k++;
		}
		PQclear(res);
	}
	if (rows == 0)
		stint_tx_cancel(&tx);
	rc = stint_tx_end(&tx);
	for (i = 0; i < k; i++) {
		if (rc == STINT_DB_OK) {
			purge_dir("media", gone[i]);
			purge_dir("uploads/raw", gone[i]);
			purge_dir("reports", gone[i]);
		}
		free(gone[i]);
	}
	free(gone);
	if (rc == STINT_DB_OK)
		*n = rows;
	return rc;
}

stint_db_rc stint_spool_purge_reports(stint_db *db, long days, long batch, long *n)
{
	char d[24], b[24];
	const char *p[2] = { d, b };
	char **gone = NULL;
	PGresult *res = NULL;
	stint_tx tx;
	stint_db_rc rc;
	int i, rows = 0, k = 0;

	*n = 0;
	snprintf(d, sizeof(d), "%ld", days);
	snprintf(b, sizeof(b), "%ld", batch);
	stint_tx_begin(&tx, db, NULL);
	if (stint_tx_exec(&tx, STINT_SQL_REPORT_RUN_PURGE, 2, p, &res) == STINT_DB_OK) {
		rows = PQntuples(res);
		if (rows > 0 && (gone = calloc((size_t)rows, sizeof(*gone))) == NULL)
			stint_tx_fail(&tx, STINT_DB_ERROR);
		for (i = 0; i < rows && tx.rc == STINT_DB_OK; i++) {
			const char *sid = stint_db_cell(res, i, "session_id"), *run = stint_db_cell(res, i, "run");
			char rel[200];

			stint_tx_audit(&tx, "report.purge", "session", sid, stint_db_cell(res, i, "detail"));
			/* the folder: a run name is one path component, never . or .. or hidden */
			if (run[0] != '.' && strchr(run, '/') == NULL &&
			    snprintf(rel, sizeof(rel), "%s/%s", sid, run) < (int)sizeof(rel) &&
			    (gone[k] = strdup(rel)) != NULL)
				k++;
		}
		PQclear(res);
	}
	if (rows == 0)
		stint_tx_cancel(&tx);
	rc = stint_tx_end(&tx);
	for (i = 0; i < k; i++) {
		if (rc == STINT_DB_OK)
			purge_dir("reports", gone[i]);
		free(gone[i]);
	}
	free(gone);
	if (rc == STINT_DB_OK)
		*n = rows;
	return rc;
}
