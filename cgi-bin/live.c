/*
 * live.c: live updates of a session.
 *   GET  /live/sessions/<id>               subscribe (EventSource, WebSocket,
 *        long-poll): access is checked here, then X-Accel-Redirect hands the
 *        request to nchan's internal subscriber location, forwarding a
 *        validated last_event_id (the redirect drops the query string).
 *   POST /api/v1/sessions/<id>/live        {"type", "data"} from devices and
 *        apps: session_update, climb_update, pose_update.
 *   GET  /api/v1/sessions/<id>/timeline    stored messages after a seq, for
 *        replay and for catching up past nchan's buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "fail.h"
#include "live.h"
#include "server.h"
#include "validate.h"

#define POSE_FRAMES_MAX 300
#define POSE_KEYPOINTS_MAX 200

/* nchan message ids: "1795312850:0", or "1795312850:[0],1795312850:3" for multi-channel. */
static int event_id_ok(const char *id)
{
	size_t n = strlen(id);

	return n >= 3 && n <= 100 && strspn(id, "0123456789:[],-") == n && strchr(id, ':') != NULL;
}

static void subscribe(stint_req *r)
{
	const char *last = stint_kv_get(&r->query, "last_event_id");
	stint_buf loc = STINT_BUF_INIT;

	if (last != NULL && *last != '\0' && !event_id_ok(last)) {
		stint_fail_field(r, "last_event_id", "is not a message id this server gave");
		return;
	}
	stint_buf_printf(&loc, "/_nchan_sub/sessions/%s", r->params[0]);
	if (last != NULL && *last != '\0')
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
	const char *p[3];
	cJSON *errors = NULL;
	PGresult *res;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, STINT_SPEC(timeline_fields), &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	p[0] = r->params[0];
	p[1] = in.after_seq;
	p[2] = in.limit;
	rc = stint_db_exec(r->db, STINT_SQL_LIVE_TIMELINE, 3, p, &res);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	stint_resp_json_text(r, 200, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
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

/*
 * Open a live update's transaction. Device updates come many a second and
 * are recorded as they come: their COMMIT does not wait for the disk.
 */
static stint_db_rc begin_update(stint_req *r)
{
	stint_db_rc rc = stint_db_begin(r->db);

	return rc == STINT_DB_OK ? stint_db_exec(r->db, STINT_SQL_ASYNC_COMMIT, 0, NULL, NULL) : rc;
}

/* Commit a live update, publish its messages, answer 202 with their count. */
static void finish(stint_req *r, stint_db_rc rc)
{
	size_t recorded = r->live.n;
	cJSON *out;

	rc = stint_live_finish(r, rc);
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
	const char *p[4];
	PGresult *res = NULL;
	stint_db_rc rc;

	if (stint_validate_json_at("data", data, STINT_SPEC(session_update_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	p[0] = r->params[0];
	p[1] = strcmp(in.status, "started") == 0 ? "live" : in.status;
	p[2] = in.starts_at;
	p[3] = in.ends_at;
	rc = begin_update(r);
	if (rc == STINT_DB_OK)
		rc = stint_db_exec(r->db, STINT_SQL_SESSION_LIVE_STATUS, 4, p, &res);
	PQclear(res);
	if (rc == STINT_DB_OK)
		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD_SESSION, 1, p);
	if (rc == STINT_DB_INVALID) {
		stint_db_rollback(r->db);
		stint_fail_field(r, "data.ends_at", "must not be before the start");
		return;
	}
	finish(r, rc);
}

static void climb_update(stint_req *r, const cJSON *data)
{
	climb_in in = { { NULL, 0 } };
	cJSON *errors = NULL;
	const char *p[3];
	char *text, *merged = NULL;
	PGresult *res = NULL;
	stint_db_rc rc;

	if (stint_validate_json_at("data", data, STINT_SPEC(climb_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	text = cJSON_PrintUnformatted(in.holds.json);
	p[0] = r->params[0];
	p[1] = text;
	rc = begin_update(r);
	if (rc == STINT_DB_OK)
		rc = stint_db_exec(r->db, STINT_SQL_CLIMB_MERGE, 2, p, &res);
	if (rc == STINT_DB_OK)
		merged = stint_arena_strdup(&r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	p[1] = "climb_updated";
	p[2] = merged;
	if (rc == STINT_DB_OK)
		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD, 3, p);
	free(text);
	finish(r, rc);
}

/* One frame, or {"frames": [...]} (up to 300 frames in one request). */
static void pose_update(stint_req *r, const cJSON *data)
{
	const cJSON *batch = cJSON_GetObjectItem(data, "frames");
	cJSON *errors = NULL, *one = NULL;
	stint_list frames;
	const char *p[3];
	char *text;
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
	p[0] = r->params[0];
	p[1] = "pose_updated";
	p[2] = text;
	rc = begin_update(r);
	if (rc == STINT_DB_OK)
		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD_MANY, 3, p);
	free(text);
	finish(r, rc);
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

#define STINT_ROUTES_OF_live STINT_MINE
static const stint_route live_routes[] = {
#include "routes.def"
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"live", live_routes, sizeof(live_routes) / sizeof(live_routes[0]), NULL, NULL
	};

	return stint_server_main(argc, argv, &app);
}
