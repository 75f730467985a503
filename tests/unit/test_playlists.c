/*
 * test_playlists.c: lib/playlists.c's checks, table-driven: a playlist
 * body's problems are named by field (name, filter.set, event_ids[1],
 * pre_roll_sec), unknown fields are refused by name, a PATCH needs no
 * name; a filter from JSON takes a shirt number as text or integer ("00"
 * is not "0"); a filter from a query string (the review page's) reads the
 * same fields and names what is wrong; a filter written back to JSON has
 * exactly the fields that were set.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "check_fields.h"
#include "check_run.h"
#include "http.h"
#include "playlists.h"

/* A body, whether it is a PATCH, and the fields its problems must name exactly ("" when valid). */
static const struct { const char *body; int partial; const char *fields; } body_cases[] = {
	{ "{\"name\":\"Attacks\"}", 0, "" },
	{ "{\"name\":\"A\",\"filter\":{\"team\":\"A\",\"player\":\"16\",\"type\":\"attack\",\"set\":3}}", 0, "" },
	{ "{\"name\":\"A\",\"filter\":{\"player\":16,\"evaluation\":\"#\",\"phase\":\"reception\",\"rotation\":6}}", 0, "" },
	{ "{\"name\":\"A\",\"filter\":{\"skill_type\":\"H\",\"attack_code\":\"V6\",\"start_zone\":4,\"end_zone\":9,"
	  "\"from\":0,\"to\":3600.5}}", 0, "" },
	{ "{\"name\":\"A\",\"filter\":null,\"event_ids\":[3,1,2],\"pre_roll_sec\":0,\"post_roll_sec\":60}", 0, "" },
	{ "{\"name\":\"A\",\"event_ids\":null}", 0, "" },
	{ "{}", 1, "" },
	{ "{\"pre_roll_sec\":5}", 1, "" },
	{ "{}", 0, "name" },
	{ "{\"name\":\"\"}", 0, "name" },
	{ "{\"name\":1}", 0, "name" },
	{ "[]", 0, "(body)" },
	{ "{\"name\":\"A\",\"owner\":1}", 0, "owner" },
	{ "{\"name\":\"A\",\"filter\":[]}", 0, "filter" },
	{ "{\"name\":\"A\",\"filter\":{\"set\":0}}", 0, "filter.set" },
	{ "{\"name\":\"A\",\"filter\":{\"set\":8,\"rotation\":7}}", 0, "filter.rotation filter.set" },
	{ "{\"name\":\"A\",\"filter\":{\"team\":\"C\"}}", 0, "filter.team" },
	{ "{\"name\":\"A\",\"filter\":{\"player\":\"1234\"}}", 0, "filter.player" },
	{ "{\"name\":\"A\",\"filter\":{\"player\":1000}}", 0, "filter.player" },
	{ "{\"name\":\"A\",\"filter\":{\"evaluation\":\"?\"}}", 0, "filter.evaluation" },
	{ "{\"name\":\"A\",\"filter\":{\"phase\":\"rally\"}}", 0, "filter.phase" },
	{ "{\"name\":\"A\",\"filter\":{\"type\":\"Attack!\"}}", 0, "filter.type" },
	{ "{\"name\":\"A\",\"filter\":{\"skill_type\":\"HH\",\"attack_code\":\"\"}}", 0, "filter.attack_code filter.skill_type" },
	{ "{\"name\":\"A\",\"filter\":{\"start_zone\":10}}", 0, "filter.start_zone" },
	{ "{\"name\":\"A\",\"filter\":{\"from\":-1}}", 0, "filter.from" },
	{ "{\"name\":\"A\",\"filter\":{\"colour\":\"red\"}}", 0, "filter.colour" },
	{ "{\"name\":\"A\",\"event_ids\":[]}", 0, "event_ids" },
	{ "{\"name\":\"A\",\"event_ids\":{}}", 0, "event_ids" },
	{ "{\"name\":\"A\",\"event_ids\":[1,\"2\",0,1.5,3]}", 0, "event_ids[1] event_ids[2] event_ids[3]" },
	{ "{\"name\":\"A\",\"pre_roll_sec\":60.5,\"post_roll_sec\":-0.1}", 0, "post_roll_sec pre_roll_sec" },
	{ "{\"name\":\"A\",\"pre_roll_sec\":\"3\"}", 0, "pre_roll_sec" },
};

START_TEST(test_body_cases)
{
	cJSON *body = cJSON_Parse(body_cases[_i].body), *errors = NULL;
	char got[512];
	int bad;

	ck_assert_ptr_nonnull(body);
	bad = stint_playlist_validate(body, body_cases[_i].partial, &errors);
	stint_check_field_names(errors, got, sizeof(got));
	ck_assert_msg(strcmp(got, body_cases[_i].fields) == 0, "%s: named [%s], want [%s]", body_cases[_i].body, got,
		      body_cases[_i].fields);
	ck_assert_int_eq(bad > 0, body_cases[_i].fields[0] != '\0');
	cJSON_Delete(errors);
	cJSON_Delete(body);
}
END_TEST

START_TEST(test_filter_json_shirts)
{
	cJSON *f1 = cJSON_Parse("{\"player\":7,\"set\":2,\"team\":\"B\"}"), *f2 = cJSON_Parse("{\"player\":\"07\"}");
	cJSON *errors = NULL, *body;
	stint_playlist_filter f;

	ck_assert_int_eq(stint_playlist_filter_json("filter", f1, &f, &errors), 0);
	ck_assert_str_eq(f.player, "7");
	ck_assert_int_eq(f.set, 2);
	ck_assert_str_eq(f.team, "B");
	ck_assert_ptr_null(f.type);
	ck_assert(isnan(f.from_sec) && isnan(f.to_sec));
	ck_assert_int_eq(stint_playlist_filter_json("filter", f2, &f, &errors), 0);
	ck_assert_str_eq(f.player, "07");
	ck_assert_int_eq(stint_playlist_filter_json("filter", NULL, &f, &errors), 0);
	ck_assert_ptr_null(f.player);
	body = cJSON_Parse("{\"name\":\"n\",\"filter\":{\"player\":0}}");
	ck_assert_int_eq(stint_playlist_validate(body, 0, &errors), 0);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "filter"), "player")), "0");
	cJSON_Delete(body);
	ck_assert_ptr_null(f.player);
	ck_assert_ptr_null(errors);
	cJSON_Delete(f1);
	cJSON_Delete(f2);
}
END_TEST

/* A query of key=value pairs (NULL-terminated) into l. */
static void query(stint_arena *a, stint_kvlist *l, const char *const *kv)
{
	memset(l, 0, sizeof(*l));
	for (; kv[0] != NULL; kv += 2)
		ck_assert_int_eq(stint_kv_add(a, l, kv[0], kv[1]), 0);
}

START_TEST(test_filter_query)
{
	static const char *const good[] = { "team", "A", "player", "00", "type", "attack", "set", "3", "pre", "4",
					     "evaluation", "#", "to", "99.5", "skill_type", "", NULL };
	static const char *const bad[] = { "team", "X", "player", "7a", "set", "9", "phase", "nope", NULL };
	stint_arena a = STINT_ARENA_INIT;
	stint_kvlist l;
	stint_playlist_filter f;
	cJSON *errors = NULL, *j;
	char got[256], *text;

	query(&a, &l, good);
	ck_assert_int_eq(stint_playlist_filter_query(&l, &f, &errors), 0);
	ck_assert_str_eq(f.player, "00");
	ck_assert_int_eq(f.set, 3);
	ck_assert(f.to_sec == 99.5);
	ck_assert_ptr_null(f.skill_type);
	j = stint_playlist_filter_to_json(&f);
	text = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(text, "{\"type\":\"attack\",\"team\":\"A\",\"player\":\"00\",\"evaluation\":\"#\",\"set\":3,\"to\":99.5}");
	cJSON_free(text);
	cJSON_Delete(j);
	query(&a, &l, bad);
	ck_assert_int_eq(stint_playlist_filter_query(&l, &f, &errors), 4);
	stint_check_field_names(errors, got, sizeof(got));
	ck_assert_str_eq(got, "phase player set team");
	cJSON_Delete(errors);
	stint_arena_free(&a);
}
END_TEST

static Suite *playlists_suite(void)
{
	Suite *s = suite_create("playlists");
	TCase *tc = tcase_create("validate");

	tcase_add_loop_test(tc, test_body_cases, 0, (int)(sizeof(body_cases) / sizeof(body_cases[0])));
	tcase_add_test(tc, test_filter_json_shirts);
	tcase_add_test(tc, test_filter_query);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(playlists_suite());
}
