/*
 * pages-matchreport.c: the match report page (templates/match-report,
 * styled by static/match-report.css, @page A4), the stats page's charts,
 * and storing the report, charts and CSVs as artifacts (lib/matchreport.h).
 * The stored report is self-contained: the same template with the
 * stylesheet inlined (served from reports/ under a CSP that allows inline
 * style and nothing else).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "escape.h"
#include "fail.h"
#include "log.h"
#include "matchreport.h"
#include "matchsheet.h"
#include "media.h"
#include "pages-matchreport.h"
#include "pages-shared.h"
#include "sessions.h"
#include "view.h"

#define CSS_MAX (64 * 1024)

/* The player named by team and player in l: 1 with *team and number set (or both unset), 0 after a 422. */
static int player_of(stint_req *r, const stint_kvlist *l, char *team, char number[4])
{
	const char *t = stint_kv_get(l, "team"), *p = stint_kv_get(l, "player");
	size_t i;

	*team = 0;
	number[0] = '\0';
	if (p == NULL || *p == '\0') {
		if (t != NULL && *t != '\0')
			return stint_fail_field(r, "player", "is required with team"), 0;
		return 1;
	}
	for (i = 0; p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i == 0 || i > 3 || p[i] != '\0')
		return stint_fail_field(r, "player", "must be a shirt number of 1 to 3 digits"), 0;
	if (t == NULL || (strcmp(t, "A") != 0 && strcmp(t, "B") != 0))
		return stint_fail_field(r, "team", "must be A or B with player"), 0;
	*team = t[0];
	snprintf(number, 4, "%s", p);
	return 1;
}

/* static/match-report.css (setting static_dir) into out; 0 or -1. */
static int read_css(stint_buf *out)
{
	char path[4200], chunk[4096];
	size_t n, total = 0;
	FILE *f;
	int rc = 0;

	if (snprintf(path, sizeof(path), "%s/match-report.css", stint_config_get("static_dir", "static")) >=
	    (int)sizeof(path) || (f = fopen(path, "re")) == NULL)
		return -1;
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0 && (total += n) <= CSS_MAX)
		rc = stint_buf_append(out, chunk, n);
	if (ferror(f) || total > CSS_MAX || out->data == NULL)
		rc = -1;
	fclose(f);
	return rc;
}

void page_match_report(stint_req *r)
{
	stint_mr mr;
	int found = 0;
	stint_db_rc rc = stint_mr_load(r->db, r->params[0], &mr, &found);
	cJSON *view;

	if (stint_found_or_fail(r, rc, found, "There is no session with this id.")) {
		view = stint_mr_view(&mr);
		if (view == NULL) {
			stint_fail_db(r, STINT_DB_ERROR);
		} else {
			cJSON_AddBoolToObject(view, "page", 1);
			stint_view_send(r, 200, "match-report", view);
		}
		cJSON_Delete(view);
	}
	stint_mr_free(&mr);
}

/* The files of a stored run, with what they hold. */
typedef struct run_files {
	stint_mr_file f[16];
	size_t n;
	stint_buf data[16];
	char names[16][200], meta[16][400];
} run_files;

/* Add a file; its data moves from b (reset after). */
static void add_file(run_files *rf, const stint_mr *mr, const char *file, const char *what, const char *ext,
		     const char *type, const char *ctype, stint_buf *b, const char *title)
{
	stint_buf meta = STINT_BUF_INIT;
	size_t k = rf->n;

	if (k >= 16)
		return;
	rf->data[k] = *b;
	*b = (stint_buf)STINT_BUF_INIT;
	stint_sheet_filename(mr->m.input, what, ext, 0, rf->names[k], sizeof(rf->names[k]));
	stint_buf_puts(&meta, "{\"source\":\"match_report\",\"part\":");
	stint_json_str(&meta, what);
	stint_buf_puts(&meta, ",\"title\":");
	stint_json_str(&meta, title);
	stint_buf_puts(&meta, "}");
	snprintf(rf->meta[k], sizeof(rf->meta[k]), "%s", meta.data ? meta.data : "{}");
	stint_buf_free(&meta);
	rf->f[k] = (stint_mr_file){ file, rf->names[k], type, ctype, rf->data[k].data, rf->data[k].len, rf->meta[k] };
	rf->n++;
}

static void run_files_free(run_files *rf)
{
	size_t k;

	for (k = 0; k < rf->n; k++)
		stint_buf_free(&rf->data[k]);
}

/* Render and gather every file of a run: the report, the charts (the player's too), the CSVs. */
static int build(const stint_mr *mr, char team, const char *number, run_files *rf, cJSON **charts)
{
	stint_buf b = STINT_BUF_INIT, css = STINT_BUF_INIT, err = STINT_BUF_INIT;
	cJSON *view = stint_mr_view(mr), *more = NULL, *c, *list;
	int rc = view == NULL || read_css(&css) != 0;

	*charts = stint_mr_charts(mr, 0, NULL);
	if (number != NULL && *charts != NULL && (more = stint_mr_charts(mr, team, number)) != NULL)
		while ((c = cJSON_DetachItemFromArray(more, 0)) != NULL)
			cJSON_AddItemToArray(*charts, c);
	cJSON_Delete(more);
	rc |= *charts == NULL;
	if (rc == 0) {
		cJSON_AddStringToObject(view, "css", css.data);
		rc |= stint_view_render("match-report", view, &b, &err);
		add_file(rf, mr, "report.html", "report", "html", "match_report", "text/html; charset=utf-8", &b,
			 "Match report");
	}
	list = rc == 0 ? *charts : NULL;
	cJSON_ArrayForEach(c, list) {
		stint_buf_puts(&b, cJSON_GetStringValue(cJSON_GetObjectItem(c, "svg")));
		add_file(rf, mr, cJSON_GetStringValue(cJSON_GetObjectItem(c, "file")),
			 cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")), "svg", "chart", "image/svg+xml", &b,
			 cJSON_GetStringValue(cJSON_GetObjectItem(c, "title")));
	}
	if (rc == 0) {
		rc |= stint_mr_events_csv(mr, &b);
		add_file(rf, mr, "events.csv", "events", "csv", "export", "text/csv; charset=utf-8", &b, "Events");
		rc |= stint_mr_players_csv(mr, &b);
		add_file(rf, mr, "players.csv", "players", "csv", "export", "text/csv; charset=utf-8", &b, "Players");
	}
	if (err.data != NULL)
		stint_log(STINT_LOG_ERROR, "match report: %s", err.data);
	stint_buf_free(&b);
	stint_buf_free(&css);
	stint_buf_free(&err);
	cJSON_Delete(view);
	return rc ? -1 : 0;
}

/* Store a run for the request's session; *artifacts gets their JSON. 1 when stored, 0 after answering. */
static int store(stint_req *r, const stint_kvlist *l, cJSON **artifacts)
{
	char team, number[4];
	run_files rf;
	stint_mr mr;
	cJSON *charts = NULL;
	int found = 0, ok = 0;
	stint_db_rc rc;

	*artifacts = NULL;
	if (!player_of(r, l, &team, number))
		return 0;
	memset(&rf, 0, sizeof(rf));
	rc = stint_mr_load(r->db, r->params[0], &mr, &found);
	if (stint_found_or_fail(r, rc, found, "There is no session with this id.")) {
		if (build(&mr, team, *number ? number : NULL, &rf, &charts) != 0)
			rc = STINT_DB_ERROR;
		else
			rc = stint_mr_store(r->db, r->params[0], r->user.id_text, rf.f, rf.n, artifacts);
		if (rc != STINT_DB_OK)
			stint_fail_db(r, rc);
		ok = rc == STINT_DB_OK;
	}
	cJSON_Delete(charts);
	run_files_free(&rf);
	stint_mr_free(&mr);
	return ok;
}

void page_match_report_store(stint_req *r)
{
	cJSON *artifacts;

	if (store(r, &r->form, &artifacts))
		page_redirect_session(r, r->params[0], "/stats", "report_stored", NULL, "downloads");
	cJSON_Delete(artifacts);
}

void api_match_report_store(stint_req *r)
{
	cJSON *artifacts, *answer;

	if (store(r, &r->query, &artifacts)) {
		answer = cJSON_CreateObject();
		cJSON_AddItemToObject(answer, "artifacts", artifacts);
		artifacts = NULL;
		stint_resp_json(r, 201, answer);
		cJSON_Delete(answer);
	}
	cJSON_Delete(artifacts);
}

/* Whether artifact a came from a stored match report. */
static int from_report(const cJSON *a)
{
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(a, "type"));
	const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "meta"), "source"));

	return type != NULL && src != NULL && strcmp(src, "match_report") == 0;
}

/* Whether the match has volleyball actions or rallies to chart (a climb's stats page has none). */
static int has_play(const stint_mr *mr)
{
	static const char *const types[] = { "serve", "reception", "attack", "block", "dig", "point" };
	const cJSON *e;
	const char *t;
	size_t i;

	cJSON_ArrayForEach(e, mr->m.events) {
		t = cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type"));
		for (i = 0; t != NULL && i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(t, types[i]) == 0)
				return 1;
	}
	return 0;
}

cJSON *page_match_charts(stint_req *r, const char *sid, char team, const char *number, int *rc)
{
	stint_mr mr;
	cJSON *out = NULL, *charts, *list = NULL, *dl, *a;
	char t[2] = { team, '\0' };
	stint_grant grant;
	int found = 0, n;

	*rc = stint_mr_load(r->db, sid, &mr, &found);
	if (*rc == STINT_DB_OK && found)
		*rc = stint_artifact_list_json(r->db, sid, &list);
	if (*rc == STINT_DB_OK && found && has_play(&mr) && (charts = stint_mr_charts(&mr, team, number)) != NULL) {
		out = cJSON_CreateObject();
		cJSON_AddItemToObject(out, "charts", charts);
		if (number != NULL) {
			a = cJSON_AddObjectToObject(out, "player");
			cJSON_AddStringToObject(a, "team", t);
			cJSON_AddStringToObject(a, "number", number);
		}
		if (stint_session_access(r->db, sid, r->user.id_text, 0, &grant) != STINT_DB_OK)
			grant = STINT_GRANT_NONE;
		cJSON_AddBoolToObject(out, "can_edit", grant == STINT_GRANT_EDIT);
		cJSON_AddBoolToObject(out, "team_b", team == 'B');
		cJSON_AddStringToObject(out, "number", number != NULL ? number : "");
		dl = cJSON_AddArrayToObject(out, "downloads");
		for (n = cJSON_GetArraySize(list) - 1; n >= 0; n--) {
			a = cJSON_GetArrayItem(list, n);
			if (from_report(a))
				cJSON_AddItemToArray(dl, cJSON_Duplicate(a, 1));
		}
		cJSON_AddBoolToObject(out, "has_downloads", cJSON_GetArraySize(dl) > 0);
	}
	cJSON_Delete(list);
	stint_mr_free(&mr);
	return out;
}
