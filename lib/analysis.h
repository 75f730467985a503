/*
 * analysis.h: the "on clip ingested" hook (issue 11, "Clip analysis
 * plugins"; docs/tasks.md): a clip with a stored file gets one
 * analyze_clip task per analyzer (lib/analyzers.h) whose kinds take the
 * clip's kind, queued in the transaction that adds the clip; bin/stint-analyze
 * runs it. Used by lib/media.c (the API and uploads), lib/importer.c,
 * POST /api/v1/sessions/<id>/analyze (cgi-bin/tasks.c) and the editor's
 * Re-analyze form (cgi-bin/pages-tasks.c).
 *
 * An analyze_clip task has params {"analyzer": NAME, "clip_id": n} and
 * dedupe_key "NAME:n": the unique index tasks_one_active_idx keeps one
 * active task per analyzer and clip, so adding or re-analyzing a clip twice
 * at once queues it once (the second gets the first's task).
 *
 * The analyzers (setting analyzers_config) and the analyze_clip task type
 * (setting tasks_config, for its max_attempts) are read once per process,
 * by stint_analysis_init() or at the first use.
 */
#ifndef STINT_ANALYSIS_H
#define STINT_ANALYSIS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "analyzers.h"
#include "db.h"
#include "tx.h"

#define STINT_TASK_ANALYZE "analyze_clip"   /* the task type of one analyzer over one clip */

/*
 * Read the analyzers and (when there is one) the analyze_clip task type,
 * once (later calls return the first's result). Returns 0, or -1 with the
 * problem (a file and line, or analyze_clip not declared) in err (errsize
 * bytes).
 */
int stint_analysis_init(char *err, size_t errsize);

/*
 * stint_analysis_init() for a handler program's STINT_PROGRAM_INIT (the
 * programs that add clips): 0, or -1 with the problem logged, so a worker
 * with a bad configuration stops when it starts, not at its first clip.
 */
int stint_analysis_worker_init(void);

/* The analyzers read by stint_analysis_init() (empty when it failed or was not called). */
const stint_analyzers *stint_analysis_analyzers(void);

/*
 * In tx: queue analyzer a over clip clip_id (digits) of session sid for
 * tx's actor, or find its active task: *json (caller frees) is the task's
 * JSON text, as stint_task_create() (lib/tasks.h) gives it, *created 1 for
 * a new task (created may be NULL). The caller has checked that the clip is
 * the session's, has a stored file and a kind a takes
 * (stint_analysis_clips()).
 */
stint_db_rc stint_analysis_queue(stint_tx *tx, const char *sid, const stint_analyzer *a, const char *clip_id,
				 char **json, int *created);

/*
 * The clips of session sid that analyzer a takes (a stored file, not a
 * reference by uri, of a kind a lists), only clip clip_id (digits) when it
 * is not NULL: their ids as a JSON array of strings in *ids (caller
 * deletes; NULL when the read failed), by offset_sec then id. *found is
 * how many clips the read saw before the analyzer's rules (with clip_id: 0
 * when it is no clip of the session).
 */
stint_db_rc stint_analysis_clips(stint_db *db, const char *sid, const stint_analyzer *a, const char *clip_id,
				 cJSON **ids, int *found);

/*
 * In tx: stint_analysis_queue() for each clip of ids (as
 * stint_analysis_clips() gives them): each task's JSON is added to items
 * when it is not NULL; *created counts the new tasks (the others were
 * queued or running already).
 */
stint_db_rc stint_analysis_queue_clips(stint_tx *tx, const char *sid, const stint_analyzer *a, const cJSON *ids,
				       cJSON *items, int *created);

/*
 * In tx: the hook. clip_json is the JSON text of a clip just added to
 * session sid (CLIP_CREATE's answer: id, kind, path); when it has a stored
 * file, queue one task per analyzer whose kinds take its kind (none for a
 * reference by uri, nor when no analyzer is declared). A configuration that
 * cannot be read fails tx (STINT_DB_ERROR, the reason logged).
 */
stint_db_rc stint_analysis_queue_clip(stint_tx *tx, const char *sid, const char *clip_json);

#endif
