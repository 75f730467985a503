/* events.c: event rules and CSV reading (see events.h). */
#include "events.h"
#include "labels.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const event_teams[] = { "A", "B", NULL };

const stint_field stint_event_fields[] = {
	{ "t_sec", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 10000000, NULL, STINT_NO_DEST },
	{ "event_type", STINT_F_IDENT, STINT_F_REQUIRED, 1, 40, NULL, STINT_NO_DEST },
	{ "actor_team", STINT_F_ENUM, STINT_F_NULLABLE, 0, 0, event_teams, STINT_NO_DEST },
	{ "actor_number", STINT_F_SHIRT, STINT_F_NULLABLE, 0, 0, NULL, STINT_NO_DEST },
	{ "clip_id", STINT_F_INT, STINT_F_NULLABLE, 1, 9000000000000000000LL, NULL, STINT_NO_DEST },
	{ "payload", STINT_F_OBJECT, 0, 0, 16384, NULL, STINT_NO_DEST },
	{ "id", STINT_F_INT, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "session_id", STINT_F_UUID, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "source", STINT_F_STRING, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "created_at", STINT_F_TIMESTAMP, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
};
const size_t stint_event_nfields = sizeof(stint_event_fields) / sizeof(stint_event_fields[0]);

const stint_field stint_event_batch[] = {
	{ "events", STINT_F_ARRAY, STINT_F_REQUIRED, 1, STINT_EVENTS_MAX_BATCH, NULL,
	  STINT_ITEMS(stint_event_fields), .shape = "must be an array of 1 to 10000 events",
	  STINT_DEST(stint_event_batch_in, events) },
};
const size_t stint_event_nbatch = sizeof(stint_event_batch) / sizeof(stint_event_batch[0]);

int stint_events_validate(const cJSON *events, cJSON **errors)
{
	return stint_validate_array(events, &stint_event_batch[0], NULL, errors);
}

/*
 * Normalise one event's event_type in place, unless it is already a stored
 * form ([a-z][a-z0-9_]*, kept as it is); 1 when changed, 0 when not, -1 out
 * of memory.
 */
static int normalise_one(cJSON *event)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(event, "event_type"));
	char out[64];

	if (v == NULL || (*v >= 'a' && *v <= 'z' && v[strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_")] == '\0') ||
	    stint_type_normalise(v, out, sizeof(out)) != 0)
		return 0;
	return cJSON_ReplaceItemInObjectCaseSensitive(event, "event_type", cJSON_CreateString(out)) ? 1 : -1;
}

int stint_events_normalise_types(cJSON *json)
{
	cJSON *list = cJSON_IsArray(json) ? json : cJSON_GetObjectItemCaseSensitive(json, "events"), *e;
	int n = 0, one;

	if (cJSON_IsObject(json) && list == NULL)
		return normalise_one(json);
	if (!cJSON_IsArray(list))
		return 0;
	cJSON_ArrayForEach(e, list) {
		if (!cJSON_IsObject(e))
			continue;
		if ((one = normalise_one(e)) < 0)
			return -1;
		n += one;
	}
	return n;
}

#define MAX_NAMED_ERRORS 100

/* --- CSV --------------------------------------------------------------- */

#define CSV_COLUMNS 7

static const char *const csv_header[CSV_COLUMNS] = {
	"clip_id", "t_sec", "event_type", "actor_team", "actor_number", "actor_name", "payload"
};

typedef struct csv_state {
	cJSON *out, *row, **errors;
	int col, rows, problems, header_ok, failed;
	char *fields[CSV_COLUMNS];
} csv_state;

static void csv_problem(csv_state *st, const char *field, const char *msg)
{
	char key[64];

	st->problems++;
	if (st->problems > MAX_NAMED_ERRORS)
		return;
	if (*st->errors == NULL && (*st->errors = cJSON_CreateObject()) == NULL) {
		st->failed = 1;
		return;
	}
	if (field != NULL)
		snprintf(key, sizeof(key), "row %d.%s", st->rows, field);
	else
		snprintf(key, sizeof(key), "row %d", st->rows);
	cJSON_AddStringToObject(*st->errors, key, msg);
}

static void csv_field(void *s, size_t len, void *data)
{
	csv_state *st = data;

	if (st->col < CSV_COLUMNS && !st->failed) {
		st->fields[st->col] = s ? strndup(s, len) : NULL;
		if (s != NULL && st->fields[st->col] == NULL)
			st->failed = 1;
	}
	st->col++;
}

/* A number column: empty is null; otherwise it must parse whole. */
static cJSON *csv_number(csv_state *st, const char *name, const char *v)
{
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return cJSON_CreateNull();
	d = strtod(v, &end);
	if (end == v || *end != '\0') {
		csv_problem(st, name, "must be a number");
		return NULL;
	}
	return cJSON_CreateNumber(d);
}

static void csv_build_row(csv_state *st)
{
	cJSON *e = cJSON_CreateObject(), *v;
	const char *payload = st->fields[6];

	if (e == NULL) {
		st->failed = 1;
		return;
	}
	if ((v = csv_number(st, "clip_id", st->fields[0])) != NULL)
		cJSON_AddItemToObject(e, "clip_id", v);
	if ((v = csv_number(st, "t_sec", st->fields[1])) != NULL)
		cJSON_AddItemToObject(e, "t_sec", v);
	cJSON_AddStringToObject(e, "event_type", st->fields[2] ? st->fields[2] : "");
	if (st->fields[3] && *st->fields[3])
		cJSON_AddStringToObject(e, "actor_team", st->fields[3]);
	else
		cJSON_AddNullToObject(e, "actor_team");
	/* a shirt number is text: "00" stays "00" (checked as the JSON API checks it) */
	if (st->fields[4] && *st->fields[4])
		cJSON_AddStringToObject(e, "actor_number", st->fields[4]);
	else
		cJSON_AddNullToObject(e, "actor_number");
	if (payload != NULL && *payload != '\0') {
		v = cJSON_Parse(payload);
		if (v == NULL)
			csv_problem(st, "payload", "must be a JSON object");
		else
			cJSON_AddItemToObject(e, "payload", v);
	}
	cJSON_AddItemToArray(st->out, e);
}

static void csv_row_end(int c, void *data)
{
	csv_state *st = data;
	int i;

	(void)c;
	if (!st->header_ok) {
		st->header_ok = st->col == CSV_COLUMNS;
		for (i = 0; st->header_ok && i < CSV_COLUMNS; i++)
			st->header_ok = st->fields[i] && strcmp(st->fields[i], csv_header[i]) == 0;
		if (!st->header_ok) {
			csv_problem(st, NULL, "the header must be clip_id,t_sec,event_type,actor_team,"
				    "actor_number,actor_name,payload");
			st->header_ok = -1;
		}
	} else if (st->header_ok > 0) {
		if (st->col != CSV_COLUMNS)
			csv_problem(st, NULL, "must have 7 fields");
		else if (cJSON_GetArraySize(st->out) >= STINT_EVENTS_MAX_BATCH)
			csv_problem(st, NULL, "is past the 10000 events one request may hold");
		else
			csv_build_row(st);
	}
	for (i = 0; i < CSV_COLUMNS; i++) {
		free(st->fields[i]);
		st->fields[i] = NULL;
	}
	st->col = 0;
	st->rows++;
}

int stint_events_from_csv(const char *data, size_t len, cJSON **out, cJSON **errors)
{
	struct csv_parser p;
	csv_state st;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	st.errors = errors;
	*out = NULL;
	if (csv_init(&p, CSV_STRICT | CSV_EMPTY_IS_NULL | CSV_STRICT_FINI) != 0)
		return -1;
	st.out = cJSON_CreateArray();
	if (st.out == NULL)
		goto out;
	if (csv_parse(&p, data, len, csv_field, csv_row_end, &st) != len ||
	    csv_fini(&p, csv_field, csv_row_end, &st) != 0) {
		csv_problem(&st, NULL, csv_strerror(csv_error(&p)));
	}
	if (st.failed)
		goto out;
	if (st.header_ok == 0)
		csv_problem(&st, NULL, "the CSV is empty");
	rc = st.problems;
	if (rc == 0) {
		*out = st.out;
		st.out = NULL;
	}
out:
	for (int i = 0; i < CSV_COLUMNS; i++)
		free(st.fields[i]);
	cJSON_Delete(st.out);
	csv_free(&p);
	return rc;
}
