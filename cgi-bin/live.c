/*
 * live.c: live updates of a session.
 *   GET  /live/sessions/<id>               subscribe (EventSource, WebSocket,
 *        long-poll): access and the Origin are checked here, then
 *        X-Accel-Redirect hands the request to nchan's internal subscriber
 *        location, which multiplexes the session's channel with the caller's
 *        grant channels (lib/live.h), forwarding a validated last_event_id
 *        (the redirect drops the query string).
 *   POST /api/v1/sessions/<id>/live        {"type", "data"} from devices and
 *        apps: session_update, climb_update, pose_update.
 *   GET  /api/v1/sessions/<id>/timeline    stored messages after a seq, for
 *        replay and for catching up past nchan's buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "conf.h"
#include "csrf.h"
#include "db.h"
#include "fail.h"
#include "live.h"
#include "liveupdate.h"
#include "sessions.h"
#include "tx.h"
#include "validate.h"

#define POSE_FRAMES_MAX 300
#define POSE_KEYPOINTS_MAX 200

/* nchan message ids: "1795312850:0", or "1795312850:[0],-,-" for multi-channel. */
static int event_id_ok(const char *id)
{
	size_t n = strlen(id);

	return n >= 3 && n <= 100 && strspn(id, "0123456789:[],-") == n && strchr(id, ':') != NULL;
}

/*
 * 1 when the request may come from where it says: no Origin (a same-origin
 * EventSource or fetch, or not a browser), or Stint's own origin: that of
 * the setting public_base_url, or, when that is not set, the request's own
 * scheme and Host. Another origin's page rides on the victim's login cookie.
 */
static int origin_ok(const stint_req *r)
{
	const char *origin = stint_req_env(r, "HTTP_ORIGIN");

	return origin == NULL || stint_origin_is_own(r, origin);
}

/*
 * The message id to resume after, as sent: the Last-Event-ID header
 * (EventSource's reconnect), or else the last_event_id parameter (a first
 * connect); NULL or "" for none.
 */
static const char *resume_id(const stint_req *r)
{
	const char *last = stint_req_env(r, "HTTP_LAST_EVENT_ID");

	return last != NULL && *last != '\0' ? last : stint_kv_get(&r->query, "last_event_id");
}

/*
 * 1 for nchan's "oldest" (time 0, e.g. "0:0"): nchan refuses it on a
 * multiplexed channel, and the oldest is where a subscriber starts anyway.
 */
static int is_oldest(const char *id)
{
	return strspn(id, "0") == strcspn(id, ":");
}

static void subscribe(stint_req *r)
{
	const char *last = resume_id(r);
	stint_buf loc = STINT_BUF_INIT;

	if (!origin_ok(r)) {
		stint_fail(r, 403, "forbidden", "Live updates are only served to Stint's own pages.", NULL);
		return;
	}
	if (last != NULL && *last != '\0' && !event_id_ok(last)) {
		stint_fail_field(r, "last_event_id", "is not a message id this server gave");
		return;
	}
	/* the session's channel, with the caller's grant channels: nginx's _nchan_sub location */
	stint_buf_printf(&loc, "/_nchan_sub/sessions/%s/%s", r->params[0], r->user.id_text);
	if (last != NULL && *last != '\0' && !is_oldest(last))
		stint_buf_printf(&loc, "?last_event_id=%s", last);
	stint_resp_header(r, "X-Accel-Redirect", loc.data);
	stint_resp_header(r, "X-Accel-Buffering", "no");
	stint_resp_send(r, 200, NULL, NULL, 0);
	stint_buf_free(&loc);
}

/* The page of stored messages, as the checked text the statement takes. */
typedef struct timeline_in {
	const char *after_seq, *limit;
} timeline_in;

static const stint_field timeline_fields[] = {
	{ "after_seq", STINT_F_INT, 0, 0, 9000000000000000000LL, NULL, STINT_DEST(timeline_in, after_seq) },
	{ "limit", STINT_F_INT, 0, 1, 5000, NULL, STINT_DEST(timeline_in, limit) },
};

static void timeline(stint_req *r)
{
	timeline_in in = { "0", "1000" };
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, STINT_SPEC(timeline_fields), &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	rc = stint_live_timeline(r->db, r->params[0], in.after_seq, in.limit, &json);
	stint_answer_json_text(r, rc, 200, json, NULL);
}

/* --- live updates ----------------------------------------------------------- */

static const char *const live_statuses[] = { "started", "completed", "abandoned", NULL };

typedef struct status_in {
	const char *status, *starts_at, *ends_at;
} status_in;

static const stint_field session_update_fields[] = {
	{ "status", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, live_statuses, STINT_DEST(status_in, status) },
	{ "starts_at", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, STINT_DEST(status_in, starts_at) },
	{ "ends_at", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, STINT_DEST(status_in, ends_at) },
};

static const char *const hold_types[] = { "start", "normal", "finish", NULL };
static const char *const hold_statuses[] = { "untouched", "completed", NULL };
static const stint_field hold_fields[] = {
	{ "id", STINT_F_STRING, STINT_F_REQUIRED, 1, 64, NULL, STINT_NO_DEST },
	{ "type", STINT_F_ENUM, 0, 0, 0, hold_types, STINT_NO_DEST },
	{ "status", STINT_F_ENUM, 0, 0, 0, hold_statuses, STINT_NO_DEST },
	{ "time", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, STINT_NO_DEST },
};

/* A climb_update's data: the holds that changed (merged into the stored ones as sent). */
typedef struct climb_in {
	stint_list holds;
} climb_in;

static const stint_field climb_fields[] = {
	{ "holds", STINT_F_ARRAY, STINT_F_REQUIRED, 1, 1000, NULL, STINT_ITEMS(hold_fields),
	  STINT_DEST(climb_in, holds) },
};

static const stint_field keypoint_fields[] = {
	{ "x", STINT_F_NUMBER, STINT_F_REQUIRED, -1000000, 1000000, NULL, STINT_NO_DEST },
	{ "y", STINT_F_NUMBER, STINT_F_REQUIRED, -1000000, 1000000, NULL, STINT_NO_DEST },
	{ "confidence", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 1, NULL, STINT_NO_DEST },
	{ "name", STINT_F_STRING, 0, 1, 40, NULL, STINT_NO_DEST },
};

/* Each frame: timestamp (s), frame number, keypoints. */
static const stint_field frame_fields[] = {
	{ "timestamp", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 1e12, NULL, STINT_NO_DEST },
	{ "frame", STINT_F_INT, STINT_F_REQUIRED, 0, 2000000000, NULL, STINT_NO_DEST },
	{ "keypoints", STINT_F_ARRAY, STINT_F_REQUIRED, 1, POSE_KEYPOINTS_MAX, NULL,
	  STINT_ITEMS(keypoint_fields), STINT_NO_DEST },
};

/* A pose_update's frames (a single frame counts as a batch of one). */
static const stint_field pose_frames = {
	"data.frames", STINT_F_ARRAY, STINT_F_REQUIRED, 1, POSE_FRAMES_MAX, NULL,
	STINT_ITEMS(frame_fields), .shape = "must hold 1 to 300 frames", STINT_NO_DEST
};

/* Answer a live update that ended with rc: 202 with the count of its messages. */
static void answer(stint_req *r, stint_db_rc rc, size_t recorded)
{
	cJSON *out;

	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "messages", (double)recorded);
	stint_resp_json(r, 202, out);
	cJSON_Delete(out);
}

static void session_update(stint_req *r, const cJSON *data)
{
	status_in in = { NULL, NULL, NULL };
	cJSON *errors = NULL;
	size_t recorded = 0;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_json_at("data", data, STINT_SPEC(session_update_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_liveupdate_session(&tx, r->params[0], strcmp(in.status, "started") == 0 ? "live" : in.status,
				 in.starts_at, in.ends_at, &recorded);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_INVALID) {
		stint_fail_field(r, "data.ends_at", "must not be before the start");
		return;
	}
	if (rc == STINT_DB_CONFLICT &&
	    stint_session_status_problem(r->db, r->params[0], strcmp(in.status, "started") == 0 ? "live" : in.status,
					 "data.status", &errors) > 0) {
		stint_fail(r, 409, "status_conflict", "The session's status may not change so.", errors);
		cJSON_Delete(errors);
		return;
	}
	answer(r, rc, recorded);
}

static void climb_update(stint_req *r, const cJSON *data)
{
	climb_in in = { { NULL, 0 } };
	cJSON *errors = NULL;
	char *text;
	size_t recorded = 0;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_json_at("data", data, STINT_SPEC(climb_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	text = cJSON_PrintUnformatted(in.holds.json);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_liveupdate_climb(&tx, r->params[0], text, &recorded);
	rc = stint_tx_end(&tx);
	free(text);
	answer(r, rc, recorded);
}

/* One frame, or {"frames": [...]} (up to 300 frames in one request). */
static void pose_update(stint_req *r, const cJSON *data)
{
	const cJSON *batch = cJSON_GetObjectItem(data, "frames");
	cJSON *errors = NULL, *one = NULL;
	stint_list frames;
	char *text;
	size_t recorded = 0;
	stint_tx tx;
	stint_db_rc rc;

	if (batch != NULL) {
		const cJSON *f;

		cJSON_ArrayForEach(f, data) {
			if (strcmp(f->string, "frames") != 0) {
				char key[80];

				snprintf(key, sizeof(key), "data.%.60s", f->string);
				stint_fail_field(r, key, "is not a known field (send single frames without frames)");
				return;
			}
		}
	} else {
		batch = one = cJSON_CreateArray();  /* a single frame: a batch of one, by reference */
		cJSON_AddItemReferenceToArray(one, (cJSON *)data);
	}
	if (stint_validate_array(batch, &pose_frames, &frames, &errors) != 0) {
		cJSON_Delete(one);
		stint_fail_fields(r, errors);
		return;
	}
	text = cJSON_PrintUnformatted(frames.json);
	cJSON_Delete(one);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_liveupdate_pose(&tx, r->params[0], text, &recorded);
	rc = stint_tx_end(&tx);
	free(text);
	answer(r, rc, recorded);
}

static void post_live(stint_req *r)
{
	const cJSON *type = cJSON_GetObjectItem(r->json, "type"), *data = cJSON_GetObjectItem(r->json, "data");
	const cJSON *f, *fields = cJSON_IsObject(r->json) ? r->json : NULL;

	cJSON_ArrayForEach(f, fields) {
		if (strcmp(f->string, "type") != 0 && strcmp(f->string, "data") != 0) {
			stint_fail_field(r, f->string, "is not a known field");
			return;
		}
	}
	if (!cJSON_IsObject(data)) {
		stint_fail_field(r, "data", "must be an object");
	} else if (cJSON_IsString(type) && strcmp(type->valuestring, "session_update") == 0) {
		session_update(r, data);
	} else if (cJSON_IsString(type) && strcmp(type->valuestring, "climb_update") == 0) {
		climb_update(r, data);
	} else if (cJSON_IsString(type) && strcmp(type->valuestring, "pose_update") == 0) {
		pose_update(r, data);
	} else {
		stint_fail_field(r, "type", "must be session_update, climb_update or pose_update");
	}
}

#define STINT_PROGRAM_NAME "live"
#define STINT_ROUTES_OF_live STINT_MINE
#include "program.h"
