/*
 * pages-editor.c: the session editor, /sessions/<id>. Everything works as
 * plain HTML (forms post to pages-events.c and redirect back); the page's
 * script (static/editor.js) adds the video timeline, tagging from the
 * keyboard, inline editing and the live panel. It reads the session id,
 * the last live message's seq and the playable clips (JSON) from data-*
 * attributes written here (JSON in an attribute is HTML-escaped by the
 * template, so it cannot end the attribute), and teams, rosters and type
 * labels from the page's filter lists.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dvw.h"
#include "fail.h"
#include "labels.h"
#include "live.h"
#include "media.h"
#include "pages-editor.h"
#include "pages-match.h"
#include "pages-recordings.h"
#include "pages-participants.h"
#include "pages-shared.h"
#include "pages-stats.h"
#include "pages-tasks.h"
#include "pages-teams.h"
#include "scoutcode.h"
#include "sessions.h"
#include "timeline.h"
#include "upload.h"
#include "view.h"

#define EVENTS_PAGE 30  /* rows of the server-rendered table (the script shows all) */

/* The tagging panel's event types, with their keyboard shortcuts (DataVolley skill letters). */
static const struct { const char *type, *key; } tag_types[] = {
	{ "serve", "S" }, { "reception", "R" }, { "set", "E" }, { "attack", "A" },
	{ "block", "B" }, { "dig", "D" }, { "freeball", "F" }, { "point", "P" },
};

/*
 * DataVolley's evaluation codes (the KPIs in stint_rollup_json read them).
 * What a code means depends on the skill (openvolley's default decoder,
 * lib/dvw.c): these labels are for a code before its skill is known; the
 * legend and an event's own row give the skill's meaning.
 */
static const struct { const char *code, *slug, *label; } evaluations[] = {
	{ "#", "perfect", "best: ace, perfect, winning" }, { "+", "positive", "positive" },
	{ "!", "ok", "by skill: OK, or attack blocked for reattack" }, { "-", "negative", "negative, poor" },
	{ "/", "poor", "by skill: poor, blocked, invasion" }, { "=", "error", "error" },
};

/* The form fields' names in messages ("time is required"). */
static const page_choice field_names[] = {
	{ "t_sec", "time" }, { "event_type", "type" }, { "who", "who" }, { "number", "number" },
	{ "evaluation", "evaluation" }, { "clip_id", "clip" },
	{ "player_out", "player out" }, { "player_in", "player in" }, { "code", "scout code" },
};

/* A form's problems (consumed) as [{field, message}] for a one-line summary. */
static cJSON *problem_list(cJSON *errors)
{
	cJSON *list = cJSON_CreateArray(), *p;
	const cJSON *e;

	cJSON_ArrayForEach(e, errors) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "field", page_label(field_names, COUNT(field_names), e->string));
		cJSON_AddStringToObject(p, "message", cJSON_GetStringValue(e));
		cJSON_AddItemToArray(list, p);
	}
	cJSON_Delete(errors);
	return list;
}

/* s followed by '&', to put more parameters after a view's query (arena string). */
static const char *with_amp(stint_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = stint_arena_alloc(a, n + 2);

	if (out == NULL)
		return "";
	memcpy(out, s, n);
	out[n] = '&';
	out[n + 1] = '\0';
	return out;
}

/* [{value, slug, label, selected}] of the evaluations, marking current; labels of skill (0: any). */
static cJSON *evaluation_list(const char *current, char skill)
{
	cJSON *list = cJSON_CreateArray(), *c;
	const char *label;
	size_t i;

	for (i = 0; i < COUNT(evaluations); i++) {
		c = cJSON_CreateObject();
		label = skill ? stint_dvw_evaluation_name(skill, evaluations[i].code[0]) : NULL;
		cJSON_AddStringToObject(c, "value", evaluations[i].code);
		cJSON_AddStringToObject(c, "slug", evaluations[i].slug);
		cJSON_AddStringToObject(c, "label", label ? label : evaluations[i].label);
		cJSON_AddBoolToObject(c, "selected", current && strcmp(current, evaluations[i].code) == 0);
		cJSON_AddBoolToObject(c, "last", i + 1 == COUNT(evaluations));
		cJSON_AddItemToArray(list, c);
	}
	return list;
}

/*
 * Both teams for a team/player choice, marking current ("A", "A-16"):
 * [{side, label (team name), team_label, team_selected, players: [{value,
 * number, name, label, selected}]}].
 */
static cJSON *who_groups(const cJSON *session, const char *current)
{
	cJSON *groups = cJSON_CreateArray(), *g, *players, *o;
	const cJSON *team, *p;
	char value[16], label[240], name[210];
	const char *sides[] = { "A", "B" }, *pname;
	const char *number;
	size_t i;

	for (i = 0; i < 2; i++) {
		g = cJSON_CreateObject();
		cJSON_AddStringToObject(g, "side", sides[i]);
		cJSON_AddStringToObject(g, "label", page_team_name(session, sides[i], name, sizeof(name)));
		snprintf(label, sizeof(label), "Whole team: %s", name);
		cJSON_AddStringToObject(g, "team_label", label);
		cJSON_AddBoolToObject(g, "team_selected", current && strcmp(current, sides[i]) == 0);
		players = cJSON_AddArrayToObject(g, "players");
		cJSON_ArrayForEach(team, cJSON_GetObjectItem(session, "teams")) {
			if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(team, "side")), sides[i]) != 0)
				continue;
			cJSON_ArrayForEach(p, cJSON_GetObjectItem(team, "roster")) {
				number = cJSON_GetStringValue(cJSON_GetObjectItem(p, "number"));
				pname = cJSON_GetStringValue(cJSON_GetObjectItem(p, "player_name"));
				if (number == NULL)
					continue;
				snprintf(value, sizeof(value), "%s-%.3s", sides[i], number);
				snprintf(label, sizeof(label), "#%.3s %s", number, pname ? pname : "");
				o = cJSON_CreateObject();
				cJSON_AddStringToObject(o, "value", value);
				cJSON_AddStringToObject(o, "number", number);
				cJSON_AddStringToObject(o, "name", pname ? pname : "");
				cJSON_AddStringToObject(o, "label", label);
				cJSON_AddBoolToObject(o, "selected", current && strcmp(current, value) == 0);
				cJSON_AddItemToArray(players, o);
			}
		}
		cJSON_AddItemToArray(groups, g);
	}
	return groups;
}

/* The "who" value of an event: "A-16", "A" or "". */
static void event_who(const cJSON *e, char *out, size_t size)
{
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const char *num = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_number"));

	if (team == NULL)
		snprintf(out, size, "%s", "");
	else if (num != NULL)
		snprintf(out, size, "%s-%.3s", team, num);
	else
		snprintf(out, size, "%s", team);
}

/*
 * The volleyball detail the events table shows (issue 19): the evaluation's
 * meaning for the event's skill, skill type, combination, zones ("4→2";
 * an end cone "4→c2").
 */
static void decorate_detail(cJSON *e)
{
	const cJSON *pl = cJSON_GetObjectItem(e, "payload");
	const char *eval = cJSON_GetStringValue(cJSON_GetObjectItem(pl, "evaluation"));
	const char *named = cJSON_GetStringValue(cJSON_GetObjectItem(pl, "evaluation_name"));
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(pl, "skill_type"));
	const char *combo = cJSON_GetStringValue(cJSON_GetObjectItem(pl, "attack_code"));
	const cJSON *from = cJSON_GetObjectItem(pl, "start_zone"), *to = cJSON_GetObjectItem(pl, "end_zone");
	const cJSON *cone = cJSON_GetObjectItem(pl, "end_cone");
	char skill = stint_scout_skill_of(cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")));
	char buf[64], a[8] = "", b[8] = "";

	if (named == NULL && eval != NULL && skill)
		named = stint_dvw_evaluation_name(skill, eval[0]);
	cJSON_AddStringToObject(e, "eval_label", named ? named : "");
	if (type != NULL && strlen(type) == 1) {
		cJSON_AddStringToObject(e, "skill_type", type);
		cJSON_AddStringToObject(e, "type_name", stint_scout_type_base(skill, type[0]) ? stint_scout_type_base(skill, type[0]) : type);
	}
	if (combo == NULL)
		combo = cJSON_GetStringValue(cJSON_GetObjectItem(pl, "set_code"));
	cJSON_AddStringToObject(e, "combo", combo ? combo : "");
	if (cJSON_IsNumber(from))
		snprintf(a, sizeof(a), "%d", from->valueint);
	if (cJSON_IsNumber(to))
		snprintf(b, sizeof(b), "%d", to->valueint);
	else if (cJSON_IsNumber(cone))
		snprintf(b, sizeof(b), "c%d", cone->valueint);
	if (a[0] || b[0]) {
		snprintf(buf, sizeof(buf), "%s→%s", a[0] ? a : "·", b[0] ? b : "·");
		cJSON_AddStringToObject(e, "zone_path", buf);
	}
}

/* Labels the events table shows for one event. */
static void decorate_event(cJSON *e, const cJSON *session)
{
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const char *num = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_number"));
	const char *eval = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "payload"), "evaluation"));
	char buf[210], who[16];

	page_clock(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "t_sec")), buf, sizeof(buf));
	cJSON_AddStringToObject(e, "t_shown", buf);
	page_type_label(session, cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")), buf, sizeof(buf));
	cJSON_AddStringToObject(e, "type_label", buf);
	cJSON_AddStringToObject(e, "team_name", team ? page_team_name(session, team, buf, sizeof(buf)) : "");
	cJSON_AddBoolToObject(e, "has_player", team != NULL && num != NULL);
	if (team != NULL && num != NULL)
		cJSON_AddStringToObject(e, "player_name", page_player_name(session, team, num));
	cJSON_AddStringToObject(e, "evaluation", eval ? eval : "");
	event_who(e, who, sizeof(who));
	cJSON_AddStringToObject(e, "who", who);
	decorate_detail(e);
}

/* The row of edit_id becomes the inline edit form (with errors from a failed save). */
static void mark_editing(cJSON *items, const cJSON *session, const char *edit_id, page_problems *pp)
{
	cJSON *e, *o;
	char id[32];

	cJSON_ArrayForEach(e, items) {
		snprintf(id, sizeof(id), "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id")));
		if (edit_id == NULL || strcmp(id, edit_id) != 0)
			continue;
		cJSON_AddBoolToObject(e, "editing", 1);
		if (pp->event_form != NULL && pp->edit_id != NULL) {
			cJSON_ArrayForEach(o, pp->event_form) {
				cJSON_DeleteItemFromObject(e, o->string);
				cJSON_AddItemToObject(e, o->string, cJSON_Duplicate(o, 1));
			}
			cJSON_AddBoolToObject(e, "has_row_errors", 1);
			cJSON_AddItemToObject(e, "row_errors", problem_list(pp->event_errors));
			pp->event_errors = NULL;
		}
		cJSON_AddItemToObject(e, "who_groups", who_groups(session, cJSON_GetStringValue(cJSON_GetObjectItem(e, "who"))));
		cJSON_AddItemToObject(e, "evaluations", evaluation_list(cJSON_GetStringValue(cJSON_GetObjectItem(e, "evaluation")),
			stint_scout_skill_of(cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")))));
	}
}

/* Whether o's number key equals want (text of an integer); no want: yes. */
static int num_is(const cJSON *o, const char *key, const char *want)
{
	const cJSON *n = cJSON_GetObjectItem(o, key);

	return want == NULL || (cJSON_IsNumber(n) && n->valueint == atoi(want));
}

static int str_is(const cJSON *o, const char *key, const char *want)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return want == NULL || (s != NULL && strcmp(s, want) == 0);
}

/* Whether event e (with its match state, "ms") passes v's volleyball detail filters. */
static int detail_passes(const cJSON *e, const page_view *v)
{
	const cJSON *ms = cJSON_GetObjectItem(e, "ms"), *pl = cJSON_GetObjectItem(e, "payload");

	return num_is(ms, "set", v->set) && num_is(ms, "rot", v->rot) && str_is(ms, "phase", v->phase) &&
	       str_is(pl, "skill_type", v->skill_type) &&
	       (str_is(pl, "attack_code", v->combo) || str_is(pl, "set_code", v->combo)) &&
	       num_is(pl, "start_zone", v->from_zone) && num_is(pl, "end_zone", v->to_zone);
}

/*
 * The view's volleyball detail filters on all of a session's events (items,
 * decorated with the match state): those that pass, from offset, at most
 * EVENTS_PAGE of them, stay; *total gets how many pass.
 */
static void filter_detail(cJSON *items, const page_view *v, long offset, long *total)
{
	cJSON *e = items->child, *next;
	long n = 0;

	for (; e != NULL; e = next) {
		next = e->next;
		if (!detail_passes(e, v)) {
			cJSON_Delete(cJSON_DetachItemViaPointer(items, e));
			continue;
		}
		if (n < offset || n >= offset + EVENTS_PAGE)
			cJSON_Delete(cJSON_DetachItemViaPointer(items, e));
		n++;
	}
	*total = n;
}

/* One page of the events table, filtered by the view, with its pager. */
static stint_db_rc add_events(stint_req *r, cJSON *data, const cJSON *session, const page_view *v,
			      page_problems *pp)
{
	char num[24];
	stint_timeline_query q = {
		.type = v->type, .team = v->team, .player = v->player,
		.from_sec = NAN, .to_sec = NAN, .limit = EVENTS_PAGE, .offset = v->offset ? atol(v->offset) : 0
	};
	const char *edit = pp->edit_id ? pp->edit_id : stint_kv_get(&r->query, "edit");
	page_view other = *v;
	cJSON *page = NULL, *items, *e;
	long offset = q.offset, total;
	stint_db_rc rc;

	int detail = page_view_detail(v);

	if (detail) {  /* set, rotation and phase come from the match state of all events: filtered here */
		q.limit = 10000;
		q.offset = 0;
	}
	rc = stint_timeline_list_json(r->db, r->params[0], &q, &page);
	if (rc != STINT_DB_OK)
		return rc;
	items = cJSON_DetachItemFromObject(page, "items");
	total = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(page, "total"));
	cJSON_ArrayForEach(e, items)
		decorate_event(e, session);
	rc = page_match_data(r, data, session, items);
	if (detail)
		filter_detail(items, v, offset, &total);
	mark_editing(items, session, edit, pp);
	cJSON_AddItemToObject(data, "events", items);
	cJSON_AddBoolToObject(data, "has_events", cJSON_GetArraySize(items) > 0);
	cJSON_AddNumberToObject(data, "events_total", (double)total);
	cJSON_AddNumberToObject(data, "events_from", total ? (double)offset + 1 : 0);
	cJSON_AddNumberToObject(data, "events_to", (double)(offset + EVENTS_PAGE < total ? offset + EVENTS_PAGE : total));
	if (offset > 0) {
		snprintf(num, sizeof(num), "%ld", offset > EVENTS_PAGE ? offset - EVENTS_PAGE : 0);
		other.offset = num;
		cJSON_AddStringToObject(data, "events_prev", page_view_query(&r->arena, &other));
	}
	if (offset + EVENTS_PAGE < total) {
		snprintf(num, sizeof(num), "%ld", offset + EVENTS_PAGE);
		other.offset = num;
		cJSON_AddStringToObject(data, "events_next", page_view_query(&r->arena, &other));
	}
	cJSON_Delete(page);
	return rc;
}

/* The highest live message seq so far: the script catches up from here. */
static stint_db_rc add_last_seq(stint_req *r, cJSON *data)
{
	long long last_seq;
	stint_db_rc rc = stint_live_last_seq(r->db, r->params[0], &last_seq);

	cJSON_AddNumberToObject(data, "last_seq", (double)last_seq);
	return rc;
}

static stint_db_rc add_access(stint_req *r, cJSON *data)
{
	stint_grant grant;
	stint_db_rc rc = stint_session_access(r->db, r->params[0], r->user.id_text, 0, &grant);

	cJSON_AddBoolToObject(data, "can_edit", grant == STINT_GRANT_EDIT);
	return rc;
}

static void human_size(double bytes, char *out, size_t size)
{
	if (bytes >= 1e6)
		snprintf(out, size, "%.1f MB", bytes / 1e6);
	else
		snprintf(out, size, "%.0f kB", bytes / 1e3 < 1 ? 1 : bytes / 1e3);
}

/* Clips (with the one whose offset form failed), the playable ones for the video. */
static stint_db_rc add_clips(stint_req *r, cJSON *data, page_problems *pp)
{
	cJSON *clips = NULL, *c, *videos = cJSON_CreateArray(), *v;
	const char *url;
	char buf[32], *json;
	stint_db_rc rc = stint_clip_list_json(r->db, r->params[0], &clips);

	cJSON_ArrayForEach(c, clips) {
		page_clock(cJSON_GetNumberValue(cJSON_GetObjectItem(c, "duration_sec")), buf, sizeof(buf));
		cJSON_AddStringToObject(c, "duration_shown", cJSON_IsNumber(cJSON_GetObjectItem(c, "duration_sec")) ? buf : "–");
		page_clock(cJSON_GetNumberValue(cJSON_GetObjectItem(c, "offset_sec")), buf, sizeof(buf));
		cJSON_AddStringToObject(c, "offset_shown", buf);
		snprintf(buf, sizeof(buf), "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "id")));
		if (pp->clip_id != NULL && strcmp(pp->clip_id, buf) == 0) {
			cJSON_AddItemToObject(c, "clip_errors", pp->clip_errors);
			pp->clip_errors = NULL;
		}
		url = cJSON_GetStringValue(cJSON_GetObjectItem(c, "media_url"));
		if (url == NULL || strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "kind")), "video") != 0)
			continue;
		v = cJSON_CreateObject();
		cJSON_AddItemToObject(v, "id", cJSON_Duplicate(cJSON_GetObjectItem(c, "id"), 1));
		cJSON_AddItemToObject(v, "title", cJSON_Duplicate(cJSON_GetObjectItem(c, "title"), 1));
		cJSON_AddStringToObject(v, "media_url", url);
		cJSON_AddItemToObject(v, "offset_sec", cJSON_Duplicate(cJSON_GetObjectItem(c, "offset_sec"), 1));
		cJSON_AddItemToObject(v, "duration_sec", cJSON_Duplicate(cJSON_GetObjectItem(c, "duration_sec"), 1));
		cJSON_AddItemToArray(videos, v);
	}
	json = cJSON_PrintUnformatted(videos);
	cJSON_AddStringToObject(data, "videos_json", json ? json : "[]");
	free(json);
	cJSON_AddBoolToObject(data, "has_clips", cJSON_GetArraySize(clips) > 0);
	cJSON_AddItemToObject(data, "clips", clips ? clips : cJSON_CreateArray());
	if (cJSON_GetArraySize(videos) > 0)
		cJSON_AddItemToObject(data, "video", cJSON_Duplicate(cJSON_GetArrayItem(videos, 0), 1));
	cJSON_AddBoolToObject(data, "many_videos", cJSON_GetArraySize(videos) > 1);
	snprintf(buf, sizeof(buf), "%.3g GiB", (double)stint_upload_max_bytes() / (1 << 30));
	cJSON_AddStringToObject(data, "upload_max_shown", buf);
	cJSON_AddItemToObject(data, "videos", videos);
	return rc;
}

static stint_db_rc add_artifacts(stint_req *r, cJSON *data)
{
	cJSON *list = NULL, *a;
	char buf[32];
	stint_db_rc rc = stint_artifact_list_json(r->db, r->params[0], &list);

	cJSON_ArrayForEach(a, list) {
		human_size(cJSON_GetNumberValue(cJSON_GetObjectItem(a, "size_bytes")), buf, sizeof(buf));
		cJSON_AddStringToObject(a, "size_shown", cJSON_IsNumber(cJSON_GetObjectItem(a, "size_bytes")) ? buf : "");
	}
	cJSON_AddBoolToObject(data, "has_artifacts", cJSON_GetArraySize(list) > 0);
	cJSON_AddItemToObject(data, "artifacts", list ? list : cJSON_CreateArray());
	return rc;
}

/* The stats tables and the list of types the session has (for the filters). */
static stint_db_rc add_stats(stint_req *r, cJSON *data, const cJSON *session)
{
	cJSON *rollup = NULL;
	stint_db_rc rc = stint_timeline_rollup_json(r->db, r->params[0], &rollup);

	if (rc == STINT_DB_OK)
		cJSON_AddItemToObject(data, "stats", page_stats_data(rollup, session));
	cJSON_Delete(rollup);
	return rc;
}

/* Types for the filter and the edit form's list: the tagging types, the sport's, then the session's own. */
static void add_types(cJSON *data, const cJSON *session, const char *current)
{
	cJSON *opts = cJSON_CreateArray(), *map = cJSON_CreateObject(), *o, *sport;
	const cJSON *t;
	char label[64];
	size_t i;

	for (i = 0; i < COUNT(tag_types); i++) {
		page_type_label(session, tag_types[i].type, label, sizeof(label));
		cJSON_AddStringToObject(map, tag_types[i].type, label);
	}
	sport = stint_sport_types(stint_sport_of(session));  /* the sport's usual types (labels.h) */
	cJSON_ArrayForEach(t, sport)
		if (!cJSON_HasObjectItem(map, cJSON_GetStringValue(cJSON_GetObjectItem(t, "value"))))
			cJSON_AddStringToObject(map, cJSON_GetStringValue(cJSON_GetObjectItem(t, "value")),
						cJSON_GetStringValue(cJSON_GetObjectItem(t, "label")));
	cJSON_Delete(sport);
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(session, "rollup_summary")) {
		if (strcmp(t->string, "total_events") == 0)
			continue;  /* the summary's total, not a type */
		page_type_label(session, t->string, label, sizeof(label));
		if (!cJSON_HasObjectItem(map, t->string))
			cJSON_AddStringToObject(map, t->string, label);
	}
	cJSON_ArrayForEach(t, map) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", t->string);
		cJSON_AddStringToObject(o, "label", t->valuestring);
		cJSON_AddBoolToObject(o, "selected", current && strcmp(current, t->string) == 0);
		cJSON_AddItemToArray(opts, o);
	}
	cJSON_Delete(map);
	cJSON_AddItemToObject(data, "type_options", opts);
}

/* The tagging panel: types with keys, both teams with their players, evaluations. */
static void add_tagger(cJSON *data, const cJSON *session, page_problems *pp)
{
	const cJSON *form = pp->edit_id == NULL ? pp->event_form : NULL;
	const char *who = cJSON_GetStringValue(cJSON_GetObjectItem(form, "who"));
	const char *eval = cJSON_GetStringValue(cJSON_GetObjectItem(form, "evaluation"));
	cJSON *tag = cJSON_AddObjectToObject(data, "tag"), *list, *o;
	char label[64];
	size_t i;

	list = cJSON_AddArrayToObject(tag, "types");
	for (i = 0; i < COUNT(tag_types); i++) {
		o = cJSON_CreateObject();
		page_type_label(session, tag_types[i].type, label, sizeof(label));
		cJSON_AddStringToObject(o, "value", tag_types[i].type);
		cJSON_AddStringToObject(o, "label", label);
		cJSON_AddStringToObject(o, "key", tag_types[i].key);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddItemToObject(tag, "evaluations", evaluation_list(eval, 0));
	cJSON_AddBoolToObject(tag, "no_eval", eval == NULL || *eval == '\0');
	cJSON_AddBoolToObject(tag, "nobody", who == NULL || *who == '\0');
	cJSON_AddItemToObject(tag, "teams", who_groups(session, who));
	if (form != NULL)
		cJSON_AddItemToObject(tag, "form", cJSON_Duplicate(form, 1));
	if (pp->edit_id == NULL && pp->event_errors != NULL) {
		cJSON_AddBoolToObject(tag, "has_errors", 1);
		cJSON_AddItemToObject(tag, "errors", problem_list(pp->event_errors));
		pp->event_errors = NULL;
	}
}

/*
 * Volleyball sessions: the scout line and court, the evaluation legend per
 * skill and the skill types (lib/scoutcode.h, openvolley's decoders; the
 * script reads its words from these tables).
 */
static void add_scout(cJSON *data, const cJSON *session)
{
	static const int rows[2][3][3] = {
		{ { 1, 6, 5 }, { 9, 8, 7 }, { 2, 3, 4 } },      /* the opponent's court, seen from ours */
		{ { 4, 3, 2 }, { 7, 8, 9 }, { 5, 6, 1 } },      /* ours, the net above */
	};
	static const char *const halves[2] = { "end", "start" };
	cJSON *scout, *zones, *z;
	char label[24];
	int h, i, j;

	if (stint_sport_of(session) != STINT_SPORT_VOLLEYBALL)
		return;
	cJSON_AddBoolToObject(data, "volleyball", 1);
	scout = cJSON_AddObjectToObject(data, "scout");
	cJSON_AddItemToObject(scout, "legend", stint_scout_legend());
	zones = cJSON_AddArrayToObject(scout, "zones");
	for (h = 0; h < 2; h++)
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++) {
				z = cJSON_CreateObject();
				cJSON_AddStringToObject(z, "which", halves[h]);
				snprintf(label, sizeof(label), "%s zone %d", h ? "Start" : "End", rows[h][i][j]);
				cJSON_AddStringToObject(z, "label", label);
				cJSON_AddNumberToObject(z, "zone", rows[h][i][j]);
				cJSON_AddNumberToObject(z, "x", 10 + j * 60);
				cJSON_AddNumberToObject(z, "y", 10 + h * 190 + i * 60);
				cJSON_AddNumberToObject(z, "tx", 40 + j * 60);
				cJSON_AddNumberToObject(z, "ty", 48 + h * 190 + i * 60);
				cJSON_AddItemToArray(zones, z);
			}
	cJSON_AddItemToObject(scout, "types", stint_scout_types());
}

/* The view's volleyball filters as the no-script form shows them (view_set, ...). */
static void add_view_detail(cJSON *data, const page_view *v)
{
	const char *keys[] = { "set", "rot", "phase", "skill_type", "combo", "from_zone", "to_zone" };
	const char *vals[] = { v->set, v->rot, v->phase, v->skill_type, v->combo, v->from_zone, v->to_zone };
	cJSON *o = cJSON_AddObjectToObject(data, "view_detail");
	size_t i;

	for (i = 0; i < COUNT(keys); i++)
		cJSON_AddStringToObject(o, keys[i], vals[i] ? vals[i] : "");
}

/* The session with labels; the Details form's values when it came back. */
static stint_db_rc load_session(stint_req *r, page_problems *pp, cJSON **out)
{
	char *json = NULL;
	cJSON *s, *v;
	stint_db_rc rc = stint_session_get(r->db, r->params[0], &json);

	*out = NULL;
	if (rc != STINT_DB_OK || json == NULL) {
		free(json);
		return rc;
	}
	*out = s = cJSON_Parse(json);
	free(json);
	if (s == NULL)
		return STINT_DB_ERROR;
	page_decorate_session(s);
	cJSON_AddBoolToObject(s, "has_teams", cJSON_GetArraySize(cJSON_GetObjectItem(s, "teams")) > 0);
	cJSON_ArrayForEach(v, pp->details_form)
		cJSON_ReplaceItemInObject(s, v->string, cJSON_Duplicate(v, 1));
	return STINT_DB_OK;
}

static void free_problems(page_problems *pp)
{
	cJSON_Delete(pp->details_form);
	cJSON_Delete(pp->details_errors);
	cJSON_Delete(pp->event_form);
	cJSON_Delete(pp->event_errors);
	cJSON_Delete(pp->clip_errors);
	cJSON_Delete(pp->teams_errors);
}

void page_render_editor(stint_req *r, int status, page_problems *problems)
{
	page_problems none = { 0 }, *pp = problems ? problems : &none;
	cJSON *data = cJSON_CreateObject(), *s = NULL;
	page_view view;
	char *view_text;
	stint_db_rc rc;

	page_view_parse(&r->arena, &r->query, &view);
	rc = add_last_seq(r, data);  /* first: anything later is caught up by the script */
	if (rc == STINT_DB_OK)
		rc = load_session(r, pp, &s);
	if (rc == STINT_DB_OK && s == NULL) {
		stint_fail(r, 404, "not_found", "There is no session with this id. It may have been deleted.", NULL);
		goto out;
	}
	cJSON_AddItemToObject(data, "session", s);
	if (rc == STINT_DB_OK)
		rc = add_access(r, data);
	if (rc == STINT_DB_OK)
		rc = add_clips(r, data, pp);
	if (rc == STINT_DB_OK)
		rc = add_artifacts(r, data);
	if (rc == STINT_DB_OK)
		rc = add_events(r, data, s, &view, pp);
	if (rc == STINT_DB_OK)
		rc = add_stats(r, data, s);
	if (rc == STINT_DB_OK)
		rc = page_participants_data(r, data);
	if (rc == STINT_DB_OK)
		rc = pp->teams_form != NULL ? page_teams_panel_data(r, data, pp->teams_form, pp->teams_errors)
					    : page_teams_summary_data(r, data);
	cJSON_AddBoolToObject(data, "teams_full", pp->teams_form != NULL);  /* the summary until asked for */
	if (rc == STINT_DB_OK)
		rc = page_add_tasks(r, data);
	if (rc == STINT_DB_OK)
		rc = page_add_recordings(r, data, s);  /* after the events: they share its timeline */
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	add_types(data, s, view.type);
	add_tagger(data, s, pp);
	add_scout(data, s);
	cJSON_AddNumberToObject(data, "events_cols", 5 + (cJSON_HasObjectItem(data, "scout") ? 6 : 0) +
				(cJSON_IsTrue(cJSON_GetObjectItem(data, "can_edit")) ? 1 : 0));
	cJSON_AddItemToObject(data, "who_groups", who_groups(s, view.who));
	view_text = page_view_query(&r->arena, &view);
	cJSON_AddStringToObject(data, "view", view_text);
	cJSON_AddStringToObject(data, "view_prefix", *view_text ? with_amp(&r->arena, view_text) : "");
	cJSON_AddBoolToObject(data, "filtered", view.who != NULL || view.type != NULL || page_view_detail(&view));
	add_view_detail(data, &view);
	cJSON_AddItemToObject(data, "kind_options", page_kind_options(cJSON_GetStringValue(cJSON_GetObjectItem(s, "kind"))));
	cJSON_AddItemToObject(data, "status_options", page_status_options(cJSON_GetStringValue(cJSON_GetObjectItem(s, "status"))));
	page_add_flash(r, data);
	if (pp->details_errors != NULL) {
		cJSON_AddItemToObject(data, "errors", pp->details_errors);
		pp->details_errors = NULL;
	}
	stint_view_send(r, status, "editor", data);
out:
	free_problems(pp);
	cJSON_Delete(data);
}

void page_editor(stint_req *r)
{
	page_render_editor(r, 200, NULL);
}
