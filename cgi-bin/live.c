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
#include "live.h"
#include "liveupdate.h"
#include "server.h"
#include "tx.h"
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

static const stint_field timeline_fields[] = {
	{ "after_seq", STINT_F_INT, 0, 0, 9000000000000000000LL, NULL },
	{ "limit", STINT_F_INT, 0, 1, 5000, NULL },
};

static void timeline(stint_req *r)
{
	const char *p[2] = { "0", "1000" }, *v;
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;
	int i;

	if (stint_validate_query(&r->query, timeline_fields, 2, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	for (i = 0; i < 2; i++)
		if ((v = stint_kv_get(&r->query, timeline_fields[i].name)) != NULL && *v != '\0')
			p[i] = v;
	rc = stint_live_timeline(r->db, r->params[0], p[0], p[1], &json);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		stint_resp_json_text(r, 200, json, strlen(json));
	free(json);
}

/* --- live updates ----------------------------------------------------------- */

static const char *const live_statuses[] = { "started", "completed", "abandoned", NULL };
static const stint_field session_update_fields[] = {
	{ "status", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, live_statuses },
	{ "starts_at", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL },
	{ "ends_at", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL },
};

static const char *const hold_types[] = { "start", "normal", "finish", NULL };
static const char *const hold_statuses[] = { "untouched", "completed", NULL };
static const stint_field hold_fields[] = {
	{ "id", STINT_F_STRING, STINT_F_REQUIRED, 1, 64, NULL },
	{ "type", STINT_F_ENUM, 0, 0, 0, hold_types },
	{ "status", STINT_F_ENUM, 0, 0, 0, hold_statuses },
	{ "time", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL },
};

static const stint_field keypoint_fields[] = {
	{ "x", STINT_F_NUMBER, STINT_F_REQUIRED, -1000000, 1000000, NULL },
	{ "y", STINT_F_NUMBER, STINT_F_REQUIRED, -1000000, 1000000, NULL },
	{ "confidence", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 1, NULL },
	{ "name", STINT_F_STRING, 0, 1, 40, NULL },
};

/* errors with every key put under prefix ("status" -> "data.status"); consumes errors. */
static cJSON *prefixed(cJSON *errors, const char *prefix)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *e;
	char key[160];

	cJSON_ArrayForEach(e, errors) {
		snprintf(key, sizeof(key), "%s.%s", prefix, e->string);
		cJSON_AddStringToObject(out, key, e->valuestring);
	}
	cJSON_Delete(errors);
	return out;
}

/* Check each element of list against fields; problems as "<prefix>[i].field". */
static int check_list(const cJSON *list, const stint_field *fields, size_t n, size_t max,
		      const char *prefix, cJSON **errors)
{
	char key[128];
	const cJSON *item, *e;
	cJSON *item_errors;
	int i = 0, bad = 0;

	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1 || (size_t)cJSON_GetArraySize(list) > max) {
		if (*errors == NULL)
			*errors = cJSON_CreateObject();
		snprintf(key, sizeof(key), "must be an array of 1 to %zu items", max);
		cJSON_AddStringToObject(*errors, prefix, key);
		return 1;
	}
	cJSON_ArrayForEach(item, list) {
		item_errors = NULL;
		if (stint_validate_json(item, fields, n, 0, &item_errors) > 0) {
			bad++;
			cJSON_ArrayForEach(e, item_errors) {
				if (*errors == NULL)
					*errors = cJSON_CreateObject();
				snprintf(key, sizeof(key), "%s[%d].%s", prefix, i, e->string);
				cJSON_AddStringToObject(*errors, key, e->valuestring);
			}
		}
		cJSON_Delete(item_errors);
		i++;
	}
	return bad;
}

/* Each frame: timestamp (s), frame number, keypoints (an array, checked apart). */
static int check_frames(const cJSON *frames, cJSON **errors)
{
	static const stint_field frame_shape[] = {
		{ "timestamp", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 1e12, NULL },
		{ "frame", STINT_F_INT, STINT_F_REQUIRED, 0, 2000000000, NULL },
	};
	char prefix[64], key[96];
	const cJSON *f, *kp;
	cJSON *tmp, *item_errors, *e;
	int i = 0, bad = 0;

	cJSON_ArrayForEach(f, frames) {
		kp = cJSON_GetObjectItem(f, "keypoints");
		tmp = cJSON_Duplicate(f, 1);
		cJSON_DeleteItemFromObject(tmp, "keypoints");
		item_errors = NULL;
		bad += stint_validate_json(tmp, frame_shape, 2, 0, &item_errors) > 0;
		cJSON_ArrayForEach(e, item_errors) {
			if (*errors == NULL)
				*errors = cJSON_CreateObject();
			snprintf(key, sizeof(key), "data.frames[%d].%s", i, e->string);
			cJSON_AddStringToObject(*errors, key, e->valuestring);
		}
		cJSON_Delete(item_errors);
		cJSON_Delete(tmp);
		snprintf(prefix, sizeof(prefix), "data.frames[%d].keypoints", i);
		bad += check_list(kp, keypoint_fields, 4, POSE_KEYPOINTS_MAX, prefix, errors) > 0;
		i++;
	}
	return bad;
}

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
	cJSON *errors = NULL;
	const char *status;
	size_t recorded = 0;
	stint_tx tx;
	stint_db_rc rc;

	if (stint_validate_json(data, session_update_fields, 3, 0, &errors) != 0) {
		stint_fail_fields(r, prefixed(errors, "data"));
		return;
	}
	status = cJSON_GetObjectItem(data, "status")->valuestring;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_liveupdate_session(&tx, r->params[0], strcmp(status, "started") == 0 ? "live" : status,
				 cJSON_GetStringValue(cJSON_GetObjectItem(data, "starts_at")),
				 cJSON_GetStringValue(cJSON_GetObjectItem(data, "ends_at")), &recorded);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_INVALID) {
		stint_fail_field(r, "data.ends_at", "must not be before the start");
		return;
	}
	answer(r, rc, recorded);
}

static void climb_update(stint_req *r, const cJSON *data)
{
	const cJSON *holds = cJSON_GetObjectItem(data, "holds"), *f;
	cJSON *errors = NULL;
	char *text;
	size_t recorded = 0;
	stint_tx tx;
	stint_db_rc rc;

	cJSON_ArrayForEach(f, data) {
		if (strcmp(f->string, "holds") != 0) {
			char key[80];

			snprintf(key, sizeof(key), "data.%.60s", f->string);
			stint_fail_field(r, key, "is not a known field");
			return;
		}
	}
	if (check_list(holds, hold_fields, 4, 1000, "data.holds", &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	text = cJSON_PrintUnformatted(holds);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_liveupdate_climb(&tx, r->params[0], text, &recorded);
	rc = stint_tx_end(&tx);
	free(text);
	answer(r, rc, recorded);
}

/* One frame, or {"frames": [...]} (up to 300 frames in one request). */
static void pose_update(stint_req *r, const cJSON *data)
{
	cJSON *errors = NULL, *frames;
	const cJSON *batch = cJSON_GetObjectItem(data, "frames");
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
		frames = cJSON_Duplicate(batch, 1);
	} else {
		frames = cJSON_CreateArray();
		cJSON_AddItemToArray(frames, cJSON_Duplicate(data, 1));
	}
	if (!cJSON_IsArray(frames) || cJSON_GetArraySize(frames) < 1 ||
	    cJSON_GetArraySize(frames) > POSE_FRAMES_MAX) {
		cJSON_Delete(frames);
		stint_fail_field(r, "data.frames", "must hold 1 to 300 frames");
		return;
	}
	if (check_frames(frames, &errors) != 0) {
		cJSON_Delete(frames);
		stint_fail_fields(r, errors);
		return;
	}
	text = cJSON_PrintUnformatted(frames);
	cJSON_Delete(frames);
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

#define ROUTE(m, p, a, b, f) { m, p, a, b, STINT_FORMAT_JSON, f, 0, 0 }
#define LIVE_BODY_MAX (8 * 1024 * 1024)  /* 300 frames of 200 keypoints */

static const stint_route live_routes[] = {
	ROUTE("GET", "/live/sessions/:uuid", STINT_ACCESS_SESSION_VIEWER, STINT_BODY_NONE, subscribe),
	{ "POST", "/api/v1/sessions/:uuid/live", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_JSON,
	  STINT_FORMAT_JSON, post_live, LIVE_BODY_MAX, 0 },
	ROUTE("GET", "/api/v1/sessions/:uuid/timeline", STINT_ACCESS_SESSION_VIEWER, STINT_BODY_NONE, timeline),
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"live", live_routes, sizeof(live_routes) / sizeof(live_routes[0]), NULL, NULL
	};

	return stint_server_main(argc, argv, &app);
}
