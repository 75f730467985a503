/*
 * pages-recordings.c: the editor's recordings panel (templates/recordings.mustache,
 * static/recordings.js) and its forms. The player and the overview image
 * load presigned URLs made for this page (lib/recorder-links.h), straight
 * from the bucket's public endpoint; the recording is drawn on the
 * session's timeline at its offset from the session's start, with the
 * page's events on the same axis (an SVG whose coordinates are written
 * here, so it needs no inline style). The forms post, then redirect back
 * with a message the panel shows (?flash=recording_*).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "log.h"
#include "pages-recordings.h"
#include "pages-shared.h"
#include "recorder-links.h"
#include "tx.h"
#include "validate.h"

#define AXIS_WIDTH 1000.0      /* the timeline SVG's width in its own units */
#define CANDIDATE_WINDOW_MIN 180
#define CANDIDATES_SHOWN 10

/* The panel's messages, by the flash key its forms redirect with. */
static const page_choice messages[] = {
	{ "recording_linked", "Recording linked." },
	{ "recording_unlinked", "Recording unlinked." },
	{ "recording_missing", "That recording is not in the bucket any more." },
	{ "recording_none_near", "No recording starts near this session's start." },
	{ "recording_no_start", "Set the session's start time first: recordings are matched by it." },
	{ "recording_none", "This session has no linked recording." },
};

int page_recordings_init(void)
{
	char origin[600];

	if (stint_recorder_media_origin(origin, sizeof(origin)) == 0 && stint_http_allow_media_origin(origin) != 0)
		stint_log(STINT_LOG_ERROR, "pages: the recorder bucket's public endpoint is not an origin");
	return 0;
}

/* A time given as RFC 3339 text, as pages show it (timeshow.h) into out; "" when it is not one. */
static void shown_time(const char *rfc3339, char *out, size_t size)
{
	page_time_text(rfc3339, out, size);
}

/* num as a JSON number, or NAN. */
static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Add key: the offset t_sec as "+m:ss.s" / "-m:ss.s". */
static void add_offset(cJSON *o, const char *key, double t_sec)
{
	char clock[32], buf[40];

	page_clock(fabs(t_sec), clock, sizeof(clock));
	snprintf(buf, sizeof(buf), "%s%s", t_sec < 0 ? "−" : "+", clock);
	cJSON_AddStringToObject(o, key, buf);
}

/*
 * The timeline: one axis from the earlier of the session's start and the
 * recording's to the latest of the recording's end, the session's end and
 * the last event, in AXIS_WIDTH units; the recording's bar and the
 * events' ticks on it (SVG attributes), and the numbers the script needs
 * to move its playhead (t0_sec, t1_sec, offset_sec).
 */
static void add_axis(cJSON *rec, const cJSON *recording, const cJSON *session, const cJSON *events)
{
	double offset = num(recording, "offset_sec"), dur = num(recording, "duration_s"), t0, t1, t, ends;
	double s0, s1;
	cJSON *axis, *ticks, *tick;
	const cJSON *e;

	if (isnan(offset))
		return;
	if (isnan(dur))
		dur = 0;
	t0 = offset < 0 ? offset : 0;
	t1 = offset + dur > 1 ? offset + dur : 1;
	if (stint_timestamp_epoch(cJSON_GetStringValue(cJSON_GetObjectItem(session, "starts_at")), &s0) == 0 &&
	    stint_timestamp_epoch(cJSON_GetStringValue(cJSON_GetObjectItem(session, "ends_at")), &s1) == 0 &&
	    (ends = s1 - s0) > t1)
		t1 = ends;
	cJSON_ArrayForEach(e, events)
		if (!isnan(t = num(e, "t_sec")) && t > t1)
			t1 = t;
	axis = cJSON_AddObjectToObject(rec, "axis");
	cJSON_AddNumberToObject(axis, "t0_sec", t0);
	cJSON_AddNumberToObject(axis, "t1_sec", t1);
	cJSON_AddNumberToObject(axis, "offset_sec", offset);
	cJSON_AddNumberToObject(axis, "session_x", round((0 - t0) / (t1 - t0) * AXIS_WIDTH));
	cJSON_AddNumberToObject(axis, "bar_x", round((offset - t0) / (t1 - t0) * AXIS_WIDTH));
	cJSON_AddNumberToObject(axis, "bar_w", fmax(2, round(dur / (t1 - t0) * AXIS_WIDTH)));
	add_offset(axis, "start_shown", t0);
	add_offset(axis, "end_shown", t1);
	ticks = cJSON_AddArrayToObject(axis, "ticks");
	cJSON_ArrayForEach(e, events) {
		if (isnan(t = num(e, "t_sec")))
			continue;
		tick = cJSON_CreateObject();
		cJSON_AddNumberToObject(tick, "x", round((t - t0) / (t1 - t0) * AXIS_WIDTH));
		cJSON_AddNumberToObject(tick, "t_sec", t);
		cJSON_AddStringToObject(tick, "type", cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")));
		cJSON_AddItemToArray(ticks, tick);
	}
}

/* The linked recording as the panel shows it, into rec. */
static void add_linked(cJSON *rec, const cJSON *recording, const cJSON *session, const cJSON *events)
{
	cJSON *shown = cJSON_AddObjectToObject(rec, "linked");
	const cJSON *urls = cJSON_GetObjectItem(recording, "urls");
	const char *audio = cJSON_GetStringValue(cJSON_GetObjectItem(urls, "ogg"));
	const char *v;
	char buf[64];
	static const char *const copied[] = { "id", "name", "recorder_id", "recorder_name", "recording_id",
					      "is_closed", "deleted", "linked_by", "urls_error", "error", NULL };
	size_t i;

	for (i = 0; copied[i] != NULL; i++)
		if (cJSON_HasObjectItem(recording, copied[i]))
			cJSON_AddItemToObject(shown, copied[i], cJSON_Duplicate(cJSON_GetObjectItem(recording, copied[i]), 1));
	if (audio == NULL)
		audio = cJSON_GetStringValue(cJSON_GetObjectItem(urls, "flac"));
	if (audio != NULL)
		cJSON_AddStringToObject(shown, "audio_url", audio);
	if ((v = cJSON_GetStringValue(cJSON_GetObjectItem(urls, "overview"))) != NULL)
		cJSON_AddStringToObject(shown, "overview_url", v);
	if ((v = cJSON_GetStringValue(cJSON_GetObjectItem(urls, "flac"))) != NULL)
		cJSON_AddStringToObject(shown, "flac_url", v);
	shown_time(cJSON_GetStringValue(cJSON_GetObjectItem(recording, "start_time")), buf, sizeof(buf));
	cJSON_AddStringToObject(shown, "start_shown", buf);
	page_clock(isnan(num(recording, "duration_s")) ? 0 : num(recording, "duration_s"), buf, sizeof(buf));
	cJSON_AddStringToObject(shown, "duration_shown", buf);
	if (!isnan(num(recording, "offset_sec")))
		add_offset(shown, "offset_shown", num(recording, "offset_sec"));
	add_axis(rec, recording, session, events);
}

/* The recordings near the session's start for the picker, into rec. */
static stint_db_rc add_candidates(stint_req *r, cJSON *rec)
{
	char *json = NULL, buf[64];
	cJSON *page, *items, *c;
	stint_db_rc rc = stint_recorder_candidates(r->db, r->params[0], CANDIDATE_WINDOW_MIN, CANDIDATES_SHOWN,
						   &json);

	if (rc != STINT_DB_OK || json == NULL) {
		free(json);
		return rc;
	}
	page = cJSON_Parse(json);
	free(json);
	items = cJSON_DetachItemFromObject(page, "items");
	cJSON_Delete(page);
	if (items == NULL)
		return STINT_DB_ERROR;
	cJSON_ArrayForEach(c, items) {
		shown_time(cJSON_GetStringValue(cJSON_GetObjectItem(c, "start_time")), buf, sizeof(buf));
		cJSON_AddStringToObject(c, "start_shown", buf);
		page_clock(isnan(num(c, "duration_s")) ? 0 : num(c, "duration_s"), buf, sizeof(buf));
		cJSON_AddStringToObject(c, "duration_shown", buf);
		add_offset(c, "offset_shown", num(c, "offset_sec"));
	}
	cJSON_AddBoolToObject(rec, "has_candidates", cJSON_GetArraySize(items) > 0);
	cJSON_AddItemToObject(rec, "candidates", items);
	cJSON_AddNumberToObject(rec, "window_min", CANDIDATE_WINDOW_MIN);
	cJSON_AddNumberToObject(rec, "tolerance_min", (double)stint_recorder_tolerance_min());
	return STINT_DB_OK;
}

stint_db_rc page_add_recordings(stint_req *r, cJSON *data, const cJSON *session)
{
	cJSON *rec = cJSON_AddObjectToObject(data, "rec");
	const cJSON *recording = cJSON_GetObjectItem(session, "recording");
	const char *flash = stint_kv_get(&r->query, "flash");
	size_t i;

	if (rec == NULL)
		return STINT_DB_ERROR;
	for (i = 0; flash != NULL && i < COUNT(messages); i++)
		if (strcmp(flash, messages[i].value) == 0)
			cJSON_AddStringToObject(rec, "message", messages[i].label);
	cJSON_AddBoolToObject(rec, "has_start", cJSON_IsString(cJSON_GetObjectItem(session, "starts_at")));
	if (cJSON_IsObject(recording))
		add_linked(rec, recording, session, cJSON_GetObjectItem(data, "events"));
	return add_candidates(r, rec);
}

/* The flash key of a link's result. */
static const char *link_flash(stint_link_result what)
{
	switch (what) {
	case STINT_LINKED: return "recording_linked";
	case STINT_LINK_NO_START: return "recording_no_start";
	case STINT_LINK_NONE_NEAR: return "recording_none_near";
	default: return "recording_missing";
	}
}

/* Link the recording the picker named (field recording, its row id), or the nearest one (field auto). */
void page_recording_link(stint_req *r)
{
	const char *row = stint_kv_get(&r->form, "recording");
	int is_auto = stint_kv_get(&r->form, "auto") != NULL;
	stint_link_result what = STINT_LINK_NO_RECORDING;
	char tie[256];
	double start_s;
	stint_tx tx;
	stint_db_rc rc;

	if (!is_auto && (row == NULL || *row == '\0' || strlen(row) > 18 || strspn(row, "0123456789") != strlen(row))) {
		stint_fail(r, 422, "invalid_fields", "Choose a recording from the list.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (is_auto)
		stint_recorder_autolink(&tx, r->params[0], stint_recorder_tolerance_min(), "auto", &what, &start_s,
					tie, sizeof(tie));
	else
		stint_recorder_link_row(&tx, r->params[0], row, &what);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (what == STINT_LINK_NO_SESSION)
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
	else
		page_redirect_session(r, r->params[0], NULL, link_flash(what), NULL, "recordings");
}

void page_recording_unlink(stint_req *r)
{
	int found = 0;
	stint_tx tx;
	stint_db_rc rc;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_recorder_unlink(&tx, r->params[0], &found);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		page_redirect_session(r, r->params[0], NULL, found ? "recording_unlinked" : "recording_none", NULL,
				      "recordings");
}
