/*
 * pages-survey.c: the survey form (issue 12, "Surveys"): one page a player
 * (or a coach for the player) fills on a phone after a session, without
 * JavaScript: the player's name, RPE as the 0-10 CR-10 scale with the
 * labels of Foster's session-RPE scale (Foster et al. 2001, J Strength Cond
 * Res 15(1):109-115), the minutes trained, and the wellness items as 1-5
 * choices (with readiness 0-10 and hours slept), the items and end labels
 * of PMData's wellness questionnaire (after McLean et al. 2010). The form
 * posts here with its CSRF token; the answers are checked by the API's
 * rules (lib/surveys.c) and stored as the API stores them, then the page
 * redirects (303) back to an empty form with a thank-you flash. A bad value
 * renders the form again (422) with the problems by field and the values
 * kept. Both routes are SESSION_EDITOR routes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "pages-shared.h"
#include "pages-survey.h"
#include "sessions.h"
#include "surveys.h"
#include "tx.h"
#include "validate.h"
#include "view.h"

/* Foster's session-RPE scale (CR-10 as Foster et al. 2001 print it): 0 to 10, some unlabelled. */
static const char *const rpe_labels[11] = {
	"Rest", "Very, very easy", "Easy", "Moderate", "Somewhat hard", "Hard", "", "Very hard", "", "",
	"Maximal",
};

/* The 1-5 wellness items: form field, question, what 1 and 5 mean. */
static const struct { const char *name, *label, *low, *high; } wellness_items[] = {
	{ "fatigue", "Fatigue", "Always tired", "Very fresh" },
	{ "mood", "Mood", "Highly annoyed", "Very positive" },
	{ "sleep_quality", "Sleep quality", "Insomnia", "Very restful" },
	{ "soreness", "Muscle soreness", "Very sore", "Feeling great" },
	{ "stress", "Stress", "Highly stressed", "Very relaxed" },
};

/* The value the form holds for name, as text ("" when none): what the player chose before a problem. */
static void form_value(const cJSON *form, const char *name, char *out, size_t size)
{
	const cJSON *v = cJSON_GetObjectItem(form, name);

	out[0] = '\0';
	if (cJSON_IsNumber(v))
		snprintf(out, size, "%g", v->valuedouble);
	else if (cJSON_IsString(v))
		snprintf(out, size, "%s", v->valuestring);
}

/* choices from..to as [{value, label, checked, id}] for radio buttons named name. */
static cJSON *scale(const char *name, int from, int to, const char *const *labels, const cJSON *form)
{
	cJSON *list = cJSON_CreateArray(), *c;
	char cur[32], v[8], id[48];
	int i;

	form_value(form, name, cur, sizeof(cur));
	for (i = from; list != NULL && i <= to; i++) {
		snprintf(v, sizeof(v), "%d", i);
		snprintf(id, sizeof(id), "%s-%d", name, i);
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "value", v);
		cJSON_AddStringToObject(c, "id", id);
		cJSON_AddStringToObject(c, "label", labels ? labels[i - from] : "");
		cJSON_AddBoolToObject(c, "checked", strcmp(cur, v) == 0);
		cJSON_AddItemToArray(list, c);
	}
	return list;
}

/* Render the form of session r->params[0] with status, the values of form and the problems of errors. */
static void render(stint_req *r, int status, const cJSON *form, const cJSON *errors)
{
	cJSON *session = NULL, *data, *items, *item, *e, *problems;
	char buf[256];
	size_t i;
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &session);

	if (!stint_found_or_fail(r, rc, session != NULL, "There is no session with this id."))
		return;
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, "session", session);
	page_add_flash(r, data);
	cJSON_AddItemToObject(data, "rpe", scale("rpe", 0, 10, rpe_labels, form));
	items = cJSON_AddArrayToObject(data, "wellness");
	for (i = 0; i < COUNT(wellness_items); i++) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "name", wellness_items[i].name);
		cJSON_AddStringToObject(item, "label", wellness_items[i].label);
		cJSON_AddStringToObject(item, "low", wellness_items[i].low);
		cJSON_AddStringToObject(item, "high", wellness_items[i].high);
		cJSON_AddItemToObject(item, "choices", scale(wellness_items[i].name, 1, 5, NULL, form));
		cJSON_AddItemToArray(items, item);
	}
	cJSON_AddItemToObject(data, "readiness", scale("readiness", 0, 10, NULL, form));
	form_value(form, "player", buf, sizeof(buf));
	cJSON_AddStringToObject(data, "player", buf);
	form_value(form, "duration_min", buf, sizeof(buf));
	cJSON_AddStringToObject(data, "duration_min", buf);
	form_value(form, "sleep_duration_h", buf, sizeof(buf));
	cJSON_AddStringToObject(data, "sleep_duration_h", buf);
	problems = cJSON_AddArrayToObject(data, "errors");
	cJSON_ArrayForEach(e, errors) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "field", e->string);
		cJSON_AddStringToObject(item, "message", cJSON_GetStringValue(e));
		cJSON_AddItemToArray(problems, item);
	}
	cJSON_AddBoolToObject(data, "has_errors", cJSON_GetArraySize(problems) > 0);
	stint_view_send(r, status, "survey", data);
	cJSON_Delete(data);
}

void page_survey(stint_req *r)
{
	render(r, 200, NULL, NULL);
}

void page_survey_save(stint_req *r)
{
	cJSON *form = stint_form_to_json(&r->form, stint_survey_fields, stint_survey_nfields);
	cJSON *errors = NULL, *items = NULL;
	char *text = NULL, *result = NULL;
	stint_db_rc rc;
	stint_tx tx;
	int bad = form != NULL ? stint_surveys_validate(form, &items, &errors) : -1;

	if (bad > 0) {
		render(r, 422, form, errors);
	} else if (bad < 0 || (text = cJSON_PrintUnformatted(items)) == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
	} else {
		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_surveys_add(&tx, r->params[0], text, r->user.id_text, "form", &result);
		rc = stint_tx_end(&tx);
		if (stint_found_or_fail(r, rc, 1, NULL))
			page_redirect_session(r, r->params[0], "/survey", "survey_saved", NULL, NULL);
	}
	free(text);
	free(result);
	cJSON_Delete(items);
	cJSON_Delete(errors);
	cJSON_Delete(form);
}
