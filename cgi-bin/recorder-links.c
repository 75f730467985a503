/*
 * recorder-links.c: a session's recording from the recorder bucket, the
 * JSON API under /api/v1/sessions/<id>/recorder (issue 13; lib/recorder-links.h,
 * docs/recorder.md): read the link, the recordings near the session's
 * start, link by hand or by start time (auto-link), unlink, and presigned
 * download URLs of the linked recording's files. Reading needs the
 * session's viewer access, changing its editor access (the route manifest
 * says which; the dispatcher checks before any code here runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fail.h"
#include "recorder-links.h"
#include "tx.h"
#include "validate.h"

static const char no_session[] = "There is no session with this id.";
static const char not_linked[] = "This session has no linked recording.";

/* Answer 200 with the session's link (its recording with fresh URLs) and extra's members (consumed). */
static void send_link(stint_req *r, cJSON *extra)
{
	cJSON *link = NULL, *m;
	char *json = NULL;
	stint_db_rc rc = stint_recorder_link_get(r->db, r->params[0], time(NULL), &link);

	while (link != NULL && extra != NULL && (m = extra->child) != NULL)
		cJSON_AddItemToObject(link, m->string, cJSON_DetachItemViaPointer(extra, m));
	cJSON_Delete(extra);
	if (rc == STINT_DB_OK && link != NULL && (json = cJSON_PrintUnformatted(link)) == NULL)
		rc = STINT_DB_ERROR;
	cJSON_Delete(link);
	stint_answer_json_text(r, rc, 200, json, no_session);
}

static void get_link(stint_req *r)
{
	send_link(r, NULL);
}

typedef struct candidates_in {
	long window_minutes, limit;
} candidates_in;

static const stint_field candidates_fields[] = {
	{ "window_minutes", STINT_F_INT, 0, 0, 10080, NULL, STINT_DEST(candidates_in, window_minutes) },
	{ "limit", STINT_F_INT, 0, 1, 200, NULL, STINT_DEST(candidates_in, limit) },
};

/* The recordings starting within window_minutes (default 60) of the session's start, nearest first. */
static void list_candidates(stint_req *r)
{
	candidates_in in = { 60, 20 };
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, STINT_SPEC(candidates_fields), &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	rc = stint_recorder_candidates(r->db, r->params[0], in.window_minutes, in.limit, &json);
	stint_answer_json_text(r, rc, 200, json, no_session);
}

typedef struct link_in {
	const char *recorder_id, *recording_id;
} link_in;

static const stint_field link_fields[] = {
	{ "recorder_id", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_DEST(link_in, recorder_id) },
	{ "recording_id", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_DEST(link_in, recording_id) },
};

/* {"linked_by": by} for send_link(). */
static cJSON *linked_by(const char *by)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "linked_by", by);
	return o;
}

static void link_recording(stint_req *r)
{
	link_in in = { NULL, NULL };
	stint_link_result what;
	cJSON *errors = NULL;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_json(r->json, STINT_SPEC(link_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_recorder_link(&tx, r->params[0], in.recorder_id, in.recording_id, &what);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (what == STINT_LINK_NO_RECORDING)
		stint_fail_field(r, "recording_id", "is not a recording of this recorder in the bucket"
				 " (a sync finds new ones: POST /api/v1/recorder/sync)");
	else if (stint_found_or_fail(r, rc, what == STINT_LINKED, no_session))
		send_link(r, linked_by("manual"));
}

typedef struct auto_in {
	long tolerance_minutes;
} auto_in;

static const stint_field auto_fields[] = {
	{ "tolerance_minutes", STINT_F_INT, 0, 0, 1440, NULL, STINT_DEST(auto_in, tolerance_minutes) },
};

/*
 * Link the recording whose start is nearest the session's, within
 * tolerance_minutes (default: the setting); the answer says how far it
 * starts from the session's start and how a tie was broken.
 */
static void auto_link(stint_req *r)
{
	auto_in in = { stint_recorder_tolerance_min() };
	stint_link_result what;
	cJSON *errors = NULL, *extra;
	char tie[256], message[200];
	double start_s;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, STINT_SPEC(auto_fields), &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_recorder_autolink(&tx, r->params[0], in.tolerance_minutes, "auto", &what, &start_s, tie, sizeof(tie));
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
	} else if (what == STINT_LINK_NO_START) {
		stint_fail_field(r, "starts_at", "is not set on this session: auto-link matches recordings by the"
				 " session's start time");
	} else if (what == STINT_LINK_NONE_NEAR) {
		snprintf(message, sizeof(message), "No recording in the bucket starts within %ld minute%s of this"
			 " session's start.", in.tolerance_minutes, in.tolerance_minutes == 1 ? "" : "s");
		stint_fail(r, 404, "no_recording_near", message, NULL);
	} else if (stint_found_or_fail(r, rc, what == STINT_LINKED, no_session)) {
		extra = linked_by("auto");
		cJSON_AddNumberToObject(extra, "start_distance_s", start_s);
		cJSON_AddNumberToObject(extra, "tolerance_minutes", (double)in.tolerance_minutes);
		if (*tie != '\0')
			cJSON_AddStringToObject(extra, "tie_break", tie);
		else
			cJSON_AddNullToObject(extra, "tie_break");
		send_link(r, extra);
	}
}

static void unlink_recording(stint_req *r)
{
	int found = 0;
	stint_tx tx;
	stint_db_rc rc;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_recorder_unlink(&tx, r->params[0], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, not_linked))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

/* {"url", "expires_in_seconds", "format"}: a presigned GET URL of one file of the linked recording. */
static void download_url(stint_req *r)
{
	const char *format = r->params[1];
	stint_download_result what;
	char url[2048], why[256], message[160], *json;
	long expires_s;
	cJSON *o;
	size_t i;
	stint_db_rc rc;

	for (i = 0; stint_recording_formats[i] != NULL && strcmp(stint_recording_formats[i], format) != 0; i++)
		;
	if (stint_recording_formats[i] == NULL) {
		stint_fail(r, 404, "not_found", "There is no such file: ask for ogg, flac, waveform or overview.", NULL);
		return;
	}
	rc = stint_recorder_download(r->db, r->params[0], format, time(NULL), url, sizeof(url), &expires_s, &what,
				     why, sizeof(why));
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
	} else if (what == STINT_DOWNLOAD_NOT_LINKED) {
		stint_fail(r, 404, "not_found", not_linked, NULL);
	} else if (what == STINT_DOWNLOAD_NO_FILE) {
		snprintf(message, sizeof(message), "The linked recording has no %s file in the bucket.", format);
		stint_fail(r, 404, "not_found", message, NULL);
	} else if (what == STINT_DOWNLOAD_NOT_CONFIGURED) {
		stint_fail(r, 503, "s3_not_configured", why, NULL);
	} else if (what != STINT_DOWNLOAD_OK) {
		stint_fail(r, 500, "internal", "The download URL could not be made.", NULL);
	} else {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "url", url);
		cJSON_AddNumberToObject(o, "expires_in_seconds", (double)expires_s);
		cJSON_AddStringToObject(o, "format", format);
		json = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		stint_resp_header(r, "Cache-Control", "no-store");
		stint_answer_json_text(r, STINT_DB_OK, 200, json, NULL);
	}
}

#define STINT_PROGRAM_NAME "recorder_links"
#define STINT_ROUTES_OF_recorder_links STINT_MINE
#include "program.h"
