/*
 * pages-events.c: the editor's forms: tag (add) an event, edit one, delete
 * one, move a clip. They change the timeline through lib/timeline.c as the
 * JSON API does, so rollups stay exact and the same live messages go out.
 * Each answers 303 back to the editor (with its filtered view, at the
 * changed part), or the editor again with the problems named (422).
 *
 * Form fields: t_sec (seconds on the session's timeline), event_type (the
 * button pressed) or other_type (when filled in), who ("A", "B", "A-16": a team or one of
 * its players), number (a shirt number not on the roster, with a team),
 * evaluation (a DataVolley code: # + ! - / =), clip_id, view (the
 * editor's query string, to come back to); code (a DataVolley scout code,
 * with the "Add code" button: event_type "scout").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "fail.h"
#include "labels.h"
#include "matchstate-load.h"
#include "pages-editor.h"
#include "pages-events.h"
#include "pages-shared.h"
#include "scoutcode.h"
#include "sessions.h"
#include "timeline.h"
#include "tx.h"

static const char evaluation_codes[] = "#+!-/=";

static const stint_field clip_offset_field = {
	"offset_sec", STINT_F_NUMBER, STINT_F_REQUIRED, -10000000, 10000000, NULL, STINT_NO_DEST
};

static const stint_field *event_field(const char *name)
{
	size_t i;

	for (i = 0; i < stint_event_nfields; i++)
		if (strcmp(stint_event_fields[i].name, name) == 0)
			return &stint_event_fields[i];
	return NULL;
}

static void problem(cJSON **errors, const char *field, const char *message)
{
	if (*errors == NULL)
		*errors = cJSON_CreateObject();
	if (!cJSON_HasObjectItem(*errors, field))
		cJSON_AddStringToObject(*errors, field, message);
}

static const char *field_value(stint_req *r, const char *name)
{
	const char *v = stint_kv_get(&r->form, name);

	return v != NULL ? v : "";
}

/* actor_team and actor_number of ev from the who and number fields. */
static void add_who(cJSON *ev, const char *who, const char *number, cJSON **errors)
{
	char team[2] = "";
	const char *num = NULL, *bad;

	if ((who[0] == 'A' || who[0] == 'B') && (who[1] == '\0' || who[1] == '-')) {
		team[0] = who[0];
		num = who[1] == '-' ? who + 2 : NULL;
	} else if (*who != '\0') {
		problem(errors, "who", "must be a team or one of its players");
		return;
	}
	if (num == NULL && *number != '\0')
		num = number;
	if (num != NULL && team[0] == '\0') {
		problem(errors, "number", "needs a team: choose the team first");
		return;
	}
	if (num != NULL && (bad = stint_validate_text(event_field("actor_number"), num)) != NULL) {
		problem(errors, "number", bad);
		return;
	}
	if (team[0] != '\0')
		cJSON_AddStringToObject(ev, "actor_team", team);
	else
		cJSON_AddNullToObject(ev, "actor_team");
	if (num != NULL)
		cJSON_AddStringToObject(ev, "actor_number", num);  /* as typed: "00" is not "0" */
	else
		cJSON_AddNullToObject(ev, "actor_number");
}

/*
 * A substitution's player_out and player_in (the Match card's form): both
 * shirt numbers (1 to 3 digits, kept as typed), both needed; the player
 * coming on is the event's actor, as in DataVolley's c lines.
 */
static void add_substitution(stint_req *r, cJSON *ev, cJSON *payload, cJSON **errors)
{
	static const char *const keys[] = { "player_out", "player_in" };
	const char *v;
	size_t i, n;

	if (!cJSON_IsString(cJSON_GetObjectItem(ev, "actor_team")))
		problem(errors, "who", "is required for a substitution: the team");
	for (i = 0; i < 2; i++) {
		v = field_value(r, keys[i]);
		n = strspn(v, "0123456789");
		if (*v == '\0')
			problem(errors, keys[i], "is required for a substitution");
		else if (n < 1 || n > 3 || v[n] != '\0')
			problem(errors, keys[i], "must be a shirt number, 1 to 3 digits");
		else
			cJSON_AddStringToObject(payload, keys[i], v);
	}
	if (*errors == NULL)
		cJSON_ReplaceItemInObject(ev, "actor_number", cJSON_CreateString(field_value(r, "player_in")));
}

/*
 * A substitution ev (team, payload player_out / player_in; other events
 * pass) checked against the court at its time, derived from the session's
 * line-ups and events (lib/matchstate-load.h; a new event goes after those
 * at the same time): the player going off must be on court and the one
 * coming on must not be. A court no line-up says (all six unknown) is not
 * checked. Problems go to *errors under player_out / player_in, naming the
 * court.
 */
static stint_db_rc check_substitution(stint_req *r, const cJSON *ev, cJSON **errors)
{
	const cJSON *pl = cJSON_GetObjectItem(ev, "payload");
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "event_type"));
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "actor_team"));
	const char *out = cJSON_GetStringValue(cJSON_GetObjectItem(pl, "player_out"));
	const char *in = cJSON_GetStringValue(cJSON_GetObjectItem(pl, "player_in"));
	double t = cJSON_GetNumberValue(cJSON_GetObjectItem(ev, "t_sec"));
	const stint_ms_state *at;
	stint_ms_match m;
	stint_db_rc rc;
	char court[64], msg[120];
	size_t i, k, len = 0;
	int found = 0, side, known = 0, has_out = 0, has_in = 0;

	if (type == NULL || strcmp(type, "substitution") != 0 || team == NULL || out == NULL || in == NULL)
		return STINT_DB_OK;
	rc = stint_ms_load(r->db, r->params[0], &m, &found);
	if (rc != STINT_DB_OK || !found) {
		stint_ms_match_free(&m);
		return rc;
	}
	for (k = 0; k < m.n; k++)
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(m.events, (int)k), "t_sec")) > t)
			break;
	at = k < m.n ? &m.states[k] : &m.summary.now;
	side = team[0] == 'B';
	court[0] = '\0';
	for (i = 0; i < 6; i++) {
		const char *shirt = at->court[side][i];

		known |= shirt[0] != '\0';
		has_out |= stint_ms_shirt_eq(shirt, out);
		has_in |= stint_ms_shirt_eq(shirt, in);
		len += (size_t)snprintf(court + len, sizeof(court) - len, "%s%s", i ? ", " : "", shirt[0] ? shirt : "?");
	}
	if (known && !has_out) {
		snprintf(msg, sizeof(msg), "is not on court (zones 1 to 6: %s)", court);
		problem(errors, "player_out", msg);
	}
	if (known && has_in) {
		snprintf(msg, sizeof(msg), "is already on court (zones 1 to 6: %s)", court);
		problem(errors, "player_in", msg);
	}
	stint_ms_match_free(&m);
	return STINT_DB_OK;
}

/*
 * A tag given by its scout code (the "Add code" button, issue 19): ev takes
 * the code's type, actor and payload (lib/scoutcode.h, the session's rosters).
 */
static void add_code(stint_req *r, cJSON *ev, const char *code, cJSON **errors)
{
	cJSON *session = NULL, *players, *batch = cJSON_CreateArray(), *one = cJSON_CreateObject(), *problems = NULL;
	int changed = 0;

	if (*code == '\0') {
		problem(errors, "code", "is required: type a scout code, e.g. *16AH#V6 4 2");
		cJSON_Delete(batch);
		cJSON_Delete(one);
		return;
	}
	stint_session_load(r->db, r->params[0], &session);
	players = stint_scout_players(session);
	cJSON_AddStringToObject(one, "code", code);
	cJSON_AddItemToArray(batch, one);
	if (stint_scout_expand(batch, players, stint_scout_cones(session), &problems, &changed) != 0)
		problem(errors, "code", cJSON_GetStringValue(cJSON_GetObjectItem(problems, "events[0].code")) ?
			cJSON_GetStringValue(cJSON_GetObjectItem(problems, "events[0].code")) : "is not a scout code");
	else
		cJSON_ArrayForEach(one, cJSON_GetArrayItem(batch, 0)) {
			cJSON_DeleteItemFromObject(ev, one->string);
			cJSON_AddItemToObject(ev, one->string, cJSON_Duplicate(one, 1));
		}
	cJSON_Delete(problems);
	cJSON_Delete(batch);
	cJSON_Delete(players);
	cJSON_Delete(session);
}

/* The form's time (t_sec, required) into ev. */
static void add_time(stint_req *r, cJSON *ev, cJSON **errors)
{
	const char *t = field_value(r, "t_sec"), *bad;
	double t_sec;

	if (*t == '\0')
		problem(errors, "t_sec", "is required");
	else if ((bad = stint_text_number(event_field("t_sec"), t, &t_sec)) != NULL)
		problem(errors, "t_sec", bad);
	else
		cJSON_AddNumberToObject(ev, "t_sec", t_sec);
}

/* The form's clip (clip_id, optional) into ev. */
static void add_clip(stint_req *r, cJSON *ev, cJSON **errors)
{
	const char *clip = field_value(r, "clip_id");
	long long clip_id;

	if (*clip == '\0')
		return;
	if (stint_text_int(event_field("clip_id"), clip, &clip_id) != NULL)
		problem(errors, "clip_id", "is not a clip of this session");
	else
		cJSON_AddNumberToObject(ev, "clip_id", (double)clip_id);
}

/* A tag given by its scout code: time and clip from the form, the rest from the code (returns ev). */
static cJSON *event_from_code(stint_req *r, cJSON *ev, cJSON **errors)
{
	add_time(r, ev, errors);
	add_clip(r, ev, errors);
	add_code(r, ev, field_value(r, "code"), errors);
	return ev;
}

/*
 * The event a tag or edit form describes, as the JSON API takes it (a new
 * object, caller deletes). *form gets what was typed, for sending the form
 * back; problems go to *errors under the form's field names.
 */
static cJSON *event_from_form(stint_req *r, int with_clip, cJSON **form, cJSON **errors)
{
	const char *names[] = { "t_sec", "event_type", "other_type", "who", "number", "evaluation", "code" };
	const char *type = field_value(r, "event_type"), *eval = field_value(r, "evaluation"), *bad;
	char other[41];
	cJSON *ev = cJSON_CreateObject(), *payload;
	size_t i;

	*form = cJSON_CreateObject();
	for (i = 0; i < COUNT(names); i++)
		cJSON_AddStringToObject(*form, names[i], field_value(r, names[i]));
	if (with_clip && strcmp(type, "scout") == 0)
		return event_from_code(r, ev, errors);
	if (*field_value(r, "other_type") != '\0') {
		/* written in: it wins over the button pressed, stored as labels.h normalises it */
		type = field_value(r, "other_type");
		if (stint_type_normalise(type, other, sizeof(other)) != 0)
			problem(errors, "event_type", "must be letters, digits, spaces, - and _, starting with a letter (e.g. Time out)");
		else
			type = other;
	}
	add_time(r, ev, errors);
	if (*type == '\0')
		problem(errors, "event_type", "is required: press a type, or write one under Other");
	else if ((bad = stint_validate_text(event_field("event_type"), type)) != NULL)
		problem(errors, "event_type", "must be lower-case letters, digits and _ (e.g. free_kick)");
	else
		cJSON_AddStringToObject(ev, "event_type", type);
	add_who(ev, field_value(r, "who"), field_value(r, "number"), errors);
	payload = cJSON_AddObjectToObject(ev, "payload");
	if (strcmp(type, "substitution") == 0 && (*field_value(r, "player_in") || *field_value(r, "player_out")))
		add_substitution(r, ev, payload, errors);
	if (*eval != '\0' && (eval[1] != '\0' || strchr(evaluation_codes, eval[0]) == NULL))
		problem(errors, "evaluation", "must be one of # + ! - / =");
	else if (*eval != '\0')
		cJSON_AddStringToObject(payload, "evaluation", eval);
	if (with_clip)
		add_clip(r, ev, errors);
	return ev;
}

/* The editor view the form came from, canonical (arena string), also set as r's query. */
static const char *form_view(stint_req *r)
{
	const char *text = field_value(r, "view");
	page_view v;

	if (stint_parse_urlencoded(&r->arena, text, strlen(text), &r->query) != 0)
		return "";
	page_view_parse(&r->arena, &r->query, &v);
	return page_view_query(&r->arena, &v);
}

static void send_back(stint_req *r, cJSON *form, cJSON *errors, const char *edit_id)
{
	page_problems p = { 0 };

	p.event_form = form;
	p.event_errors = errors;
	p.edit_id = edit_id;
	page_render_editor(r, 422, &p);
}

void page_event_add(stint_req *r)
{
	cJSON *form = NULL, *errors = NULL, *clip_errors = NULL, *batch = cJSON_CreateArray();
	const char *view = form_view(r);
	char *text = NULL, *result = NULL;
	stint_db_rc rc = STINT_DB_OK;
	stint_tx tx;
	int bad = 0;

	cJSON_AddItemToArray(batch, event_from_form(r, 1, &form, &errors));
	if (errors == NULL)
		rc = stint_timeline_check_clips(r->db, r->params[0], batch, &clip_errors, &bad);
	if (errors == NULL && rc == STINT_DB_OK)
		rc = check_substitution(r, cJSON_GetArrayItem(batch, 0), &errors);
	if (bad > 0)
		problem(&errors, "clip_id", "is not a clip of this session");
	if (rc == STINT_DB_OK && errors != NULL) {
		send_back(r, form, errors, NULL);
		form = errors = NULL;
		goto out;
	}
	text = cJSON_PrintUnformatted(batch);
	if (rc == STINT_DB_OK && text == NULL)
		rc = STINT_DB_ERROR;
	if (rc == STINT_DB_OK) {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_timeline_insert(&tx, r->params[0], text, "manual", &result);
		rc = stint_tx_end(&tx);
	}
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		page_redirect_session(r, r->params[0], NULL, "event_added", view, "tag");
out:
	free(text);
	free(result);
	cJSON_Delete(form);
	cJSON_Delete(errors);
	cJSON_Delete(clip_errors);
	cJSON_Delete(batch);
}

/* The patch for an edit: the form's fields, the evaluation set in a copy of the stored payload. */
static stint_db_rc edit_patch(stint_req *r, cJSON *ev, char **text)
{
	cJSON *current = NULL, *payload;
	const char *eval = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "payload"), "evaluation"));
	stint_db_rc rc = stint_timeline_event_json(r->db, r->params[0], r->params[1], &current);

	*text = NULL;
	if (rc != STINT_DB_OK || current == NULL)
		return rc;
	payload = cJSON_DetachItemFromObject(current, "payload");
	if (!cJSON_IsObject(payload)) {
		cJSON_Delete(payload);
		payload = cJSON_CreateObject();
	}
	cJSON_DeleteItemFromObject(payload, "evaluation");
	if (eval != NULL)
		cJSON_AddStringToObject(payload, "evaluation", eval);
	cJSON_ReplaceItemInObject(ev, "payload", payload);
	*text = cJSON_PrintUnformatted(ev);
	cJSON_Delete(current);
	return *text ? STINT_DB_OK : STINT_DB_ERROR;
}

void page_event_edit(stint_req *r)
{
	cJSON *form = NULL, *errors = NULL, *ev;
	const char *view;
	char *text = NULL, *result = NULL, anchor[32];
	stint_db_rc rc;
	stint_tx tx;

	view = form_view(r);
	ev = event_from_form(r, 0, &form, &errors);
	if (errors != NULL) {
		send_back(r, form, errors, r->params[1]);
		cJSON_Delete(ev);
		return;
	}
	rc = edit_patch(r, ev, &text);
	if (rc == STINT_DB_OK && text != NULL) {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_timeline_patch(&tx, r->params[0], r->params[1], text, &result);
		rc = stint_tx_end(&tx);
	}
	snprintf(anchor, sizeof(anchor), "ev-%.20s", r->params[1]);
	if (stint_found_or_fail(r, rc, result != NULL, "There is no such event in this session."))
		page_redirect_session(r, r->params[0], NULL, "event_saved", view, anchor);
	free(text);
	free(result);
	cJSON_Delete(form);
	cJSON_Delete(ev);
}

void page_event_delete(stint_req *r)
{
	const char *view;
	stint_db_rc rc;
	stint_tx tx;
	int found = 0;

	view = form_view(r);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_timeline_delete(&tx, r->params[0], r->params[1], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, "There is no such event in this session."))
		page_redirect_session(r, r->params[0], NULL, "event_deleted", view, "events");
}

static void clip_problem(stint_req *r, const char *message)
{
	page_problems p = { 0 };

	p.clip_errors = cJSON_CreateObject();
	cJSON_AddStringToObject(p.clip_errors, "offset_sec", message);
	p.clip_id = r->params[1];
	page_render_editor(r, 422, &p);
}

void page_clip_edit(stint_req *r)
{
	const char *offset = field_value(r, "offset_sec"), *bad;
	char patch[64], *result = NULL;
	double offset_sec;
	stint_db_rc rc;
	stint_tx tx;

	if ((bad = *offset ? stint_text_number(&clip_offset_field, offset, &offset_sec) : "is required") != NULL) {
		clip_problem(r, bad);
		return;
	}
	snprintf(patch, sizeof(patch), "{\"offset_sec\":%.17g}", offset_sec);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_timeline_move_clip(&tx, r->params[0], r->params[1], patch, &result);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_INVALID && strcmp(r->db->constraint, "events_t_sec_check") == 0)
		clip_problem(r, "would move an event of this clip before the session's start");
	else if (stint_found_or_fail(r, rc, result != NULL, "There is no such clip in this session."))
		page_redirect_session(r, r->params[0], NULL, "clip_saved", NULL, "clips");
	free(result);
}
