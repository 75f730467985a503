/*
 * pages-replay.c: /sessions/<id>/replay, the replay that fits the session.
 * A match is shown rally by rally against its video: its events in time
 * order, cut after each point (a "point" event, or one whose payload
 * carries a new home_score / visiting_score, as DataVolley's point lines
 * do), each rally with its start on the timeline, the score after it and a
 * link that opens the video clip that shows it there (a match filmed in
 * parts has a clip per part; static/replay-match.js loads that clip into the
 * page's player and seeks instead). Other sessions, and a match with ?view=messages, replay
 * their stored live messages at the pace they happened (static/replay.js);
 * the climb's fields (holds, pose frames) show for climbs only.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "dvw.h"
#include "fail.h"
#include "media.h"
#include "pages-replay.h"
#include "pages-shared.h"
#include "scoutcode.h"
#include "sessions.h"
#include "timeline.h"
#include "view.h"

#define REPLAY_EVENTS 10000  /* the events list's most (stint_timeline_query.limit) */

static int is_kind(const cJSON *session, const char *kind)
{
	const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(session, "kind"));

	return k != NULL && strcmp(k, kind) == 0;
}

static int is_video(const cJSON *c)
{
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(c, "kind"));

	return kind != NULL && strcmp(kind, "video") == 0 && cJSON_IsString(cJSON_GetObjectItem(c, "media_url"));
}

/*
 * The video clip (with a media URL) that shows session time t (seconds):
 * the one whose span [offset_sec, offset_sec + duration_sec) holds t, else
 * the last one starting at or before t (its length unknown or too short),
 * else the first; NULL without one. clips are in offset order; borrowed.
 * A match filmed in halves or sets has a clip per part.
 */
static const cJSON *video_at(const cJSON *clips, double t)
{
	const cJSON *c, *first = NULL, *before = NULL, *dur;
	double off;

	cJSON_ArrayForEach(c, clips) {
		if (!is_video(c))
			continue;
		off = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "offset_sec"));
		dur = cJSON_GetObjectItem(c, "duration_sec");
		if (first == NULL)
			first = c;
		if (off <= t && cJSON_IsNumber(dur) && t < off + dur->valuedouble)
			return c;
		if (off <= t)
			before = c;
	}
	return before ? before : first;
}

/* One event as a rally's line: clock, type label, team, shirt number and player, evaluation. */
static cJSON *event_line(const cJSON *e, const cJSON *session)
{
	cJSON *line = cJSON_CreateObject();
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const cJSON *num = cJSON_GetObjectItem(e, "actor_number");
	const char *eval = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "payload"), "evaluation"));
	char buf[210];

	page_clock(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "t_sec")), buf, sizeof(buf));
	cJSON_AddStringToObject(line, "t_shown", buf);
	page_type_label(session, cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")), buf, sizeof(buf));
	cJSON_AddStringToObject(line, "type_label", buf);
	cJSON_AddItemToObject(line, "event_type", cJSON_Duplicate(cJSON_GetObjectItem(e, "event_type"), 1));
	cJSON_AddStringToObject(line, "team_name", team ? page_team_name(session, team, buf, sizeof(buf)) : "");
	if (team != NULL && cJSON_IsString(num)) {
		cJSON_AddStringToObject(line, "number", num->valuestring);
		cJSON_AddStringToObject(line, "player_name", page_player_name(session, team, num->valuestring));
	}
	if (eval != NULL) {
		/* its meaning for the skill, as the editor's table shows it */
		const char *named = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "payload"),
									      "evaluation_name"));
		char skill = stint_scout_skill_of(cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")));

		if (named == NULL && skill)
			named = stint_dvw_evaluation_name(skill, eval[0]);
		cJSON_AddStringToObject(line, "evaluation", eval);
		if (named != NULL)
			cJSON_AddStringToObject(line, "evaluation_name", named);
	}
	return line;
}

/* 1 when e ends a rally; *a and *b hold the score so far and get e's. */
static int ends_rally(const cJSON *e, double *a, double *b)
{
	const cJSON *p = cJSON_GetObjectItem(e, "payload");
	const cJSON *ha = cJSON_GetObjectItem(p, "home_score"), *vb = cJSON_GetObjectItem(p, "visiting_score");
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type"));
	int scored = 0;

	if (cJSON_IsNumber(ha) && cJSON_IsNumber(vb) && (ha->valuedouble != *a || vb->valuedouble != *b)) {
		*a = ha->valuedouble;
		*b = vb->valuedouble;
		scored = 1;
	}
	return scored || (type != NULL && strcmp(type, "point") == 0);
}

/* A rally's object: number, start, its video (the clip that shows it) and link, the lines so far. */
static cJSON *new_rally(int number, const cJSON *first, const cJSON *clips)
{
	cJSON *rally = cJSON_CreateObject();
	double t = cJSON_GetNumberValue(cJSON_GetObjectItem(first, "t_sec"));
	const cJSON *video = video_at(clips, t);
	const char *url;
	char buf[300];

	cJSON_AddNumberToObject(rally, "number", number);
	page_clock(t, buf, sizeof(buf));
	cJSON_AddStringToObject(rally, "t_shown", buf);
	if (video != NULL) {
		/* the clip's time: the session's time less the clip's offset on the timeline */
		url = cJSON_GetStringValue(cJSON_GetObjectItem(video, "media_url"));
		t -= cJSON_GetNumberValue(cJSON_GetObjectItem(video, "offset_sec"));
		t = t > 0 ? t : 0;
		snprintf(buf, sizeof(buf), "%.2f", t);
		cJSON_AddStringToObject(rally, "video_t", buf);
		cJSON_AddStringToObject(rally, "video_src", url);
		snprintf(buf, sizeof(buf), "%s#t=%.2f", url, t);
		cJSON_AddStringToObject(rally, "video_href", buf);
	}
	cJSON_AddArrayToObject(rally, "lines");
	return rally;
}

/* Rallies of events (time order), each closed by its point; the rest after the last point too. */
static cJSON *rallies(const cJSON *events, const cJSON *session, const cJSON *clips)
{
	cJSON *out = cJSON_CreateArray(), *rally = NULL;
	const cJSON *e;
	double a = 0, b = 0;
	const char *team;
	char name[210];
	int n = 0;

	cJSON_ArrayForEach(e, events) {
		if (rally == NULL)
			rally = new_rally(++n, e, clips);
		cJSON_AddItemToArray(cJSON_GetObjectItem(rally, "lines"), event_line(e, session));
		if (!ends_rally(e, &a, &b))
			continue;
		cJSON_AddBoolToObject(rally, "has_score", 1);
		cJSON_AddNumberToObject(rally, "score_a", a);
		cJSON_AddNumberToObject(rally, "score_b", b);
		team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
		if (team != NULL)
			cJSON_AddStringToObject(rally, "won_by", page_team_name(session, team, name, sizeof(name)));
		cJSON_AddItemToArray(out, rally);
		rally = NULL;
	}
	if (rally != NULL)
		cJSON_AddItemToArray(out, rally);
	return out;
}

/* The match's data: the video, the rallies. */
static stint_db_rc match_data(stint_req *r, cJSON *data, const cJSON *session)
{
	stint_timeline_query q = { .player = NULL, .from_sec = NAN, .to_sec = NAN, .limit = REPLAY_EVENTS };
	cJSON *page = NULL, *clips = NULL, *list;
	const cJSON *video;
	char name[210];
	stint_db_rc rc = stint_clip_list_json(r->db, r->params[0], &clips);

	if (rc == STINT_DB_OK)
		rc = stint_timeline_list_json(r->db, r->params[0], &q, &page);
	if (rc == STINT_DB_OK) {
		video = video_at(clips, -INFINITY);  /* the first: the page opens on the match's start */
		if (video != NULL)
			cJSON_AddItemToObject(data, "video", cJSON_Duplicate(video, 1));
		list = rallies(cJSON_GetObjectItem(page, "items"), session, clips);
		cJSON_AddBoolToObject(data, "has_rallies", cJSON_GetArraySize(list) > 0);
		cJSON_AddNumberToObject(data, "rally_count", cJSON_GetArraySize(list));
		cJSON_AddItemToObject(data, "rallies", list);
		cJSON_AddStringToObject(data, "team_a", page_team_name(session, "A", name, sizeof(name)));
		cJSON_AddStringToObject(data, "team_b", page_team_name(session, "B", name, sizeof(name)));
	}
	cJSON_Delete(page);
	cJSON_Delete(clips);
	return rc;
}

void page_replay(stint_req *r)
{
	cJSON *session = NULL, *data = NULL;
	const char *view = stint_kv_get(&r->query, "view");
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &session);
	int rallies_view;

	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	if (session == NULL) {
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
		goto out;
	}
	data = cJSON_CreateObject();
	page_decorate_session(session);
	rallies_view = is_kind(session, "match") && (view == NULL || strcmp(view, "messages") != 0);
	cJSON_AddBoolToObject(data, "match", is_kind(session, "match"));
	if (rallies_view && (rc = match_data(r, data, session)) != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	cJSON_AddBoolToObject(data, "climb", is_kind(session, "climb"));
	cJSON_AddItemToObject(data, "session", session);
	session = NULL;
	stint_view_send(r, 200, rallies_view ? "replay-match" : "replay", data);
out:
	cJSON_Delete(data);
	cJSON_Delete(session);
}
