/* importer.c: DataVolley file to session (see importer.h). */
#include "importer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dvw.h"

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

/* Run statement id with params; keep the first cell of the first row in out. */
static stint_db_rc step(stint_db *db, stint_sql id, int n, const char *const *p, char *out, size_t size)
{
	PGresult *res;
	stint_db_rc rc = stint_db_exec(db, id, n, p, &res);

	if (rc == STINT_DB_OK && out != NULL)
		snprintf(out, size, "%s", PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	if (rc == STINT_DB_OK)
		PQclear(res);
	return rc;
}

static char *print_item(const cJSON *obj, const char *key)
{
	return cJSON_PrintUnformatted(cJSON_GetObjectItem(obj, key));
}

/* The clip of the import's video, inserted; its id into clip_id. */
static stint_db_rc add_video(stint_db *db, const stint_import *opt, const char *sid, char clip_id[24])
{
	cJSON *clip = cJSON_CreateObject();
	char *text;
	const char *p[2];
	char json[4096];
	stint_db_rc rc;

	cJSON_AddStringToObject(clip, "kind", "video");
	cJSON_AddStringToObject(clip, "title", strrchr(opt->video_path, '/') ? strrchr(opt->video_path, '/') + 1 : opt->video_path);
	cJSON_AddStringToObject(clip, "path", opt->video_path);
	cJSON_AddStringToObject(clip, "content_type", opt->video_type ? opt->video_type : "video/mp4");
	cJSON_AddNumberToObject(clip, "duration_sec", opt->video_duration_sec);
	text = cJSON_PrintUnformatted(clip);
	cJSON_Delete(clip);
	p[0] = sid;
	p[1] = text;
	rc = step(db, STINT_SQL_CLIP_CREATE, 2, p, json, sizeof(json));
	free(text);
	if (rc == STINT_DB_OK) {
		cJSON *c = cJSON_Parse(json);

		snprintf(clip_id, 24, "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "id")));
		cJSON_Delete(c);
	}
	return rc;
}

static stint_db_rc store(stint_db *db, const stint_import *opt, cJSON *match, char id_out[37], long *events)
{
	cJSON *body = session_body(match, opt), *timeline = NULL;
	char *body_text = cJSON_PrintUnformatted(body), *teams = print_item(match, "teams");
	char *players = print_item(match, "players"), *events_text = NULL, clip_id[24] = "", count[64];
	const char *p[3];
	stint_db_rc rc = stint_db_begin(db);

	p[0] = body_text;
	p[1] = opt->owner_id;
	if (rc == STINT_DB_OK)
		rc = step(db, STINT_SQL_SESSION_CREATE, 2, p, id_out, 37);
	p[0] = id_out;
	p[1] = teams;
	if (rc == STINT_DB_OK)
		rc = step(db, STINT_SQL_TEAMS_IMPORT, 2, p, NULL, 0);
	p[1] = players;
	if (rc == STINT_DB_OK)
		rc = step(db, STINT_SQL_ROSTER_IMPORT, 2, p, NULL, 0);
	if (rc == STINT_DB_OK && opt->video_path != NULL)
		rc = add_video(db, opt, id_out, clip_id);
	timeline = timeline_events(cJSON_GetObjectItem(match, "events"), *clip_id ? clip_id : NULL);
	events_text = cJSON_PrintUnformatted(timeline);
	p[1] = events_text;
	p[2] = "import:dvw";
	if (rc == STINT_DB_OK && cJSON_GetArraySize(timeline) > 0)
		rc = step(db, STINT_SQL_EVENTS_INSERT, 3, p, count, sizeof(count));
	*events = cJSON_GetArraySize(timeline);
	p[0] = opt->owner_id ? opt->owner_id : "0";
	p[1] = "session.import";
	p[2] = "session";
	if (rc == STINT_DB_OK) {
		const char *ap[5] = { p[0], p[1], p[2], id_out, NULL };

		rc = stint_db_exec(db, STINT_SQL_AUDIT, 5, ap, NULL);
	}
	if (rc == STINT_DB_OK)
		rc = stint_db_commit(db);
	else
		stint_db_rollback(db);
	cJSON_Delete(body);
	cJSON_Delete(timeline);
	free(body_text);
	free(teams);
	free(players);
	free(events_text);
	return rc;
}

stint_import_rc stint_import_dvw(stint_db *db, const stint_import *opt, const char *data,
				 size_t len, char id_out[37], long *events, stint_buf *warnings,
				 stint_db_rc *db_rc)
{
	cJSON *match = NULL;
	int prc = stint_dvw_parse(data, len, &match, warnings);

	*events = 0;
	*db_rc = STINT_DB_OK;
	if (prc != STINT_DVW_OK)
		return STINT_IMPORT_BAD_FILE;
	*db_rc = store(db, opt, match, id_out, events);
	cJSON_Delete(match);
	return *db_rc == STINT_DB_OK ? STINT_IMPORT_OK : STINT_IMPORT_DB;
}
