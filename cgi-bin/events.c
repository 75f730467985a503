/*
 * events.c: a session's timeline of tagged events and its rollups:
 * /api/v1/sessions/<id>/events (batch POST with Idempotency-Key, CSV
 * import, filtered GET), /events/<event id> (GET, PATCH, DELETE),
 * /rollup (+ /rebuild) and /export/events.csv, /export/rollup.csv.
 * Rollups change in the same transaction as the events (database triggers);
 * the writes themselves are lib/timeline.c, shared with the pages.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "db.h"
#include "escape.h"
#include "events.h"
#include "fail.h"
#include "matchreport.h"
#include "matchsheet.h"
#include "matchstate-load.h"
#include "scoutcode.h"
#include "season.h"
#include "sessions.h"
#include "timeline.h"
#include "tx.h"
#include "validate.h"
#include "vbstats.h"

static void body_sha256(const stint_req *r, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int n = 0, i;

	EVP_Digest(r->body.data, r->body.len, md, &n, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

static int valid_key(const char *key)
{
	size_t n = key ? strlen(key) : 0, i;

	for (i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return 0;
	return n >= 1 && n <= 200;
}

/*
 * Store a validated batch (JSON array text) in one transaction; answers.
 * With an Idempotency-Key the key is claimed in the same transaction, so
 * a retry gets the first answer again (timeline.h).
 */
static void store_batch(stint_req *r, const char *events_json, const char *source)
{
	const char *key = stint_req_env(r, "HTTP_IDEMPOTENCY_KEY");
	stint_timeline_key claim = STINT_TIMELINE_KEY_CLAIMED;
	char sha[65], *result = NULL, *replay = NULL;
	stint_db_rc rc;
	stint_tx tx;
	int status = 0;

	if (key != NULL && !valid_key(key)) {
		stint_fail(r, 400, "bad_idempotency_key",
			   "Idempotency-Key must be 1 to 200 visible ASCII characters.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (key != NULL) {
		body_sha256(r, sha);
		stint_timeline_claim_key(&tx, r->params[0], key, sha, &claim, &status, &replay);
	}
	if (claim == STINT_TIMELINE_KEY_CLAIMED) {
		stint_timeline_insert(&tx, r->params[0], events_json, source, &result);
		if (key != NULL)
			stint_timeline_store_key(&tx, r->params[0], key, 201, result);
	} else {
		stint_tx_cancel(&tx);
	}
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
	} else if (claim == STINT_TIMELINE_KEY_REUSED) {
		stint_fail(r, 422, "idempotency_key_reused",
			   "This Idempotency-Key was used for a different request body.", NULL);
	} else if (claim == STINT_TIMELINE_KEY_REPLAY) {
		stint_resp_header(r, "Idempotent-Replayed", "true");
		stint_resp_json_text(r, status, replay, strlen(replay));
	} else {
		stint_resp_json_text(r, 201, result, strlen(result));
	}
	free(result);
	free(replay);
}

/*
 * After validating a batch (bad problems in errors, consumed): check its
 * clips; answers and returns 0 on problems.
 */
static int batch_ok(stint_req *r, const cJSON *events, int bad, cJSON *errors)
{
	stint_db_rc rc;

	if (bad == 0 && (rc = stint_timeline_check_clips(r->db, r->params[0], events, &errors, &bad)) != STINT_DB_OK) {
		cJSON_Delete(errors);
		stint_fail_db(r, rc);
		return 0;
	}
	if (bad != 0) {
		stint_fail_fields(r, errors);
		return 0;
	}
	return 1;
}

/*
 * Events of the batch events (an array in r->json) sent with "code" (a
 * DataVolley scout code, lib/scoutcode.h) become the event the code says,
 * read with the session's rosters. single: the batch is a PATCH's one
 * event, whose problem is named "code" rather than "events[0].code".
 * Returns 1 when the batch held codes (r->json changed), 0 when it held
 * none, -1 after answering (422 naming the code's problem, or a failure).
 */
static int expand_codes(stint_req *r, cJSON *events, int single)
{
	cJSON *session = NULL, *players, *errors = NULL;
	stint_db_rc rc;
	int changed = 0, bad;
	const cJSON *e;

	if (!cJSON_IsArray(events))
		return 0;
	cJSON_ArrayForEach(e, events)
		changed |= cJSON_HasObjectItem(e, "code");
	if (!changed)
		return 0;
	rc = stint_session_load(r->db, r->params[0], &session);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		return -1;
	}
	players = stint_scout_players(session);
	bad = stint_scout_expand(events, players, stint_scout_cones(session), &errors, &changed);
	cJSON_Delete(players);
	cJSON_Delete(session);
	if (bad < 0) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	} else if (bad > 0) {
		if (single)  /* one event, not a batch: name the field itself */
			cJSON_AddItemToObject(errors, "code", cJSON_DetachItemFromObject(errors, "events[0].code"));
		stint_fail_fields(r, errors);
	}
	return bad != 0 ? -1 : 1;
}

/* POST events: {"events": [...]} or a bare array; an event may be given by its scout code ("code"). */
static void add_events(stint_req *r)
{
	stint_event_batch_in in = { { NULL, 0 } };
	cJSON *errors = NULL;
	int changed = expand_codes(r, cJSON_IsObject(r->json) ?
				   cJSON_GetObjectItemCaseSensitive(r->json, "events") : r->json, 0);
	int typed, bad;
	char *text = NULL;

	if (changed < 0)
		return;
	typed = stint_events_normalise_types(r->json);
	bad = cJSON_IsObject(r->json) ?
		stint_validate_json(r->json, stint_event_batch, stint_event_nbatch, 0, &in, &errors) :
		stint_validate_array(r->json, &stint_event_batch[0], &in.events, &errors);
	if (!batch_ok(r, in.events.json, bad, errors))
		return;
	/* as sent, so that numbers keep their precision, unless a code was read or a type normalised */
	if ((changed != 0 || typed != 0) && (typed < 0 || (text = cJSON_PrintUnformatted(r->json)) == NULL)) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	store_batch(r, text ? text : r->body.data, "manual");
	free(text);
}

/* POST import/events.csv: the CSV that export/events.csv writes. */
static void import_csv(stint_req *r)
{
	cJSON *events = NULL, *errors = NULL;
	char *text;
	int rc = stint_events_from_csv(r->body.data, r->body.len, &events, &errors);

	if (rc != 0) {
		if (rc < 0)
			stint_fail(r, 500, "internal", "Out of memory.", NULL);
		else
			stint_fail(r, 422, "invalid_csv", "The CSV has problems; see fields.", errors);
		cJSON_Delete(errors);
		return;
	}
	if (stint_events_normalise_types(events) < 0) {
		cJSON_Delete(events);
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	rc = stint_events_validate(events, &errors);
	if (!batch_ok(r, events, rc, errors)) {
		cJSON_Delete(events);
		return;
	}
	text = cJSON_PrintUnformatted(events);
	cJSON_Delete(events);
	if (text == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	store_batch(r, text, "import:csv");
	free(text);
}

static const char *const list_teams[] = { "A", "B", NULL };

static const stint_field list_fields[] = {
	{ "type", STINT_F_IDENT, 0, 1, 40, NULL, STINT_DEST(stint_timeline_query, type) },
	{ "team", STINT_F_ENUM, 0, 0, 0, list_teams, STINT_DEST(stint_timeline_query, team) },
	{ "player", STINT_F_SHIRT, 0, 0, 0, NULL, STINT_DEST(stint_timeline_query, player) },
	{ "from", STINT_F_NUMBER, 0, 0, 10000000, NULL, STINT_DEST(stint_timeline_query, from_sec) },
	{ "to", STINT_F_NUMBER, 0, 0, 10000000, NULL, STINT_DEST(stint_timeline_query, to_sec) },
	{ "limit", STINT_F_INT, 0, 1, 10000, NULL, STINT_DEST(stint_timeline_query, limit) },
	{ "offset", STINT_F_INT, 0, 0, 100000000, NULL, STINT_DEST(stint_timeline_query, offset) },
};

static void list_events(stint_req *r)
{
	stint_timeline_query q = { NULL, NULL, NULL, NAN, NAN, 1000, 0 };
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, STINT_SPEC(list_fields), &q, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	rc = stint_timeline_list_text(r->db, r->params[0], &q, &json);
	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

static void get_event(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_timeline_event_text(r->db, r->params[0], r->params[1], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such event in this session.");
}

/*
 * The PATCH body r->json as a batch of one for expand_codes: a "code" in it
 * becomes the type, team, number and payload the code says (a payload sent
 * beside it keeps its other keys), as in POST. Returns as expand_codes does;
 * a problem is named by its own field ("code"), not "events[0].code".
 */
static int expand_patch_code(stint_req *r)
{
	cJSON *batch;
	int changed;

	if (!cJSON_HasObjectItem(r->json, "code"))
		return 0;
	if ((batch = cJSON_CreateArray()) == NULL || !cJSON_AddItemToArray(batch, r->json)) {
		cJSON_Delete(batch);
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return -1;
	}
	changed = expand_codes(r, batch, 1);
	cJSON_DetachItemFromArray(batch, 0);
	cJSON_Delete(batch);
	return changed;
}

static void patch_event(stint_req *r)
{
	cJSON *errors = NULL, *batch;
	char *result = NULL, *text = NULL;
	stint_db_rc rc = STINT_DB_OK;
	stint_tx tx;
	int coded = expand_patch_code(r), changed, bad;

	if (coded < 0)
		return;
	changed = stint_events_normalise_types(r->json);
	bad = stint_validate_json(r->json, stint_event_fields, stint_event_nfields, 1, NULL, &errors);

	if (bad == 0 && (batch = cJSON_CreateArray()) != NULL) {
		cJSON_AddItemReferenceToArray(batch, r->json);
		rc = stint_timeline_check_clips(r->db, r->params[0], batch, &errors, &bad);
		cJSON_Delete(batch);
	}
	if (rc == STINT_DB_OK && bad != 0) {
		/* one event, not a batch: name the field itself */
		cJSON *clip = cJSON_DetachItemFromObject(errors, "events[0].clip_id");

		if (clip != NULL)
			cJSON_AddItemToObject(errors, "clip_id", clip);
		stint_fail_fields(r, errors);
		return;
	}
	if ((changed != 0 || coded != 0) && (changed < 0 || (text = cJSON_PrintUnformatted(r->json)) == NULL)) {
		cJSON_Delete(errors);
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (rc == STINT_DB_OK) {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_timeline_patch(&tx, r->params[0], r->params[1], text ? text : r->body.data, &result);
		rc = stint_tx_end(&tx);
	}
	stint_answer_json_text(r, rc, 200, result, "There is no such event in this session.");
	cJSON_Delete(errors);
	free(text);
}

static void delete_event(stint_req *r)
{
	stint_db_rc rc;
	stint_tx tx;
	int found = 0;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_timeline_delete(&tx, r->params[0], r->params[1], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, "There is no such event in this session."))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

static void get_rollup(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_timeline_rollup_text(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

static void rebuild_rollup(stint_req *r)
{
	stint_db_rc rc;
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_timeline_rebuild_rollup(&tx, r->params[0]);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		get_rollup(r);
}

/* The roster name of the player event names, or NULL. */
static const char *player_name(const cJSON *players, const cJSON *event)
{
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(event, "actor_team"));
	const char *num = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(event, "actor_number"));
	const cJSON *p;

	if (num == NULL || team == NULL)
		return NULL;
	cJSON_ArrayForEach(p, players)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(p, "side")), team) == 0 &&
		    strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(p, "number")), num) == 0)
			return cJSON_GetStringValue(cJSON_GetObjectItem(p, "name"));
	return NULL;
}

/*
 * GET scout-code?code=: what a scout code says so far, for the editor's
 * hints: 200 {code, complete, event (what POST events would store, when
 * complete), words, player_name, part (what comes next), choices}; 422
 * naming what is wrong.
 */
static void describe_code(stint_req *r)
{
	const char *code = stint_kv_get(&r->query, "code");
	cJSON *session = NULL, *players = NULL, *ev = NULL, *answer = NULL, *batch, *errors = NULL;
	stint_scout_note note;
	stint_scout_rc rc;
	char choices[400];
	int changed = 0;
	stint_db_rc db;

	if (code == NULL) {
		stint_fail_field(r, "code", "is required: the scout code typed so far");
		return;
	}
	db = stint_session_load(r->db, r->params[0], &session);
	if (db != STINT_DB_OK || session == NULL) {
		stint_found_or_fail(r, db, 0, "There is no such session.");
		return;
	}
	players = stint_scout_players(session);
	rc = stint_scout_read(code, players, stint_scout_cones(session), &ev, &note);
	if (rc == STINT_SCOUT_BAD) {
		batch = cJSON_CreateArray();
		cJSON_AddItemToArray(batch, cJSON_CreateObject());
		cJSON_AddStringToObject(cJSON_GetArrayItem(batch, 0), "code", code);
		stint_scout_expand(batch, players, stint_scout_cones(session), &errors, &changed);
		cJSON_AddItemToObject(errors, "code", cJSON_DetachItemFromObject(errors, "events[0].code"));
		stint_fail_fields(r, errors);
		cJSON_Delete(batch);
	} else if (rc == STINT_SCOUT_NOMEM || (answer = cJSON_CreateObject()) == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	} else {
		cJSON_AddItemToObject(answer, "code", cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "payload"), "code"), 1));
		cJSON_AddBoolToObject(answer, "complete", rc == STINT_SCOUT_OK);
		cJSON_AddItemToObject(answer, "words", ev ? stint_scout_words(ev) : cJSON_CreateArray());
		cJSON_AddStringToObject(answer, "player_name", ev && player_name(players, ev) ? player_name(players, ev) : "");
		cJSON_AddItemToObject(answer, "part", note.part ? cJSON_CreateString(note.part) : cJSON_CreateNull());
		cJSON_AddStringToObject(answer, "choices", stint_scout_choices(ev, note.part, choices, sizeof choices));
		cJSON_AddItemToObject(answer, "event", rc == STINT_SCOUT_OK ? cJSON_Duplicate(ev, 1) : cJSON_CreateNull());
		stint_resp_json(r, 200, answer);
	}
	cJSON_Delete(answer);
	cJSON_Delete(ev);
	cJSON_Delete(players);
	cJSON_Delete(session);
}

/* Send a CSV export (csv freed here) as a download named <session id>-name. */
static void export_csv(stint_req *r, stint_db_rc rc, char *csv, const char *name)
{
	char disposition[128];

	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%.36s-%s\"", r->params[0], name);
	stint_resp_header(r, "Content-Disposition", disposition);
	stint_answer_text(r, rc, 200, "text/csv; charset=utf-8; header=present", csv, "There is no such session.");
}

static void export_events(stint_req *r)
{
	char *csv = NULL;
	stint_db_rc rc = stint_timeline_events_csv(r->db, r->params[0], &csv);

	export_csv(r, rc, csv, "events.csv");
}

static void export_rollup(stint_req *r)
{
	char *csv = NULL;
	stint_db_rc rc = stint_timeline_rollup_csv(r->db, r->params[0], &csv);

	export_csv(r, rc, csv, "rollup.csv");
}

/*
 * A spreadsheet export (lib/matchsheet.h) of the match: what "events" or
 * "players", named from the match's date and teams (filename= plain ASCII,
 * filename*= the UTF-8 name, RFC 6266).
 */
static void export_sheet(stint_req *r, const char *what)
{
	stint_buf csv = STINT_BUF_INIT, disp = STINT_BUF_INIT;
	char ascii[200], utf8[200];
	stint_mr mr;
	int found = 0, bad;
	stint_db_rc rc = stint_mr_load(r->db, r->params[0], &mr, &found);

	if (stint_found_or_fail(r, rc, found, "There is no such session.")) {
		bad = strcmp(what, "events") == 0 ? stint_mr_events_csv(&mr, &csv) : stint_mr_players_csv(&mr, &csv);
		stint_sheet_filename(mr.m.input, what, "csv", 1, ascii, sizeof(ascii));
		stint_sheet_filename(mr.m.input, what, "csv", 0, utf8, sizeof(utf8));
		bad |= stint_buf_printf(&disp, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
		bad |= stint_url_arg(&disp, utf8);
		if (bad != 0 || csv.data == NULL) {
			stint_fail_db(r, STINT_DB_ERROR);
		} else {
			stint_resp_header(r, "Content-Disposition", disp.data);
			stint_answer_text(r, STINT_DB_OK, 200, "text/csv; charset=utf-8; header=present",
					  stint_buf_take(&csv), "There is no such session.");
		}
	}
	stint_mr_free(&mr);
	stint_buf_free(&csv);
	stint_buf_free(&disp);
}

static void export_sheet_events(stint_req *r)
{
	export_sheet(r, "events");
}

static void export_sheet_players(stint_req *r)
{
	export_sheet(r, "players");
}

/* GET state: the match state at every event, derived now from the stored events. */
static void get_state(stint_req *r)
{
	stint_ms_match m;
	cJSON *answer;
	int found = 0;
	stint_db_rc rc = stint_ms_load(r->db, r->params[0], &m, &found);

	if (stint_found_or_fail(r, rc, found, "There is no such session.")) {
		answer = stint_ms_match_json(&m);
		stint_resp_json(r, 200, answer);
		cJSON_Delete(answer);
	}
	stint_ms_match_free(&m);
}

/* ?phase=, ?team=&player=: the filter, or 0 after answering 422 naming the field. */
static int stats_filter(stint_req *r, stint_vbs_filter *f)
{
	const char *phase = stint_kv_get(&r->query, "phase"), *team = stint_kv_get(&r->query, "team");
	const char *player = stint_kv_get(&r->query, "player");
	size_t i;

	memset(f, 0, sizeof(*f));
	if (phase != NULL && phase[0] != '\0') {
		if (strcmp(phase, "reception") == 0)
			f->phase = STINT_MS_PHASE_RECEPTION;
		else if (strcmp(phase, "transition") == 0)
			f->phase = STINT_MS_PHASE_TRANSITION;
		else
			return stint_fail_field(r, "phase", "must be reception or transition"), 0;
	}
	if (player != NULL && player[0] != '\0') {
		for (i = 0; player[i] >= '0' && player[i] <= '9'; i++)
			;
		if (i == 0 || i > 3 || player[i] != '\0')
			return stint_fail_field(r, "player", "must be a shirt number of 1 to 3 digits"), 0;
		if (team == NULL || (strcmp(team, "A") != 0 && strcmp(team, "B") != 0))
			return stint_fail_field(r, "team", "must be A or B with player"), 0;
		f->team = team[0];
		f->number = player;
	} else if (team != NULL && team[0] != '\0') {
		return stint_fail_field(r, "player", "is required with team"), 0;
	}
	return 1;
}

/* GET stats: volleyball statistics (lib/vbstats.h) from the match state, derived now. */
static void get_stats(stint_req *r)
{
	stint_ms_match m;
	stint_vbs_filter f;
	stint_vbs_action *a;
	const cJSON *it;
	cJSON *answer;
	size_t i = 0;
	int found = 0;
	stint_db_rc rc;

	if (!stats_filter(r, &f))
		return;
	rc = stint_ms_load(r->db, r->params[0], &m, &found);
	if (stint_found_or_fail(r, rc, found, "There is no such session.")) {
		a = calloc(m.n ? m.n : 1, sizeof(*a));
		cJSON_ArrayForEach(it, m.events)
			if (a != NULL)
				stint_vbs_action_from_json(it, &a[i++]);
		answer = a != NULL ? stint_vbs_stats(a, m.states, m.n, &m.summary, &f) : NULL;
		if (answer == NULL)
			stint_fail_db(r, STINT_DB_ERROR);
		else
			stint_resp_json(r, 200, answer);
		cJSON_Delete(answer);
		free(a);
	}
	stint_ms_match_free(&m);
}

/*
 * GET /api/v1/stats: the statistics added up over sessions (lib/season.h),
 * ?sessions=ID,ID,.. or ?team=NAME&from=DATE&to=DATE. An id the caller may
 * not view answers 404 as if it did not exist; the team query leaves such
 * sessions out.
 */
static void get_season(stint_req *r)
{
	stint_season_query q;
	stint_season_problem problem;
	cJSON *errors = NULL, *answer = NULL;
	stint_db_rc rc;

	if (stint_season_query_read(&r->query, &q, &errors) != 0) {
		stint_fail_fields(r, errors);
		stint_season_query_free(&q);
		return;
	}
	cJSON_Delete(errors);
	rc = stint_season_stats(r->db, r->user.id_text, &q, &answer, &problem);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (problem == STINT_SEASON_NOT_FOUND)
		stint_fail(r, 404, "not_found", "There is no session with one of these ids.", NULL);
	else if (problem == STINT_SEASON_TOO_MANY)
		stint_fail_field(r, "sessions", "more than 100 sessions match: narrow the dates");
	else if (problem == STINT_SEASON_NO_TEAM)
		stint_fail_field(r, "team", "is not a team of every session named");
	else if (answer == NULL)
		stint_fail_db(r, STINT_DB_ERROR);
	else
		stint_resp_json(r, 200, answer);
	cJSON_Delete(answer);
	stint_season_query_free(&q);
}

#define STINT_PROGRAM_NAME "events"
#define STINT_ROUTES_OF_events STINT_MINE
#include "program.h"
