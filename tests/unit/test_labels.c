/*
 * test_labels.c: how pages name and time things (issue 18): event type
 * labels per sport and free types normalised (lib/labels.c), and the one
 * time format in the installation's zone with its UTC offset
 * (lib/timeshow.c), here Europe/Paris in winter and in summer time.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "labels.h"
#include "timeshow.h"

static const struct { const char *typed, *stored; } normal_cases[] = {
	{ "Time out", "time_out" }, { "  Free-kick ", "free_kick" }, { "a__b--c", "a_b_c" },
	{ "serve", "serve" }, { "Yellow Card 2", "yellow_card_2" }, { "-start_", "start" },
	{ "Time out!", NULL }, { "9ers", NULL }, { "", NULL }, { "   ", NULL }, { "été", NULL },
	{ "abcdefghijabcdefghijabcdefghijabcdefghijX", NULL },  /* 41 letters: over 40 */
};

START_TEST(test_normalise)
{
	char out[41];
	int rc = stint_type_normalise(normal_cases[_i].typed, out, sizeof(out));

	if (normal_cases[_i].stored == NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(out, "");
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(out, normal_cases[_i].stored);
	}
}
END_TEST

static const struct { stint_sport sport; const char *type, *label; } label_cases[] = {
	{ STINT_SPORT_VOLLEYBALL, "freeball", "Free ball" }, { STINT_SPORT_VOLLEYBALL, "timeout", "Time-out" },
	{ STINT_SPORT_VOLLEYBALL, "time_out", "Time out" }, { STINT_SPORT_FOOTBALL, "free_kick", "Free kick" },
	{ STINT_SPORT_FOOTBALL, "kick_off", "Kick-off" }, { STINT_SPORT_CLIMBING, "top", "Top" },
	{ STINT_SPORT_CLIMBING, "clip", "Quickdraw clipped" }, { STINT_SPORT_GENERIC, "clip", "Clip" },
	{ STINT_SPORT_GENERIC, "my_own_thing", "My own thing" }, { STINT_SPORT_GENERIC, "note", "Note" },
};

START_TEST(test_label)
{
	char out[64];

	stint_type_label(label_cases[_i].sport, label_cases[_i].type, out, sizeof(out));
	ck_assert_str_eq(out, label_cases[_i].label);
}
END_TEST

START_TEST(test_sport_of)
{
	const struct { const char *json; stint_sport sport; } cases[] = {
		{ "{\"kind\":\"climb\"}", STINT_SPORT_CLIMBING },
		{ "{\"kind\":\"match\",\"meta\":{\"source\":\"dvw\"}}", STINT_SPORT_VOLLEYBALL },
		{ "{\"kind\":\"match\",\"meta\":{\"sport\":\"football\"}}", STINT_SPORT_FOOTBALL },
		{ "{\"kind\":\"climb\",\"meta\":{\"sport\":\"generic\"}}", STINT_SPORT_GENERIC },
		{ "{\"kind\":\"match\",\"meta\":{\"sport\":\"curling\"}}", STINT_SPORT_GENERIC },
		{ "{}", STINT_SPORT_GENERIC },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *s = cJSON_Parse(cases[i].json);

		ck_assert_int_eq(stint_sport_of(s), cases[i].sport);
		cJSON_Delete(s);
	}
	ck_assert_int_eq(stint_sport_of(NULL), STINT_SPORT_GENERIC);
	ck_assert_str_eq(stint_sport_name(STINT_SPORT_FOOTBALL), "football");
}
END_TEST

START_TEST(test_time_shown_in_zone)
{
	char out[40];

	ck_assert_str_eq(stint_time_zone(), "Europe/Paris");
	ck_assert_int_eq(stint_time_show(1795341600.0, out, sizeof(out)), 0);  /* 2026-11-22T10:00:00Z */
	ck_assert_str_eq(out, "2026-11-22 11:00 UTC+01:00");
	ck_assert_int_eq(stint_time_show(1782900000.0, out, sizeof(out)), 0);  /* 2026-07-01T10:00:00Z */
	ck_assert_str_eq(out, "2026-07-01 12:00 UTC+02:00");
	ck_assert_int_eq(stint_time_input(1795341600.0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2026-11-22T11:00");
	ck_assert_int_eq(stint_time_show(1795341600.0, out, 10), -1);  /* does not fit */
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_time_from_input)
{
	char out[40];

	ck_assert_int_eq(stint_time_from_input("2026-11-22T11:00", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2026-11-22T11:00:00+01:00");
	ck_assert_int_eq(stint_time_from_input("2026-07-01T12:00", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2026-07-01T12:00:00+02:00");
	ck_assert_int_eq(stint_time_from_input("2026-11-22 11:00", out, sizeof(out)), -1);
	ck_assert_int_eq(stint_time_from_input("2026-11-22T11:0x", out, sizeof(out)), -1);
	ck_assert_int_eq(stint_time_from_input(NULL, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *labels_suite(void)
{
	Suite *s = suite_create("labels");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_normalise, 0, sizeof(normal_cases) / sizeof(normal_cases[0]));
	tcase_add_loop_test(tc, test_label, 0, sizeof(label_cases) / sizeof(label_cases[0]));
	tcase_add_test(tc, test_sport_of);
	tcase_add_test(tc, test_time_shown_in_zone);
	tcase_add_test(tc, test_time_from_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	setenv("STINT_TIME_ZONE", "Europe/Paris", 1);
	return stint_check_run(labels_suite());
}
