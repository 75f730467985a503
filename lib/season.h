/*
 * season.h: the season view (seed 000's compare_sessions): the volleyball
 * statistics of lib/vbstats.h added up over several sessions, as
 * GET /api/v1/stats?sessions=ID,ID,.. or ?team=NAME&from=DATE&to=DATE
 * answers them and the /season page shows them.
 *
 * Sums are exact: each session's counts are the ones its own
 * GET /sessions/<id>/stats answers with (the same match state, the same
 * events in the same order), added field by field; every percentage is
 * recomputed from the sums (0-100, one decimal; lib/vbstats.h), never
 * averaged. Players are matched across sessions by team name (case
 * insensitive), shirt number as text ("07" is not "7") and roster name.
 *
 * The events of every session are read by one statement (SEASON_EVENTS)
 * and the match state is derived per session from its slice.
 */
#ifndef STINT_SEASON_H
#define STINT_SEASON_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"

#define STINT_SEASON_MAX 100    /* sessions in one season answer */

/* What to add up (texts point into the request's query). */
typedef struct stint_season_query {
	char *ids;              /* sessions: the comma-separated uuids (own copy, lowercase), or NULL */
	size_t nids;
	const char *team;       /* team name: the team query, or the side to follow with ids; NULL */
	const char *from, *to;  /* RFC 3339 date-time or YYYY-MM-DD (a whole day, UTC), NULL: open */
} stint_season_query;

/*
 * Read and check ?sessions=, ?team=, ?from=, ?to= from query into *q
 * (stint_season_query_free). Returns 0, or the number of problems with
 * *errors a new object {field: problem} (caller deletes): sessions not 1 to
 * STINT_SEASON_MAX distinct uuids; neither sessions nor team; a date that
 * is neither RFC 3339 nor YYYY-MM-DD; from after to; from/to with sessions.
 */
int stint_season_query_read(const stint_kvlist *query, stint_season_query *q, cJSON **errors);

void stint_season_query_free(stint_season_query *q);

/* How stint_season_stats ended besides the database's answer. */
typedef enum stint_season_problem {
	STINT_SEASON_FINE = 0,
	STINT_SEASON_NOT_FOUND,         /* an id names no session the user may view (404, no leak) */
	STINT_SEASON_TOO_MANY,          /* the team query matched more than STINT_SEASON_MAX sessions */
	STINT_SEASON_NO_TEAM            /* with ids and team: a session without a team of that name */
} stint_season_problem;

/*
 * The season of q for user_id (users.id as text) into *out (a new object the
 * caller deletes; NULL on problems):
 * {"team": name|null, "from", "to", "sessions": [{"id", "title", "date",
 *   "teams": {"A","B"}, "side": "A"|"B"|null, "sets": [{"set","A","B"}],
 *   "sets_won": {"A","B"}, "won": bool|null, "events", "figures": {"A": key, "B": key}}],
 *  "matches": {"played","won","lost"} (with team), "sets_won": {"A","B"} or {"team","opponents"},
 *  "totals": {"A": block, "B": block} or {"team": block, "opponents": block},
 *  "by_rotation": [{"team": "A"|"B"|"team"|"opponents", "rotation", block}],
 *  "players": [{"team": name, "number", "name", "matches", block, "by_session": [{"id", key}]}]}
 * (block: stint_vbs_counts_json; key: stint_vbs_key_json). With team only
 * that team's players. Sessions by date (starts_at, else created_at).
 * *problem says why there is no answer with STINT_DB_OK.
 */
stint_db_rc stint_season_stats(stint_db *db, const char *user_id, const stint_season_query *q, cJSON **out,
			       stint_season_problem *problem);

#endif
