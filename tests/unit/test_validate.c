/*
 * test_validate.c: table-driven tests of lib/validate.c: every field type
 * with good and bad values, the typed values it writes read back, present
 * flags, arrays of objects (shape, bad items, nested names, the cap on named
 * problems), query parameters and the events batch of lib/events.c.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_run.h"
#include "events.h"
#include "http.h"
#include "validate.h"

static const char *const colours[] = { "red", "blue", NULL };

typedef struct typed_in {
	const char *text, *colour, *stamp, *uuid, *ident;
	int small, flag, small_sent, tags_sent;
	long count;
	long long big;
	double ratio;
	const cJSON *meta;
	stint_list tags;
} typed_in;

#define TO(member) STINT_DEST(typed_in, member)

static const stint_field tag_fields[] = {
	{ "label", STINT_F_STRING, STINT_F_REQUIRED, 1, 10, NULL, STINT_NO_DEST },
	{ "weight", STINT_F_NUMBER, 0, 0, 1, NULL, STINT_NO_DEST },
};

static const stint_field typed_fields[] = {
	{ "text", STINT_F_STRING, STINT_F_REQUIRED, 1, 5, NULL, TO(text) },
	{ "colour", STINT_F_ENUM, 0, 0, 0, colours, TO(colour) },
	{ "stamp", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, TO(stamp) },
	{ "uuid", STINT_F_UUID, 0, 0, 0, NULL, TO(uuid) },
	{ "ident", STINT_F_IDENT, 0, 1, 8, NULL, TO(ident) },
	{ "small", STINT_F_INT, STINT_F_NULLABLE, -5, 5, NULL, TO(small), STINT_PRESENT(typed_in, small_sent) },
	{ "count", STINT_F_INT, 0, 0, 1000000, NULL, TO(count) },
	{ "big", STINT_F_INT, 0, 1, 9000000000000000000LL, NULL, TO(big) },
	{ "ratio", STINT_F_NUMBER, 0, -1, 1, NULL, TO(ratio) },
	{ "flag", STINT_F_BOOL, 0, 0, 0, NULL, TO(flag) },
	{ "meta", STINT_F_OBJECT, STINT_F_NULLABLE, 0, 20, NULL, TO(meta) },
	{ "tags", STINT_F_ARRAY, 0, 1, 3, NULL, STINT_ITEMS(tag_fields), TO(tags),
	  STINT_PRESENT(typed_in, tags_sent) },
	{ "id", STINT_F_INT, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
};

/* One bad value per case: the problem named, and nothing else. */
static const struct { const char *body, *field, *problem; } bad_cases[] = {
	{ "{}", "text", "is required" },
	{ "{\"text\":\"\"}", "text", "must not be empty" },
	{ "{\"text\":\"abcdef\"}", "text", "is too long" },
	{ "{\"text\":7}", "text", "must be a string" },
	{ "{\"text\":null}", "text", "must not be null" },
	{ "{\"text\":\"a\\u0007\"}", "text", "must not contain control characters" },
	{ "{\"text\":\"a\",\"colour\":\"green\"}", "colour", "is not one of the allowed values" },
	{ "{\"text\":\"a\",\"stamp\":\"2026-02-30T00:00:00Z\"}", "stamp",
	  "must be an RFC 3339 date-time (years 1900 to 9998)" },
	{ "{\"text\":\"a\",\"uuid\":\"0b6e4f00-1234-4abc-8def\"}", "uuid", "must be a UUID" },
	{ "{\"text\":\"a\",\"ident\":\"Serve\"}", "ident",
	  "must be lower-case letters, digits and _, starting with a letter" },
	{ "{\"text\":\"a\",\"ident\":\"abcdefghi\"}", "ident", "is too long" },
	{ "{\"text\":\"a\",\"small\":1.5}", "small", "must be an integer" },
	{ "{\"text\":\"a\",\"small\":6}", "small", "is out of range" },
	{ "{\"text\":\"a\",\"big\":0}", "big", "is out of range" },
	{ "{\"text\":\"a\",\"ratio\":\"0.5\"}", "ratio", "must be a number" },
	{ "{\"text\":\"a\",\"ratio\":1.01}", "ratio", "is out of range" },
	{ "{\"text\":\"a\",\"flag\":1}", "flag", "must be true or false" },
	{ "{\"text\":\"a\",\"meta\":[]}", "meta", "must be an object" },
	{ "{\"text\":\"a\",\"meta\":{\"k\":\"0123456789abcdef\"}}", "meta", "is too large" },
	{ "{\"text\":\"a\",\"id\":3}", "id", "is read-only" },
	{ "{\"text\":\"a\",\"colour2\":\"red\"}", "colour2", "is not a known field" },
	{ "{\"text\":\"a\",\"tags\":[]}", "tags", "must be an array of 1 to 3 items" },
	{ "{\"text\":\"a\",\"tags\":{}}", "tags", "must be an array of 1 to 3 items" },
	{ "{\"text\":\"a\",\"tags\":null}", "tags", "must be an array of 1 to 3 items" },
	{ "{\"text\":\"a\",\"tags\":[{\"label\":\"a\"},{\"label\":\"b\"},{\"label\":\"c\"},{\"label\":\"d\"}]}",
	  "tags", "must be an array of 1 to 3 items" },
	{ "{\"text\":\"a\",\"tags\":[{\"label\":\"a\"},{}]}", "tags[1].label", "is required" },
	{ "{\"text\":\"a\",\"tags\":[{\"label\":\"a\",\"weight\":2}]}", "tags[0].weight", "is out of range" },
	{ "{\"text\":\"a\",\"tags\":[{\"label\":\"a\",\"colour\":1}]}", "tags[0].colour", "is not a known field" },
	{ "{\"text\":\"a\",\"tags\":[\"a\"]}", "tags[0]", "must be a JSON object" },
	{ "[]", "(body)", "must be a JSON object" },
	/* JSON leaves a repeated member to the reader (RFC 8259 section 4): Stint takes neither */
	{ "{\"text\":\"a\",\"small\":0,\"small\":1}", "small", "is given more than once" },
	{ "{\"text\":\"a\",\"tags\":[{\"label\":\"a\",\"label\":\"b\"}]}", "tags[0].label",
	  "is given more than once" },
};

START_TEST(test_bad_value)
{
	cJSON *body = cJSON_Parse(bad_cases[_i].body), *errors = NULL;
	typed_in in;
	const cJSON *got;

	memset(&in, 0, sizeof(in));
	ck_assert_ptr_nonnull(body);
	ck_assert_int_eq(stint_validate_json(body, STINT_SPEC(typed_fields), 0, &in, &errors), 1);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
	got = cJSON_GetObjectItemCaseSensitive(errors, bad_cases[_i].field);
	ck_assert_msg(cJSON_IsString(got), "no %s for %s", bad_cases[_i].field, bad_cases[_i].body);
	ck_assert_str_eq(got->valuestring, bad_cases[_i].problem);
	cJSON_Delete(errors);
	cJSON_Delete(body);
}
END_TEST

START_TEST(test_typed_values)
{
	cJSON *body = cJSON_Parse("{\"text\":\"h\\u00e9llo\",\"colour\":\"blue\",\"stamp\":\"2026-11-22T10:00:00Z\","
				  "\"uuid\":\"0b6e4f00-1234-4abc-8def-0123456789ab\",\"ident\":\"end_set\","
				  "\"small\":-5,\"count\":999999,\"big\":9000000000000000000,\"ratio\":-0.25,"
				  "\"flag\":true,\"meta\":{\"a\":1},\"tags\":[{\"label\":\"x\"},{\"label\":\"y\",\"weight\":1}]}");
	cJSON *errors = NULL;
	typed_in in;

	memset(&in, 0, sizeof(in));
	ck_assert_int_eq(stint_validate_json(body, STINT_SPEC(typed_fields), 0, &in, &errors), 0);
	ck_assert_ptr_null(errors);
	ck_assert_str_eq(in.text, "h\xc3\xa9llo");
	ck_assert_ptr_eq(in.text, cJSON_GetObjectItem(body, "text")->valuestring);  /* no copy */
	ck_assert_str_eq(in.colour, "blue");
	ck_assert_str_eq(in.stamp, "2026-11-22T10:00:00Z");
	ck_assert_str_eq(in.uuid, "0b6e4f00-1234-4abc-8def-0123456789ab");
	ck_assert_str_eq(in.ident, "end_set");
	ck_assert_int_eq(in.small, -5);
	ck_assert_int_eq(in.small_sent, STINT_SENT_VALUE);
	ck_assert_int_eq(in.count, 999999);
	ck_assert(in.big == 9000000000000000000LL);
	ck_assert(in.ratio == -0.25);
	ck_assert_int_eq(in.flag, 1);
	ck_assert_ptr_eq(in.meta, cJSON_GetObjectItem(body, "meta"));
	ck_assert_ptr_eq(in.tags.json, cJSON_GetObjectItem(body, "tags"));
	ck_assert_int_eq(in.tags.n, 2);
	ck_assert_int_eq(in.tags_sent, STINT_SENT_VALUE);
	cJSON_Delete(body);
}
END_TEST

/* A patch: absent fields keep their defaults, null clears, present flags tell them apart. */
START_TEST(test_patch_present)
{
	cJSON *body = cJSON_Parse("{\"small\":null,\"stamp\":null,\"meta\":null}"), *errors = NULL;
	typed_in in;

	memset(&in, 0, sizeof(in));
	in.small = 3;
	in.count = 42;
	in.stamp = "default";
	in.text = "default";
	ck_assert_int_eq(stint_validate_json(body, STINT_SPEC(typed_fields), 1, &in, &errors), 0);
	ck_assert_int_eq(in.small, 3);
	ck_assert_int_eq(in.small_sent, STINT_SENT_NULL);
	ck_assert_ptr_null(in.stamp);
	ck_assert_ptr_null(in.meta);
	ck_assert_str_eq(in.text, "default");
	ck_assert_int_eq(in.count, 42);
	ck_assert_int_eq(in.tags_sent, STINT_ABSENT);
	cJSON_Delete(body);
}
END_TEST

/* Every problem of a body at once, nested names included; no value written on failure. */
START_TEST(test_all_problems)
{
	cJSON *body = cJSON_Parse("{\"text\":\"\",\"small\":9,\"x\":1,\"tags\":[{\"label\":\"ok\"},"
				  "{\"label\":\"\",\"weight\":-1},7]}");
	cJSON *errors = NULL;
	const char *names[] = { "text", "small", "x", "tags[1].label", "tags[1].weight", "tags[2]" };
	typed_in in;
	size_t i;

	memset(&in, 0, sizeof(in));
	ck_assert_int_eq(stint_validate_json(body, STINT_SPEC(typed_fields), 0, &in, &errors), 5);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 6);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(cJSON_HasObjectItem(errors, names[i]), "%s named", names[i]);
	ck_assert_ptr_null(in.tags.json);
	ck_assert_int_eq(in.small_sent, STINT_ABSENT);
	cJSON_Delete(errors);
	cJSON_Delete(body);
}
END_TEST

/* Arrays in arrays, checked at a path, as a live pose_update's frames. */
static const stint_field point_fields[] = {
	{ "x", STINT_F_NUMBER, STINT_F_REQUIRED, -10, 10, NULL, STINT_NO_DEST },
};
static const stint_field frame_fields[] = {
	{ "t", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 100, NULL, STINT_NO_DEST },
	{ "points", STINT_F_ARRAY, STINT_F_REQUIRED, 1, 2, NULL, STINT_ITEMS(point_fields), STINT_NO_DEST },
};
static const stint_field frames_field = {
	"data.frames", STINT_F_ARRAY, STINT_F_REQUIRED, 1, 3, NULL, STINT_ITEMS(frame_fields),
	.shape = "must hold 1 to 3 frames", STINT_NO_DEST
};

static const struct { const char *frames; int bad; const char *field, *problem; } frame_cases[] = {
	{ "[{\"t\":1,\"points\":[{\"x\":1}]}]", 0, NULL, NULL },
	{ "[]", 1, "data.frames", "must hold 1 to 3 frames" },
	{ "5", 1, "data.frames", "must hold 1 to 3 frames" },
	{ "[{},{},{},{}]", 1, "data.frames", "must hold 1 to 3 frames" },
	{ "[{\"t\":1}]", 1, "data.frames[0].points", "must be an array of 1 to 2 items" },
	{ "[{\"t\":1,\"points\":[]}]", 1, "data.frames[0].points", "must be an array of 1 to 2 items" },
	{ "[{\"t\":1,\"points\":[{\"x\":1}]},{\"t\":2,\"points\":[{\"x\":1},{\"x\":11}]}]", 1,
	  "data.frames[1].points[1].x", "is out of range" },
	{ "[{\"t\":-1,\"points\":[{\"x\":1}]},{\"t\":2,\"points\":[{\"y\":1}]}]", 2,
	  "data.frames[1].points[0].y", "is not a known field" },
	{ "[{\"t\":1,\"points\":[null]}]", 1, "data.frames[0].points[0]", "must be a JSON object" },
};

START_TEST(test_nested_arrays)
{
	cJSON *frames = cJSON_Parse(frame_cases[_i].frames), *errors = NULL;
	stint_list list = { NULL, -1 };
	const cJSON *got;

	ck_assert_ptr_nonnull(frames);
	ck_assert_int_eq(stint_validate_array(frames, &frames_field, &list, &errors), frame_cases[_i].bad);
	if (frame_cases[_i].bad == 0) {
		ck_assert_ptr_null(errors);
		ck_assert_ptr_eq(list.json, frames);
		ck_assert_int_eq(list.n, cJSON_GetArraySize(frames));
	} else {
		got = cJSON_GetObjectItemCaseSensitive(errors, frame_cases[_i].field);
		ck_assert_msg(cJSON_IsString(got), "no %s for %s", frame_cases[_i].field, frame_cases[_i].frames);
		ck_assert_str_eq(got->valuestring, frame_cases[_i].problem);
		ck_assert_ptr_null(list.json);
	}
	cJSON_Delete(errors);
	cJSON_Delete(frames);
}
END_TEST

/* An object found at a path names its problems under it. */
START_TEST(test_object_at_path)
{
	cJSON *data = cJSON_Parse("{\"t\":500,\"points\":[{\"x\":1}],\"z\":0}"), *errors = NULL;

	ck_assert_int_eq(stint_validate_json_at("data", data, STINT_SPEC(frame_fields), 0, NULL, &errors), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(errors, "data.t")->valuestring, "is out of range");
	ck_assert_str_eq(cJSON_GetObjectItem(errors, "data.z")->valuestring, "is not a known field");
	cJSON_Delete(errors);
	cJSON_Delete(data);
}
END_TEST

/* A batch of events as POST .../events reports it (names the API has always used). */
START_TEST(test_event_batch)
{
	cJSON *bad = cJSON_CreateArray(), *errors = NULL, *e;
	int i;

	for (i = 0; i < 5000; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "t_sec", "late");
		cJSON_AddStringToObject(e, "event_type", "pass");
		cJSON_AddItemToArray(bad, e);
	}
	ck_assert_int_eq(stint_events_validate(bad, &errors), 5000);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 101);  /* 100 named, and the note */
	ck_assert_str_eq(cJSON_GetObjectItem(errors, "events[0].t_sec")->valuestring, "must be a number");
	ck_assert_str_eq(cJSON_GetObjectItem(errors, "events")->valuestring, "has more problems than are listed here");
	cJSON_Delete(errors);
	errors = NULL;
	ck_assert_int_eq(stint_events_validate(NULL, &errors), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(errors, "events")->valuestring, "must be an array of 1 to 10000 events");
	cJSON_Delete(errors);
	cJSON_Delete(bad);
}
END_TEST

START_TEST(test_event_batch_body)
{
	cJSON *body = cJSON_Parse("{\"events\":[{\"t_sec\":1,\"event_type\":\"serve\"},{\"t_sec\":2}],\"x\":1}");
	cJSON *errors = NULL;
	stint_event_batch_in in = { { NULL, 0 } };

	ck_assert_int_eq(stint_validate_json(body, stint_event_batch, stint_event_nbatch, 0, &in, &errors), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(errors, "events[1].event_type")->valuestring, "is required");
	ck_assert_str_eq(cJSON_GetObjectItem(errors, "x")->valuestring, "is not a known field");
	cJSON_Delete(errors);
	cJSON_Delete(body);
	body = cJSON_Parse("{\"events\":[{\"t_sec\":1,\"event_type\":\"serve\"}]}");
	errors = NULL;
	ck_assert_int_eq(stint_validate_json(body, stint_event_batch, stint_event_nbatch, 0, &in, &errors), 0);
	ck_assert_int_eq(in.events.n, 1);
	ck_assert_ptr_eq(in.events.json, cJSON_GetObjectItem(body, "events"));
	cJSON_Delete(body);
}
END_TEST

/* Query parameters: typed, or the checked text; empty counts as absent; bad ones left out. */
typedef struct query_in {
	const char *kind, *limit_text;
	int limit;
	long offset;
	double from;
} query_in;

static const char *const kinds[] = { "video", "audio", NULL };
static const stint_field query_fields[] = {
	{ "kind", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, kinds, STINT_DEST(query_in, kind) },
	{ "limit", STINT_F_INT, 0, 1, 100, NULL, STINT_DEST(query_in, limit) },
	{ "limit", STINT_F_INT, 0, 1, 100, NULL, STINT_DEST(query_in, limit_text) },
	{ "offset", STINT_F_INT, 0, 0, 1000, NULL, STINT_DEST(query_in, offset) },
	{ "from", STINT_F_NUMBER, 0, 0, 10, NULL, STINT_DEST(query_in, from) },
};

static const struct { const char *query; int problems; query_in want; } query_cases[] = {
	{ "kind=audio&limit=7&offset=3&from=2.5", 0, { "audio", "7", 7, 3, 2.5 } },
	{ "kind=video&limit=&offset=", 0, { "video", "dflt", 50, 0, 0 } },
	{ "kind=film&limit=101&offset=x&from=11", 5, { "dflt", "dflt", 50, 0, 0 } },
	{ "limit=1", 1, { "dflt", "1", 1, 0, 0 } },
};

START_TEST(test_query)
{
	stint_arena a = STINT_ARENA_INIT;
	stint_kvlist q = { NULL, 0, 0 };
	query_in in = { "dflt", "dflt", 50, 0, 0 };
	cJSON *errors = NULL;

	ck_assert_int_eq(stint_parse_urlencoded(&a, query_cases[_i].query, strlen(query_cases[_i].query), &q), 0);
	ck_assert_int_eq(stint_validate_query(&q, STINT_SPEC(query_fields), &in, &errors), query_cases[_i].problems);
	ck_assert_str_eq(in.kind, query_cases[_i].want.kind);
	ck_assert_str_eq(in.limit_text, query_cases[_i].want.limit_text);
	ck_assert_int_eq(in.limit, query_cases[_i].want.limit);
	ck_assert_int_eq(in.offset, query_cases[_i].want.offset);
	ck_assert(in.from == query_cases[_i].want.from);
	cJSON_Delete(errors);
	stint_arena_free(&a);
}
END_TEST

/* A destination its field cannot fill is the table's mistake: -1, as out of memory. */
typedef struct wrong_in {
	double d;
	int i;
	const char *s;
} wrong_in;

static const stint_field wrong_fields[][1] = {
	{ { "n", STINT_F_INT, 0, 0, 10, NULL, STINT_DEST(wrong_in, d) } },
	{ { "n", STINT_F_STRING, 0, 0, 10, NULL, STINT_DEST(wrong_in, i) } },
	{ { "n", STINT_F_INT, 0, 0, 10000000000LL, NULL, STINT_DEST(wrong_in, i) } },
	{ { "n", STINT_F_NUMBER, 0, 0, 10, NULL, STINT_DEST(wrong_in, s) } },
};
static const char *const wrong_bodies[] = { "{\"n\":1}", "{\"n\":\"a\"}", "{\"n\":5000000000}", "{\"n\":1}" };

START_TEST(test_wrong_destination)
{
	cJSON *body = cJSON_Parse(wrong_bodies[_i]), *errors = NULL;
	wrong_in in;

	memset(&in, 0, sizeof(in));
	ck_assert_int_eq(stint_validate_json(body, wrong_fields[_i], 1, 0, &in, &errors), -1);
	ck_assert_int_eq(stint_validate_json(body, wrong_fields[_i], 1, 0, NULL, &errors), 0);
	cJSON_Delete(errors);
	cJSON_Delete(body);
}
END_TEST

static const stint_field t_sec_field = { "t_sec", STINT_F_NUMBER, 0, 0, 100, NULL, STINT_NO_DEST };
static const stint_field number_field = { "number", STINT_F_INT, 0, 0, 999, NULL, STINT_NO_DEST };

START_TEST(test_text_values)
{
	long long n = -1;
	double d = -1;

	ck_assert_ptr_null(stint_text_number(&t_sec_field, "12.5", &d));
	ck_assert(d == 12.5);
	ck_assert_str_eq(stint_text_number(&t_sec_field, "100.5", &d), "is out of range");
	ck_assert_str_eq(stint_text_number(&t_sec_field, "nan", &d), "must be a number");
	ck_assert_str_eq(stint_text_number(&t_sec_field, "1x", &d), "must be a number");
	ck_assert(d == 12.5);
	ck_assert_ptr_null(stint_text_int(&number_field, "016", &n));
	ck_assert_int_eq(n, 16);
	ck_assert_str_eq(stint_text_int(&number_field, "1000", &n), "is out of range");
	ck_assert_str_eq(stint_text_int(&number_field, "1.0", &n), "must be an integer");
	ck_assert_str_eq(stint_text_int(&number_field, "99999999999999999999", &n), "must be an integer");
	ck_assert_int_eq(n, 16);
	ck_assert_str_eq(stint_validate_text(&frames_field, "[]"), "is not a text field");
}
END_TEST

/*
 * An event's actor_number (issue 14): a string of 1 to 3 digits as sent
 * ("00" and "0" differ) or an integer 0..999; anything else a problem
 * naming the field.
 */
#define SHIRT_PROBLEM "must be 1 to 3 digits as a string (\"7\", \"00\") or an integer 0 to 999"
static const struct { const char *value; int ok; } shirt_cases[] = {
	{ "\"12\"", 1 }, { "12", 1 }, { "\"00\"", 1 }, { "\"0\"", 1 }, { "0", 1 }, { "\"007\"", 1 },
	{ "999", 1 }, { "\"999\"", 1 }, { "12.0", 1 }, { "null", 1 },
	{ "\"1234\"", 0 }, { "\"-1\"", 0 }, { "-1", 0 }, { "12.5", 0 }, { "\"a\"", 0 }, { "\"\"", 0 },
	{ "1000", 0 }, { "\" 7\"", 0 }, { "\"7 \"", 0 }, { "\"+7\"", 0 }, { "\"1e2\"", 0 }, { "\"\u0661\"", 0 },
	{ "true", 0 }, { "[7]", 0 }, { "{}", 0 }, { "\"12.5\"", 0 },
};

START_TEST(test_shirt_number)
{
	char text[200];
	cJSON *batch, *errors = NULL;
	const cJSON *got;

	snprintf(text, sizeof(text), "[{\"t_sec\":1,\"event_type\":\"serve\",\"actor_number\":%s}]",
		 shirt_cases[_i].value);
	batch = cJSON_Parse(text);
	ck_assert_ptr_nonnull(batch);
	ck_assert_int_eq(stint_events_validate(batch, &errors), shirt_cases[_i].ok ? 0 : 1);
	if (shirt_cases[_i].ok) {
		ck_assert_ptr_null(errors);
	} else {
		ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
		got = cJSON_GetObjectItemCaseSensitive(errors, "events[0].actor_number");
		ck_assert_msg(cJSON_IsString(got), "no events[0].actor_number for %s", shirt_cases[_i].value);
		ck_assert_str_eq(got->valuestring, SHIRT_PROBLEM);
	}
	cJSON_Delete(errors);
	cJSON_Delete(batch);
}
END_TEST

/* The same rule for text (a query's player, a form's number): digits only, kept as typed. */
START_TEST(test_shirt_text)
{
	const stint_field *f = &stint_event_fields[3];

	ck_assert_str_eq(f->name, "actor_number");
	ck_assert_ptr_null(stint_validate_text(f, "0"));
	ck_assert_ptr_null(stint_validate_text(f, "00"));
	ck_assert_ptr_null(stint_validate_text(f, "12"));
	ck_assert_ptr_null(stint_validate_text(f, "999"));
	ck_assert_str_eq(stint_validate_text(f, ""), SHIRT_PROBLEM);
	ck_assert_str_eq(stint_validate_text(f, "1234"), SHIRT_PROBLEM);
	ck_assert_str_eq(stint_validate_text(f, "-1"), SHIRT_PROBLEM);
	ck_assert_str_eq(stint_validate_text(f, "12.5"), SHIRT_PROBLEM);
	ck_assert_str_eq(stint_validate_text(f, "a"), SHIRT_PROBLEM);
	ck_assert_int_eq(stint_is_shirt("00"), 1);
	ck_assert_int_eq(stint_is_shirt(NULL), 0);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_bad_value, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_typed_values);
	tcase_add_test(tc, test_patch_present);
	tcase_add_test(tc, test_all_problems);
	tcase_add_loop_test(tc, test_nested_arrays, 0, sizeof(frame_cases) / sizeof(frame_cases[0]));
	tcase_add_test(tc, test_object_at_path);
	tcase_add_test(tc, test_event_batch);
	tcase_add_test(tc, test_event_batch_body);
	tcase_add_loop_test(tc, test_query, 0, sizeof(query_cases) / sizeof(query_cases[0]));
	tcase_add_loop_test(tc, test_wrong_destination, 0, sizeof(wrong_bodies) / sizeof(wrong_bodies[0]));
	tcase_add_test(tc, test_text_values);
	tcase_add_loop_test(tc, test_shirt_number, 0, sizeof(shirt_cases) / sizeof(shirt_cases[0]));
	tcase_add_test(tc, test_shirt_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(validate_suite());
}
