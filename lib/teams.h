/*
 * teams.h: a session's teams and rosters, and the club's saved teams
 * (issue 18; sql/migrations/0022_team_rosters.sql, sql/functions/teams.sql).
 * Used by cgi-bin/teams.c (the JSON API) and the pages program (the
 * editor's teams panel, the /teams page).
 *
 * A team is {name, short_name, colour, players: [{number, name, position,
 * libero, captain}]}. A shirt number is text, 1 to 3 digits, as printed:
 * "00" and "0" are two numbers. Side A is home, B visiting. A session's
 * teams are written side by side: PUT {"home": team, "visiting": team};
 * a side left out stays as it is, a side null is removed, a side
 * {"saved_team_id": n} becomes a copy of saved team n. Writes run in the
 * caller's stint_tx, audit themselves (teams.update, saved_team.create,
 * saved_team.update, saved_team.delete) and a session's change announces
 * teams_updated (data: the session's teams, as GET gives them).
 */
#ifndef STINT_TEAMS_H
#define STINT_TEAMS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "tx.h"
#include "validate.h"

#define STINT_TEAM_MAX_PLAYERS 40   /* players in one team (a club squad, not only a match's 14) */

/* The fields of a team and of one of its players (form readers use them too). */
extern const stint_field stint_team_fields[];
extern const size_t stint_team_nfields;
extern const stint_field stint_player_fields[];
extern const size_t stint_player_nfields;

/*
 * Check team (a side or a saved team) found at path at ("home", "visiting";
 * NULL: at the top) and put what it may be written as in place: a colour
 * in lower case. With allow_copy, a team may instead be {"saved_team_id":
 * n}. Problems go to *errors (created on demand; caller deletes) named by
 * path ("home.players[3].number"): the fields' own checks, a number that
 * is not 1 to 3 digits, a number given twice in the team, more than one
 * captain, a colour that is not #rrggbb. Returns the number of problems,
 * -1 on out of memory.
 */
int stint_team_validate(const char *at, cJSON *team, int allow_copy, cJSON **errors);

/*
 * Check a PUT body of a session's teams: an object with home and/or
 * visiting, each a team, {"saved_team_id": n} or null. As
 * stint_team_validate() otherwise.
 */
int stint_teams_validate(cJSON *body, cJSON **errors);

/* The teams of session sid as JSON text in *json (caller frees): {"session_id", "home", "visiting"}. */
stint_db_rc stint_teams_get(stint_db *db, const char *sid, char **json);

/*
 * In tx: write the sides body (validated by stint_teams_validate) names to
 * session sid; *json the session's teams afterwards (caller frees). When a
 * side names a saved team that does not exist, *bad_side is that side's
 * name ("home", "visiting"), the change is cancelled (nothing written) and
 * *json is NULL; else *bad_side is NULL.
 */
stint_db_rc stint_teams_put(stint_tx *tx, const char *sid, const cJSON *body, const char **bad_side,
			    char **json);

/* Every saved team as a JSON array text in *json (caller frees), by name. */
stint_db_rc stint_saved_team_list(stint_db *db, char **json);

/* Saved team id as JSON text in *json (caller frees; NULL when absent). */
stint_db_rc stint_saved_team_get(stint_db *db, const char *id, char **json);

/*
 * In tx: write team (validated) as saved team id (NULL: a new one, owned
 * by user owner_id); *json its JSON afterwards (caller frees; NULL when id
 * is absent).
 */
stint_db_rc stint_saved_team_put(stint_tx *tx, const char *id, const cJSON *team, const char *owner_id,
				 char **json);

/* In tx: remove saved team id (sessions that copied it keep their copy); *found 0 when absent. */
stint_db_rc stint_saved_team_delete(stint_tx *tx, const char *id, int *found);

#endif
