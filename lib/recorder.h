/*
 * recorder.h: recordings an external recorder (the session-recorder project)
 * wrote into the S3 bucket (issue 13; docs/recorder.md): their discovery
 * (the sync), the list users read, and the sync task.
 *
 * The bucket's layout: <recorder_id>/metadata.json ({"id","name"}) and per
 * recording <recorder_id>/sessions/<recording_id>/ with metadata.json,
 * data.ogg, data.flac, waveform.dat, overview.png, and chunks/ while it is
 * still recording.
 *
 * A sync lists the bucket (the root with delimiter "/" for the recorders,
 * then each recorder's keys, page by page), reads the metadata.json files
 * whose ETag differs from the one stored (none when nothing changed), and
 * writes what it found in one unit of work, audited as recorder.sync:
 * recorders, recordings new or changed, and recordings gone from the
 * bucket marked deleted_at. A malformed metadata.json is that recording's
 * `error`, never a failed sync; an S3 failure fails the sync before
 * anything is written.
 */
#ifndef STINT_RECORDER_H
#define STINT_RECORDER_H

#include <stddef.h>

#include "db.h"
#include "s3.h"
#include "tx.h"

#define STINT_RECORDER_SYNC_TYPE "recorder_sync"   /* the task type (conf/tasks.conf) */

/* A recording's metadata.json as read: what recorder_sessions keeps. */
typedef struct stint_recording_meta {
	char name[501];
	char start_time[64];   /* RFC 3339 as written */
	char end_time[64];     /* "" when absent, null or Go's zero time */
	long long duration_ns; /* -1 when absent */
	int is_closed;
	int keep;
} stint_recording_meta;

/*
 * Parse metadata.json text (len bytes) of recording recording_id into *m.
 * Required: a JSON object with "start_time" (RFC 3339); "id", when present,
 * must equal recording_id; "name" (a string, at most 500 bytes), "end_time"
 * (RFC 3339, null, or Go's zero time 0001-01-01T00:00:00Z), "duration"
 * (nanoseconds, an integer >= 0), "is_closed" and "keep" (booleans) are
 * optional. Returns 0, or -1 with the reason in err (errsize bytes), e.g.
 * "start_time is not an RFC 3339 date-time".
 */
int stint_recorder_parse_metadata(const char *text, size_t len, const char *recording_id,
				  stint_recording_meta *m, char *err, size_t errsize);

/* What one sync found and did, and the S3 requests it made. */
typedef struct stint_recorder_sync_result {
	long recorders;       /* listed in the bucket */
	long recordings;      /* listed in the bucket */
	long created, updated, deleted;  /* recordings rows written */
	long malformed;       /* recordings in the bucket whose metadata.json could not be read (after the sync) */
	long open;            /* recordings in the bucket not closed (chunks/ present or not is_closed) */
	long objects;         /* keys listed */
	stint_s3_counts requests;
	double seconds;       /* wall time */
} stint_recorder_sync_result;

/*
 * Progress of a sync: percent 0..100 and a short message; arg as given.
 */
typedef void stint_recorder_progress(int percent, const char *message, void *arg);

/*
 * Sync the bucket of c into the database (see the top of this file).
 * verify 1: read every metadata.json again, with If-None-Match of the
 * stored ETag (each unchanged one answers 304). actor_id: users.id as text
 * of who asked, or NULL for the system. progress may be NULL. Returns 0
 * and *r; or -1 with the reason in err (an S3 failure names the endpoint
 * or the setting to check, lib/s3.h; a database failure says so) and
 * nothing written.
 */
int stint_recorder_sync(stint_db *db, const stint_s3_conf *c, int verify, const char *actor_id,
			stint_recorder_progress *progress, void *arg, stint_recorder_sync_result *r, char *err,
			size_t errsize);

/* The result as the task's result JSON text (caller frees), or NULL on out of memory. */
char *stint_recorder_sync_json(const stint_recorder_sync_result *r);

/*
 * Queue a recorder_sync task for user_id, or find the one queued or
 * running (one at a time: an advisory lock in the unit of work, then a
 * look-up). *json (caller frees) is the task's JSON text, *created 1 for a
 * new one. max_attempts: the type's.
 */
stint_db_rc stint_recorder_sync_queue(stint_tx *tx, const char *user_id, int max_attempts, char **json,
				      int *created);

/* A page of the recordings list: filters (NULL: any) and paging. */
typedef struct stint_recorder_filter {
	const char *recorder_id;
	const char *from;       /* RFC 3339: start_time >= from */
	const char *to;         /* RFC 3339: start_time < to */
	const char *closed;     /* "true" or "false" */
	const char *deleted;    /* "true": include recordings gone from the bucket */
	long limit, offset;
} stint_recorder_filter;

/*
 * The recordings (not deleted unless asked), newest start first, as JSON
 * text {"items": [...], "total": n, "limit", "offset"} in *json (caller
 * frees). Each item: id, recorder_id, recorder_name, recording_id, name,
 * start_time, end_time, duration_ns, duration_s, is_closed, keep, files
 * (the formats present: ogg, flac, waveform, overview), error, deleted_at,
 * discovered_at, updated_at. No object keys or URLs.
 */
stint_db_rc stint_recorder_list(stint_db *db, const stint_recorder_filter *f, char **json);

#endif
