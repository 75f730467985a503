/* matchstate-load.c: a session's match state from the database (see matchstate-load.h). */
#include "matchstate-load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

stint_db_rc stint_ms_load(stint_db *db, const char *session_id, stint_ms_match *m, int *found)
{
	return stint_ms_load_from(db, STINT_SQL_MATCH_STATE_INPUT, session_id, m, found);
}

stint_db_rc stint_ms_load_from(stint_db *db, stint_sql stmt, const char *session_id, stint_ms_match *m,
			       int *found)
{
	const char *p[1] = { session_id };
	const cJSON *it, *rules;
	stint_db_rc rc;
	size_t i = 0;

	memset(m, 0, sizeof(*m));
	*found = 0;
	rc = stint_db_json(db, stmt, 1, p, &m->input);
	if (rc != STINT_DB_OK || m->input == NULL)
		return rc;
	*found = 1;
	rules = cJSON_GetObjectItem(m->input, "match_rules");
	stint_ms_rules_from_json(cJSON_IsNull(rules) ? NULL : rules, &m->rules, &m->rules_problem);
	m->nlineups = stint_ms_lineups_from_json(cJSON_GetObjectItem(m->input, "lineups"), m->lineups,
						 STINT_MS_MAX_LINEUPS);
	m->events = cJSON_GetObjectItem(m->input, "events");
	m->n = (size_t)cJSON_GetArraySize(m->events);
	m->in = calloc(m->n ? m->n : 1, sizeof(*m->in));
	m->states = calloc(m->n ? m->n : 1, sizeof(*m->states));
	if (m->in == NULL || m->states == NULL)
		return STINT_DB_ERROR;
	cJSON_ArrayForEach(it, m->events)
		stint_ms_event_from_json(it, &m->in[i++]);
	stint_ms_derive(&m->rules, m->lineups, m->nlineups, m->in, m->n, m->states, &m->summary);
	return STINT_DB_OK;
}

void stint_ms_match_free(stint_ms_match *m)
{
	cJSON_Delete(m->input);
	free(m->in);
	free(m->states);
	memset(m, 0, sizeof(*m));
}

static cJSON *rules_json(const stint_ms_rules *r)
{
	cJSON *o = cJSON_CreateObject();
	char first[2] = { r->first_serve, '\0' };

	cJSON_AddNumberToObject(o, "set_points", r->set_points);
	cJSON_AddNumberToObject(o, "deciding_set_points", r->deciding_set_points);
	cJSON_AddNumberToObject(o, "win_by", r->win_by);
	cJSON_AddNumberToObject(o, "best_of", r->best_of);
	cJSON_AddStringToObject(o, "first_serve", first);
	return o;
}

static cJSON *lineups_json(const stint_ms_match *m)
{
	cJSON *arr = cJSON_CreateArray(), *o, *players;
	char team[2] = "";
	size_t i;
	int z;

	for (i = 0; i < m->nlineups; i++) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "set", m->lineups[i].set);
		team[0] = m->lineups[i].team;
		cJSON_AddStringToObject(o, "team", team);
		players = cJSON_AddArrayToObject(o, "players");
		for (z = 0; z < 6; z++)
			cJSON_AddItemToArray(players, cJSON_CreateString(m->lineups[i].players[z]));
		if (m->lineups[i].setter_zone > 0)
			cJSON_AddStringToObject(o, "setter", m->lineups[i].players[m->lineups[i].setter_zone - 1]);
		else
			cJSON_AddNullToObject(o, "setter");
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

cJSON *stint_ms_match_json(const stint_ms_match *m)
{
	cJSON *o = stint_ms_summary_json(&m->summary), *events, *e, *st, *f;
	const cJSON *src;
	size_t i = 0;

	cJSON_AddItemToObject(o, "rules", rules_json(&m->rules));
	cJSON_AddItemToObject(o, "rules_problem", m->rules_problem ? cJSON_CreateString(m->rules_problem) :
			      cJSON_CreateNull());
	cJSON_AddItemToObject(o, "lineups", lineups_json(m));
	events = cJSON_AddArrayToObject(o, "events");
	cJSON_ArrayForEach(src, m->events) {
		e = cJSON_CreateObject();
		cJSON_AddItemToObject(e, "id", cJSON_Duplicate(cJSON_GetObjectItem(src, "id"), 0));
		cJSON_AddItemToObject(e, "t_sec", cJSON_Duplicate(cJSON_GetObjectItem(src, "t_sec"), 0));
		cJSON_AddItemToObject(e, "event_type", cJSON_Duplicate(cJSON_GetObjectItem(src, "event_type"), 0));
		cJSON_AddItemToObject(e, "actor_team", cJSON_Duplicate(cJSON_GetObjectItem(src, "actor_team"), 0));
		cJSON_AddItemToObject(e, "actor_number", cJSON_Duplicate(cJSON_GetObjectItem(src, "actor_number"), 0));
		st = stint_ms_state_json(&m->states[i++]);
		while ((f = st->child) != NULL)
			cJSON_AddItemToObject(e, f->string, cJSON_DetachItemViaPointer(st, f));
		cJSON_Delete(st);
		cJSON_AddItemToArray(events, e);
	}
	return o;
}

void stint_ms_lineup_put(stint_tx *tx, const char *session_id, int set, char team,
			 const stint_ms_shirt players[6], const char *setter, int *found)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	char set_text[8], team_text[2] = { team, '\0' }, *json, *id = NULL;
	const char *p[4] = { session_id, set_text, team_text, NULL };
	int z;

	snprintf(set_text, sizeof(set_text), "%d", set);
	cJSON_AddNumberToObject(o, "set", set);
	cJSON_AddStringToObject(o, "team", team_text);
	arr = cJSON_AddArrayToObject(o, "players");
	for (z = 0; z < 6; z++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(players[z]));
	if (setter != NULL && setter[0] != '\0')
		cJSON_AddStringToObject(o, "setter", setter);
	json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	p[3] = json;
	if (json == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	else
		stint_tx_text(tx, STINT_SQL_SESSION_LINEUP_PUT, 4, p, &id);
	*found = id != NULL;
	free(id);
	free(json);
}

void stint_ms_rules_put(stint_tx *tx, const char *session_id, const char *rules_json, int *found)
{
	const char *p[2] = { session_id, rules_json };
	char *id = NULL;

	stint_tx_text(tx, STINT_SQL_SESSION_RULES_PUT, 2, p, &id);
	*found = id != NULL;
	free(id);
}
