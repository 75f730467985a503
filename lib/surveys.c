/* surveys.c: survey rules, PMData-style CSV reading, reads and writes (see surveys.h). */
#include "surveys.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const stint_field stint_survey_fields[] = {
	{ "player", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_NO_DEST },
	{ "rpe", STINT_F_NUMBER, STINT_F_NULLABLE, 0, 10, NULL, STINT_NO_DEST },  /* Borg CR-10 */
	{ "duration_min", STINT_F_NUMBER, STINT_F_NULLABLE, 0, 10000, NULL, STINT_NO_DEST },
	{ "fatigue", STINT_F_INT, STINT_F_NULLABLE, 1, 5, NULL, STINT_NO_DEST },
	{ "mood", STINT_F_INT, STINT_F_NULLABLE, 1, 5, NULL, STINT_NO_DEST },
	{ "readiness", STINT_F_INT, STINT_F_NULLABLE, 0, 10, NULL, STINT_NO_DEST },
	{ "sleep_duration_h", STINT_F_NUMBER, STINT_F_NULLABLE, 0, 24, NULL, STINT_NO_DEST },
	{ "sleep_quality", STINT_F_INT, STINT_F_NULLABLE, 1, 5, NULL, STINT_NO_DEST },
	{ "soreness", STINT_F_INT, STINT_F_NULLABLE, 1, 5, NULL, STINT_NO_DEST },
	{ "stress", STINT_F_INT, STINT_F_NULLABLE, 1, 5, NULL, STINT_NO_DEST },
	{ "answered_at", STINT_F_TIMESTAMP, 0, 0, 0, NULL, STINT_NO_DEST },
	{ "id", STINT_F_INT, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "session_id", STINT_F_UUID, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "srpe_load", STINT_F_NUMBER, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "user_id", STINT_F_INT, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "created_at", STINT_F_TIMESTAMP, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
};
const size_t stint_survey_nfields = sizeof(stint_survey_fields) / sizeof(stint_survey_fields[0]);

static const stint_field survey_batch[] = {
	{ "items", STINT_F_ARRAY, STINT_F_REQUIRED, 1, STINT_SURVEYS_MAX_BATCH, NULL,
	  STINT_ITEMS(stint_survey_fields), .shape = "must be an array of 1 to 10000 surveys", STINT_NO_DEST },
};

int stint_surveys_validate(const cJSON *body, cJSON **items, cJSON **errors)
{
	int bad;

	*items = NULL;
	if (cJSON_IsObject(body) && cJSON_HasObjectItem(body, "items")) {
		bad = stint_validate_json(body, STINT_SPEC(survey_batch), 0, NULL, errors);
		if (bad == 0 && (*items = cJSON_Duplicate(cJSON_GetObjectItem(body, "items"), 1)) == NULL)
			return -1;
		return bad;
	}
	bad = stint_validate_json(body, stint_survey_fields, stint_survey_nfields, 0, NULL, errors);
	if (bad == 0) {
		*items = cJSON_CreateArray();
		if (*items == NULL || !cJSON_AddItemToArray(*items, cJSON_Duplicate(body, 1)))
			return -1;
	}
	return bad;
}

/* --- CSV ---------------------------------------------------------------- */

#define CSV_MAX_COLUMNS 9
#define CSV_MAX_NAMED 100

/* A kind's header, and the survey field each column goes to (NULL: not kept). */
typedef struct csv_layout {
	int ncolumns;
	const char *header[CSV_MAX_COLUMNS];
	const char *field[CSV_MAX_COLUMNS];
	const char *header_text;
} csv_layout;

static const csv_layout layouts[] = {
	[STINT_SURVEY_CSV_WELLNESS] = { 9,
		{ "effective_time_frame", "fatigue", "mood", "readiness", "sleep_duration_h", "sleep_quality",
		  "soreness", "soreness_area", "stress" },
		{ "answered_at", "fatigue", "mood", "readiness", "sleep_duration_h", "sleep_quality",
		  "soreness", NULL, "stress" },
		"effective_time_frame,fatigue,mood,readiness,sleep_duration_h,sleep_quality,soreness,"
		"soreness_area,stress" },
	[STINT_SURVEY_CSV_SRPE] = { 4,
		{ "end_date_time", "activity_names", "perceived_exertion", "duration_min" },
		{ "answered_at", NULL, "rpe", "duration_min" },
		"end_date_time,activity_names,perceived_exertion,duration_min" },
};

typedef struct csv_state {
	const csv_layout *layout;
	const char *player;
	cJSON *out, **errors, **warnings;
	int col, line, header_seen, problems, failed;
	char *fields[CSV_MAX_COLUMNS];
} csv_state;

static void csv_problem(csv_state *st, const char *field, const char *msg)
{
	char key[96];

	st->problems++;
	if (st->problems > CSV_MAX_NAMED)
		return;
	if (*st->errors == NULL && (*st->errors = cJSON_CreateObject()) == NULL) {
		st->failed = 1;
		return;
	}
	if (field != NULL)
		snprintf(key, sizeof(key), "line %d.%s", st->line, field);
	else
		snprintf(key, sizeof(key), "line %d", st->line);
	cJSON_AddStringToObject(*st->errors, key, msg);
}

static void csv_field(void *s, size_t len, void *data)
{
	csv_state *st = data;

	if (st->col < CSV_MAX_COLUMNS && !st->failed) {
		st->fields[st->col] = s ? strndup(s, len) : NULL;
		if (s != NULL && st->fields[st->col] == NULL)
			st->failed = 1;
	}
	st->col++;
}

/* A cell as JSON: null when empty, a number when it parses whole, else the text (the validator names it). */
static cJSON *csv_value(const char *field, const char *v)
{
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return strcmp(field, "answered_at") == 0 ? cJSON_CreateString("") : cJSON_CreateNull();
	if (strcmp(field, "answered_at") != 0) {
		d = strtod(v, &end);
		if (end != v && *end == '\0')
			return cJSON_CreateNumber(d);
	}
	return cJSON_CreateString(v);
}

/* The 1-5 items of a wellness row: a 0 is not answered (surveys.h); say so in the warnings. */
static void csv_unanswered(csv_state *st, cJSON *row)
{
	static const char *const items[] = { "fatigue", "mood", "sleep_quality", "soreness", "stress" };
	cJSON *v, *w;
	size_t i;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		v = cJSON_GetObjectItem(row, items[i]);
		if (!cJSON_IsNumber(v) || v->valuedouble != 0)
			continue;
		cJSON_ReplaceItemInObject(row, items[i], cJSON_CreateNull());
		if (*st->warnings == NULL && (*st->warnings = cJSON_CreateArray()) == NULL) {
			st->failed = 1;
			return;
		}
		w = cJSON_CreateObject();
		cJSON_AddNumberToObject(w, "line", st->line);
		cJSON_AddStringToObject(w, "field", items[i]);
		cJSON_AddStringToObject(w, "message", "0 is outside the 1-5 scale: stored as not answered");
		cJSON_AddItemToArray(*st->warnings, w);
	}
}

static void csv_build_row(csv_state *st)
{
	cJSON *row = cJSON_CreateObject(), *errors = NULL, *e;
	char at[32];
	int i, bad;

	if (row == NULL || cJSON_AddStringToObject(row, "player", st->player) == NULL) {
		cJSON_Delete(row);
		st->failed = 1;
		return;
	}
	for (i = 0; i < st->layout->ncolumns; i++)
		if (st->layout->field[i] != NULL)
			cJSON_AddItemToObject(row, st->layout->field[i], csv_value(st->layout->field[i], st->fields[i]));
	if (st->layout == &layouts[STINT_SURVEY_CSV_WELLNESS])
		csv_unanswered(st, row);
	snprintf(at, sizeof(at), "line %d", st->line);
	bad = stint_validate_json_at(at, row, stint_survey_fields, stint_survey_nfields, 0, NULL, &errors);
	if (bad < 0) {
		st->failed = 1;
	} else if (bad > 0) {
		/* the column's own name where it differs from the survey field's */
		cJSON_ArrayForEach(e, errors) {
			const char *dot = strchr(e->string, '.');

			for (i = 0; dot != NULL && i < st->layout->ncolumns; i++)
				if (st->layout->field[i] != NULL && strcmp(dot + 1, st->layout->field[i]) == 0)
					break;
			csv_problem(st, dot != NULL && i < st->layout->ncolumns ? st->layout->header[i] : NULL,
				    cJSON_GetStringValue(e));
		}
	}
	cJSON_Delete(errors);
	if (bad == 0 && cJSON_GetArraySize(st->out) >= STINT_SURVEYS_MAX_BATCH) {
		csv_problem(st, NULL, "is past the 10000 surveys one request may hold");
		bad = 1;
	}
	if (bad != 0 || st->failed)
		cJSON_Delete(row);
	else
		cJSON_AddItemToArray(st->out, row);
}

static void csv_row_end(int c, void *data)
{
	csv_state *st = data;
	char msg[192];
	int i, ok;

	(void)c;
	st->line++;
	if (!st->header_seen) {
		st->header_seen = 1;
		ok = st->col == st->layout->ncolumns;
		for (i = 0; ok && i < st->layout->ncolumns; i++)
			ok = st->fields[i] != NULL && strcmp(st->fields[i], st->layout->header[i]) == 0;
		if (!ok) {
			snprintf(msg, sizeof(msg), "the header must be %s", st->layout->header_text);
			csv_problem(st, NULL, msg);
			st->failed = st->failed ? st->failed : 2;  /* read no rows under a wrong header */
		}
	} else if (!st->failed) {
		if (st->col != st->layout->ncolumns) {
			snprintf(msg, sizeof(msg), "must have %d fields", st->layout->ncolumns);
			csv_problem(st, NULL, msg);
		} else {
			csv_build_row(st);
		}
	}
	for (i = 0; i < CSV_MAX_COLUMNS; i++) {
		free(st->fields[i]);
		st->fields[i] = NULL;
	}
	st->col = 0;
}

int stint_surveys_from_csv(stint_survey_csv kind, const char *player, const char *data, size_t len,
			   cJSON **items, cJSON **errors, cJSON **warnings)
{
	struct csv_parser p;
	csv_state st;
	int rc = -1, i;

	memset(&st, 0, sizeof(st));
	st.layout = &layouts[kind];
	st.player = player;
	st.errors = errors;
	st.warnings = warnings;
	*items = NULL;
	if (csv_init(&p, CSV_STRICT | CSV_EMPTY_IS_NULL | CSV_STRICT_FINI) != 0)
		return -1;
	if ((st.out = cJSON_CreateArray()) == NULL)
		goto out;
	if (csv_parse(&p, data, len, csv_field, csv_row_end, &st) != len ||
	    csv_fini(&p, csv_field, csv_row_end, &st) != 0) {
		st.line++;
		csv_problem(&st, NULL, csv_strerror(csv_error(&p)));
	}
	if (st.failed == 1)
		goto out;
	if (!st.header_seen) {
		st.line = 1;
		csv_problem(&st, NULL, "the CSV is empty");
	} else if (st.problems == 0 && cJSON_GetArraySize(st.out) == 0) {
		csv_problem(&st, NULL, "the CSV has a header and no rows");
	}
	rc = st.problems;
	if (rc == 0) {
		*items = st.out;
		st.out = NULL;
	}
out:
	for (i = 0; i < CSV_MAX_COLUMNS; i++)
		free(st.fields[i]);
	cJSON_Delete(st.out);
	csv_free(&p);
	return rc;
}

/* --- reads and writes --------------------------------------------------- */

stint_db_rc stint_surveys_list_text(stint_db *db, const char *sid, char **json)
{
	return stint_db_text(db, STINT_SQL_SURVEY_LIST, 1, &sid, json);
}

stint_db_rc stint_surveys_add(stint_tx *tx, const char *sid, const char *items_json, const char *user_id,
			      const char *source, char **result)
{
	const char *p[3] = { sid, items_json, user_id };
	char detail[64];

	if (stint_tx_text(tx, STINT_SQL_SURVEY_INSERT, 3, p, result) != STINT_DB_OK)
		return tx->rc;
	snprintf(detail, sizeof(detail), "{\"source\":\"%.40s\"}", source);
	return stint_tx_audit(tx, "surveys.add", "session", sid, detail);
}

stint_db_rc stint_surveys_delete(stint_tx *tx, const char *sid, const char *survey_id, int *found)
{
	const char *p[2] = { sid, survey_id };
	char *gone = NULL;

	*found = 0;
	if (stint_tx_text(tx, STINT_SQL_SURVEY_DELETE, 2, p, &gone) != STINT_DB_OK || gone == NULL)
		return tx->rc;
	free(gone);
	*found = 1;
	return stint_tx_audit(tx, "survey.delete", "survey", survey_id, NULL);
}
