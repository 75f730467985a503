/*
 * matchstate-load.h: a session's match state read from the database: its
 * rules (meta.match_rules), starting line-ups (meta.lineups) and events,
 * derived by lib/matchstate.c on every read (so an edit or delete re-derives
 * everything after it), and written as the API's /state answer; line-ups
 * stored from the editor's form.
 */
#ifndef STINT_MATCHSTATE_LOAD_H
#define STINT_MATCHSTATE_LOAD_H

#include <cjson/cJSON.h>

#include "db.h"
#include "matchstate.h"
#include "tx.h"

#define STINT_MS_MAX_LINEUPS 32

/* A derived match; every pointer is owned here (stint_ms_match_free). */
typedef struct stint_ms_match {
	stint_ms_rules rules;
	const char *rules_problem;      /* the stored rules' bad key (static), NULL when fine or absent */
	cJSON *input;                   /* MATCH_STATE_INPUT's answer */
	const cJSON *events;            /* its "events" array */
	size_t n;
	stint_ms_event *in;             /* n of them */
	stint_ms_state *states;         /* n of them, in the order of events */
	stint_ms_lineup lineups[STINT_MS_MAX_LINEUPS];
	size_t nlineups;
	stint_ms_summary summary;
} stint_ms_match;

/*
 * Read session_id's rules, line-ups and events and derive the state at each
 * event into *m (freed with stint_ms_match_free even on errors). *found is
 * 0 when there is no such session. STINT_DB_ERROR on out of memory.
 */
stint_db_rc stint_ms_load(stint_db *db, const char *session_id, stint_ms_match *m, int *found);

/*
 * As stint_ms_load(), from statement stmt ($1 the session id): one JSON cell
 * holding at least MATCH_STATE_INPUT's match_rules, lineups and events (each
 * event as stint_ms_event_from_json reads it), or no row. The match report
 * reads more of the session in one statement (MATCH_REPORT_INPUT); m->input
 * keeps all of it.
 */
stint_db_rc stint_ms_load_from(stint_db *db, stint_sql stmt, const char *session_id, stint_ms_match *m,
			       int *found);

void stint_ms_match_free(stint_ms_match *m);

/*
 * The /state answer (caller deletes): {"rules": {set_points, deciding_set_points,
 * win_by, best_of, first_serve}, "rules_problem": key or null, "lineups": [...],
 * "sets": [{set, A, B, won_by}], "sets_won": {A, B}, "match_won_by", "now": state,
 * "events": [{id, t_sec, event_type, actor_team, actor_number, ...state}]}
 * (state as stint_ms_state_json writes it).
 */
cJSON *stint_ms_match_json(const stint_ms_match *m);

/*
 * Store team's (A|B) starting line-up for set (1..7) in session_id's
 * meta.lineups: players are six shirt numbers (texts, stint_is_shirt) in
 * zones 1..6, setter one of them or "" for none; they are stored as JSON
 * strings. *found is 0 when there is no such session.
 */
void stint_ms_lineup_put(stint_tx *tx, const char *session_id, int set, char team,
			 const stint_ms_shirt players[6], const char *setter, int *found);

/*
 * Store rules (a JSON object stint_ms_rules_from_json accepts) as
 * session_id's meta.match_rules. *found is 0 when there is no such session.
 */
void stint_ms_rules_put(stint_tx *tx, const char *session_id, const char *rules_json, int *found);

#endif
