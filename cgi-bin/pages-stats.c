/*
 * pages-stats.c: a session's rollup as the tables the editor and the live
 * view show: events by type per team and per player (counts from the
 * rollups table, kept exact by the database), and the volleyball KPIs
 * stint_rollup_json derives (openvolley's definitions, see
 * sql/migrations/0003_timeline.sql). GET /sessions/<id>/stats is a page
 * of its own in the layout; with ?part=tables it answers the tables alone,
 * for the editor's script to swap in after a change. A volleyball match
 * also shows side-out and break-point % per set from lib/vbstats.h, and
 * the page its charts, the match report link and the downloads
 * (pages-matchreport.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fail.h"
#include "matchstate-load.h"
#include "pages-matchreport.h"
#include "pages-shared.h"
#include "pages-stats.h"
#include "sessions.h"
#include "timeline.h"
#include "vbstats.h"
#include "view.h"

/* Types in the order a volleyball rally runs; others follow by name. */
static const char *const rally_order[] = {
	"serve", "reception", "set", "attack", "block", "dig", "freeball", "point",
};

/* KPI columns: rollup key, header, unit hint for screen readers. */
static const struct { const char *key, *label, *title; } kpi_columns[] = {
	{ "attack_attempts", "Att.", "Attacks" },
	{ "attack_kills", "Kills", "Attack kills (#)" },
	{ "attack_kill_pct", "Kill %", "Kills per attack, %" },
	{ "attack_efficiency", "Eff.", "Attack efficiency: (kills - errors - blocked) / attempts" },
	{ "serves", "Serves", "Serves" },
	{ "serve_aces", "Aces", "Serve aces (#)" },
	{ "serve_ace_pct", "Ace %", "Aces per serve, %" },
	{ "serve_error_pct", "S. err %", "Serve errors per serve, %" },
	{ "receptions", "Rec.", "Receptions" },
	{ "reception_positive_pct", "Pos. %", "Positive receptions (# or +), %" },
	{ "reception_perfect_pct", "Perf. %", "Perfect receptions (#), %" },
};

static int type_rank(const char *type)
{
	size_t i;

	for (i = 0; i < COUNT(rally_order); i++)
		if (strcmp(type, rally_order[i]) == 0)
			return (int)i;
	return (int)COUNT(rally_order);
}

static int type_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = type_rank(x), ry = type_rank(y);

	return rx != ry ? rx - ry : strcmp(x, y);
}

/* The distinct types of rows (only those with a player when players_only), in rally order. */
static cJSON *row_types(const cJSON *rows, int players_only)
{
	const char *names[256];
	const cJSON *row;
	cJSON *seen = cJSON_CreateObject(), *out;
	const char *t;
	size_t n = 0;

	cJSON_ArrayForEach(row, rows) {
		t = cJSON_GetStringValue(cJSON_GetObjectItem(row, "event_type"));
		if (t == NULL || (players_only && !cJSON_IsString(cJSON_GetObjectItem(row, "number"))) ||
		    cJSON_HasObjectItem(seen, t) || n == COUNT(names))
			continue;
		cJSON_AddNullToObject(seen, t);
		names[n++] = t;
	}
	qsort(names, n, sizeof(names[0]), type_cmp);
	out = cJSON_CreateStringArray(names, (int)n);
	cJSON_Delete(seen);
	return out;
}

/* [{value, label}] headers for types. */
static cJSON *type_headers(const cJSON *types, const cJSON *session)
{
	cJSON *out = cJSON_CreateArray(), *h;
	const cJSON *t;
	char label[64];

	cJSON_ArrayForEach(t, types) {
		page_type_label(session, t->valuestring, label, sizeof(label));
		h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "value", t->valuestring);
		cJSON_AddStringToObject(h, "label", label);
		cJSON_AddItemToArray(out, h);
	}
	return out;
}

/* The row's key: "A" for a team total, "A-16" (or "A-00") for a player, "-" for no team. */
static void row_key(const cJSON *row, int per_player, char *out, size_t size)
{
	const char *side = cJSON_GetStringValue(cJSON_GetObjectItem(row, "team_side"));
	const char *num = cJSON_GetStringValue(cJSON_GetObjectItem(row, "number"));

	if (per_player && num != NULL)
		snprintf(out, size, "%s-%.3s", side ? side : "", num);
	else
		snprintf(out, size, "%s", side ? side : "-");
}

/* {key: {type: count}} summed over rows (players only when per_player). */
static cJSON *tally(const cJSON *rows, int per_player)
{
	cJSON *by = cJSON_CreateObject(), *counts, *c;
	const cJSON *row;
	const char *type;
	char key[32];

	cJSON_ArrayForEach(row, rows) {
		if (per_player && (!cJSON_IsString(cJSON_GetObjectItem(row, "number")) ||
				   !cJSON_IsString(cJSON_GetObjectItem(row, "team_side"))))
			continue;
		row_key(row, per_player, key, sizeof(key));
		type = cJSON_GetStringValue(cJSON_GetObjectItem(row, "event_type"));
		if ((counts = cJSON_GetObjectItem(by, key)) == NULL)
			counts = cJSON_AddObjectToObject(by, key);
		if ((c = cJSON_GetObjectItem(counts, type)) == NULL)
			c = cJSON_AddNumberToObject(counts, type, 0);
		cJSON_SetNumberValue(c, c->valuedouble + cJSON_GetNumberValue(cJSON_GetObjectItem(row, "count")));
	}
	return by;
}

/* {cells: [{v}], total} for counts over types. */
static void add_cells(cJSON *out, const cJSON *counts, const cJSON *types)
{
	cJSON *cells = cJSON_AddArrayToObject(out, "cells"), *cell;
	const cJSON *t;
	double n, total = 0;

	cJSON_ArrayForEach(t, types) {
		n = cJSON_GetNumberValue(cJSON_GetObjectItem(counts, t->valuestring));
		n = n == n ? n : 0;  /* NaN when absent */
		total += n;
		cell = cJSON_CreateObject();
		cJSON_AddNumberToObject(cell, "v", n);
		cJSON_AddItemToArray(cells, cell);
	}
	cJSON_AddNumberToObject(out, "total", total);
}

/* Team rows (A, B, then events of no team) of counts by type. */
static cJSON *team_rows(const cJSON *rows, const cJSON *types, const cJSON *session)
{
	cJSON *by = tally(rows, 0), *out = cJSON_CreateArray(), *row;
	const char *keys[] = { "A", "B", "-" };
	char name[210];
	size_t i;

	for (i = 0; i < COUNT(keys); i++) {
		const cJSON *counts = cJSON_GetObjectItem(by, keys[i]);

		if (counts == NULL)
			continue;
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "name", i < 2 ? page_team_name(session, keys[i], name, sizeof(name)) : "No team");
		add_cells(row, counts, types);
		cJSON_AddItemToArray(out, row);
	}
	cJSON_Delete(by);
	return out;
}

/* One row per player of counts by type, in team and shirt-number order (the rollup rows' order). */
static cJSON *player_rows(const cJSON *rows, const cJSON *types, const cJSON *session)
{
	cJSON *by = tally(rows, 1), *out = cJSON_CreateArray(), *row;
	const cJSON *counts;
	char side[2] = "", name[210];
	const char *number;

	cJSON_ArrayForEach(counts, by) {
		side[0] = counts->string[0];
		number = counts->string + 2;
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "team", page_team_name(session, side, name, sizeof(name)));
		cJSON_AddStringToObject(row, "number", number);
		cJSON_AddStringToObject(row, "name", page_player_name(session, side, number));
		add_cells(row, counts, types);
		cJSON_AddItemToArray(out, row);
	}
	cJSON_Delete(by);
	return out;
}

/* KPI rows from stint_rollup_json's players or teams: a dash where a KPI has no attempts. */
static cJSON *kpi_rows(const cJSON *list, const cJSON *session, int players)
{
	cJSON *out = cJSON_CreateArray(), *row, *cells, *cell;
	const cJSON *k, *v;
	const char *side;
	char name[210];
	size_t i;

	cJSON_ArrayForEach(k, list) {
		side = cJSON_GetStringValue(cJSON_GetObjectItem(k, "team_side"));
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "team", page_team_name(session, side, name, sizeof(name)));
		if (players) {
			cJSON_AddItemToObject(row, "number", cJSON_Duplicate(cJSON_GetObjectItem(k, "number"), 1));
			v = cJSON_GetObjectItem(k, "player_name");
			cJSON_AddStringToObject(row, "name", cJSON_IsString(v) ? v->valuestring : "");
		}
		cells = cJSON_AddArrayToObject(row, "cells");
		for (i = 0; i < COUNT(kpi_columns); i++) {
			v = cJSON_GetObjectItem(k, kpi_columns[i].key);
			cell = cJSON_CreateObject();
			if (cJSON_IsNumber(v))
				cJSON_AddNumberToObject(cell, "v", v->valuedouble);
			else
				cJSON_AddStringToObject(cell, "v", "–");
			cJSON_AddItemToArray(cells, cell);
		}
		cJSON_AddItemToArray(out, row);
	}
	return out;
}

cJSON *page_stats_data(const cJSON *rollup, const cJSON *session)
{
	const cJSON *rows = cJSON_GetObjectItem(rollup, "rows");
	cJSON *out = cJSON_CreateObject(), *types = row_types(rows, 0), *ptypes = row_types(rows, 1), *h;
	size_t i;

	cJSON_AddBoolToObject(out, "has_rows", cJSON_GetArraySize(rows) > 0);
	cJSON_AddItemToObject(out, "types", type_headers(types, session));
	cJSON_AddItemToObject(out, "teams", team_rows(rows, types, session));
	cJSON_AddItemToObject(out, "player_types", type_headers(ptypes, session));
	cJSON_AddItemToObject(out, "players", player_rows(rows, ptypes, session));
	cJSON_AddBoolToObject(out, "has_players", cJSON_GetArraySize(ptypes) > 0);
	cJSON_AddBoolToObject(out, "has_kpi", cJSON_GetArraySize(cJSON_GetObjectItem(rollup, "teams")) > 0);
	cJSON_AddItemToObject(out, "kpi_teams", kpi_rows(cJSON_GetObjectItem(rollup, "teams"), session, 0));
	cJSON_AddItemToObject(out, "kpi_players", kpi_rows(cJSON_GetObjectItem(rollup, "players"), session, 1));
	h = cJSON_AddArrayToObject(out, "kpi_columns");
	for (i = 0; i < COUNT(kpi_columns); i++) {
		cJSON *c = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "label", kpi_columns[i].label);
		cJSON_AddStringToObject(c, "title", kpi_columns[i].title);
		cJSON_AddItemToArray(h, c);
	}
	cJSON_Delete(types);
	cJSON_Delete(ptypes);
	return out;
}

/* A percentage cell of lib/vbstats.h's answer: "61.5" or "–" when it is null. */
static void add_pct(cJSON *row, const char *key, const cJSON *block, const char *field)
{
	stint_vbs_pct_cell(row, key, cJSON_GetObjectItem(block, field));
}

static cJSON *rally_row(const char *label, const char *score, const cJSON *teams)
{
	cJSON *row = cJSON_CreateObject();

	cJSON_AddStringToObject(row, "label", label);
	cJSON_AddStringToObject(row, "score", score);
	add_pct(row, "a_so", cJSON_GetObjectItem(teams, "A"), "sideout_pct");
	add_pct(row, "a_bp", cJSON_GetObjectItem(teams, "A"), "breakpoint_pct");
	add_pct(row, "b_so", cJSON_GetObjectItem(teams, "B"), "sideout_pct");
	add_pct(row, "b_bp", cJSON_GetObjectItem(teams, "B"), "breakpoint_pct");
	return row;
}

/*
 * The match's side-out and break-point % per set and overall, from the
 * match state (lib/vbstats.h; the set scores derived from the events):
 * {"has_rallies", "team_a", "team_b", "rows": [{"label", "score", "a_so", "a_bp", "b_so", "b_bp"}]}.
 */
static cJSON *match_view(const cJSON *vb, const cJSON *session)
{
	cJSON *out = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(out, "rows");
	const cJSON *teams = cJSON_GetObjectItem(vb, "teams"), *bs, *set;
	char name[128], label[32], score[32];
	int rallies = cJSON_GetObjectItem(cJSON_GetObjectItem(teams, "A"), "rallies_served") != NULL &&
		      (cJSON_GetObjectItem(cJSON_GetObjectItem(teams, "A"), "rallies_served")->valueint +
		       cJSON_GetObjectItem(cJSON_GetObjectItem(teams, "B"), "rallies_served")->valueint) > 0;

	cJSON_AddBoolToObject(out, "has_rallies", rallies);
	if (!rallies)
		return out;
	cJSON_AddStringToObject(out, "team_a", page_team_name(session, "A", name, sizeof(name)));
	cJSON_AddStringToObject(out, "team_b", page_team_name(session, "B", name, sizeof(name)));
	cJSON_ArrayForEach(bs, cJSON_GetObjectItem(vb, "by_set")) {
		int n = cJSON_GetObjectItem(bs, "set")->valueint;

		set = cJSON_GetArrayItem(cJSON_GetObjectItem(vb, "sets"), n - 1);
		snprintf(label, sizeof(label), "Set %d", n);
		snprintf(score, sizeof(score), "%d–%d", set ? cJSON_GetObjectItem(set, "A")->valueint : 0,
			 set ? cJSON_GetObjectItem(set, "B")->valueint : 0);
		cJSON_AddItemToArray(rows, rally_row(label, score, cJSON_GetObjectItem(bs, "teams")));
	}
	snprintf(score, sizeof(score), "%d–%d", cJSON_GetObjectItem(cJSON_GetObjectItem(vb, "sets_won"), "A")->valueint,
		 cJSON_GetObjectItem(cJSON_GetObjectItem(vb, "sets_won"), "B")->valueint);
	cJSON_AddItemToArray(rows, rally_row("Match", score, teams));
	return out;
}

/* lib/vbstats.h's answer for the session, or NULL (no session, no memory). */
static cJSON *load_vbstats(stint_req *r, stint_db_rc *rc)
{
	stint_ms_match m;
	stint_vbs_action *a;
	const cJSON *it;
	cJSON *vb = NULL;
	size_t i = 0;
	int found = 0;

	*rc = stint_ms_load(r->db, r->params[0], &m, &found);
	if (*rc == STINT_DB_OK && found) {
		a = calloc(m.n ? m.n : 1, sizeof(*a));
		if (a != NULL) {
			cJSON_ArrayForEach(it, m.events)
				stint_vbs_action_from_json(it, &a[i++]);
			vb = stint_vbs_stats(a, m.states, m.n, &m.summary, NULL);
		}
		free(a);
	}
	stint_ms_match_free(&m);
	return vb;
}

/*
 * The page's charts and downloads (pages-matchreport.h) as data.vb, for
 * ?team=A|B&player=N one player's charts (a bad pair shows the match's).
 */
static void add_charts(stint_req *r, cJSON *data)
{
	const char *t = stint_kv_get(&r->query, "team"), *p = stint_kv_get(&r->query, "player");
	int ok = p != NULL && t != NULL && (strcmp(t, "A") == 0 || strcmp(t, "B") == 0) &&
		 strspn(p, "0123456789") == strlen(p) && strlen(p) >= 1 && strlen(p) <= 3;
	int rc = 0;
	cJSON *vb = page_match_charts(r, r->params[0], ok ? t[0] : 0, ok ? p : NULL, &rc);

	if (vb != NULL)
		cJSON_AddItemToObject(data, "vb", vb);
	page_add_flash(r, data);
}

void page_stats(stint_req *r)
{
	cJSON *vb = NULL, *st;
	cJSON *rollup = NULL, *session = NULL, *data = NULL;
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &session);

	if (rc == STINT_DB_OK)
		rc = stint_timeline_rollup_json(r->db, r->params[0], &rollup);
	if (rc == STINT_DB_OK && session != NULL)
		vb = load_vbstats(r, &rc);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
	} else if (session == NULL) {
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
	} else {
		data = cJSON_CreateObject();
		st = page_stats_data(rollup, session);
		cJSON_AddItemToObject(st, "match", match_view(vb, session));
		cJSON_AddItemToObject(data, "stats", st);
		if (!page_part(r, "tables"))
			add_charts(r, data);
		page_decorate_session(session);
		cJSON_AddItemToObject(data, "session", session);
		session = NULL;
		stint_view_send(r, 200, page_part(r, "tables") ? "stats" : "stats-page", data);
	}
	cJSON_Delete(data);
	cJSON_Delete(rollup);
	cJSON_Delete(session);
	cJSON_Delete(vb);
}
