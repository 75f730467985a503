/*
 * pages.c: the server-rendered pages' program: its route table, the
 * dashboard (/), the session's Details form, delete and restore, and the
 * helpers the other parts share (pages.h). Forms POST and redirect (303)
 * so they work without JavaScript; every form carries the CSRF token the
 * dispatcher checks (the multipart import form checks its own).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "escape.h"
#include "pages.h"
#include "server.h"
#include "sessions.h"
#include "view.h"

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
};

static const page_choice type_labels[] = {
	{ "serve", "Serve" }, { "reception", "Reception" }, { "set", "Set" }, { "attack", "Attack" },
	{ "block", "Block" }, { "dig", "Dig" }, { "freeball", "Free ball" }, { "point", "Point" },
	{ "timeout", "Time-out" }, { "substitution", "Substitution" }, { "end_of_set", "End of set" },
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

void page_type_label(const char *type, char *out, size_t size)
{
	const char *known = page_label(type_labels, COUNT(type_labels), type);
	size_t i;

	snprintf(out, size, "%s", known);
	if (known != type)
		return;
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '_')
			out[i] = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
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

/* "2026-11-22 10:00 UTC" from an RFC 3339 value (pages show UTC). */
static void add_when(cJSON *obj, const char *key, const char *out_key, const char *input_key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char shown[32], input[17];
	double t;
	time_t secs;
	struct tm tm;

	if (!cJSON_IsString(v) || stint_timestamp_epoch(v->valuestring, &t) != 0)
		return;
	secs = (time_t)t;
	gmtime_r(&secs, &tm);
	strftime(shown, sizeof(shown), "%Y-%m-%d %H:%M UTC", &tm);
	strftime(input, sizeof(input), "%Y-%m-%dT%H:%M", &tm);
	cJSON_AddStringToObject(obj, out_key, shown);
	cJSON_AddStringToObject(obj, input_key, input);
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

/* The dashboard URL for another page of the same search. */
static char *page_href(stint_req *r, const stint_session_query *q, long offset)
{
	stint_buf b = STINT_BUF_INIT;
	const char *keys[] = { "q", "status", "kind" };
	const char *vals[] = { q->q, q->status, q->kind };
	size_t i;

	stint_buf_printf(&b, "/?offset=%ld", offset);
	for (i = 0; i < COUNT(keys); i++) {
		if (vals[i] == NULL)
			continue;
		stint_buf_printf(&b, "&%s=", keys[i]);
		stint_url_arg(&b, vals[i]);
	}
	char *s = stint_arena_strdup(&r->arena, b.data);
	stint_buf_free(&b);
	return s;
}

static void add_pager(stint_req *r, cJSON *data, const stint_session_query *q, long total)
{
	long last = q->offset + q->limit;

	cJSON_AddNumberToObject(data, "total", (double)total);
	cJSON_AddNumberToObject(data, "from", total ? (double)q->offset + 1 : 0);
	cJSON_AddNumberToObject(data, "to", (double)(last < total ? last : total));
	if (q->offset > 0)
		cJSON_AddStringToObject(data, "prev_href",
			page_href(r, q, q->offset > q->limit ? q->offset - q->limit : 0));
	if (last < total)
		cJSON_AddStringToObject(data, "next_href", page_href(r, q, last));
}

static void add_deleted_notice(stint_req *r, cJSON *data)
{
	const char *id = stint_kv_get(&r->query, "deleted");
	char *title = NULL;
	cJSON *d;

	if (id == NULL || !stint_is_uuid(id) ||
	    stint_session_backup_title(r->db, id, r->user.id_text, &title) != STINT_DB_OK || title == NULL)
		return;
	d = cJSON_AddObjectToObject(data, "deleted");
	cJSON_AddStringToObject(d, "id", id);
	cJSON_AddStringToObject(d, "title", title);
	free(title);
}

/* Each listed session's event and clip counts, from one statement. */
static stint_db_rc add_counts(stint_req *r, cJSON *sessions)
{
	stint_buf ids = STINT_BUF_INIT;
	const cJSON *id, *c;
	cJSON *item, *counts = NULL;
	const char *p;
	stint_db_rc rc;

	stint_buf_putc(&ids, '{');
	cJSON_ArrayForEach(item, sessions)
		if (cJSON_IsString(id = cJSON_GetObjectItem(item, "id")))
			stint_buf_printf(&ids, "%s%s", ids.len > 1 ? "," : "", id->valuestring);
	stint_buf_putc(&ids, '}');
	p = ids.data;
	rc = p ? stint_db_json(r->db, STINT_SQL_SESSION_COUNTS, 1, &p, &counts) : STINT_DB_ERROR;
	cJSON_ArrayForEach(item, sessions) {
		c = cJSON_GetObjectItem(counts, cJSON_GetStringValue(cJSON_GetObjectItem(item, "id")));
		cJSON_AddNumberToObject(item, "events", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "events")));
		cJSON_AddNumberToObject(item, "clips", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "clips")));
	}
	cJSON_Delete(counts);
	stint_buf_free(&ids);
	return rc;
}

void page_render_dashboard(stint_req *r, int status, cJSON *extra)
{
	stint_session_query q;
	cJSON *data = NULL, *page = NULL, *qerr = NULL, *item, *sessions;
	char *json = NULL;
	stint_db_rc rc;

	stint_session_query_parse(&r->query, &q, &qerr);
	q.limit = 20;
	q.user_id = r->user.id_text;
	q.is_admin = strcmp(r->user.role, "admin") == 0;
	rc = stint_session_list(r->db, &q, &json);
	page = rc == STINT_DB_OK ? cJSON_Parse(json) : NULL;
	data = cJSON_CreateObject();
	sessions = cJSON_DetachItemFromObject(page, "items");
	cJSON_AddItemToObject(data, "sessions", sessions);
	if (rc == STINT_DB_OK)
		rc = add_counts(r, sessions);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	cJSON_ArrayForEach(item, sessions)
		page_decorate_session(item);
	cJSON_AddBoolToObject(data, "has_sessions", cJSON_GetArraySize(sessions) > 0);
	cJSON_AddStringToObject(data, "q", q.q ? q.q : "");
	cJSON_AddBoolToObject(data, "filtered", q.q || q.status || q.kind);
	cJSON_AddBoolToObject(data, "can_create", strcmp(r->user.role, "viewer") != 0);
	cJSON_AddItemToObject(data, "status_options", OPTIONS(status_labels, q.status));
	cJSON_AddItemToObject(data, "kind_options", OPTIONS(kind_labels, q.kind));
	add_pager(r, data, &q, (long)cJSON_GetNumberValue(cJSON_GetObjectItem(page, "total")));
	page_add_flash(r, data);
	add_deleted_notice(r, data);
	cJSON_AddItemToObject(data, "new_kind_options", OPTIONS(kind_labels,
		cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(extra, "form"), "kind"))));
	while (extra != NULL && extra->child != NULL) {
		item = extra->child;
		cJSON_AddItemToObject(data, item->string, cJSON_DetachItemViaPointer(extra, item));
	}
	stint_view_send(r, status, "dashboard", data);
out:
	cJSON_Delete(extra);
	cJSON_Delete(qerr);
	cJSON_Delete(page);
	cJSON_Delete(data);
	free(json);
}

static void dashboard(stint_req *r)
{
	page_render_dashboard(r, 200, NULL);
}

static void create_session(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, stint_session_fields, stint_session_nfields);
	cJSON *errors = NULL, *extra;
	char id[37], *text;
	stint_db_rc rc;

	if (body == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (stint_session_validate(body, 0, &errors) != 0) {
		extra = cJSON_CreateObject();
		cJSON_AddItemToObject(extra, "form", body);
		cJSON_AddItemToObject(extra, "errors", errors ? errors : cJSON_CreateObject());
		page_render_dashboard(r, 422, extra);
		return;
	}
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	rc = text ? stint_session_create(r, text, id) : STINT_DB_ERROR;
	free(text);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		page_redirect_session(r, id, NULL, "created", NULL, NULL);
}

static void details_problems(stint_req *r, cJSON *body, cJSON *errors)
{
	page_problems p = { 0 };

	p.details_form = body;
	p.details_errors = errors;
	page_render_editor(r, 422, &p);
}

static void update_session(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, stint_session_fields, stint_session_nfields);
	cJSON *errors = NULL;
	stint_db_rc rc;
	char *text;
	int found = 0;

	if (body == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (stint_session_validate(body, 0, &errors) != 0) {
		details_problems(r, body, errors);
		return;
	}
	text = cJSON_PrintUnformatted(body);
	rc = text ? stint_session_patch(r, r->params[0], text, &found) : STINT_DB_ERROR;
	free(text);
	if (rc == STINT_DB_INVALID && stint_session_db_problem(r->db, &errors) > 0) {
		details_problems(r, body, errors);
		return;
	}
	cJSON_Delete(body);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (!found)
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
	else
		page_redirect_session(r, r->params[0], NULL, "saved", NULL, "details");
}

static void delete_session(stint_req *r)
{
	char location[64];
	stint_db_rc rc;
	int found;

	rc = stint_session_archive(r, r->params[0], &found);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
	} else if (!found) {
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
	} else {
		snprintf(location, sizeof(location), "/?deleted=%s", r->params[0]);
		stint_resp_redirect(r, location);
	}
}

static void restore_session(stint_req *r)
{
	stint_db_rc rc;
	int found;

	rc = stint_session_restore(r, r->params[0], &found);
	if (rc == STINT_DB_CONFLICT)
		stint_fail(r, 409, "conflict", "This session exists already; it was restored before.", NULL);
	else if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (!found)
		stint_fail(r, 404, "not_found", "There is no deleted session with this id.", NULL);
	else
		page_redirect_session(r, r->params[0], NULL, "restored", NULL, NULL);
}

static int pages_init(void)
{
	return stint_view_load(stint_config_get("template_dir", "templates"));
}

#define STINT_ROUTES_OF_pages STINT_MINE
static const stint_route page_routes[] = {
#include "routes.def"
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"pages", page_routes, COUNT(page_routes), pages_init, stint_view_error
	};

	return stint_server_main(argc, argv, &app);
}
