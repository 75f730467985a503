/*
 * pages-season.c: the season page (see pages-season.h). The statistics are
 * lib/season.h's, the same answer GET /api/v1/stats gives; the page picks
 * the followed team's or player's key figures per session, draws them as
 * an inline SVG line chart (no script) and lists the season's players.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "escape.h"
#include "fail.h"
#include "pages-season.h"
#include "pages-shared.h"
#include "season.h"
#include "timeshow.h"
#include "validate.h"
#include "view.h"

/* The figures the chart can follow: key of stint_vbs_key_json, label, a percentage. */
static const struct { const char *key, *label; int pct; } figures[] = {
	{ "kill_pct", "Kill %", 1 },
	{ "efficiency", "Attack efficiency %", 1 },
	{ "sideout_pct", "Side-out %", 1 },
	{ "breakpoint_pct", "Break-point %", 1 },
	{ "positive_pct", "Positive reception %", 1 },
	{ "perfect_pct", "Perfect reception %", 1 },
	{ "attack_attempts", "Attacks", 0 },
	{ "kills", "Kills", 0 },
	{ "aces", "Aces", 0 },
	{ "serve_errors", "Serve errors", 0 },
	{ "block_points", "Block points", 0 },
	{ "digs", "Digs", 0 },
};

#define NFIGURES (sizeof(figures) / sizeof(figures[0]))

/* Table columns of a session row: key, header, title. */
static const struct { const char *key, *label, *title; } columns[] = {
	{ "attack_attempts", "Att.", "Attacks" },
	{ "kill_pct", "Kill %", "Kills per attack, %" },
	{ "efficiency", "Eff. %", "Attack efficiency: (kills - errors - blocked) / attempts, %" },
	{ "aces", "Aces", "Serve aces" },
	{ "reception_attempts", "Rec.", "Receptions" },
	{ "positive_pct", "Pos. %", "Positive receptions (# or +), %" },
	{ "block_points", "Blk", "Block points" },
	{ "digs", "Digs", "Digs" },
	{ "sideout_pct", "SO %", "Side-out %: rallies won when receiving" },
	{ "breakpoint_pct", "BP %", "Break-point %: rallies won when serving" },
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static void shown(const cJSON *v, int pct, char *out, size_t size)
{
	if (!cJSON_IsNumber(v))
		snprintf(out, size, "–");
	else if (pct)
		snprintf(out, size, "%.1f", v->valuedouble);
	else
		snprintf(out, size, "%.0f", v->valuedouble);
}

static const char *text_or(const char *s, const char *none)
{
	return s != NULL ? s : none;
}

static int column_pct(const char *key)
{
	return strstr(key, "pct") != NULL || strcmp(key, "efficiency") == 0;
}

/* The key figures of the followed team or player in session row (NULL: not in it). */
static const cJSON *followed(const cJSON *row, const char *follow, const cJSON *player)
{
	const cJSON *fig = cJSON_GetObjectItem(row, "figures"), *x;
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(row, "id"));
	const char *side = cJSON_GetStringValue(cJSON_GetObjectItem(row, "side"));

	if (player != NULL) {
		cJSON_ArrayForEach(x, cJSON_GetObjectItem(player, "by_session"))
			if (id != NULL && strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(x, "id")), id) == 0)
				return x;
		return NULL;
	}
	if (strcmp(follow, "team") == 0)
		return side ? cJSON_GetObjectItem(fig, side) : NULL;
	return cJSON_GetObjectItem(fig, follow);
}

/* "team|number|name" of a season player. */
static void player_key(const cJSON *p, char *out, size_t size)
{
	snprintf(out, size, "%s|%s|%s", cJSON_GetStringValue(cJSON_GetObjectItem(p, "team")),
		 cJSON_GetStringValue(cJSON_GetObjectItem(p, "number")),
		 cJSON_GetStringValue(cJSON_GetObjectItem(p, "name")));
}

/*
 * The line chart of values (n of them, NAN: none) as inline SVG: x the
 * sessions in order, y 0..100 for a percentage (down to -100 when one is
 * negative), else 0..the largest count. labels are the points' dates.
 */
static char *chart_svg(const double *v, const char *const *labels, size_t n, const char *figure, int pct,
		       const char *who)
{
	const double w = 640, h = 240, left = 44, right = 12, top = 14, bottom = 34;
	double lo = 0, hi = pct ? 100 : 1, x, y, px = 0, py = 0;
	stint_buf b = { 0 };
	size_t i, step;
	int have = 0, ticks = 4, t;

	for (i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (v[i] < lo)
			lo = pct ? -100 : v[i];
		if (!pct && v[i] > hi)
			hi = v[i];
	}
	if (!pct)
		hi = ceil(hi / 4) * 4;
	stint_buf_printf(&b, "<svg class=\"season-chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
			 "aria-labelledby=\"season-chart-title\" xmlns=\"http://www.w3.org/2000/svg\">"
			 "<title id=\"season-chart-title\">", w, h);
	stint_html_txt(&b, figure);
	stint_buf_puts(&b, " of ");
	stint_html_txt(&b, who);
	stint_buf_printf(&b, " over %zu matches</title>", n);
	for (t = 0; t <= ticks; t++) {
		double val = lo + (hi - lo) * t / ticks;

		y = top + (h - top - bottom) * (1 - (double)t / ticks);
		stint_buf_printf(&b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
				 "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>",
				 left, y, w - right, y, left - 6, y + 4, val);
	}
	step = n > 12 ? (n + 11) / 12 : 1;
	for (i = 0; i < n; i++) {
		x = n > 1 ? left + (w - left - right) * (double)i / (double)(n - 1) : (left + w - right) / 2;
		if (i % step == 0)
			stint_buf_printf(&b, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>",
					 x, h - bottom + 16, i + 1);
		if (isnan(v[i])) {
			have = 0;
			continue;
		}
		y = top + (h - top - bottom) * (1 - (v[i] - lo) / (hi - lo));
		if (have)
			stint_buf_printf(&b, "<line class=\"line\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
					 px, py, x, y);
		stint_buf_printf(&b, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%zu. ", x, y, i + 1);
		stint_html_txt(&b, labels[i]);
		stint_buf_printf(&b, ": %.*f</title></circle>", pct ? 1 : 0, v[i]);
		px = x;
		py = y;
		have = 1;
	}
	stint_buf_printf(&b, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">match</text></svg>",
			 (left + w - right) / 2, h - 4);
	return stint_buf_take(&b);
}

/* The answer as the page shows it: summary, session rows, chart, players. */
static void result_view(cJSON *data, const cJSON *season, const char *figure_key, const char *follow_in)
{
	const cJSON *rows = cJSON_GetObjectItem(season, "sessions"), *players = cJSON_GetObjectItem(season, "players");
	const cJSON *row, *p, *player = NULL, *fig, *team = cJSON_GetObjectItem(season, "team");
	cJSON *out, *o, *cells, *c, *opts;
	size_t n = (size_t)cJSON_GetArraySize(rows), i = 0, k, f;
	double *vals = calloc(n ? n : 1, sizeof(*vals));
	const char **labels = calloc(n ? n : 1, sizeof(*labels));
	char buf[256], key[300], when[48], who[300];
	const char *follow = follow_in;
	int is_team = cJSON_IsString(team);
	stint_buf sets = { 0 };
	char *svg, (*days)[11];

	for (f = 0; f < NFIGURES && strcmp(figures[f].key, figure_key) != 0; f++)
		;
	if (f == NFIGURES)
		f = 0;
	/* who is followed: a player of the season, the team, or a side */
	cJSON_ArrayForEach(p, players) {
		player_key(p, key, sizeof(key));
		if (follow != NULL && strcmp(key, follow) == 0)
			player = p;
	}
	if (player == NULL && (follow == NULL || (strcmp(follow, "A") != 0 && strcmp(follow, "B") != 0) || is_team))
		follow = is_team ? "team" : "A";
	if (player != NULL)
		snprintf(who, sizeof(who), "#%s %s (%s)", cJSON_GetStringValue(cJSON_GetObjectItem(player, "number")),
			 cJSON_GetStringValue(cJSON_GetObjectItem(player, "name")),
			 cJSON_GetStringValue(cJSON_GetObjectItem(player, "team")));
	else if (strcmp(follow, "team") == 0)
		snprintf(who, sizeof(who), "%s", team->valuestring);
	else
		snprintf(who, sizeof(who), "%s", strcmp(follow, "A") == 0 ? "the home side (A)" : "the visiting side (B)");
	cJSON_AddStringToObject(data, "who", who);
	cJSON_AddStringToObject(data, "figure_label", figures[f].label);

	opts = cJSON_AddArrayToObject(data, "follow_options");
	if (is_team) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", "team");
		cJSON_AddStringToObject(o, "label", team->valuestring);
		cJSON_AddBoolToObject(o, "selected", player == NULL);
		cJSON_AddItemToArray(opts, o);
	} else {
		for (k = 0; k < 2; k++) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "value", k == 0 ? "A" : "B");
			cJSON_AddStringToObject(o, "label", k == 0 ? "Home side (A)" : "Visiting side (B)");
			cJSON_AddBoolToObject(o, "selected", player == NULL && follow[0] == (k == 0 ? 'A' : 'B'));
			cJSON_AddItemToArray(opts, o);
		}
	}
	cJSON_ArrayForEach(p, players) {
		player_key(p, key, sizeof(key));
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", key);
		snprintf(buf, sizeof(buf), "%s #%s %s", cJSON_GetStringValue(cJSON_GetObjectItem(p, "team")),
			 cJSON_GetStringValue(cJSON_GetObjectItem(p, "number")),
			 cJSON_GetStringValue(cJSON_GetObjectItem(p, "name")));
		cJSON_AddStringToObject(o, "label", buf);
		cJSON_AddBoolToObject(o, "selected", p == player);
		cJSON_AddItemToArray(opts, o);
	}

	/* a row per session */
	out = cJSON_AddArrayToObject(data, "rows");
	cJSON_ArrayForEach(row, rows) {
		const cJSON *s, *won = cJSON_GetObjectItem(row, "won"), *sw = cJSON_GetObjectItem(row, "sets_won");
		const char *day = cJSON_GetStringValue(cJSON_GetObjectItem(row, "date"));
		double epoch;

		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "n", (double)(i + 1));
		cJSON_AddStringToObject(o, "id", cJSON_GetStringValue(cJSON_GetObjectItem(row, "id")));
		cJSON_AddStringToObject(o, "title", cJSON_GetStringValue(cJSON_GetObjectItem(row, "title")));
		cJSON_AddStringToObject(o, "datetime", day ? day : "");
		when[0] = '\0';
		if (day != NULL && stint_timestamp_epoch(day, &epoch) == 0)
			stint_time_show(epoch, when, sizeof(when));
		cJSON_AddStringToObject(o, "when", when);
		snprintf(buf, sizeof(buf), "%s – %s",
			 text_or(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(row, "teams"), "A")), "A"),
			 text_or(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(row, "teams"), "B")), "B"));
		cJSON_AddStringToObject(o, "match", buf);
		stint_buf_reset(&sets);
		cJSON_ArrayForEach(s, cJSON_GetObjectItem(row, "sets"))
			stint_buf_printf(&sets, "%s%d–%d", sets.len ? ", " : "", cJSON_GetObjectItem(s, "A")->valueint,
					 cJSON_GetObjectItem(s, "B")->valueint);
		cJSON_AddStringToObject(o, "sets", sets.data ? sets.data : "");
		snprintf(buf, sizeof(buf), "%d–%d%s", cJSON_GetObjectItem(sw, "A")->valueint,
			 cJSON_GetObjectItem(sw, "B")->valueint,
			 cJSON_IsTrue(won) ? " won" : cJSON_IsFalse(won) ? " lost" : "");
		cJSON_AddStringToObject(o, "result", buf);
		fig = followed(row, follow, player);
		cJSON_AddBoolToObject(o, "played", fig != NULL);
		cells = cJSON_AddArrayToObject(o, "cells");
		for (k = 0; k < NCOLUMNS; k++) {
			shown(fig ? cJSON_GetObjectItem(fig, columns[k].key) : NULL, column_pct(columns[k].key), buf,
			      sizeof(buf));
			c = cJSON_CreateObject();
			cJSON_AddStringToObject(c, "v", buf);
			cJSON_AddItemToArray(cells, c);
		}
		c = fig ? cJSON_GetObjectItem(fig, figures[f].key) : NULL;
		vals[i] = cJSON_IsNumber(c) ? c->valuedouble : NAN;
		shown(c, figures[f].pct, buf, sizeof(buf));
		cJSON_AddStringToObject(o, "value", buf);
		labels[i] = day ? day : "";
		cJSON_AddItemToArray(out, o);
		i++;
	}
	stint_buf_free(&sets);
	out = cJSON_AddArrayToObject(data, "columns");
	for (k = 0; k < NCOLUMNS; k++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "label", columns[k].label);
		cJSON_AddStringToObject(o, "title", columns[k].title);
		cJSON_AddItemToArray(out, o);
	}
	/* the dates as the points' labels: the day of each */
	days = calloc(n ? n : 1, sizeof(*days));
	for (k = 0; days != NULL && k < n; k++) {
		snprintf(days[k], sizeof(days[k]), "%.10s", labels[k]);
		labels[k] = days[k];
	}
	svg = days != NULL ? chart_svg(vals, labels, n, figures[f].label, figures[f].pct, who) : NULL;
	free(days);
	cJSON_AddStringToObject(data, "chart", svg ? svg : "");
	free(svg);
	free(vals);
	free(labels);

	/* the season's players, their sums */
	out = cJSON_AddArrayToObject(data, "players");
	cJSON_ArrayForEach(p, players) {
		const cJSON *at = cJSON_GetObjectItem(p, "attack"), *re = cJSON_GetObjectItem(p, "reception");
		stint_buf href = { 0 };

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "team", cJSON_GetStringValue(cJSON_GetObjectItem(p, "team")));
		cJSON_AddStringToObject(o, "number", cJSON_GetStringValue(cJSON_GetObjectItem(p, "number")));
		cJSON_AddStringToObject(o, "name", cJSON_GetStringValue(cJSON_GetObjectItem(p, "name")));
		cJSON_AddNumberToObject(o, "matches", cJSON_GetNumberValue(cJSON_GetObjectItem(p, "matches")));
		cells = cJSON_AddArrayToObject(o, "cells");
#define CELL(obj, field, pct) do { \
		shown(cJSON_GetObjectItem(obj, field), pct, buf, sizeof(buf)); \
		c = cJSON_CreateObject(); cJSON_AddStringToObject(c, "v", buf); cJSON_AddItemToArray(cells, c); \
	} while (0)
		CELL(at, "attempts", 0);
		CELL(at, "kills", 0);
		CELL(at, "kill_pct", 1);
		CELL(at, "efficiency", 1);
		CELL(cJSON_GetObjectItem(p, "serve"), "aces", 0);
		CELL(re, "attempts", 0);
		CELL(re, "positive_pct", 1);
		CELL(cJSON_GetObjectItem(p, "block"), "points", 0);
		CELL(cJSON_GetObjectItem(p, "dig"), "attempts", 0);
#undef CELL
		player_key(p, key, sizeof(key));
		stint_url_arg(&href, key);
		cJSON_AddStringToObject(o, "follow", href.data ? href.data : "");
		stint_buf_free(&href);
		cJSON_AddBoolToObject(o, "followed", p == player);
		cJSON_AddItemToArray(out, o);
	}
	cJSON_AddBoolToObject(data, "has_players", cJSON_GetArraySize(out) > 0);
	cJSON_AddBoolToObject(data, "has_rows", n > 0);
	if (cJSON_GetObjectItem(season, "matches") != NULL) {
		const cJSON *m = cJSON_GetObjectItem(season, "matches");

		snprintf(buf, sizeof(buf), "%d played, %d won, %d lost", cJSON_GetObjectItem(m, "played")->valueint,
			 cJSON_GetObjectItem(m, "won")->valueint, cJSON_GetObjectItem(m, "lost")->valueint);
		cJSON_AddStringToObject(data, "record", buf);
	}
}

/* The season page's query as lib/season.h reads it: repeated sessions= joined by commas. */
static void season_args(stint_req *r, stint_kvlist *args, stint_buf *ids)
{
	static const char *const keys[] = { "team", "from", "to" };
	size_t i;

	for (i = 0; i < r->query.n; i++)
		if (strcmp(r->query.items[i].key, "sessions") == 0 && r->query.items[i].value[0] != '\0')
			stint_buf_printf(ids, "%s%s", ids->len ? "," : "", r->query.items[i].value);
	args->n = 0;
	if (ids->len > 0) {
		args->items[args->n].key = "sessions";
		args->items[args->n++].value = ids->data;
	}
	for (i = 0; i < 3; i++)
		if (stint_kv_get(&r->query, keys[i]) != NULL) {
			args->items[args->n].key = keys[i];
			args->items[args->n++].value = stint_kv_get(&r->query, keys[i]);
		}
}

/* "team=..&from=..&to=..&sessions=..&figure=.." of this view, for the links that change whom it follows. */
static void base_query(stint_req *r, const stint_kvlist *args, cJSON *data)
{
	const char *figure = stint_kv_get(&r->query, "figure");
	stint_buf b = { 0 };
	size_t i;

	for (i = 0; i < args->n; i++) {
		stint_buf_printf(&b, "%s%s=", b.len ? "&" : "", args->items[i].key);
		stint_url_arg(&b, args->items[i].value);
	}
	if (figure != NULL) {
		stint_buf_puts(&b, "&figure=");
		stint_url_arg(&b, figure);
	}
	cJSON_AddStringToObject(data, "base_query", b.data ? b.data : "");
	stint_buf_free(&b);
}

void page_season(stint_req *r)
{
	stint_kv items[4];
	stint_kvlist args = { items, 0, 4 };
	stint_buf ids = { 0 };
	stint_season_query q;
	stint_season_problem problem = STINT_SEASON_FINE;
	cJSON *data = cJSON_CreateObject(), *errors = NULL, *season = NULL, *choices = NULL, *list, *o, *e, *names;
	const cJSON *c;
	const char *figure = stint_kv_get(&r->query, "figure"), *p[2] = { r->user.id_text, "100" };
	char label[400], when[48];
	stint_db_rc rc = STINT_DB_OK;
	int status = 200, asked;
	size_t f;

	season_args(r, &args, &ids);
	asked = args.n > 0;
	if (figure == NULL)
		figure = "kill_pct";
	if (asked && stint_season_query_read(&args, &q, &errors) == 0)
		rc = stint_season_stats(r->db, r->user.id_text, &q, &season, &problem);
	else if (asked)
		status = 422;
	if (rc == STINT_DB_OK)
		rc = stint_db_json(r->db, STINT_SQL_SEASON_CHOICES, 2, p, &choices);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	if (problem == STINT_SEASON_NOT_FOUND) {
		stint_fail(r, 404, "not_found", "There is no session with one of these ids.", NULL);
		goto out;
	}
	if (problem == STINT_SEASON_TOO_MANY || problem == STINT_SEASON_NO_TEAM) {
		status = 422;
		cJSON_Delete(errors);
		errors = cJSON_CreateObject();
		if (problem == STINT_SEASON_TOO_MANY)
			cJSON_AddStringToObject(errors, "sessions", "more than 100 sessions match: narrow the dates");
		else
			cJSON_AddStringToObject(errors, "team", "is not a team of every session ticked");
	}
	cJSON_AddStringToObject(data, "team", text_or(stint_kv_get(&r->query, "team"), ""));
	cJSON_AddStringToObject(data, "from", text_or(stint_kv_get(&r->query, "from"), ""));
	cJSON_AddStringToObject(data, "to", text_or(stint_kv_get(&r->query, "to"), ""));
	list = cJSON_AddArrayToObject(data, "figures");
	for (f = 0; f < NFIGURES; f++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", figures[f].key);
		cJSON_AddStringToObject(o, "label", figures[f].label);
		cJSON_AddBoolToObject(o, "selected", strcmp(figure, figures[f].key) == 0);
		cJSON_AddItemToArray(list, o);
	}
	/* the matches to tick, and the team names to pick from */
	list = cJSON_AddArrayToObject(data, "choices");
	names = cJSON_CreateObject();
	cJSON_ArrayForEach(c, choices) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(c, "id"));
		const char *a = cJSON_GetStringValue(cJSON_GetObjectItem(c, "team_a"));
		const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(c, "team_b"));

		stint_time_show(cJSON_GetNumberValue(cJSON_GetObjectItem(c, "at")), when, sizeof(when));
		snprintf(label, sizeof(label), "%s · %s%s%s%s%s", when,
			 cJSON_GetStringValue(cJSON_GetObjectItem(c, "title")), a || b ? " (" : "", a ? a : "?",
			 a || b ? " – " : "", a || b ? (b ? b : "?") : "");
		if (a || b)
			strncat(label, ")", sizeof(label) - strlen(label) - 1);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "label", label);
		cJSON_AddBoolToObject(o, "checked", ids.data != NULL && strstr(ids.data, id) != NULL);
		cJSON_AddItemToArray(list, o);
		if (a && !cJSON_HasObjectItem(names, a))
			cJSON_AddNullToObject(names, a);
		if (b && !cJSON_HasObjectItem(names, b))
			cJSON_AddNullToObject(names, b);
	}
	cJSON_AddBoolToObject(data, "has_choices", cJSON_GetArraySize(list) > 0);
	list = cJSON_AddArrayToObject(data, "team_names");
	cJSON_ArrayForEach(c, names)
		cJSON_AddItemToArray(list, cJSON_CreateString(c->string));
	cJSON_Delete(names);
	if (errors != NULL && cJSON_GetArraySize(errors) > 0) {
		list = cJSON_AddArrayToObject(data, "errors");
		cJSON_ArrayForEach(c, errors) {
			e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "field", c->string);
			cJSON_AddStringToObject(e, "problem", c->valuestring);
			cJSON_AddItemToArray(list, e);
		}
		cJSON_AddBoolToObject(data, "has_errors", 1);
	}
	if (season != NULL) {
		cJSON_AddBoolToObject(data, "has_result", 1);
		result_view(data, season, figure, stint_kv_get(&r->query, "follow"));
		base_query(r, &args, data);
		if (ids.len > 0) {
			stint_buf_reset(&ids);
			cJSON_ArrayForEach(c, cJSON_GetObjectItem(season, "sessions"))
				stint_buf_printf(&ids, "%s%s", ids.len ? "," : "",
						 cJSON_GetStringValue(cJSON_GetObjectItem(c, "id")));
			cJSON_AddStringToObject(data, "sessions_arg", ids.data ? ids.data : "");
		}
	}
	stint_view_send(r, status, "season", data);
out:
	if (asked)
		stint_season_query_free(&q);
	stint_buf_free(&ids);
	cJSON_Delete(errors);
	cJSON_Delete(season);
	cJSON_Delete(choices);
	cJSON_Delete(data);
}
