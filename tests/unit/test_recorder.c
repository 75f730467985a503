/*
 * test_recorder.c: the recorder's metadata.json reader (lib/recorder.c):
 * what session-recorder writes (Go's time and duration encodings), and one
 * malformed file per rule with the message that names it.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "recorder.h"

static int parse(const char *text, stint_recording_meta *m, char *err, size_t errsize)
{
	return stint_recorder_parse_metadata(text, strlen(text), "rec-1", m, err, errsize);
}

START_TEST(test_closed_and_open)
{
	stint_recording_meta m;
	char err[200] = "";

	ck_assert_int_eq(parse("{\"id\":\"rec-1\",\"recorder_id\":\"r\",\"name\":\"Court 1 \\u00e9\","
			       "\"start_time\":\"2026-11-20T09:00:00.123456789+01:00\","
			       "\"end_time\":\"2026-11-20T09:30:00+01:00\",\"duration\":1800000000000,"
			       "\"is_closed\":true,\"keep\":true,\"segments\":{\"a\":1}}", &m, err, sizeof(err)), 0);
	ck_assert_str_eq(m.name, "Court 1 \xc3\xa9");
	ck_assert_str_eq(m.start_time, "2026-11-20T09:00:00.123456789+01:00");
	ck_assert_str_eq(m.end_time, "2026-11-20T09:30:00+01:00");
	ck_assert(m.duration_ns == 1800000000000LL);
	ck_assert_int_eq(m.is_closed, 1);
	ck_assert_int_eq(m.keep, 1);
	/* still recording: Go's zero end time, no duration, nothing else */
	ck_assert_int_eq(parse("{\"start_time\":\"2026-11-20T09:00:00Z\",\"end_time\":\"0001-01-01T00:00:00Z\"}",
			       &m, err, sizeof(err)), 0);
	ck_assert_str_eq(m.end_time, "");
	ck_assert(m.duration_ns == -1);
	ck_assert_int_eq(m.is_closed, 0);
	ck_assert_str_eq(m.name, "");
}
END_TEST

static const struct { const char *text, *message; } bad_cases[] = {
	{ "", "not a JSON object" },
	{ "[1]", "not a JSON object" },
	{ "{\"start_time\": ", "not a JSON object" },
	{ "{\"name\":\"x\\u0000\",\"start_time\":\"2026-11-20T09:00:00Z\"}", "holds a \\u0000 character" },
	{ "{\"name\":\"\xff\",\"start_time\":\"2026-11-20T09:00:00Z\"}", "not UTF-8 text" },
	{ "{}", "start_time is missing or not an RFC 3339 date-time" },
	{ "{\"start_time\":\"last Tuesday\"}", "start_time is missing or not an RFC 3339 date-time" },
	{ "{\"start_time\":\"2026-02-30T09:00:00Z\"}", "start_time is missing or not an RFC 3339 date-time" },
	{ "{\"start_time\":\"2026-11-20T09:00:00Z\",\"end_time\":5}", "end_time is not an RFC 3339 date-time" },
	{ "{\"id\":\"rec-2\",\"start_time\":\"2026-11-20T09:00:00Z\"}", "id does not match the recording's folder" },
	{ "{\"name\":7,\"start_time\":\"2026-11-20T09:00:00Z\"}", "name must be a string of at most 500 bytes" },
	{ "{\"start_time\":\"2026-11-20T09:00:00Z\",\"duration\":-1}",
	  "duration must be a whole number of nanoseconds >= 0" },
	{ "{\"start_time\":\"2026-11-20T09:00:00Z\",\"duration\":1.5}",
	  "duration must be a whole number of nanoseconds >= 0" },
	{ "{\"start_time\":\"2026-11-20T09:00:00Z\",\"is_closed\":\"yes\"}", "is_closed must be true or false" },
	{ "{\"start_time\":\"2026-11-20T09:00:00Z\",\"keep\":1}", "keep must be true or false" },
};

START_TEST(test_bad)
{
	stint_recording_meta m;
	char err[200] = "";

	ck_assert_int_eq(parse(bad_cases[_i].text, &m, err, sizeof(err)), -1);
	ck_assert_str_eq(err, bad_cases[_i].message);
	ck_assert_str_eq(m.start_time, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("recorder");
	TCase *tc = tcase_create("metadata");

	tcase_add_test(tc, test_closed_and_open);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
