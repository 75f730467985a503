/* pages-teams.c: the editor's teams panel and the saved teams page (see pages-teams.h). */
#include "pages-teams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "pages-shared.h"
#include "teams.h"
#include "tx.h"
#include "view.h"

#define FORM_ROWS_MAX PAGE_TEAM_ROWS_MAX
#define FORM_ROWS_MIN 12    /* rows a form shows at least */
#define FORM_ROWS_SPARE 4   /* empty rows after a stored roster */

static const char *const player_keys[] = { "number", "name", "position", "libero", "captain" };

/* The form value of prefix.key (prefix.pI.key when row >= 0), or NULL. */
static const char *form_value(const stint_kvlist *f, const char *prefix, int row, const char *key)
{
	char name[96];

	if (row >= 0)
		snprintf(name, sizeof(name), "%s.p%d.%s", prefix, row, key);
	else
		snprintf(name, sizeof(name), "%s.%s", prefix, key);
	return stint_kv_get(f, name);
}

static int filled(const char *v)
{
	return v != NULL && v[strspn(v, " \t")] != '\0';
}

cJSON *page_team_from_form(const stint_kvlist *f, const char *prefix, int rowmap[PAGE_TEAM_ROWS_MAX], int *blank)
{
	cJSON *team = cJSON_CreateObject(), *players = cJSON_AddArrayToObject(team, "players"), *p;
	const char *v, *number, *name;
	int k = 0;

	v = form_value(f, prefix, -1, "name");
	*blank = !filled(v);
	cJSON_AddStringToObject(team, "name", v ? v : "");
	v = form_value(f, prefix, -1, "short_name");
	cJSON_AddStringToObject(team, "short_name", v ? v : "");
	v = form_value(f, prefix, -1, "colour");
	cJSON_AddStringToObject(team, "colour", v ? v : "");
	for (int row = 0; row < FORM_ROWS_MAX; row++) {
		number = form_value(f, prefix, row, "number");
		name = form_value(f, prefix, row, "name");
		if (!filled(number) && !filled(name))
			continue;
		*blank = 0;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "number", number ? number + strspn(number, " \t") : "");
		cJSON_AddStringToObject(p, "name", name ? name : "");
		v = form_value(f, prefix, row, "position");
		cJSON_AddStringToObject(p, "position", v ? v : "");
		cJSON_AddBoolToObject(p, "libero", form_value(f, prefix, row, "libero") != NULL);
		cJSON_AddBoolToObject(p, "captain", form_value(f, prefix, row, "captain") != NULL);
		cJSON_AddItemToArray(players, p);
		rowmap[k++] = row;
	}
	return team;
}

void page_team_form_errors(const cJSON *errors, const char *at, const char *prefix, const int *rowmap, int n,
			   cJSON *out)
{
	const cJSON *e;
	const char *rest;
	char key[128];
	int k, used;

	cJSON_ArrayForEach(e, errors) {
		size_t len = at ? strlen(at) : 0;

		if (at != NULL && (strncmp(e->string, at, len) != 0 || (e->string[len] != '.' && e->string[len] != '\0')))
			continue;
		rest = at != NULL ? e->string + len + (e->string[len] == '.') : e->string;
		if (sscanf(rest, "players[%d]%n", &k, &used) == 1 && k >= 0 && k < n && rest[used] == '.')
			snprintf(key, sizeof(key), "%s.p%d.%s", prefix, rowmap[k], rest + used + 1);
		else if (strncmp(rest, "players", 7) == 0)
			snprintf(key, sizeof(key), "%s.players", prefix);
		else
			snprintf(key, sizeof(key), "%s.%s", prefix, *rest ? rest : "name");
		if (!cJSON_HasObjectItem(out, key))
			cJSON_AddStringToObject(out, key, cJSON_GetStringValue(e));
	}
}

/*
 * Add "<key>_error" to o: the problem errors has for prefix.key (row >= 0:
 * prefix.pI.key), else false (so that a row never shows its team's).
 * Returns 1 when there is a problem.
 */
static int add_error(cJSON *o, const cJSON *errors, const char *prefix, int row, const char *key)
{
	char name[96], out[40];
	const char *msg;

	if (row >= 0)
		snprintf(name, sizeof(name), "%s.p%d.%s", prefix, row, key);
	else
		snprintf(name, sizeof(name), "%s.%s", prefix, key);
	msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(errors, name));
	snprintf(out, sizeof(out), "%s_error", key);
	if (msg == NULL) {
		cJSON_AddBoolToObject(o, out, 0);
		return 0;
	}
	cJSON_AddStringToObject(o, out, msg);
	return 1;
}

/* One roster row of a form: {row, prefix, n (1-based), number, name, position, libero, captain, *_error}. */
static cJSON *row_view(const char *prefix, int row, const cJSON *player, const stint_kvlist *form,
		       const cJSON *errors)
{
	cJSON *o = cJSON_CreateObject();
	const char *v;
	int bad = 0;

	cJSON_AddNumberToObject(o, "row", row);
	cJSON_AddNumberToObject(o, "n", row + 1);
	cJSON_AddStringToObject(o, "prefix", prefix);
	for (size_t i = 0; i < 3; i++) {
		v = form ? form_value(form, prefix, row, player_keys[i])
			 : cJSON_GetStringValue(cJSON_GetObjectItem(player, player_keys[i]));
		cJSON_AddStringToObject(o, player_keys[i], v ? v : "");
	}
	for (size_t i = 3; i < 5; i++)
		cJSON_AddBoolToObject(o, player_keys[i], form ? form_value(form, prefix, row, player_keys[i]) != NULL
						       : cJSON_IsTrue(cJSON_GetObjectItem(player, player_keys[i])));
	for (size_t i = 0; i < 5; i++)
		bad += add_error(o, errors, prefix, row, player_keys[i]);
	cJSON_AddBoolToObject(o, "has_error", bad > 0);
	return o;
}

/* The highest form row under prefix with any field sent, + 1. */
static int form_rows(const stint_kvlist *form, const char *prefix)
{
	int n = 0;

	for (int row = 0; row < FORM_ROWS_MAX; row++)
		for (size_t i = 0; i < 5; i++)
			if (form_value(form, prefix, row, player_keys[i]) != NULL)
				n = row + 1;
	return n;
}

/*
 * A team's form: {prefix, legend, name, short_name, colour, rows, *_error,
 * has_errors, players_shown (read-only lines)}: stored (a team's JSON, or
 * NULL) or the form sent back with its errors.
 */
static cJSON *team_view(const char *prefix, const char *legend, const char *colour, const cJSON *stored,
			const stint_kvlist *form, const cJSON *errors)
{
	cJSON *o = cJSON_CreateObject(), *rows = cJSON_CreateArray(), *shown = cJSON_CreateArray();
	const cJSON *players = cJSON_GetObjectItem(stored, "players"), *p;
	const char *keys[] = { "name", "short_name", "colour" }, *v;
	int n = form ? form_rows(form, prefix) : cJSON_GetArraySize(players) + FORM_ROWS_SPARE;

	cJSON_AddStringToObject(o, "prefix", prefix);
	cJSON_AddStringToObject(o, "legend", legend);
	for (size_t i = 0; i < 3; i++) {
		v = form ? form_value(form, prefix, -1, keys[i]) : cJSON_GetStringValue(cJSON_GetObjectItem(stored, keys[i]));
		if (i == 2 && (v == NULL || *v == '\0'))
			v = colour;
		cJSON_AddStringToObject(o, keys[i], v ? v : "");
		add_error(o, errors, prefix, -1, keys[i]);
	}
	add_error(o, errors, prefix, -1, "players");
	for (size_t i = 0; i < 5; i++)  /* a row's own keys, never the team's */
		if (i != 1)
			add_error(o, NULL, prefix, -1, player_keys[i]);
	cJSON_AddBoolToObject(o, "has_error", 0);
	if (n < FORM_ROWS_MIN)
		n = FORM_ROWS_MIN;
	if (n > FORM_ROWS_MAX)
		n = FORM_ROWS_MAX;
	for (int row = 0; row < n; row++)
		cJSON_AddItemToArray(rows, row_view(prefix, row, form ? NULL : cJSON_GetArrayItem(players, row), form, errors));
	cJSON_AddItemToObject(o, "rows", rows);
	cJSON_ArrayForEach(p, players)
		cJSON_AddItemToArray(shown, cJSON_Duplicate(p, 1));
	cJSON_AddBoolToObject(o, "has_players", cJSON_GetArraySize(shown) > 0);
	cJSON_AddItemToObject(o, "players", shown);
	cJSON_AddBoolToObject(o, "exists", stored != NULL && cJSON_IsObject(stored));
	return o;
}

/* The saved teams as a parsed array in *out (an empty one on failure). */
static stint_db_rc saved_list(stint_req *r, cJSON **out)
{
	char *json = NULL;
	stint_db_rc rc = stint_db_parse(stint_saved_team_list(r->db, &json), &json, out);

	if (!cJSON_IsArray(*out)) {
		cJSON_Delete(*out);
		*out = cJSON_CreateArray();
	}
	return rc;
}

stint_db_rc page_teams_panel_data(stint_req *r, cJSON *data, const stint_kvlist *form, const cJSON *errors)
{
	cJSON *panel = cJSON_AddObjectToObject(data, "teams_panel"), *teams = NULL, *saved = NULL, *s, *list;
	char *json = NULL, label[260];
	stint_db_rc rc = stint_db_parse(stint_teams_get(r->db, r->params[0], &json), &json, &teams);

	if (rc == STINT_DB_OK)
		rc = saved_list(r, &saved);
	else
		saved = cJSON_CreateArray();
	cJSON_AddItemToObject(panel, "home", team_view("home", "Home", "#1f6feb", cJSON_GetObjectItem(teams, "home"),
						       form, errors));
	cJSON_AddItemToObject(panel, "visiting", team_view("visiting", "Visiting", "#d1242f",
							   cJSON_GetObjectItem(teams, "visiting"), form, errors));
	list = cJSON_AddArrayToObject(panel, "saved");
	cJSON_ArrayForEach(s, saved) {
		cJSON *o = cJSON_CreateObject();

		snprintf(label, sizeof(label), "%.200s (%d players)", cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")),
			 cJSON_GetArraySize(cJSON_GetObjectItem(s, "players")));
		cJSON_AddItemToObject(o, "id", cJSON_Duplicate(cJSON_GetObjectItem(s, "id"), 1));
		cJSON_AddStringToObject(o, "label", label);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddBoolToObject(panel, "has_saved", cJSON_GetArraySize(list) > 0);
	cJSON_AddBoolToObject(panel, "has_errors", errors != NULL && cJSON_GetArraySize(errors) > 0);
	cJSON_AddBoolToObject(panel, "has_teams", cJSON_IsObject(cJSON_GetObjectItem(teams, "home")) ||
			      cJSON_IsObject(cJSON_GetObjectItem(teams, "visiting")));
	cJSON_Delete(teams);
	cJSON_Delete(saved);
	return rc;
}

/* One side of the summary: {prefix, legend, exists, name_shown, players_text}. */
static cJSON *side_summary(const char *prefix, const char *legend, const cJSON *team)
{
	cJSON *o = cJSON_CreateObject();
	int exists = cJSON_IsObject(team), n = cJSON_GetArraySize(cJSON_GetObjectItem(team, "players"));
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(team, "name"));
	char text[32];

	cJSON_AddStringToObject(o, "prefix", prefix);
	cJSON_AddStringToObject(o, "legend", legend);
	cJSON_AddBoolToObject(o, "exists", exists);
	cJSON_AddStringToObject(o, "name_shown", exists && name != NULL ? name : "No team yet");
	if (n == 0)
		snprintf(text, sizeof(text), "no players");
	else
		snprintf(text, sizeof(text), "%d player%s", n, n == 1 ? "" : "s");
	cJSON_AddStringToObject(o, "players_text", exists ? text : "");
	return o;
}

stint_db_rc page_teams_summary_data(stint_req *r, cJSON *data)
{
	cJSON *panel = cJSON_AddObjectToObject(data, "teams_panel"), *teams = NULL;
	char *json = NULL;
	stint_db_rc rc = stint_db_parse(stint_teams_get(r->db, r->params[0], &json), &json, &teams);

	cJSON_AddItemToObject(panel, "home", side_summary("home", "Home", cJSON_GetObjectItem(teams, "home")));
	cJSON_AddItemToObject(panel, "visiting", side_summary("visiting", "Visiting", cJSON_GetObjectItem(teams, "visiting")));
	cJSON_Delete(teams);
	return rc;
}

/* ---- /teams -------------------------------------------------------------- */

/* The page; posted (the form's prefix, "new" or "t<id>") came back with form and errors. */
static void render_teams(stint_req *r, int status, const char *posted, const cJSON *errors)
{
	cJSON *saved = NULL, *data, *list, *s;
	char prefix[32];
	int can_edit = strcmp(r->user.role, "admin") == 0 || strcmp(r->user.role, "coach") == 0;
	stint_db_rc rc = saved_list(r, &saved);

	if (rc != STINT_DB_OK) {
		cJSON_Delete(saved);
		stint_fail_db(r, rc);
		return;
	}
	data = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(data, "teams");
	cJSON_ArrayForEach(s, saved) {
		int mine;
		cJSON *t;

		snprintf(prefix, sizeof(prefix), "t%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(s, "id")));
		mine = posted != NULL && strcmp(posted, prefix) == 0;
		t = team_view(prefix, cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")), "#1f6feb", s,
			      mine ? &r->form : NULL, mine ? errors : NULL);
		cJSON_AddItemToObject(t, "id", cJSON_Duplicate(cJSON_GetObjectItem(s, "id"), 1));
		cJSON_AddNumberToObject(t, "count", cJSON_GetArraySize(cJSON_GetObjectItem(s, "players")));
		cJSON_AddBoolToObject(t, "open", mine);
		cJSON_AddItemToArray(list, t);
	}
	cJSON_AddBoolToObject(data, "has_teams", cJSON_GetArraySize(list) > 0);
	posted = posted != NULL && strcmp(posted, "new") == 0 ? posted : NULL;
	cJSON_AddItemToObject(data, "new", team_view("new", "New team", "#1f6feb", NULL, posted ? &r->form : NULL,
						     posted ? errors : NULL));
	cJSON_AddBoolToObject(data, "can_edit", can_edit);
	cJSON_AddBoolToObject(data, "has_errors", errors != NULL);
	page_add_flash(r, data);
	cJSON_Delete(saved);
	stint_view_send(r, status, "teams", data);
	cJSON_Delete(data);
}

void page_teams(stint_req *r)
{
	render_teams(r, 200, NULL, NULL);
}

/* Write the form under prefix as saved team id (NULL: new); redirect, or the page again with its problems. */
static void save_team(stint_req *r, const char *id, const char *prefix)
{
	int rowmap[FORM_ROWS_MAX], blank, bad;
	cJSON *team = page_team_from_form(&r->form, prefix, rowmap, &blank), *errors = NULL, *shown;
	char *json = NULL;
	stint_db_rc rc;
	stint_tx tx;

	bad = stint_team_validate(NULL, team, 0, &errors);
	if (bad == 0) {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_saved_team_put(&tx, id, team, r->user.id_text, &json);
		rc = stint_tx_end(&tx);
		cJSON_Delete(team);
		if (rc == STINT_DB_OK && json == NULL)
			stint_fail(r, 404, "not_found", "There is no such saved team.", NULL);
		else if (rc != STINT_DB_OK)
			stint_fail_db(r, rc);
		else
			stint_resp_redirect(r, id ? "/teams?flash=team_saved" : "/teams?flash=team_added");
		free(json);
		return;
	}
	shown = cJSON_CreateObject();
	page_team_form_errors(errors, NULL, prefix, rowmap, cJSON_GetArraySize(cJSON_GetObjectItem(team, "players")), shown);
	cJSON_Delete(errors);
	cJSON_Delete(team);
	render_teams(r, 422, prefix, shown);
	cJSON_Delete(shown);
}

void page_team_create(stint_req *r)
{
	save_team(r, NULL, "new");
}

void page_team_save(stint_req *r)
{
	char prefix[40];

	snprintf(prefix, sizeof(prefix), "t%.30s", r->params[0]);
	save_team(r, r->params[0], prefix);
}

void page_team_delete(stint_req *r)
{
	int found = 0;
	stint_db_rc rc;
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_saved_team_delete(&tx, r->params[0], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, "There is no such saved team."))
		stint_resp_redirect(r, "/teams?flash=team_deleted");
}
