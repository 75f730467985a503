/*
 * pages.c: the server-rendered pages: the dashboard (/) and a session's
 * page (/sessions/<id>). Forms POST and redirect (303) so they work
 * without JavaScript; every form carries the CSRF token the dispatcher
 * checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "escape.h"
#include "server.h"
#include "sessions.h"
#include "view.h"

static const struct { const char *value, *label; } kind_labels[] = {
	{ "match", "Match" }, { "training", "Training" }, { "climb", "Climb" },
	{ "dj_set", "DJ set" }, { "other", "Other" },
};
static const struct { const char *value, *label; } status_labels[] = {
	{ "planned", "Planned" }, { "live", "Live" }, { "completed", "Completed" },
	{ "abandoned", "Abandoned" },
};
static const struct { const char *key, *text; } flashes[] = {
	{ "created", "Session created." }, { "saved", "Changes saved." },
	{ "restored", "Session restored." },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* [{value, label, selected}] for a <select>, marking current. */
#define OPTIONS(arr, current) options_json((const void *)(arr), COUNT(arr), current)
static cJSON *options_json(const void *arr, size_t n, const char *current)
{
	const struct { const char *value, *label; } *o = arr;
	cJSON *list = cJSON_CreateArray(), *item;
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "value", o[i].value);
		cJSON_AddStringToObject(item, "label", o[i].label);
		cJSON_AddBoolToObject(item, "selected", current && strcmp(current, o[i].value) == 0);
		cJSON_AddItemToArray(list, item);
	}
	return list;
}

static const char *label_of(const void *arr, size_t n, const char *value)
{
	const struct { const char *value, *label; } *o = arr;
	size_t i;

	for (i = 0; value != NULL && i < n; i++)
		if (strcmp(o[i].value, value) == 0)
			return o[i].label;
	return value ? value : "";
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

/* Labels and display dates the templates show for one session object. */
static void decorate(cJSON *s)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(s, "kind");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(s, "status");

	cJSON_AddStringToObject(s, "kind_label",
		label_of(kind_labels, COUNT(kind_labels), cJSON_GetStringValue(kind)));
	cJSON_AddStringToObject(s, "status_label",
		label_of(status_labels, COUNT(status_labels), cJSON_GetStringValue(status)));
	add_when(s, "starts_at", "starts_shown", "starts_input");
	add_when(s, "ends_at", "ends_shown", "ends_input");
	add_when(s, "created_at", "created_shown", "created_input");
}

static void add_flash(stint_req *r, cJSON *data)
{
	const char *key = stint_kv_get(&r->query, "flash");
	size_t i;

	for (i = 0; key != NULL && i < COUNT(flashes); i++)
		if (strcmp(key, flashes[i].key) == 0)
			cJSON_AddStringToObject(data, "flash", flashes[i].text);
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

/* Render the dashboard; form/errors are the create form's values on a retry. */
static void render_dashboard(stint_req *r, int status, cJSON *form, cJSON *errors)
{
	stint_session_query q;
	cJSON *data = NULL, *page = NULL, *qerr = NULL, *item;
	char *json = NULL;
	stint_db_rc rc;

	stint_session_query_parse(&r->query, &q, &qerr);
	q.limit = 20;
	q.user_id = r->user.id_text;
	q.is_admin = strcmp(r->user.role, "admin") == 0;
	rc = stint_session_list(r->db, &q, &json);
	if (rc != STINT_DB_OK) {
		cJSON_Delete(form);
		stint_fail_db(r, rc);
		goto out;
	}
	page = cJSON_Parse(json);
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, "sessions", cJSON_DetachItemFromObject(page, "items"));
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(data, "sessions"))
		decorate(item);
	cJSON_AddBoolToObject(data, "has_sessions",
			      cJSON_GetArraySize(cJSON_GetObjectItem(data, "sessions")) > 0);
	cJSON_AddStringToObject(data, "q", q.q ? q.q : "");
	cJSON_AddBoolToObject(data, "filtered", q.q || q.status || q.kind);
	cJSON_AddItemToObject(data, "status_options", OPTIONS(status_labels, q.status));
	cJSON_AddItemToObject(data, "kind_options", OPTIONS(kind_labels, q.kind));
	add_pager(r, data, &q, (long)cJSON_GetNumberValue(cJSON_GetObjectItem(page, "total")));
	add_flash(r, data);
	add_deleted_notice(r, data);
	cJSON_AddItemToObject(data, "form", form ? form : cJSON_CreateObject());
	cJSON_AddItemToObject(data, "new_kind_options", OPTIONS(kind_labels,
		cJSON_GetStringValue(cJSON_GetObjectItem(form, "kind"))));
	if (errors != NULL)
		cJSON_AddItemToObject(data, "errors", errors);
	errors = NULL;
	stint_view_send(r, status, "dashboard", data);
out:
	cJSON_Delete(errors);
	cJSON_Delete(qerr);
	cJSON_Delete(page);
	cJSON_Delete(data);
	free(json);
}

static void dashboard(stint_req *r)
{
	render_dashboard(r, 200, NULL, NULL);
}

static void redirect_session(stint_req *r, const char *id, const char *flash)
{
	char location[96];

	snprintf(location, sizeof(location), "/sessions/%s?flash=%s", id, flash);
	stint_resp_redirect(r, location);
}

static void create_session(stint_req *r)
{
	cJSON *body = stint_form_to_json(&r->form, stint_session_fields, stint_session_nfields);
	cJSON *errors = NULL;
	char id[37], *text;
	stint_db_rc rc;

	if (body == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (stint_session_validate(body, 0, &errors) != 0) {
		render_dashboard(r, 422, body, errors);
		return;
	}
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	rc = text ? stint_session_create(r, text, id) : STINT_DB_ERROR;
	free(text);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		redirect_session(r, id, "created");
}

/* Render a session's page; form/errors as in render_dashboard. */
static void render_session(stint_req *r, int status, cJSON *form, cJSON *errors)
{
	cJSON *data = NULL, *s = NULL;
	char *json = NULL;
	stint_db_rc rc = stint_session_get(r->db, r->params[0], &json);

	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	if (json == NULL) {
		stint_fail(r, 404, "not_found", "There is no session with this id. It may have been deleted.", NULL);
		goto out;
	}
	s = cJSON_Parse(json);
	decorate(s);
	cJSON_AddBoolToObject(s, "has_teams", cJSON_GetArraySize(cJSON_GetObjectItem(s, "teams")) > 0);
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, "session", s);
	if (form != NULL) {
		/* show what the user typed, not what is stored */
		cJSON *v;
		cJSON_ArrayForEach(v, form)
			cJSON_ReplaceItemInObject(s, v->string, cJSON_Duplicate(v, 1));
	}
	cJSON_AddItemToObject(data, "kind_options", OPTIONS(kind_labels,
		cJSON_GetStringValue(cJSON_GetObjectItem(s, "kind"))));
	cJSON_AddItemToObject(data, "status_options", OPTIONS(status_labels,
		cJSON_GetStringValue(cJSON_GetObjectItem(s, "status"))));
	add_flash(r, data);
	if (errors != NULL)
		cJSON_AddItemToObject(data, "errors", errors);
	errors = NULL;
	stint_view_send(r, status, "session", data);
out:
	cJSON_Delete(errors);
	cJSON_Delete(form);
	cJSON_Delete(data);
	free(json);
}

static void show_session(stint_req *r)
{
	render_session(r, 200, NULL, NULL);
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
		render_session(r, 422, body, errors);
		return;
	}
	text = cJSON_PrintUnformatted(body);
	rc = text ? stint_session_patch(r, r->params[0], text, &found) : STINT_DB_ERROR;
	free(text);
	if (rc == STINT_DB_INVALID && stint_session_db_problem(r->db, &errors) > 0) {
		render_session(r, 422, body, errors);
		return;
	}
	cJSON_Delete(body);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (!found)
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
	else
		redirect_session(r, r->params[0], "saved");
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
		redirect_session(r, r->params[0], "restored");
}

static int pages_init(void)
{
	return stint_view_load(stint_config_get("template_dir", "templates"));
}

#define PAGE(m, p, a, b, f) { m, p, a, b, STINT_FORMAT_HTML, f, 0 }

static const stint_route page_routes[] = {
	PAGE("GET", "/", STINT_ACCESS_SIGNED_IN, STINT_BODY_NONE, dashboard),
	PAGE("POST", "/sessions", STINT_ACCESS_AUTHOR, STINT_BODY_FORM, create_session),
	PAGE("GET", "/sessions/:uuid", STINT_ACCESS_SESSION_VIEWER, STINT_BODY_NONE, show_session),
	PAGE("POST", "/sessions/:uuid", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, update_session),
	PAGE("POST", "/sessions/:uuid/delete", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, delete_session),
	PAGE("POST", "/sessions/:uuid/restore", STINT_ACCESS_DELETED_SESSION_EDITOR, STINT_BODY_FORM, restore_session),
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"pages", page_routes, COUNT(page_routes), pages_init, stint_view_error
	};

	return stint_server_main(argc, argv, &app);
}
