/*
 * matchreport.h: a volleyball match's one-page report, charts and
 * spreadsheet exports, read from the database in one statement
 * (MATCH_REPORT_INPUT), derived with lib/matchstate.h and counted with
 * lib/vbstats.h (read only) and lib/vbcharts.h; and their files stored as
 * the session's artifacts.
 *
 * The report follows DataVolley's match report: set scores (with durations
 * when the file gave them), per team a box score per player (serve
 * attempts, aces, errors; reception attempts, positive %, perfect %,
 * errors; attack attempts, kills, errors, blocked, kill %, efficiency;
 * block points; digs; points = kills + aces + block points) with the team's
 * totals, and side-out and break-point % per rotation.
 */
#ifndef STINT_MATCHREPORT_H
#define STINT_MATCHREPORT_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "db.h"
#include "matchstate-load.h"
#include "vbstats.h"

/* A loaded match; everything owned here (stint_mr_free). */
typedef struct stint_mr {
	stint_ms_match m;       /* m.input is MATCH_REPORT_INPUT's answer, m.events its events */
	cJSON *stats;           /* lib/vbstats.h's answer for every action */
} stint_mr;

/*
 * Read session sid and derive its match into *mr (free with stint_mr_free,
 * also on errors). *found is 0 when there is no such session. STINT_DB_ERROR
 * on out of memory.
 */
stint_db_rc stint_mr_load(stint_db *db, const char *sid, stint_mr *mr, int *found);

void stint_mr_free(stint_mr *mr);

/*
 * The charts of the match (team 0, number NULL) or of one player (team
 * 'A'|'B' and a shirt number): a new array (caller deletes) of
 * {"name": "attack-a" | ..., "file": "<name>.svg", "title", "svg": the <svg> text};
 * for the match attack direction, serve and reception zones of each team and
 * points per rotation; for a player their attack, serve and reception charts.
 * NULL on out of memory.
 */
cJSON *stint_mr_charts(const stint_mr *mr, char team, const char *number);

/*
 * The report template's data (templates/match-report.mustache), a new
 * object the caller deletes: title, date, venue, teams' names, sets, box
 * scores, rotations (see the header comment). NULL on out of memory.
 */
cJSON *stint_mr_view(const stint_mr *mr);

/*
 * The events or players CSV (lib/matchsheet.h) of the match into out.
 * Returns 0, or -1 on out of memory.
 */
int stint_mr_events_csv(const stint_mr *mr, stint_buf *out);
int stint_mr_players_csv(const stint_mr *mr, stint_buf *out);

/* One file of a stored run. */
typedef struct stint_mr_file {
	const char *file;       /* its name in the run's folder: [a-z0-9.-] */
	const char *name;       /* the download name */
	const char *type;       /* the artifact type: "match_report", "chart", "export" */
	const char *content_type;
	const char *data;
	size_t len;
	const char *meta_json;  /* the artifact's meta, a JSON object's text, or NULL */
} stint_mr_file;

/*
 * Store files (n of them) of session sid as one run: written into
 * reports/<sid>/.match-<run>.tmp, renamed whole to reports/<sid>/match-<run>
 * (so a run is there complete or not at all), then in one transaction
 * recorded as artifacts (audited "artifact.add" as the user user_id, text
 * digits or NULL). *artifacts gets a new array of the artifacts' JSON
 * (caller deletes). With media_storage s3 (lib/store.h) the files are put
 * into the media bucket before the transaction and the folder removed after
 * it, so that no web host keeps them. On a failed write (or put) nothing is
 * recorded and the folder (and objects) removed; on a failed transaction
 * too. Returns the
 * transaction's result, or STINT_DB_ERROR when the files could not be
 * written (a line in the log says why).
 */
stint_db_rc stint_mr_store(stint_db *db, const char *sid, const char *user_id, const stint_mr_file *files,
			   size_t n, cJSON **artifacts);

#endif
