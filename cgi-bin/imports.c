/*
 * imports.c: POST /api/v1/imports: a DataVolley (.dvw) match file as the
 * body becomes a session (teams, rosters, sets, one event per scout line).
 * Query: title (optional), video (optional: the video the events are
 * synced to, a file uploaded into a session the caller may edit, named
 * <session id>/<name>; the new session gets its own link to it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "fail.h"
#include "importer.h"
#include "media.h"
#include "store.h"
#include "probe.h"
#include "sessions.h"
#include "tx.h"
#include "validate.h"

/* The warnings text ("line N: why\n"...) as a JSON array of lines. */
static cJSON *warning_list(const stint_buf *w)
{
	cJSON *list = cJSON_CreateArray();
	const char *s = w->data, *nl;
	char *line;

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		line = strndup(s, nl ? (size_t)(nl - s) : strlen(s));
		cJSON_AddItemToArray(list, cJSON_CreateString(line ? line : ""));
		free(line);
		s = nl ? nl + 1 : NULL;
	}
	return list;
}

static const stint_field title_field = { "title", STINT_F_STRING, 0, 1, 200, NULL, STINT_NO_DEST };

static void import_dvw(stint_req *r)
{
	const char *title = stint_kv_get(&r->query, "title"), *video = stint_kv_get(&r->query, "video");
	stint_import opt = { 0 };
	stint_media_info info;
	stint_buf warnings = STINT_BUF_INIT;
	char id[37], path[600], abs[4200], kept[600] = "", location[64], why[512], *detail = NULL;
	int fetched = 0;
	stint_store_rc got;
	const char *problem;
	cJSON *out = NULL;
	stint_import_rc import_rc;
	stint_db_rc db_rc;
	stint_tx tx;
	long events;

	if (title != NULL && (problem = stint_validate_text(&title_field, title)) != NULL) {
		stint_fail_field(r, "title", problem);
		return;
	}
	if (video != NULL) {
		snprintf(path, sizeof(path), "media/%s", video);
		if (strlen(video) > 500 || !stint_auth_media_file(r, NULL, video) ||
		    (got = stint_store_local(path, abs, sizeof(abs), &fetched, why, sizeof(why))) == STINT_STORE_FAILED) {
			stint_fail_field(r, "video", "must name a video uploaded into a session you may edit (<session id>/<name>)");
			return;
		}
		if (got == STINT_STORE_UNAVAILABLE) {  /* in the media bucket, which cannot be reached */
			stint_resp_header(r, "Retry-After", "30");
			stint_fail(r, 503, "storage_unavailable", "The media storage (S3) cannot be reached; try again later.", NULL);
			return;
		}
		if (stint_media_probe(abs, &info) != 0 || !info.has_video) {
			if (fetched)
				unlink(abs);
			stint_fail_field(r, "video", "must name a video uploaded into a session you may edit (<session id>/<name>)");
			return;
		}
		opt.video_file = abs;
		opt.video_ext = strrchr(video, '.') && strlen(strrchr(video, '.')) < 8 ? strrchr(video, '.') + 1 : "mp4";
		opt.video_duration_sec = info.duration_sec;
		opt.video_kept = kept;
		opt.video_kept_size = sizeof(kept);
	}
	opt.owner_id = r->user.id_text;
	opt.title = title;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	import_rc = stint_import_dvw(&tx, &opt, r->body.data, r->body.len, id, &events, &warnings);
	db_rc = stint_tx_end(&tx);
	if (fetched)  /* the bucket's copy, fetched for ffprobe and sent again under the new session's name */
		unlink(abs);
	if (db_rc != STINT_DB_OK)
		stint_store_unlink(kept);
	if (import_rc == STINT_IMPORT_BAD_FILE) {
		while (warnings.len > 0 && warnings.data[warnings.len - 1] == '\n')
			warnings.data[--warnings.len] = '\0';
		stint_fail(r, 422, "not_datavolley", warnings.len ? warnings.data : "Not a DataVolley file.", NULL);
	} else if (db_rc != STINT_DB_OK) {
		stint_fail_db(r, db_rc);
	} else if (stint_session_get(r->db, id, &detail) != STINT_DB_OK || detail == NULL) {
		stint_fail(r, 500, "internal", "The imported session could not be read back.", NULL);
	} else {
		out = cJSON_CreateObject();
		cJSON_AddItemToObject(out, "session", cJSON_Parse(detail));
		cJSON_AddNumberToObject(out, "events", (double)events);
		cJSON_AddItemToObject(out, "warnings", warning_list(&warnings));
		snprintf(location, sizeof(location), "/api/v1/sessions/%s", id);
		stint_resp_header(r, "Location", location);
		stint_resp_json(r, 201, out);
	}
	cJSON_Delete(out);
	free(detail);
	stint_buf_free(&warnings);
}

#define STINT_PROGRAM_NAME "imports"
#define STINT_PROGRAM_INIT stint_analysis_worker_init
#define STINT_ROUTES_OF_imports STINT_MINE
#include "program.h"
