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
#include <time.h>

#include "auth.h"
#include "conf.h"
#include "csrf.h"
#include "db.h"
#include "fail.h"
#include "live.h"
#include "liveupdate.h"
#include "livesub.h"
#include "sessions.h"
#include "tx.h"
#include "validate.h"

#define POSE_FRAMES_MAX 300
#define POSE_KEYPOINTS_MAX 200

static void subscribe(stint_req *r)
{
	stint_live_subscribe(r, r->params[0]);
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
	{ "z", STINT_F_NUMBER, 0, -1000000, 1000000, NULL, STINT_NO_DEST },
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
 * 1 while answering a WebSocket frame (ws_frame()): a recorded update
 * answers 204, which tells nchan not to publish the frame itself.
 */
static int ws_frame_mode;

/*
 * Answer a live update that ended with rc: 202 with the count of its
 * messages (204 without a body for a WebSocket frame).
 */
static void answer(stint_req *r, stint_db_rc rc, size_t recorded)
{
	cJSON *out;

	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return;
	}
	if (ws_frame_mode) {
		stint_resp_send(r, 204, NULL, NULL, 0);
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

static void seed_climb_update(stint_req *r, const cJSON *data);

static void climb_update(stint_req *r, const cJSON *data)
{
	climb_in in = { { NULL, 0 } };
	cJSON *errors = NULL;
	char *text;
	size_t recorded = 0;
	stint_tx tx;
	stint_db_rc rc;

	if (cJSON_GetObjectItem(data, "climb") != NULL) {
		seed_climb_update(r, data);
		return;
	}
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

/* --- seed 001's formats (docs/compat.md, "Seed 001") ----------------------- */

static const char *const climb_statuses[] = { "started", "completed", "abandoned", NULL };

/* ProjectClimb's climb object: {"holds", "startTime", "endTime", "status"}. */
static const stint_field seed_climb_fields[] = {
	{ "holds", STINT_F_ARRAY, 0, 0, 1000, NULL, STINT_ITEMS(hold_fields), STINT_NO_DEST },
	{ "startTime", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, STINT_NO_DEST },
	{ "endTime", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, STINT_NO_DEST },
	{ "status", STINT_F_ENUM, STINT_F_NULLABLE, 0, 0, climb_statuses, STINT_NO_DEST },
};

/* A MediaPipe landmark as ProjectClimb sends it: x, y, z, visibility (0..1). */
static const stint_field landmark_fields[] = {
	{ "x", STINT_F_NUMBER, STINT_F_REQUIRED, -1000000, 1000000, NULL, STINT_NO_DEST },
	{ "y", STINT_F_NUMBER, STINT_F_REQUIRED, -1000000, 1000000, NULL, STINT_NO_DEST },
	{ "z", STINT_F_NUMBER, 0, -1000000, 1000000, NULL, STINT_NO_DEST },
	{ "visibility", STINT_F_NUMBER, 0, 0, 1, NULL, STINT_NO_DEST },
	{ "presence", STINT_F_NUMBER, 0, 0, 1, NULL, STINT_NO_DEST },
	{ "name", STINT_F_STRING, 0, 1, 40, NULL, STINT_NO_DEST },
};

static const stint_field seed_pose = {
	"pose", STINT_F_ARRAY, STINT_F_REQUIRED, 0, POSE_KEYPOINTS_MAX, NULL,
	STINT_ITEMS(landmark_fields), .shape = "must be an array of landmarks", STINT_NO_DEST
};

/*
 * The pose frame of landmarks (validated): {"timestamp": now in s since
 * the epoch, "keypoints": [{x, y, z, confidence (the visibility, 1 when
 * not sent), name}]}, appended to frames. The message's `pose` gives them
 * back in the seed's shape (sql/functions/live.sql).
 */
static void landmarks_frame(const cJSON *landmarks, cJSON *frames)
{
	cJSON *frame = cJSON_CreateObject(), *kps = cJSON_CreateArray();
	const cJSON *l;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	cJSON_AddNumberToObject(frame, "timestamp", (double)now.tv_sec + (double)now.tv_nsec / 1e9);
	cJSON_ArrayForEach(l, landmarks) {
		cJSON *k = cJSON_CreateObject();
		const cJSON *v = cJSON_GetObjectItem(l, "visibility");

		cJSON_AddNumberToObject(k, "x", cJSON_GetObjectItem(l, "x")->valuedouble);
		cJSON_AddNumberToObject(k, "y", cJSON_GetObjectItem(l, "y")->valuedouble);
		if (cJSON_IsNumber(cJSON_GetObjectItem(l, "z")))
			cJSON_AddNumberToObject(k, "z", cJSON_GetObjectItem(l, "z")->valuedouble);
		cJSON_AddNumberToObject(k, "confidence", cJSON_IsNumber(v) ? v->valuedouble : 1.0);
		if (cJSON_IsString(cJSON_GetObjectItem(l, "name")))
			cJSON_AddStringToObject(k, "name", cJSON_GetObjectItem(l, "name")->valuestring);
		cJSON_AddItemToArray(kps, k);
	}
	cJSON_AddItemToObject(frame, "keypoints", kps);
	cJSON_AddItemToArray(frames, frame);
}

/* 1 when obj has a member other than the NULL-terminated names; *bad gets it. */
static int unknown_member(const cJSON *obj, const char *const *names, const char **bad)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, obj) {
		size_t i;

		for (i = 0; names[i] != NULL && strcmp(names[i], f->string) != 0; i++)
			;
		if (names[i] == NULL) {
			*bad = f->string;
			return 1;
		}
	}
	return 0;
}

/*
 * Record seed landmarks (a validated array) as one pose_updated message in
 * tx, adding to *recorded; nothing for an empty array.
 */
static void record_landmarks(stint_tx *tx, const char *sid, const cJSON *landmarks, size_t *recorded)
{
	cJSON *frames;
	char *text;
	size_t n = 0;

	if (cJSON_GetArraySize(landmarks) == 0)
		return;
	frames = cJSON_CreateArray();
	landmarks_frame(landmarks, frames);
	text = cJSON_PrintUnformatted(frames);
	stint_liveupdate_pose(tx, sid, text, &n);
	*recorded += n;
	free(text);
	cJSON_Delete(frames);
}

/*
 * 001's climb data, {"climb": {"holds", "startTime", "endTime", "status"},
 * "pose": [landmarks]}: the holds merge as Stint's own climb_update's do,
 * the climb's own members are stored beside them (sessions.data.climb),
 * and landmarks, when there are any, are a pose frame.
 */
static void seed_climb_update(stint_req *r, const cJSON *data)
{
	static const char *const known[] = { "climb", "pose", NULL };
	static const char *const state_keys[] = { "startTime", "endTime", "status", NULL };
	const cJSON *climb = cJSON_GetObjectItem(data, "climb"), *pose = cJSON_GetObjectItem(data, "pose");
	const cJSON *holds;
	cJSON *errors = NULL, *state;
	const char *bad;
	char *holds_text = NULL, *state_text;
	size_t recorded = 0, i;
	stint_list unused;
	stint_tx tx;
	stint_db_rc rc;

	if (unknown_member(data, known, &bad)) {
		char key[80];

		snprintf(key, sizeof(key), "data.%.60s", bad);
		stint_fail_field(r, key, "is not a known field");
		return;
	}
	if (!cJSON_IsObject(climb)) {
		stint_fail_field(r, "data.climb", "must be an object");
		return;
	}
	if (stint_validate_json_at("data.climb", climb, STINT_SPEC(seed_climb_fields), 0, NULL, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if (pose != NULL && stint_validate_array(pose, &seed_pose, &unused, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	holds = cJSON_GetObjectItem(climb, "holds");
	if (cJSON_GetArraySize(holds) > 0)
		holds_text = cJSON_PrintUnformatted(holds);
	state = cJSON_CreateObject();
	for (i = 0; state_keys[i] != NULL; i++) {
		const cJSON *v = cJSON_GetObjectItem(climb, state_keys[i]);

		if (v != NULL)
			cJSON_AddItemToObject(state, state_keys[i], cJSON_Duplicate(v, 1));
	}
	state_text = cJSON_PrintUnformatted(state);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_liveupdate_climb_state(&tx, r->params[0], holds_text, state_text, &recorded);
	if (pose != NULL)
		record_landmarks(&tx, r->params[0], pose, &recorded);
	rc = stint_tx_end(&tx);
	free(holds_text);
	free(state_text);
	cJSON_Delete(state);
	answer(r, rc, recorded);
}

/*
 * A date-time as ProjectClimb's Python sends it (datetime.isoformat(),
 * e.g. 2026-12-07T05:20:00.123456, without a zone) into out with a Z
 * (taken as UTC); one with a zone, or anything else, is copied as it is.
 */
static const char *zoned(const char *in, char *out, size_t size)
{
	size_t n = strlen(in);

	if (n >= 19 && n < size - 1 && in[10] == 'T' && strpbrk(in + 19, "Zz+-") == NULL) {
		snprintf(out, size, "%sZ", in);
		return out;
	}
	return in;
}

/*
 * ProjectClimb's own frames (its SessionConsumer's): the members at the
 * top level instead of under data:
 *   {"type": "session_update", "status", "start_time", "end_time"}
 *   {"type": "climb_update", "climb": {...}}
 *   {"type": "pose_update", "pose": [landmarks]}
 * Each is done as Stint's own update of that type.
 */
static void seed_frame(stint_req *r, const char *type)
{
	const char *bad;

	if (strcmp(type, "session_update") == 0) {
		static const char *const known[] = { "type", "status", "start_time", "end_time", NULL };
		const cJSON *st = cJSON_GetObjectItem(r->json, "start_time");
		const cJSON *et = cJSON_GetObjectItem(r->json, "end_time");
		const cJSON *status = cJSON_GetObjectItem(r->json, "status");
		char sbuf[64], ebuf[64];
		cJSON *data;

		if (unknown_member(r->json, known, &bad)) {
			stint_fail_field(r, bad, "is not a known field");
			return;
		}
		data = cJSON_CreateObject();
		if (status != NULL)
			cJSON_AddItemToObject(data, "status", cJSON_Duplicate(status, 1));
		if (cJSON_IsString(st))
			cJSON_AddStringToObject(data, "starts_at", zoned(st->valuestring, sbuf, sizeof(sbuf)));
		else if (st != NULL)
			cJSON_AddItemToObject(data, "starts_at", cJSON_Duplicate(st, 1));
		if (cJSON_IsString(et))
			cJSON_AddStringToObject(data, "ends_at", zoned(et->valuestring, ebuf, sizeof(ebuf)));
		else if (et != NULL)
			cJSON_AddItemToObject(data, "ends_at", cJSON_Duplicate(et, 1));
		session_update(r, data);
		cJSON_Delete(data);
	} else if (strcmp(type, "climb_update") == 0) {
		static const char *const known[] = { "type", "climb", "pose", NULL };
		cJSON *data;

		if (unknown_member(r->json, known, &bad)) {
			stint_fail_field(r, bad, "is not a known field");
			return;
		}
		data = cJSON_Duplicate(r->json, 1);
		cJSON_DeleteItemFromObject(data, "type");
		seed_climb_update(r, data);
		cJSON_Delete(data);
	} else if (strcmp(type, "pose_update") == 0) {
		static const char *const known[] = { "type", "pose", NULL };
		const cJSON *pose = cJSON_GetObjectItem(r->json, "pose");
		cJSON *errors = NULL;
		size_t recorded = 0;
		stint_list unused;
		stint_tx tx;
		stint_db_rc rc;

		if (unknown_member(r->json, known, &bad)) {
			stint_fail_field(r, bad, "is not a known field");
			return;
		}
		if (stint_validate_array(pose, &seed_pose, &unused, &errors) != 0) {
			stint_fail_fields(r, errors);
			return;
		}
		stint_tx_begin(&tx, r->db, r->user.id_text);
		record_landmarks(&tx, r->params[0], pose, &recorded);
		rc = stint_tx_end(&tx);
		answer(r, rc, recorded);
	} else {
		stint_fail_field(r, "type", "must be session_update, climb_update or pose_update");
	}
}

static void post_live(stint_req *r)
{
	const cJSON *type = cJSON_GetObjectItem(r->json, "type"), *data = cJSON_GetObjectItem(r->json, "data");
	const cJSON *f, *fields = cJSON_IsObject(r->json) ? r->json : NULL;

	if (fields != NULL && data == NULL && cJSON_IsString(type) && cJSON_GetArraySize(fields) > 1) {
		seed_frame(r, type->valuestring);  /* ProjectClimb's frame: no data member */
		return;
	}
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

/*
 * POST /live/sessions/<id>/frames: a frame a WebSocket subscriber sent
 * (conf/nginx/stint.conf.in: nchan's upstream request, proxied to the
 * publisher socket, with the subscriber's own request headers, so the
 * access check is that of a POST .../live by the same caller). The frame is
 * what POST .../live takes, Stint's or ProjectClimb's; recorded, it
 * answers 204 (nchan publishes nothing: the stored message went out
 * already); refused, the error (nchan then closes the socket, 1008).
 * Only the publisher socket's location sets STINT_WS_FRAME: elsewhere 404.
 */
static void ws_frame(stint_req *r)
{
	if (stint_req_env(r, "STINT_WS_FRAME") == NULL) {
		stint_fail(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	ws_frame_mode = 1;
	post_live(r);
	ws_frame_mode = 0;
}

#define STINT_PROGRAM_NAME "live"
#define STINT_ROUTES_OF_live STINT_MINE
#include "program.h"
