/*
 * surveys.h: a player's answers about a session (issue 12): RPE on Borg's
 * CR-10 scale (0-10) with the session's duration in minutes, and wellness
 * items (fatigue, mood, sleep quality, soreness, stress on 1-5, readiness
 * 0-10, sleep duration in hours), with answered_at. The rules for them, the
 * reading of PMData-style CSV files (Thambawita et al., "PMData: a sports
 * logging dataset", MMSys 2020: wellness.csv and srpe.csv), and their
 * reads and writes. Used by cgi-bin/surveys.c and cgi-bin/pages-survey.c.
 *
 * The training-load figures (sRPE load, Foster et al. 2001; acute:chronic
 * workload ratios, rolling and EWMA, Williams et al. 2017) are computed in
 * one place, sql/functions/surveys.sql, which names its sources; the list
 * read here returns them.
 *
 * Changes take an open unit of work (tx.h) and write their audit_log row in
 * it. They record no live message: surveys change neither the session
 * (session_updated carries the Session) nor its timeline, and
 * ARCHITECTURE.md has no message type for them.
 */
#ifndef STINT_SURVEYS_H
#define STINT_SURVEYS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "tx.h"
#include "validate.h"

#define STINT_SURVEYS_MAX_BATCH 10000

/* The fields of one survey a client may send (POST, one survey or an item of a batch). */
extern const stint_field stint_survey_fields[];
extern const size_t stint_survey_nfields;

/*
 * Validate a POST body: one survey (an object of stint_survey_fields), or
 * {"items": [...]} with 1 to STINT_SURVEYS_MAX_BATCH of them. *items is set
 * to a JSON array of the surveys (caller deletes), problems go to *errors
 * (created on demand, caller deletes) named by field ("rpe") or by index
 * ("items[2].rpe"). Returns the number of problems (0: valid), -1 on out
 * of memory.
 */
int stint_surveys_validate(const cJSON *body, cJSON **items, cJSON **errors);

/* The kinds of PMData-style CSV file stint_surveys_from_csv() reads. */
typedef enum stint_survey_csv {
	STINT_SURVEY_CSV_WELLNESS, /* effective_time_frame,fatigue,mood,readiness,sleep_duration_h,
				      sleep_quality,soreness,soreness_area,stress */
	STINT_SURVEY_CSV_SRPE      /* end_date_time,activity_names,perceived_exertion,duration_min */
} stint_survey_csv;

/*
 * Read CSV text data (len bytes, RFC 4180 quoting, libcsv) of kind, every
 * row a survey of player (1-200 characters, checked by the caller), into a
 * JSON array of surveys in *items (caller deletes). The header must name
 * the kind's columns in its order; the time column becomes answered_at,
 * soreness_area and activity_names are not kept, an empty value is null.
 * Each row is checked as stint_survey_fields; problems go to *errors named
 * "line N" or "line N.field" (N counts the file's lines, the header is line
 * 1). PMData's wellness files hold 0 on a 1-5 item now and then (p04, p05,
 * p11, p13): a 0 there is taken as not answered (null), and said in
 * *warnings (a JSON array created on demand, caller deletes) as {"line",
 * "field", "message"}. Returns the number of problems (0: all rows valid,
 * at least one), -1 on out of memory.
 */
int stint_surveys_from_csv(stint_survey_csv kind, const char *player, const char *data, size_t len,
			   cJSON **items, cJSON **errors, cJSON **warnings);

/*
 * Session sid's surveys as JSON text in *json (caller frees; NULL when
 * there is no such session): {"items": [survey...], "players": [{player,
 * srpe_load, day, days_of_history, acute_load_7d, chronic_load_28d,
 * acwr_rolling, acwr_ewma}]} (sql/functions/surveys.sql).
 */
stint_db_rc stint_surveys_list_text(stint_db *db, const char *sid, char **json);

/*
 * In tx, store the validated surveys items_json (a JSON array) in session
 * sid as answered for user user_id (users.id as text), and audit
 * "surveys.add" with detail source ("manual", "form", "import:wellness",
 * "import:srpe"). *result: {"items": [stored...], "count": n} (heap text,
 * caller frees).
 */
stint_db_rc stint_surveys_add(stint_tx *tx, const char *sid, const char *items_json, const char *user_id,
			      const char *source, char **result);

/* In tx, remove survey survey_id of session sid (audited survey.delete); *found 0 when absent. */
stint_db_rc stint_surveys_delete(stint_tx *tx, const char *sid, const char *survey_id, int *found);

#endif
