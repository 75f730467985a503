/*
 * thresholds.h: a team's thresholds of the load metrics and survey flags,
 * read from load_thresholds (migration 0016): the row of the team playing
 * on a side of a session, valid on the session's day, else the default
 * row (team ''), else the literature defaults of stint_thresholds_default().
 */
#ifndef STINT_THRESHOLDS_H
#define STINT_THRESHOLDS_H

#include "db.h"
#include "loadmetrics.h"
#include "tx.h"

#include <cjson/cJSON.h>

/*
 * The thresholds for side ("A", "B", or NULL for a participant without
 * one) of session sid into *out (REPORT_THRESHOLDS). *from_table is 1 when
 * a row was found, 0 when the defaults were used. team (teamsize bytes,
 * at least 201 to hold any name) receives the load_thresholds row's team:
 * the side's team's name when its own row applies, "" for the default row
 * (every team) or the literature defaults. Errors of the database are
 * returned (and *out holds the defaults, team "").
 */
stint_db_rc stint_thresholds_read(stint_db *db, const char *sid, const char *side, stint_thresholds *out,
				  int *from_table, char *team, size_t teamsize);

/* ---- the settings (GET/PUT/DELETE /api/v1/thresholds, /settings/thresholds) ---- */

/*
 * One column of load_thresholds as a user sets it: its name (the JSON key
 * and form field), label, unit, range (min..max; min_open: min itself is
 * refused), whether it is an integer, its literature default and the
 * source of that default (lib/loadmetrics.h).
 */
typedef struct stint_threshold_field {
	const char *name;
	const char *label;
	const char *unit;
	double min, max;
	int min_open;
	int integer;
	double def;
	const char *source;
} stint_threshold_field;

/* The settable columns, in the table's order, and their count. */
extern const stint_threshold_field stint_threshold_fields[];
extern const size_t stint_threshold_nfields;

/* The default row, which cannot be deleted: team '' (every team) from this date. */
#define STINT_THRESHOLDS_DEFAULT_FROM "1970-01-01"

/*
 * Check obj (a PUT body: team, valid_from and any of the fields; fields
 * left out take their literature defaults; updated_at is ignored) and build
 * the complete row into *row (a new object the caller deletes; NULL on
 * problems). Problems go to *errors (created on demand; field -> message
 * naming the unit and range, or the order: "must be above zone1_mps").
 * Returns the number of problems, or -1 when memory runs out.
 */
int stint_thresholds_validate(const cJSON *obj, cJSON **row, cJSON **errors);

/* 0 when s is a date YYYY-MM-DD that exists (1900-01-01..9999-12-31), else -1. */
int stint_thresholds_date_ok(const char *s);

/* Every row as one JSON array text into *json (caller frees): by team, then valid_from. */
stint_db_rc stint_thresholds_list(stint_db *db, char **json);

/*
 * Insert or replace the row (team, valid_from) of row (complete, from
 * stint_thresholds_validate) in tx, audited as thresholds.set; *json is
 * the row as stored (caller frees), *created 1 when it is new.
 */
stint_db_rc stint_thresholds_put(stint_tx *tx, const cJSON *row, char **json, int *created);

/*
 * Delete the row (team, valid_from) in tx, audited as thresholds.delete;
 * *found 0 when there was none. The caller refuses the default row first.
 */
stint_db_rc stint_thresholds_delete(stint_tx *tx, const char *team, const char *valid_from, int *found);

/*
 * A refusal of the database (rc and the constraint it named) as the field
 * it concerns and *problem, or NULL when rc is no such refusal.
 */
const char *stint_thresholds_refusal(int rc, const char *constraint, const char **problem);

#endif
