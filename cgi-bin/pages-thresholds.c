/*
 * pages-thresholds.c: /settings/thresholds, the report's load thresholds
 * per team and date (issue 12): a table of the rows and a form per row and
 * one for a new team or date, every field labelled with its unit and the
 * source of its literature default (lib/thresholds.c's table). The forms
 * write through lib/thresholds.c as PUT and DELETE /api/v1/thresholds do;
 * a form with problems comes back (422) with its values and the problems by
 * field. Whoever may create sessions sees the page; admins and coaches get
 * the forms (the routes' COACH access refuses the others).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "pages-shared.h"
#include "pages-thresholds.h"
#include "thresholds.h"
#include "tx.h"
#include "view.h"

/* The form posted with its problems, to show again: which form ("new" or a row's team and date). */
typedef struct posted {
	int is_new;
	const char *team, *valid_from;
	const stint_kvlist *form;
	cJSON *errors;
} posted;

/* A value as the form shows it: numbers in their shortest form. */
static cJSON *shown(const cJSON *row, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, name);
	char buf[40];

	if (cJSON_IsNumber(v)) {
		snprintf(buf, sizeof(buf), "%.10g", v->valuedouble);
		return cJSON_CreateString(buf);
	}
	return cJSON_CreateString(cJSON_IsString(v) ? v->valuestring : "");
}

/*
 * The form of one row: {id, team, valid_from, team_label, is_default, is_new, fields:
 * [{name, id, label, unit, source, default, value, error}], errors}. row is the stored row
 * (NULL for the new form); p the posted form when it is this one.
 */
static cJSON *row_form(const cJSON *row, int index, const posted *p)
{
	cJSON *f = cJSON_CreateObject(), *fields = cJSON_CreateArray();
	const char *team = row ? cJSON_GetStringValue(cJSON_GetObjectItem(row, "team")) : "";
	const char *from = row ? cJSON_GetStringValue(cJSON_GetObjectItem(row, "valid_from")) : "";
	char id[32], def[64];

	if (team == NULL)
		team = "";
	if (from == NULL)
		from = "";
	snprintf(id, sizeof(id), row ? "row-%d" : "new", index);
	cJSON_AddStringToObject(f, "id", id);
	if (p != NULL && p->is_new) {
		team = p->team ? p->team : "";
		from = p->valid_from ? p->valid_from : "";
	}
	cJSON_AddStringToObject(f, "team", team);
	cJSON_AddStringToObject(f, "valid_from", from);
	cJSON_AddStringToObject(f, "team_label", team[0] != '\0' ? team : "Every team (default)");
	cJSON_AddBoolToObject(f, "is_default", row != NULL && team[0] == '\0' &&
			      strcmp(from, STINT_THRESHOLDS_DEFAULT_FROM) == 0);
	cJSON_AddBoolToObject(f, "is_new", row == NULL);
	for (size_t i = 0; i < stint_threshold_nfields; i++) {
		const stint_threshold_field *t = &stint_threshold_fields[i];
		cJSON *x = cJSON_CreateObject(), *err;
		const char *v;

		cJSON_AddStringToObject(x, "name", t->name);
		snprintf(def, sizeof(def), "%s-%s", id, t->name);
		cJSON_AddStringToObject(x, "id", def);
		cJSON_AddStringToObject(x, "label", t->label);
		cJSON_AddStringToObject(x, "unit", t->unit);
		cJSON_AddStringToObject(x, "source", t->source);
		snprintf(def, sizeof(def), "%.10g", t->def);
		cJSON_AddStringToObject(x, "default", def);
		cJSON_AddStringToObject(x, "step", t->integer ? "1" : "any");
		if (p != NULL) {
			v = stint_kv_get(p->form, t->name);
			cJSON_AddStringToObject(x, "value", v ? v : "");
			err = cJSON_GetObjectItemCaseSensitive(p->errors, t->name);
			if (cJSON_IsString(err))
				cJSON_AddStringToObject(x, "error", err->valuestring);
		} else if (row != NULL) {
			cJSON_AddItemToObject(x, "value", shown(row, t->name));
		} else {
			cJSON_AddStringToObject(x, "value", def);
		}
		cJSON_AddItemToArray(fields, x);
	}
	cJSON_AddItemToObject(f, "fields", fields);
	if (row != NULL) {
		snprintf(def, sizeof(def), "%g / %g / %g / %g", cJSON_GetNumberValue(cJSON_GetObjectItem(row, "zone1_mps")),
			 cJSON_GetNumberValue(cJSON_GetObjectItem(row, "zone2_mps")),
			 cJSON_GetNumberValue(cJSON_GetObjectItem(row, "zone3_mps")),
			 cJSON_GetNumberValue(cJSON_GetObjectItem(row, "zone4_mps")));
		cJSON_AddStringToObject(f, "zones", def);
		cJSON_AddItemToObject(f, "hsr", shown(row, "hsr_mps"));
		cJSON_AddItemToObject(f, "sprint", shown(row, "sprint_mps"));
		cJSON_AddItemToObject(f, "hr_max", shown(row, "hr_max_bpm"));
	}
	if (p != NULL) {
		cJSON_AddItemToObject(f, "errors", cJSON_Duplicate(p->errors, 1));
		cJSON_AddBoolToObject(f, "open", 1);
	}
	return f;
}

/* The page, with the posted form p (NULL: none) shown again with its problems. */
static void render(stint_req *r, int status, const posted *p)
{
	cJSON *rows = NULL, *data, *forms, *row;
	char *json = NULL;
	int i = 0, shown_posted = 0;
	stint_db_rc rc = stint_thresholds_list(r->db, &json);

	if (stint_db_parse(rc, &json, &rows) != STINT_DB_OK || !cJSON_IsArray(rows)) {
		cJSON_Delete(rows);
		stint_fail_db(r, rc != STINT_DB_OK ? rc : STINT_DB_ERROR);
		return;
	}
	data = cJSON_CreateObject();
	forms = cJSON_AddArrayToObject(data, "rows");
	cJSON_ArrayForEach(row, rows) {
		const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(row, "team"));
		const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(row, "valid_from"));
		int mine = p != NULL && !p->is_new && p->team && p->valid_from && team && from &&
			   strcmp(p->team, team) == 0 && strcmp(p->valid_from, from) == 0;

		shown_posted |= mine;
		cJSON_AddItemToArray(forms, row_form(row, i++, mine ? p : NULL));
	}
	cJSON_AddItemToObject(data, "new", row_form(NULL, 0, p != NULL && (p->is_new || !shown_posted) ? p : NULL));
	cJSON_AddBoolToObject(data, "can_edit", strcmp(r->user.role, "admin") == 0 ||
			      strcmp(r->user.role, "coach") == 0);
	if (p != NULL)
		cJSON_AddBoolToObject(data, "has_errors", 1);
	page_add_flash(r, data);
	cJSON_Delete(rows);
	stint_view_send(r, status, "thresholds", data);
	cJSON_Delete(data);
}

void page_thresholds(stint_req *r)
{
	render(r, 200, NULL);
}

/* The form's values as a PUT body: numbers where the text is one, else the text (a problem). */
static cJSON *form_body(const stint_kvlist *form)
{
	cJSON *o = cJSON_CreateObject();
	const char *v;
	char *end;
	double d;

	v = stint_kv_get(form, "team");
	cJSON_AddStringToObject(o, "team", v ? v : "");
	v = stint_kv_get(form, "valid_from");
	cJSON_AddStringToObject(o, "valid_from", v ? v : "");
	for (size_t i = 0; i < stint_threshold_nfields; i++) {
		v = stint_kv_get(form, stint_threshold_fields[i].name);
		if (v == NULL)
			continue;
		d = strtod(v, &end);
		if (*v != '\0' && *end == '\0' && isfinite(d))
			cJSON_AddNumberToObject(o, stint_threshold_fields[i].name, d);
		else
			cJSON_AddStringToObject(o, stint_threshold_fields[i].name, v);
	}
	return o;
}

static void redirect(stint_req *r, const char *flash)
{
	char location[96];

	snprintf(location, sizeof(location), "/settings/thresholds?flash=%s", flash);
	stint_resp_redirect(r, location);
}

void page_thresholds_set(stint_req *r)
{
	cJSON *body = form_body(&r->form), *errors = NULL, *row = NULL;
	const char *field, *problem = NULL, *which = stint_kv_get(&r->form, "form");
	posted p = { which != NULL && strcmp(which, "new") == 0, stint_kv_get(&r->form, "team"),
		     stint_kv_get(&r->form, "valid_from"), &r->form, NULL };
	char *json = NULL;
	int created = 0, bad;
	stint_db_rc rc;
	stint_tx tx;

	bad = body != NULL ? stint_thresholds_validate(body, &row, &errors) : -1;
	cJSON_Delete(body);
	if (bad < 0) {
		cJSON_Delete(errors);
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (bad == 0) {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_thresholds_put(&tx, row, &json, &created);
		rc = stint_tx_end(&tx);
		cJSON_Delete(row);
		free(json);
		field = stint_thresholds_refusal(rc, r->db->constraint, &problem);
		if (field == NULL && rc != STINT_DB_OK) {
			stint_fail_db(r, rc);
			return;
		}
		if (field == NULL) {
			redirect(r, created ? "thresholds_added" : "thresholds_saved");
			return;
		}
		errors = cJSON_CreateObject();
		cJSON_AddStringToObject(errors, field, problem);
	}
	p.errors = errors;
	render(r, 422, &p);
	cJSON_Delete(errors);
}

void page_thresholds_delete(stint_req *r)
{
	const char *team = stint_kv_get(&r->form, "team"), *from = stint_kv_get(&r->form, "valid_from");
	int found = 0;
	stint_db_rc rc;
	stint_tx tx;

	if (team == NULL)
		team = "";
	if (strlen(team) > 200 || stint_thresholds_date_ok(from) != 0) {
		stint_fail(r, 404, "not_found", "There are no thresholds of this team from this date.", NULL);
		return;
	}
	if (team[0] == '\0' && strcmp(from, STINT_THRESHOLDS_DEFAULT_FROM) == 0) {
		stint_fail(r, 409, "conflict", "The default thresholds cannot be deleted; change them instead.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_thresholds_delete(&tx, team, from, &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, "There are no thresholds of this team from this date."))
		redirect(r, "thresholds_deleted");
}
