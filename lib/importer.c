/* importer.c: DataVolley file to session (see importer.h). */
#include "importer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dvw.h"
#include "media.h"
#include "store.h"
#include "timeline.h"

/* Seconds of "HH:MM:SS", or -1. */
static long clock_sec(const char *t)
{
	int h, m, s;

	if (t == NULL || sscanf(t, "%2d:%2d:%2d", &h, &m, &s) != 3)
		return -1;
	return h * 3600L + m * 60L + s;
}

/*
 * The events array the EVENTS_INSERT statement takes, from the parser's
 * events (consumed); clip_id (text or NULL) is set on each.
 */
static cJSON *timeline_events(cJSON *parsed, const char *clip_id)
{
	cJSON *out = cJSON_CreateArray(), *e, *ev, *payload;
	long first = -1, now, day = 0, last_clock = -1;
	double last_t = 0, t;
	const cJSON *v;

	cJSON_ArrayForEach(e, parsed) {
		payload = cJSON_DetachItemFromObject(e, "payload");
		if (payload == NULL)
			payload = cJSON_CreateObject();
		v = cJSON_GetObjectItem(e, "t_sec");
		now = clock_sec(cJSON_GetStringValue(cJSON_GetObjectItem(payload, "time")));
		if (now >= 0 && last_clock >= 0 && now + 43200 < last_clock)
			day += 86400;   /* past midnight */
		if (now >= 0)
			last_clock = now;
		if (now >= 0 && first < 0)
			first = now;
		t = cJSON_IsNumber(v) && v->valuedouble >= 0 ? v->valuedouble :
		    now >= 0 ? (double)(now + day - first) : last_t;
		last_t = t;
		cJSON_AddNumberToObject(payload, "line", cJSON_GetNumberValue(cJSON_GetObjectItem(e, "line")));
		ev = cJSON_CreateObject();
		cJSON_AddNumberToObject(ev, "t_sec", t);
		cJSON_AddItemToObject(ev, "event_type", cJSON_Duplicate(cJSON_GetObjectItem(e, "event_type"), 0));
		cJSON_AddItemToObject(ev, "actor_team", cJSON_Duplicate(cJSON_GetObjectItem(e, "actor_team"), 0));
		cJSON_AddItemToObject(ev, "actor_number", cJSON_Duplicate(cJSON_GetObjectItem(e, "actor_number"), 0));
		if (clip_id != NULL)
			cJSON_AddNumberToObject(ev, "clip_id", strtod(clip_id, NULL));
		cJSON_AddItemToObject(ev, "payload", payload);
		cJSON_AddItemToArray(out, ev);
	}
	return out;
}

/* The new session's fields: title, match facts, sets and score in meta. */
static cJSON *session_body(const cJSON *match, const stint_import *opt)
{
	const cJSON *teams = cJSON_GetObjectItem(match, "teams"), *m = cJSON_GetObjectItem(match, "match");
	const char *home = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(teams, 0), "name"));
	const char *away = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(teams, 1), "name"));
	const char *date = cJSON_GetStringValue(cJSON_GetObjectItem(m, "date"));
	const char *time = cJSON_GetStringValue(cJSON_GetObjectItem(m, "time"));
	const char *arena = cJSON_GetStringValue(cJSON_GetObjectItem(m, "arena"));
	const char *city = cJSON_GetStringValue(cJSON_GetObjectItem(m, "city"));
	cJSON *body = cJSON_CreateObject(), *meta;
	char title[220], stamp[32], venue[201];

	snprintf(title, sizeof(title), "%.100s v %.100s", home && *home ? home : "Home",
		 away && *away ? away : "Visiting");
	cJSON_AddStringToObject(body, "title", opt->title ? opt->title : title);
	cJSON_AddStringToObject(body, "kind", "match");
	cJSON_AddStringToObject(body, "status", "completed");
	snprintf(venue, sizeof(venue), "%s%s%s", arena ? arena : "", arena && city && *city ? ", " : "",
		 city ? city : "");
	cJSON_AddStringToObject(body, "venue", venue);
	if (date != NULL && strlen(date) == 10) {
		snprintf(stamp, sizeof(stamp), "%sT%sZ", date, time && strlen(time) == 8 ? time : "00:00:00");
		cJSON_AddStringToObject(body, "starts_at", stamp);
	}
	meta = cJSON_AddObjectToObject(body, "meta");
	cJSON_AddStringToObject(meta, "source", "dvw");
	cJSON_AddItemToObject(meta, "match", cJSON_Duplicate(m, 1));
	cJSON_AddItemToObject(meta, "sets", cJSON_Duplicate(cJSON_GetObjectItem(match, "sets"), 1));
	cJSON_AddItemToObject(meta, "teams", cJSON_Duplicate(teams, 1));
	if (opt->demo_key != NULL)
		cJSON_AddStringToObject(meta, "demo_key", opt->demo_key);
	return body;
}

static char *print_item(const cJSON *obj, const char *key)
{
	return cJSON_PrintUnformatted(cJSON_GetObjectItem(obj, key));
}

/*
 * The import's video linked into session sid's folder, its clip inserted
 * and announced (clip_added), its analyze_clip tasks queued; the clip's id
 * into clip_id.
 */
static void add_video(stint_tx *tx, const stint_import *opt, const char *sid, char clip_id[24])
{
	const char *base = strrchr(opt->video_file, '/') ? strrchr(opt->video_file, '/') + 1 : opt->video_file;
	cJSON *clip, *c;
	char *text, *json = NULL;
	const char *p[3] = { sid, NULL, NULL }, *storage;
	char why[512];

	if (tx->rc != STINT_DB_OK)
		return;
	if (stint_store_place(opt->video_file, STINT_PLACE_LINK, sid, opt->video_ext,
			      opt->video_type ? opt->video_type : "video/mp4", opt->video_kept, opt->video_kept_size,
			      &storage, why, sizeof(why)) != STINT_STORE_OK) {
		opt->video_kept[0] = '\0';
		stint_tx_fail(tx, STINT_DB_ERROR);
		return;
	}
	clip = cJSON_CreateObject();
	cJSON_AddStringToObject(clip, "kind", "video");
	cJSON_AddStringToObject(clip, "title", base);
	cJSON_AddStringToObject(clip, "path", opt->video_kept);
	cJSON_AddStringToObject(clip, "content_type", opt->video_type ? opt->video_type : "video/mp4");
	cJSON_AddNumberToObject(clip, "duration_sec", opt->video_duration_sec);
	cJSON_AddStringToObject(clip, "storage", storage);
	text = cJSON_PrintUnformatted(clip);
	cJSON_Delete(clip);
	p[1] = text;
	if (stint_tx_text(tx, STINT_SQL_CLIP_CREATE, 2, p, &json) == STINT_DB_OK) {
		c = cJSON_Parse(json);
		snprintf(clip_id, 24, "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "id")));
		cJSON_Delete(c);
		p[1] = "clip_added";
		p[2] = json;
		stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, p);
		stint_analysis_queue_clip(tx, sid, json);
	}
	free(text);
	free(json);
}

static void store(stint_tx *tx, const stint_import *opt, cJSON *match, char id_out[37], long *events)
{
	cJSON *body = session_body(match, opt), *timeline = NULL;
	char *body_text = cJSON_PrintUnformatted(body), *teams = print_item(match, "teams");
	char *players = print_item(match, "players"), *events_text = NULL, *id = NULL, clip_id[24] = "";
	char *inserted = NULL;
	const char *p[2] = { body_text, opt->owner_id };

	if (stint_tx_text(tx, STINT_SQL_SESSION_CREATE, 2, p, &id) == STINT_DB_OK && id == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	snprintf(id_out, 37, "%s", id ? id : "");
	p[0] = id_out;
	p[1] = teams;
	stint_tx_exec(tx, STINT_SQL_TEAMS_IMPORT, 2, p, NULL);
	p[1] = players;
	stint_tx_exec(tx, STINT_SQL_ROSTER_IMPORT, 2, p, NULL);
	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_SESSION, 1, p);
	if (opt->video_file != NULL)
		add_video(tx, opt, id_out, clip_id);
	timeline = timeline_events(cJSON_GetObjectItem(match, "events"), *clip_id ? clip_id : NULL);
	events_text = cJSON_PrintUnformatted(timeline);
	if (cJSON_GetArraySize(timeline) > 0)
		stint_timeline_add(tx, id_out, events_text, "import:dvw", &inserted);
	*events = cJSON_GetArraySize(timeline);
	stint_tx_audit(tx, "session.import", "session", id_out, NULL);
	cJSON_Delete(body);
	cJSON_Delete(timeline);
	free(body_text);
	free(teams);
	free(players);
	free(events_text);
	free(inserted);
	free(id);
}

stint_import_rc stint_import_dvw(stint_tx *tx, const stint_import *opt, const char *data,
				 size_t len, char id_out[37], long *events, stint_buf *warnings)
{
	cJSON *match = NULL;

	*events = 0;
	*id_out = '\0';
	if (opt->video_file != NULL)
		opt->video_kept[0] = '\0';
	if (stint_dvw_parse(data, len, &match, warnings) != STINT_DVW_OK) {
		stint_tx_cancel(tx);
		return STINT_IMPORT_BAD_FILE;
	}
	store(tx, opt, match, id_out, events);
	cJSON_Delete(match);
	return STINT_IMPORT_OK;
}

stint_db_rc stint_import_demo_session(stint_db *db, const char *demo_key, char **id)
{
	return stint_db_text(db, STINT_SQL_SESSION_BY_DEMO_KEY, 1, &demo_key, id);
}
