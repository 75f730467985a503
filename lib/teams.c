/* teams.c: a session's teams and rosters, the club's saved teams (see teams.h). */
#include "teams.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const stint_field stint_player_fields[] = {
	{ "number", STINT_F_STRING, STINT_F_REQUIRED, 1, 3, NULL, STINT_NO_DEST },
	{ "name", STINT_F_STRING, 0, 0, 200, NULL, STINT_NO_DEST },
	{ "position", STINT_F_STRING, 0, 0, 50, NULL, STINT_NO_DEST },
	{ "libero", STINT_F_BOOL, 0, 0, 0, NULL, STINT_NO_DEST },
	{ "captain", STINT_F_BOOL, 0, 0, 0, NULL, STINT_NO_DEST },
};
const size_t stint_player_nfields = sizeof(stint_player_fields) / sizeof(stint_player_fields[0]);

const stint_field stint_team_fields[] = {
	{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_NO_DEST },
	{ "short_name", STINT_F_STRING, 0, 0, 12, NULL, STINT_NO_DEST },
	{ "colour", STINT_F_STRING, 0, 0, 7, NULL, STINT_NO_DEST },
	{ "players", STINT_F_ARRAY, 0, 0, STINT_TEAM_MAX_PLAYERS, NULL, STINT_ITEMS(stint_player_fields),
	  "must be an array of at most 40 players", STINT_NO_DEST },
};
const size_t stint_team_nfields = sizeof(stint_team_fields) / sizeof(stint_team_fields[0]);

/* A side taken from a saved team: only its id. */
static const stint_field copy_fields[] = {
	{ "saved_team_id", STINT_F_INT, STINT_F_REQUIRED, 1, 9007199254740991LL, NULL, STINT_NO_DEST },
};

static const stint_field body_fields[] = {
	{ "home", STINT_F_OBJECT, STINT_F_NULLABLE, 0, 256 * 1024, NULL, STINT_NO_DEST },
	{ "visiting", STINT_F_OBJECT, STINT_F_NULLABLE, 0, 256 * 1024, NULL, STINT_NO_DEST },
};

/* Add problem to *errors under at.field[i].sub (created on demand); 0 or -1. */
static int add_problem(cJSON **errors, const char *at, int i, const char *sub, const char *problem)
{
	char name[160];

	if (i >= 0)
		snprintf(name, sizeof(name), "%s%splayers[%d].%s", at ? at : "", at ? "." : "", i, sub);
	else
		snprintf(name, sizeof(name), "%s%s%s", at ? at : "", at ? "." : "", sub);
	if (*errors == NULL && (*errors = cJSON_CreateObject()) == NULL)
		return -1;
	if (!cJSON_HasObjectItem(*errors, name) && cJSON_AddStringToObject(*errors, name, problem) == NULL)
		return -1;
	return 0;
}

/* A colour #rrggbb (either case) lowered in place; 0, or -1 when it is not one. */
static int colour_lower(char *c)
{
	if (c[0] == '\0')
		return 0;
	if (strlen(c) != 7 || c[0] != '#' || strspn(c + 1, "0123456789abcdefABCDEF") != 6)
		return -1;
	for (char *p = c + 1; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return 0;
}

/* The checks of the players beyond their fields': form, duplicates, one captain. */
static int check_players(const char *at, const cJSON *players, cJSON **errors)
{
	const cJSON *p, *q, *num, *capt;
	int i = 0, bad = 0, captain_at = -1;

	cJSON_ArrayForEach(p, players) {
		num = cJSON_GetObjectItemCaseSensitive(p, "number");
		capt = cJSON_GetObjectItemCaseSensitive(p, "captain");
		if (cJSON_IsString(num) && !stint_is_shirt(num->valuestring)) {
			bad += add_problem(errors, at, i, "number", "must be 1 to 3 digits") == 0 ? 1 : 0;
		} else if (cJSON_IsString(num)) {
			int j = 0;

			cJSON_ArrayForEach(q, players) {
				const cJSON *other = cJSON_GetObjectItemCaseSensitive(q, "number");

				if (j >= i)
					break;
				if (cJSON_IsString(other) && strcmp(other->valuestring, num->valuestring) == 0) {
					bad++;
					if (add_problem(errors, at, i, "number", "is already the number of another player of this team") != 0)
						return -1;
					break;
				}
				j++;
			}
		}
		if (cJSON_IsTrue(capt)) {
			if (captain_at >= 0) {
				bad++;
				if (add_problem(errors, at, i, "captain", "a team has one captain") != 0)
					return -1;
			}
			captain_at = i;
		}
		i++;
	}
	return bad;
}

int stint_team_validate(const char *at, cJSON *team, int allow_copy, cJSON **errors)
{
	cJSON *colour, *players;
	int bad, more;

	if (allow_copy && cJSON_IsObject(team) && cJSON_HasObjectItem(team, "saved_team_id"))
		return at ? stint_validate_json_at(at, team, STINT_SPEC(copy_fields), 0, NULL, errors)
			  : stint_validate_json(team, STINT_SPEC(copy_fields), 0, NULL, errors);
	bad = at ? stint_validate_json_at(at, team, stint_team_fields, stint_team_nfields, 0, NULL, errors)
		 : stint_validate_json(team, stint_team_fields, stint_team_nfields, 0, NULL, errors);
	if (bad < 0 || !cJSON_IsObject(team))
		return bad;
	colour = cJSON_GetObjectItemCaseSensitive(team, "colour");
	if (cJSON_IsString(colour) && colour_lower(colour->valuestring) != 0) {
		if (add_problem(errors, at, -1, "colour", "must be a colour #rrggbb, e.g. #1f6feb") != 0)
			return -1;
		bad++;
	}
	players = cJSON_GetObjectItemCaseSensitive(team, "players");
	/* a list over the limit is refused already; comparing its numbers pairwise would cost n squared */
	more = cJSON_GetArraySize(players) <= STINT_TEAM_MAX_PLAYERS ? check_players(at, players, errors) : 0;
	return more < 0 ? -1 : bad + more;
}

int stint_teams_validate(cJSON *body, cJSON **errors)
{
	const char *sides[] = { "home", "visiting" };
	int bad = stint_validate_json(body, STINT_SPEC(body_fields), 0, NULL, errors), n, given = 0;
	cJSON *side;

	if (bad != 0)
		return bad;
	for (size_t i = 0; i < 2; i++) {
		side = cJSON_GetObjectItemCaseSensitive(body, sides[i]);
		if (side == NULL)
			continue;
		given++;
		if (cJSON_IsNull(side))
			continue;
		if ((n = stint_team_validate(sides[i], side, 1, errors)) < 0)
			return -1;
		bad += n;
	}
	if (given == 0) {
		if (add_problem(errors, NULL, -1, "(body)", "give home, visiting or both") != 0)
			return -1;
		bad++;
	}
	return bad;
}

stint_db_rc stint_teams_get(stint_db *db, const char *sid, char **json)
{
	const char *p[1] = { sid };

	return stint_db_text(db, STINT_SQL_TEAMS_GET, 1, p, json);
}

/* In tx: write one side (A or B) as side (validated, null: remove); 1 when it named a missing saved team. */
static int put_side(stint_tx *tx, const char *sid, const char *letter, const cJSON *side)
{
	const cJSON *saved = cJSON_GetObjectItemCaseSensitive(side, "saved_team_id");
	char id[32], *text = NULL, *out = NULL;
	const char *p[3] = { sid, letter, NULL };
	int missing = 0;

	if (cJSON_IsNumber(saved)) {
		snprintf(id, sizeof(id), "%.0f", saved->valuedouble);
		p[2] = id;
		if (stint_tx_text(tx, STINT_SQL_TEAMS_SIDE_COPY, 3, p, &out) == STINT_DB_OK && out == NULL)
			missing = 1;
	} else {
		if (!cJSON_IsNull(side) && (text = cJSON_PrintUnformatted(side)) == NULL)
			stint_tx_fail(tx, STINT_DB_ERROR);
		p[2] = text;
		stint_tx_text(tx, STINT_SQL_TEAMS_SIDE_PUT, 3, p, &out);
	}
	cJSON_free(text);
	free(out);
	return missing;
}

stint_db_rc stint_teams_put(stint_tx *tx, const char *sid, const cJSON *body, const char **bad_side,
			    char **json)
{
	const char *sides[] = { "home", "visiting" }, *letters[] = { "A", "B" };
	const char *p[3] = { sid, "teams_updated", NULL };
	const cJSON *side;

	*json = NULL;
	*bad_side = NULL;
	for (size_t i = 0; i < 2 && *bad_side == NULL; i++)
		if ((side = cJSON_GetObjectItemCaseSensitive(body, sides[i])) != NULL &&
		    put_side(tx, sid, letters[i], side))
			*bad_side = sides[i];
	if (*bad_side != NULL) {
		stint_tx_cancel(tx);
		return tx->rc;
	}
	if (stint_tx_text(tx, STINT_SQL_TEAMS_GET, 1, p, json) == STINT_DB_OK && *json == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	p[2] = *json;
	stint_tx_audit(tx, "teams.update", "session", sid, NULL);
	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, p);
	if (tx->rc != STINT_DB_OK) {
		free(*json);
		*json = NULL;
	}
	return tx->rc;
}

stint_db_rc stint_saved_team_list(stint_db *db, char **json)
{
	return stint_db_text(db, STINT_SQL_SAVED_TEAM_LIST, 0, NULL, json);
}

stint_db_rc stint_saved_team_get(stint_db *db, const char *id, char **json)
{
	const char *p[1] = { id };

	return stint_db_text(db, STINT_SQL_SAVED_TEAM_GET, 1, p, json);
}

stint_db_rc stint_saved_team_put(stint_tx *tx, const char *id, const cJSON *team, const char *owner_id,
				 char **json)
{
	char *text = cJSON_PrintUnformatted(team), *tid = NULL;
	const char *p[3] = { id ? id : "", text, owner_id };
	cJSON *j;

	*json = NULL;
	if (text == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	if (stint_tx_text(tx, STINT_SQL_SAVED_TEAM_PUT, 3, p, json) == STINT_DB_OK && *json != NULL) {
		j = cJSON_Parse(*json);
		tid = j != NULL ? cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "id")) : NULL;
		stint_tx_audit(tx, id ? "saved_team.update" : "saved_team.create", "saved_team", tid ? tid : "", NULL);
		cJSON_free(tid);
		cJSON_Delete(j);
	}
	cJSON_free(text);
	if (tx->rc != STINT_DB_OK) {
		free(*json);
		*json = NULL;
	}
	return tx->rc;
}

stint_db_rc stint_saved_team_delete(stint_tx *tx, const char *id, int *found)
{
	const char *p[1] = { id };
	char *out = NULL;

	*found = 0;
	if (stint_tx_text(tx, STINT_SQL_SAVED_TEAM_DELETE, 1, p, &out) == STINT_DB_OK && out != NULL) {
		*found = 1;
		stint_tx_audit(tx, "saved_team.delete", "saved_team", id, NULL);
	}
	free(out);
	return tx->rc;
}
