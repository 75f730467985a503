/*
 * pages-dashboard.c: the dashboard, /: the sessions the caller may see
 * (search, status and kind filters, pages of 20) with their event and clip
 * counts, the forms to create a session and to import a match, and the
 * notice of a session just deleted with its restore button.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fail.h"
#include "pages-dashboard.h"
#include "pages-shared.h"
#include "sessions.h"
#include "teams.h"
#include "validate.h"
#include "view.h"

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
	char *title = NULL, *day = NULL;
	cJSON *d;

	if (id == NULL || !stint_is_uuid(id) ||
	    stint_session_backup_title(r->db, id, r->user.id_text, &title) != STINT_DB_OK || title == NULL)
		return;
	d = cJSON_AddObjectToObject(data, "deleted");
	cJSON_AddStringToObject(d, "id", id);
	cJSON_AddStringToObject(d, "title", title);
	free(title);
	if (stint_session_backup_expires(r->db, id, &day) == STINT_DB_OK && day != NULL)
		cJSON_AddStringToObject(d, "expires", day);
	free(day);
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
	rc = p ? stint_session_counts(r->db, p, &counts) : STINT_DB_ERROR;
	cJSON_ArrayForEach(item, sessions) {
		c = cJSON_GetObjectItem(counts, cJSON_GetStringValue(cJSON_GetObjectItem(item, "id")));
		cJSON_AddNumberToObject(item, "events", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "events")));
		cJSON_AddNumberToObject(item, "clips", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "clips")));
	}
	cJSON_Delete(counts);
	stint_buf_free(&ids);
	return rc;
}

/* The saved teams the create form offers ("saved_teams": id, name, home_selected, visiting_selected). */
static stint_db_rc add_saved_teams(stint_req *r, cJSON *data, const cJSON *form)
{
	const char *home = cJSON_GetStringValue(cJSON_GetObjectItem(form, "home_team"));
	const char *visiting = cJSON_GetStringValue(cJSON_GetObjectItem(form, "visiting_team"));
	cJSON *saved = NULL, *list = cJSON_AddArrayToObject(data, "saved_teams"), *t, *o;
	char *json = NULL, id[32];
	stint_db_rc rc = stint_db_parse(stint_saved_team_list(r->db, &json), &json, &saved);

	cJSON_ArrayForEach(t, saved) {
		snprintf(id, sizeof(id), "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(t, "id")));
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddItemToObject(o, "name", cJSON_Duplicate(cJSON_GetObjectItem(t, "name"), 1));
		cJSON_AddBoolToObject(o, "home_selected", home != NULL && strcmp(home, id) == 0);
		cJSON_AddBoolToObject(o, "visiting_selected", visiting != NULL && strcmp(visiting, id) == 0);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddBoolToObject(data, "has_saved_teams", cJSON_GetArraySize(list) > 0);
	cJSON_Delete(saved);
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
	if (rc == STINT_DB_OK && strcmp(r->user.role, "viewer") != 0)
		rc = add_saved_teams(r, data, cJSON_GetObjectItem(extra, "form"));
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
	cJSON_AddItemToObject(data, "status_options", page_status_options(q.status));
	cJSON_AddItemToObject(data, "kind_options", page_kind_options(q.kind));
	add_pager(r, data, &q, (long)cJSON_GetNumberValue(cJSON_GetObjectItem(page, "total")));
	page_add_flash(r, data);
	add_deleted_notice(r, data);
	cJSON_AddItemToObject(data, "new_kind_options", page_kind_options(
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

void page_dashboard(stint_req *r)
{
	page_render_dashboard(r, 200, NULL);
}
