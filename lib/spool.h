/*
 * spool.h: the queue operations of bin/stint-spooler (issue 11;
 * docs/tasks.md, "The spooler"): claim the next queued task under a lease
 * with a fencing token, keep the lease alive, report progress, and end the
 * run (complete, fail or retry, cancelled, handed back); re-queue the
 * tasks whose lease ran out (the reaper).
 *
 * Every change but the claim names the task and the lease token it was
 * claimed with: when the lease is no longer that token's (it expired and
 * was reaped, or another spooler holds it now) the change does nothing and
 * *held is 0. Each change of a task's status is a unit of work (lib/tx.h):
 * audited (task.claim, task.complete, task.retry, task.fail, task.cancelled,
 * task.release, task.reap) and, for a task of a session, announced as
 * task_updated on the session's channel with the task as its data.
 * Progress is announced too; heartbeats are not. A task that ends (completed,
 * failed, cancelled) has its type's record policy applied in the same unit
 * of work (types: the task types; stint_task_ended() in lib/tasks.h): its
 * record, and those a follow-up releases, may be removed.
 */
#ifndef STINT_SPOOL_H
#define STINT_SPOOL_H

#include "db.h"
#include "tasks.h"
#include "tasktypes.h"

/* A claimed task. */
typedef struct stint_spool_task {
	char task_id[STINT_TASK_ID_LEN];     /* "" when nothing was claimed */
	char session_id[STINT_TASK_ID_LEN];  /* "" for a task without a session */
	char task_type[STINT_TASK_TYPE_LEN + 1];
	char token[24];                      /* the lease's fencing token */
	int attempts;                        /* this run's number, from 1 */
	int max_attempts;
	char *params;                        /* its params' JSON text (heap; stint_spool_task_free) */
} stint_spool_task;

/*
 * Claim the next due queued task (by priority, then age) of one of types
 * (a comma-separated list; NULL: any type) for owner (e.g.
 * "host:pid/slot") with a lease of lease_s seconds: running, attempts + 1,
 * a new token. t->task_id is "" when none is due.
 */
stint_db_rc stint_spool_claim(stint_db *db, const char *owner, double lease_s, const char *types,
			      stint_spool_task *t);

/* Free what t holds. */
void stint_spool_task_free(stint_spool_task *t);

/*
 * Extend the lease of task_id held with token to lease_s seconds from now:
 * *held 0 when it is not held so any more; *cancel 1 when a cancel was asked.
 */
stint_db_rc stint_spool_heartbeat(stint_db *db, const char *task_id, const char *token, double lease_s,
				  int *held, int *cancel);

/* Set the progress (0..100) and its message (announced). */
stint_db_rc stint_spool_progress(stint_db *db, const char *task_id, const char *token, int progress,
				 const char *message, int *held);

/* Completed, with result (JSON text, or NULL). */
stint_db_rc stint_spool_complete(stint_db *db, const stint_task_types *types, const char *task_id,
				 const char *token, const char *result, int *held);

/*
 * The run failed with error. When retry and attempts are left, the task is
 * queued again to run after backoff_s * 2^(attempts-1) seconds (at most an
 * hour) times a random 0.5..1.5; else it failed. *queued 1 when it was
 * queued again.
 */
stint_db_rc stint_spool_fail(stint_db *db, const stint_task_types *types, const char *task_id, const char *token,
			     const char *error, int retry, double backoff_s, int *held, int *queued);

/* Cancelled, as asked (its child stopped). */
stint_db_rc stint_spool_cancelled(stint_db *db, const stint_task_types *types, const char *task_id,
				  const char *token, int *held);

/* Handed back unfinished (a spooler stopping): queued at once, the attempt not counted. */
stint_db_rc stint_spool_release(stint_db *db, const char *task_id, const char *token, int *held);

/*
 * Re-queue the running tasks whose lease expired (their spooler died):
 * queued again while attempts are left, else failed; cancelled when a
 * cancel was asked (a task that so ends has its type's record policy
 * applied). *n is how many.
 */
stint_db_rc stint_spool_reap(stint_db *db, const stint_task_types *types, long *n);

/*
 * One unit of work of the retention sweep: remove at most batch finished
 * records older than their type's retention_days (stint_task_sweep() in
 * lib/tasks.h), each audited. *n is how many (batch: there may be more).
 */
stint_db_rc stint_spool_sweep(stint_db *db, const stint_task_types *types, long batch, long *n);

/*
 * One unit of work of the archive retention (issue 20, docs/backup.md):
 * remove at most batch archived (deleted) sessions, backups rows older than
 * days, each audited as session.purge (user none; detail: backup_id, title,
 * archived_at, restored_at, retention_days) in one transaction; after the
 * commit, the session's files (VAR/media/<id>/, VAR/uploads/raw/<id>/,
 * VAR/reports/<id>/: its report runs) are
 * removed when no live session or younger archive of that id needs them.
 * *n is how many were purged (batch: there may be more). A file that
 * cannot be removed is logged and left (the rows are gone either way).
 */
stint_db_rc stint_spool_purge_archives(stint_db *db, long days, long batch, long *n);

/*
 * One unit of work of the report retention (issue 20, docs/backup.md):
 * remove at most batch report runs (a session's report and report_data
 * artifacts under reports/<session>/<run>/) whose newest artifact is older
 * than days, except the run the session's report_url points to (its current
 * report), each audited as report.purge (target the session, user none;
 * detail: run, created_at, artifact_ids, names, size_bytes, retention_days)
 * in one transaction; after the commit each run's folder VAR/reports/<id>/<run>/
 * is removed. *n is how many runs (batch: there may be more). A file that
 * cannot be removed is logged and left (the rows are gone either way).
 */
stint_db_rc stint_spool_purge_reports(stint_db *db, long days, long batch, long *n);

#endif
