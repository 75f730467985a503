/*
 * importer.h: a DataVolley match file becomes a session: both teams, their
 * rosters, sets and scores in meta, one event per scout line, and (with a
 * video) the clip the events point at. Shared by POST /api/v1/imports and
 * bin/stint import.
 */
#ifndef STINT_IMPORTER_H
#define STINT_IMPORTER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "db.h"

typedef struct stint_import {
	const char *owner_id;     /* users.id as text, or NULL */
	const char *title;        /* NULL: "Home v Visiting" */
	const char *video_path;   /* var-relative ("media/...") clip file, or NULL */
	double video_duration_sec;
	const char *video_type;   /* its content type */
	const char *demo_key;     /* kept in meta.demo_key (bin/stint demo), or NULL */
} stint_import;

typedef enum stint_import_rc {
	STINT_IMPORT_OK = 0,
	STINT_IMPORT_BAD_FILE,    /* not a DataVolley file: the reason is in warnings */
	STINT_IMPORT_DB           /* the database failed: *db_rc says how */
} stint_import_rc;

/*
 * Parse data (len bytes of a .dvw file) and store it in one transaction
 * (with an audit row by opt->owner_id). On STINT_IMPORT_OK, id_out holds the
 * new session's id and *events the count of events stored; warnings gets
 * one "line N: why" line per damaged line (such lines are skipped or kept
 * with fields missing; the import goes on). t_sec is the video time of a
 * line when it has one, else its clock time counted from the first line.
 */
stint_import_rc stint_import_dvw(stint_db *db, const stint_import *opt, const char *data,
				 size_t len, char id_out[37], long *events, stint_buf *warnings,
				 stint_db_rc *db_rc);

#endif
