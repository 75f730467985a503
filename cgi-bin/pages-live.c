/*
 * pages-live.c: the live view, /sessions/<id>/live: a read-only board for a
 * big screen with the running score, the sets, the last events and the
 * teams' numbers side by side. The score is the newest event whose payload
 * carries home_score and visiting_score (DataVolley scout lines do; so can
 * any tagger); sets come from the session's meta.sets (a DataVolley import
 * writes them). static/live.js follows the session's live messages and
 * swaps in GET /sessions/<id>/board (the board alone) after each change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fail.h"
#include "live.h"
#include "pages-live.h"
#include "pages-shared.h"
#include "sessions.h"
#include "timeline.h"
#include "view.h"

#define RECENT_EVENTS 8

/* Rows of the teams' comparison: a rollup KPI key, or NULL for points won. */
static const struct { const char *key, *label; } compare_rows[] = {
	{ NULL, "Points won" },
	{ "attack_kill_pct", "Attack kill %" },
	{ "attack_efficiency", "Attack efficiency" },
	{ "serve_aces", "Serve aces" },
	{ "serve_errors", "Serve errors" },
	{ "reception_positive_pct", "Reception positive %" },
};

/* The number a team's KPI row holds under key, or the points it won. */
static void add_team_value(cJSON *row, const char *name, const cJSON *rollup, const char *side, const char *key)
{
	const cJSON *t, *v = NULL;
	double points = 0;

	if (key == NULL) {
		cJSON_ArrayForEach(t, cJSON_GetObjectItem(rollup, "rows"))
			if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "event_type")), "point") == 0 &&
			    cJSON_IsString(cJSON_GetObjectItem(t, "team_side")) &&
			    strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "team_side")), side) == 0)
				points += cJSON_GetNumberValue(cJSON_GetObjectItem(t, "count"));
		cJSON_AddNumberToObject(row, name, points);
		return;
	}
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(rollup, "teams"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "team_side")), side) == 0)
			v = cJSON_GetObjectItem(t, key);
	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(row, name, v->valuedouble);
	else
		cJSON_AddStringToObject(row, name, "–");
}

static cJSON *compare(const cJSON *rollup)
{
	cJSON *rows = cJSON_CreateArray(), *row;
	size_t i;

	for (i = 0; i < COUNT(compare_rows); i++) {
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "label", compare_rows[i].label);
		add_team_value(row, "a", rollup, "A", compare_rows[i].key);
		add_team_value(row, "b", rollup, "B", compare_rows[i].key);
		cJSON_AddItemToArray(rows, row);
	}
	return rows;
}

/* Sets from meta.sets [{set_number, home, visiting}] and how many each side won. */
static void add_sets(cJSON *data, const cJSON *session)
{
	cJSON *sets = cJSON_AddArrayToObject(data, "sets"), *s;
	const cJSON *m;
	double home, visiting, won_a = 0, won_b = 0;

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(cJSON_GetObjectItem(session, "meta"), "sets")) {
		home = cJSON_GetNumberValue(cJSON_GetObjectItem(m, "home"));
		visiting = cJSON_GetNumberValue(cJSON_GetObjectItem(m, "visiting"));
		if (home != home || visiting != visiting)
			continue;  /* not numbers */
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "number", cJSON_GetNumberValue(cJSON_GetObjectItem(m, "set_number")));
		cJSON_AddNumberToObject(s, "home", home);
		cJSON_AddNumberToObject(s, "visiting", visiting);
		cJSON_AddBoolToObject(s, "home_won", home > visiting);
		cJSON_AddBoolToObject(s, "visiting_won", visiting > home);
		cJSON_AddItemToArray(sets, s);
		won_a += home > visiting;
		won_b += visiting > home;
	}
	cJSON_AddBoolToObject(data, "has_sets", cJSON_GetArraySize(sets) > 0);
	cJSON_AddNumberToObject(data, "sets_a", won_a);
	cJSON_AddNumberToObject(data, "sets_b", won_b);
}

/* The running score from the newest scored event, and the last events with labels. */
static void add_events(cJSON *data, cJSON *recent, const cJSON *session)
{
	const cJSON *score = cJSON_GetObjectItem(recent, "score");
	const cJSON *payload = cJSON_GetObjectItem(score, "payload"), *set;
	cJSON *list = cJSON_DetachItemFromObject(recent, "recent"), *e;
	const char *team;
	char buf[210];

	cJSON_AddBoolToObject(data, "has_score", cJSON_IsObject(payload));
	cJSON_AddNumberToObject(data, "score_a", cJSON_GetNumberValue(cJSON_GetObjectItem(payload, "home_score")));
	cJSON_AddNumberToObject(data, "score_b", cJSON_GetNumberValue(cJSON_GetObjectItem(payload, "visiting_score")));
	set = cJSON_GetObjectItem(payload, "set_number");
	if (cJSON_IsNumber(set))
		cJSON_AddNumberToObject(data, "set_number", set->valuedouble);
	cJSON_ArrayForEach(e, list) {
		page_clock(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "t_sec")), buf, sizeof(buf));
		cJSON_AddStringToObject(e, "t_shown", buf);
		page_type_label(cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")), buf, sizeof(buf));
		cJSON_AddStringToObject(e, "type_label", buf);
		team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
		cJSON_AddStringToObject(e, "team_name", team ? page_team_name(session, team, buf, sizeof(buf)) : "");
		if (team != NULL && cJSON_IsString(cJSON_GetObjectItem(e, "actor_number")))
			cJSON_AddStringToObject(e, "player_name", page_player_name(session, team,
						cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_number"))));
	}
	cJSON_AddBoolToObject(data, "has_recent", cJSON_GetArraySize(list) > 0);
	cJSON_AddItemToObject(data, "recent", list);
}

/* The board's data in *out (NULL when there is no such session). */
static stint_db_rc board_data(stint_req *r, cJSON **out)
{
	cJSON *session = NULL, *recent = NULL, *rollup = NULL, *data;
	char name[210];
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &session);

	*out = NULL;
	if (rc == STINT_DB_OK && session != NULL)
		rc = stint_timeline_recent_json(r->db, r->params[0], RECENT_EVENTS, &recent);
	if (rc == STINT_DB_OK && session != NULL)
		rc = stint_timeline_rollup_json(r->db, r->params[0], &rollup);
	if (rc != STINT_DB_OK || session == NULL) {
		cJSON_Delete(session);
		return rc;
	}
	*out = data = cJSON_CreateObject();
	page_decorate_session(session);
	cJSON_AddStringToObject(data, "team_a", page_team_name(session, "A", name, sizeof(name)));
	cJSON_AddStringToObject(data, "team_b", page_team_name(session, "B", name, sizeof(name)));
	add_sets(data, session);
	add_events(data, recent, session);
	cJSON_AddItemToObject(data, "compare", compare(rollup));
	cJSON_AddItemToObject(data, "session", session);
	cJSON_Delete(recent);
	cJSON_Delete(rollup);
	return STINT_DB_OK;
}

/* Render template name with the board (the live page, or the board alone). */
static void send_board(stint_req *r, const char *name, int with_seq)
{
	cJSON *data = NULL;
	long long last_seq = 0;
	stint_db_rc rc = with_seq ? stint_live_last_seq(r->db, r->params[0], &last_seq) : STINT_DB_OK;

	if (rc == STINT_DB_OK)
		rc = board_data(r, &data);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (data == NULL)
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
	else {
		if (with_seq)
			cJSON_AddNumberToObject(data, "last_seq", (double)last_seq);
		stint_view_send(r, 200, name, data);
	}
	cJSON_Delete(data);
}

void page_live(stint_req *r)
{
	send_board(r, "live", 1);
}

void page_board(stint_req *r)
{
	send_board(r, "board", 0);
}

/*
 * The replay page: static/replay.js fetches the session's stored live
 * messages (the timeline) and plays them at their original pace, times a
 * speed factor the viewer picks.
 */
void page_replay(stint_req *r)
{
	cJSON *session = NULL, *data;
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &session);

	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (session == NULL) {
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
		return;
	}
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, "session", session);
	stint_view_send(r, 200, "replay", data);
	cJSON_Delete(data);
}
