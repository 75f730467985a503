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

/*
 * The thresholds for side ("A", "B", or NULL for a participant without
 * one) of session sid into *out (REPORT_THRESHOLDS). *from_table is 1 when
 * a row was found, 0 when the defaults were used. Errors of the database
 * are returned (and *out holds the defaults).
 */
stint_db_rc stint_thresholds_read(stint_db *db, const char *sid, const char *side, stint_thresholds *out,
				  int *from_table);

#endif
