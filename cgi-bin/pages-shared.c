/*
 * pages-shared.c: what the pages share (see pages-shared.h): labels of
 * kinds, statuses and event types, <select> options, dates and clock
 * times as pages show them, flash messages, the redirect back to a
 * session, the editor's event-list view, team and player names. It
 * depends on no other part of the pages program.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "fail.h"
#include "labels.h"
#include "pages-shared.h"
#include "timeshow.h"
#include "validate.h"

static const page_choice kind_labels[] = {
	{ "match", "Match" }, { "training", "Training" }, { "climb", "Climb" },
	{ "dj_set", "DJ set" }, { "other", "Other" },
};
static const page_choice status_labels[] = {
	{ "planned", "Planned" }, { "live", "Live" }, { "completed", "Completed" },
	{ "abandoned", "Abandoned" },
};
static const page_choice flashes[] = {
	{ "created", "Session created." }, { "saved", "Changes saved." },
	{ "restored", "Session restored." }, { "imported", "Match imported." },
	{ "event_added", "Event added." }, { "event_saved", "Event saved." },
	{ "event_deleted", "Event deleted." }, { "clip_saved", "Clip saved; its events moved with it." },
	{ "lineup_saved", "Line-up saved." },
	{ "rules_saved", "Match rules saved." },
	{ "playlist_saved", "Playlist saved: its address is the link to share." },
	{ "report_stored", "Match report, charts and CSVs stored: see Downloads." },
	{ "task_cancelled", "Task cancelled." }, { "task_stopping", "The task is asked to stop." },
	{ "task_finished", "The task had finished already: nothing to cancel." },
	{ "task_retried", "Task queued again." }, { "task_active", "The task is queued or running already." },
	{ "task_completed", "The task completed: nothing to retry." },
	{ "task_conflict", "Not queued again: the session has another queued or running task of this type." },
	{ "process_queued", "Report queued." }, { "process_active", "The report is queued or running already." },
	{ "process_participants", "No report yet: the session has no participants. Add the players and their devices first." },
	{ "process_device_files", "No report yet: no participant's device has a file. Upload the device files first." },
	{ "process_window", "No report yet: a participant's time window is empty (it ends before it starts)." },
	{ "analyze_queued", "Analysis queued." }, { "analyze_none", "Nothing new to analyze: no clip, or each is queued already." },
	{ "survey_saved", "Thank you: your answers are saved." },
	{ "thresholds_added", "Thresholds added." }, { "thresholds_saved", "Thresholds saved." },
	{ "thresholds_deleted", "Thresholds deleted." },
	{ "teams_saved", "Teams saved." }, { "team_copied", "Saved team copied in." },
	{ "team_added", "Team added." }, { "team_saved", "Team saved." }, { "team_deleted", "Team deleted." },
};

#define OPTIONS(arr, current) page_options(arr, COUNT(arr), current)

cJSON *page_options(const page_choice *c, size_t n, const char *current)
{
	cJSON *list = cJSON_CreateArray(), *item;
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "value", c[i].value);
		cJSON_AddStringToObject(item, "label", c[i].label);
		cJSON_AddBoolToObject(item, "selected", current && strcmp(current, c[i].value) == 0);
		cJSON_AddItemToArray(list, item);
	}
	return list;
}

cJSON *page_kind_options(const char *current)
{
	return OPTIONS(kind_labels, current);
}

cJSON *page_status_options(const char *current)
{
	return OPTIONS(status_labels, current);
}

const char *page_label(const page_choice *c, size_t n, const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < n; i++)
		if (strcmp(c[i].value, value) == 0)
			return c[i].label;
	return value ? value : "";
}

void page_type_label(const cJSON *session, const char *type, char *out, size_t size)
{
	stint_type_label(session != NULL ? stint_sport_of(session) : STINT_SPORT_GENERIC, type, out, size);
}

int page_part(stint_req *r, const char *name)
{
	const char *part = stint_kv_get(&r->query, "part");

	return part != NULL && strcmp(part, name) == 0;
}

void page_clock(double t_sec, char *out, size_t size)
{
	long tenths = lround(fabs(t_sec) * 10);
	long h = tenths / 36000, m = tenths / 600 % 60, s = tenths / 10 % 60;

	if (h > 0)
		snprintf(out, size, "%s%ld:%02ld:%02ld", t_sec < 0 ? "-" : "", h, m, s);
	else
		snprintf(out, size, "%s%ld:%02ld.%ld", t_sec < 0 ? "-" : "", m, s, tenths % 10);
}

/* The time key holds as pages show it (timeshow.h), and as a datetime-local value, both in the zone. */
static void add_when(cJSON *obj, const char *key, const char *out_key, const char *input_key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char shown[40], input[20];
	double t;

	if (!cJSON_IsString(v) || stint_timestamp_epoch(v->valuestring, &t) != 0 ||
	    stint_time_show(t, shown, sizeof(shown)) != 0 || stint_time_input(t, input, sizeof(input)) != 0)
		return;
	cJSON_AddStringToObject(obj, out_key, shown);
	cJSON_AddStringToObject(obj, input_key, input);
}

void page_time_text(const char *rfc3339, char *out, size_t size)
{
	double t;

	if (size > 0)
		out[0] = '\0';
	if (rfc3339 != NULL && stint_timestamp_epoch(rfc3339, &t) == 0)
		stint_time_show(t, out, size);
}

void page_decorate_session(cJSON *s)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(s, "kind");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(s, "status");

	cJSON_AddStringToObject(s, "kind_label",
		page_label(kind_labels, COUNT(kind_labels), cJSON_GetStringValue(kind)));
	cJSON_AddStringToObject(s, "status_label",
		page_label(status_labels, COUNT(status_labels), cJSON_GetStringValue(status)));
	add_when(s, "starts_at", "starts_shown", "starts_input");
	add_when(s, "ends_at", "ends_shown", "ends_input");
	add_when(s, "created_at", "created_shown", "created_input");
}

void page_add_flash(stint_req *r, cJSON *data)
{
	const char *key = stint_kv_get(&r->query, "flash");
	size_t i;

	for (i = 0; key != NULL && i < COUNT(flashes); i++)
		if (strcmp(key, flashes[i].value) == 0)
			cJSON_AddStringToObject(data, "flash", flashes[i].label);
}

void page_redirect_session(stint_req *r, const char *id, const char *suffix, const char *flash,
			   const char *view, const char *anchor)
{
	stint_buf b = STINT_BUF_INIT;

	stint_buf_printf(&b, "/sessions/%.36s%s?flash=%s", id, suffix ? suffix : "", flash);
	if (view != NULL && *view != '\0')
		stint_buf_printf(&b, "&%s", view);
	if (anchor != NULL)
		stint_buf_printf(&b, "#%s", anchor);
	if (b.data == NULL)
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	else
		stint_resp_redirect(r, b.data);
	stint_buf_free(&b);
}

static const char *const view_phases[] = { "serve", "reception", "transition", NULL };
static const char *const view_skill_types[] = { "H", "M", "Q", "T", "U", "F", "N", "O", NULL };

static const stint_field view_fields[] = {
	{ "type", STINT_F_IDENT, 0, 1, 40, NULL, STINT_DEST(page_view, type) },
	{ "offset", STINT_F_INT, 0, 0, 100000000, NULL, STINT_DEST(page_view, offset) },
	{ "set", STINT_F_INT, 0, 1, 7, NULL, STINT_DEST(page_view, set) },
	{ "rot", STINT_F_INT, 0, 1, 6, NULL, STINT_DEST(page_view, rot) },
	{ "phase", STINT_F_ENUM, 0, 0, 0, view_phases, STINT_DEST(page_view, phase) },
	{ "skill_type", STINT_F_ENUM, 0, 0, 0, view_skill_types, STINT_DEST(page_view, skill_type) },
	{ "combo", STINT_F_STRING, 0, 1, 2, NULL, STINT_DEST(page_view, combo) },
	{ "from_zone", STINT_F_INT, 0, 1, 9, NULL, STINT_DEST(page_view, from_zone) },
	{ "to_zone", STINT_F_INT, 0, 1, 9, NULL, STINT_DEST(page_view, to_zone) },
};

int page_view_detail(const page_view *v)
{
	return v->set || v->rot || v->phase || v->skill_type || v->combo || v->from_zone || v->to_zone;
}

void page_view_parse(stint_arena *a, const stint_kvlist *l, page_view *v)
{
	const char *who = stint_kv_get(l, "who");
	cJSON *dropped = NULL;  /* invalid values are left out, not reported */
	size_t digits;

	memset(v, 0, sizeof(*v));
	stint_validate_query(l, STINT_SPEC(view_fields), v, &dropped);
	cJSON_Delete(dropped);
	if (who == NULL || (who[0] != 'A' && who[0] != 'B'))
		return;
	digits = who[1] == '-' ? strspn(who + 2, "0123456789") : 0;
	if (who[1] == '\0' || (digits >= 1 && digits <= 3 && who[2 + digits] == '\0')) {
		v->who = who;
		v->team = stint_arena_strndup(a, who, 1);
		v->player = who[1] == '-' ? who + 2 : NULL;
	}
}

char *page_view_query(stint_arena *a, const page_view *v)
{
	const char *keys[] = { "who", "type", "set", "rot", "phase", "skill_type", "combo", "from_zone", "to_zone",
			       "offset" };
	const char *vals[] = { v->who, v->type, v->set, v->rot, v->phase, v->skill_type, v->combo, v->from_zone,
			       v->to_zone, v->offset };
	stint_buf b = STINT_BUF_INIT;
	char *out;
	size_t i;

	stint_buf_puts(&b, "");
	for (i = 0; i < COUNT(keys); i++) {
		if (vals[i] == NULL)
			continue;
		stint_buf_printf(&b, "%s%s=", b.len ? "&" : "", keys[i]);
		stint_url_arg(&b, vals[i]);
	}
	out = stint_arena_strdup(a, b.data ? b.data : "");
	stint_buf_free(&b);
	return out;
}

const char *page_team_name(const cJSON *session, const char *side, char *buf, size_t size)
{
	const cJSON *t;
	const char *name;

	cJSON_ArrayForEach(t, cJSON_GetObjectItem(session, "teams")) {
		name = cJSON_GetStringValue(cJSON_GetObjectItem(t, "name"));
		if (side != NULL && strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "side")), side) == 0 &&
		    name != NULL && *name != '\0') {
			snprintf(buf, size, "%s", name);
			return buf;
		}
	}
	snprintf(buf, size, "Team %s", side ? side : "?");
	return buf;
}

const char *page_player_name(const cJSON *session, const char *side, const char *number)
{
	const cJSON *t, *p;
	const char *name;

	const char *n;

	if (side == NULL || number == NULL)
		return "";
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(session, "teams")) {
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "side")), side) != 0)
			continue;
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(t, "roster")) {
			name = cJSON_GetStringValue(cJSON_GetObjectItem(p, "player_name"));
			n = cJSON_GetStringValue(cJSON_GetObjectItem(p, "number"));
			if (n != NULL && strcmp(n, number) == 0 && name != NULL)
				return name;
		}
	}
	return "";
}
