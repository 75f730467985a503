/*
 * test_teams.c: lib/teams.c's validators, table-driven: every problem is
 * named by its path (home.players[3].number), a shirt number is 1 to 3
 * digits kept as text ("00" and "0" are two numbers), a number given twice
 * and a second captain are refused, a colour is lowered, a side may be a
 * saved team's id or null, and a body must name a side.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_fields.h"
#include "check_run.h"
#include "teams.h"

/* A body and the fields its problems must name exactly ("" when it is valid). */
static const struct { const char *body, *fields; } body_cases[] = {
	{ "{\"home\":{\"name\":\"Lions\",\"players\":[{\"number\":\"0\"},{\"number\":\"00\"},{\"number\":\"000\"}]}}", "" },
	{ "{\"home\":null}", "" },
	{ "{\"visiting\":{\"saved_team_id\":4}}", "" },
	{ "{\"home\":{\"name\":\"L\",\"short_name\":\"\",\"colour\":\"\",\"players\":[]}}", "" },
	{ "{}", "(body)" },
	{ "{\"away\":{}}", "away" },
	{ "{\"home\":{\"players\":[]}}", "home.name" },
	{ "{\"home\":{\"name\":\"L\",\"players\":[{\"number\":\"7\"},{\"number\":\"8\"},{\"number\":\"7\"}]}}",
	  "home.players[2].number" },
	{ "{\"home\":{\"name\":\"L\",\"players\":[{\"number\":\"1a\"},{\"number\":\"1234\"},{\"number\":\"\"}]}}",
	  "home.players[0].number home.players[1].number home.players[2].number" },
	{ "{\"home\":{\"name\":\"L\",\"players\":[{\"number\":\"1\",\"captain\":true},{\"number\":\"2\",\"captain\":true}]}}",
	  "home.players[1].captain" },
	{ "{\"visiting\":{\"name\":\"V\",\"colour\":\"red\"}}", "visiting.colour" },
	{ "{\"visiting\":{\"name\":\"V\",\"colour\":\"#12345g\"}}", "visiting.colour" },
	{ "{\"home\":{\"name\":\"L\",\"players\":[{\"number\":7}]}}", "home.players[0].number" },
	{ "{\"home\":{\"name\":\"L\",\"players\":[{\"number\":\"7\",\"shirt\":\"x\"}]}}", "home.players[0].shirt" },
	{ "{\"home\":{\"name\":\"L\",\"players\":[{\"number\":\"7\",\"libero\":\"yes\"}]}}", "home.players[0].libero" },
	{ "{\"home\":{\"saved_team_id\":0}}", "home.saved_team_id" },
	{ "{\"home\":{\"saved_team_id\":3,\"name\":\"L\"}}", "home.name" },
	{ "{\"home\":{\"name\":\"L\",\"short_name\":\"thirteen char\"}}", "home.short_name" },
};

START_TEST(test_body_cases)
{
	cJSON *body = cJSON_Parse(body_cases[_i].body), *errors = NULL;
	char got[512];
	int bad;

	ck_assert_ptr_nonnull(body);
	bad = stint_teams_validate(body, &errors);
	stint_check_field_names(errors, got, sizeof(got));
	ck_assert_msg(strcmp(got, body_cases[_i].fields) == 0, "%s: named [%s], want [%s]", body_cases[_i].body, got,
		      body_cases[_i].fields);
	ck_assert_int_eq(bad > 0, body_cases[_i].fields[0] != '\0');
	cJSON_Delete(errors);
	cJSON_Delete(body);
}
END_TEST

START_TEST(test_colour_lowered_numbers_kept)
{
	cJSON *team = cJSON_Parse("{\"name\":\"L\",\"colour\":\"#1F6FEB\",\"players\":[{\"number\":\"007\"}]}");
	cJSON *errors = NULL;

	ck_assert_int_eq(stint_team_validate(NULL, team, 0, &errors), 0);
	ck_assert_ptr_null(errors);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(team, "colour")), "#1f6feb");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(team, "players"), 0),
								 "number")), "007");
	cJSON_Delete(team);
}
END_TEST

START_TEST(test_saved_team_no_copy_and_top_level_names)
{
	cJSON *team = cJSON_Parse("{\"saved_team_id\":3}"), *errors = NULL;

	ck_assert_int_gt(stint_team_validate(NULL, team, 0, &errors), 0);
	ck_assert(cJSON_HasObjectItem(errors, "name"));
	ck_assert(cJSON_HasObjectItem(errors, "saved_team_id"));
	cJSON_Delete(errors);
	cJSON_Delete(team);
	errors = NULL;
	team = cJSON_Parse("{\"name\":\"L\",\"players\":[{\"number\":\"5\"},{\"number\":\"5\"}]}");
	ck_assert_int_eq(stint_team_validate(NULL, team, 0, &errors), 1);
	ck_assert(cJSON_HasObjectItem(errors, "players[1].number"));
	cJSON_Delete(errors);
	cJSON_Delete(team);
}
END_TEST

START_TEST(test_player_limit)
{
	cJSON *team = cJSON_Parse("{\"name\":\"L\"}"), *players = cJSON_AddArrayToObject(team, "players"), *errors = NULL;
	char num[8];

	for (int i = 0; i < STINT_TEAM_MAX_PLAYERS; i++) {
		cJSON *p = cJSON_CreateObject();

		snprintf(num, sizeof(num), "%d", i);
		cJSON_AddStringToObject(p, "number", num);
		cJSON_AddItemToArray(players, p);
	}
	ck_assert_int_eq(stint_team_validate("home", team, 1, &errors), 0);
	cJSON_AddItemToArray(players, cJSON_Parse("{\"number\":\"99\"}"));
	ck_assert_int_gt(stint_team_validate("home", team, 1, &errors), 0);
	ck_assert(cJSON_HasObjectItem(errors, "home.players"));
	cJSON_Delete(errors);
	errors = NULL;
	/* a huge list is refused by its size alone: its numbers are not compared pairwise */
	for (int i = 0; i < 20000; i++)
		cJSON_AddItemToArray(players, cJSON_Parse("{\"number\":\"1\"}"));
	ck_assert_int_eq(stint_team_validate("home", team, 1, &errors), 1);
	ck_assert(cJSON_HasObjectItem(errors, "home.players"));
	cJSON_Delete(errors);
	cJSON_Delete(team);
}
END_TEST

static Suite *teams_suite(void)
{
	Suite *s = suite_create("teams");
	TCase *tc = tcase_create("validate");

	tcase_add_loop_test(tc, test_body_cases, 0, (int)(sizeof(body_cases) / sizeof(body_cases[0])));
	tcase_add_test(tc, test_colour_lowered_numbers_kept);
	tcase_add_test(tc, test_saved_team_no_copy_and_top_level_names);
	tcase_add_test(tc, test_player_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(teams_suite());
}
