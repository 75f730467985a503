/*
 * importer.h: a DataVolley match file becomes a session: both teams, their
 * rosters, sets and scores in meta, one event per scout line, and (with a
 * video) the clip the events point at, written and announced as the API
 * writes and announces them, so a live viewer sees an import. Shared by
 * POST /api/v1/imports, the dashboard's import form and bin/stint import.
 */
#ifndef STINT_IMPORTER_H
#define STINT_IMPORTER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "db.h"
#include "tx.h"

typedef struct stint_import {
	const char *owner_id;     /* users.id as text, or NULL */
	const char *title;        /* NULL: "Home v Visiting" */
	const char *video_file;   /* a whole video file (absolute or var-relative name), or NULL */
	const char *video_ext;    /* its stored name's extension ("mp4") */
	double video_duration_sec;
	const char *video_type;   /* its content type */
	char *video_kept;         /* with a video: gets its stored name (var-relative), or "" */
	size_t video_kept_size;   /* bytes at video_kept */
	const char *demo_key;     /* kept in meta.demo_key (bin/stint demo), or NULL */
} stint_import;

typedef enum stint_import_rc {
	STINT_IMPORT_OK = 0,      /* written on the tx: stint_tx_end() says whether it is kept */
	STINT_IMPORT_BAD_FILE     /* not a DataVolley file: the reason is in warnings */
} stint_import_rc;

/*
 * Parse data (len bytes of a .dvw file) and write it on tx (whose actor is
 * the audit row's, "session.import"): the session owned by opt->owner_id,
 * its teams and rosters, the video's clip, one event per scout line (source
 * import:dvw). It announces what the API sends for the same changes:
 * session_updated, clip_added (with a video, and task_updated for each
 * analyze_clip task the video gets: lib/analysis.h), event_added and
 * rollup_updated (when there are events), published when the caller's
 * stint_tx_end() commits.
 *
 * The video file is hard-linked into the new session's own folder
 * (stint_media_keep(), lib/media.h): the session owns that name, as it owns
 * its uploads, and deleting the clip removes it. The name goes to
 * opt->video_kept; the caller removes it with stint_media_unlink() when
 * stint_tx_end() does not return STINT_DB_OK (the source file stays).
 *
 * On STINT_IMPORT_OK, id_out holds the new session's id and *events the
 * count of events, both valid once stint_tx_end() returned STINT_DB_OK;
 * warnings gets one "line N: why" line per damaged line (such lines are
 * skipped or kept with fields missing; the import goes on). On
 * STINT_IMPORT_BAD_FILE tx is cancelled: nothing is written. t_sec is the
 * video time of a line when it has one, else its clock time counted from
 * the first line.
 */
stint_import_rc stint_import_dvw(stint_tx *tx, const stint_import *opt, const char *data,
				 size_t len, char id_out[37], long *events, stint_buf *warnings);

/*
 * The session imported under demo_key (meta.demo_key, bin/stint demo):
 * *id (heap, caller frees) is its id, or NULL when there is none.
 */
stint_db_rc stint_import_demo_session(stint_db *db, const char *demo_key, char **id);

#endif
