/*
 * test_matchsheet.c: the spreadsheet CSVs (lib/matchsheet.c): RFC 4180
 * quoting and the formula guard, table-driven; file names from date and
 * teams (ASCII and UTF-8, unsafe characters, missing teams and dates); an
 * events CSV with names in columns and payload fields in their own columns;
 * a players CSV from lib/vbstats.h's answer.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_run.h"
#include "matchsheet.h"
#include "vbstats.h"

START_TEST(csv_fields)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\r\nlines", "\"two\r\nlines\"" },
		{ "=SUM(A1:A9)", "\"'=SUM(A1:A9)\"" },
		{ "+1", "\"'+1\"" },
		{ "-", "\"'-\"" },
		{ "@cmd", "\"'@cmd\"" },
		{ "=\"x\",y", "\"'=\"\"x\"\",y\"" },
		{ "\tx", "\"'\tx\"" },
		{ "Müller", "Müller" },
		{ "a;b", "\"a;b\"" },
		{ "a\tb", "\"a\tb\"" },
	};
	stint_buf b = STINT_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stint_buf_reset(&b);
		ck_assert_int_eq(stint_csv_text(&b, cases[i].in), 0);
		ck_assert_str_eq(b.data ? b.data : "", cases[i].out);
	}
	stint_buf_free(&b);
}
END_TEST

static cJSON *input(const char *home, const char *away, const char *starts_at, const char *file_date)
{
	cJSON *in = cJSON_CreateObject(), *s = cJSON_AddObjectToObject(in, "session"), *teams, *t, *r, *p;

	if (starts_at)
		cJSON_AddStringToObject(s, "starts_at", starts_at);
	if (file_date)
		cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "match"), "date", file_date);
	teams = cJSON_AddArrayToObject(in, "teams");
	if (home) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "side", "A");
		cJSON_AddStringToObject(t, "name", home);
		r = cJSON_AddArrayToObject(t, "roster");
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "number", "16");
		cJSON_AddStringToObject(p, "player_name", "=Ann, \"Cap\"");
		cJSON_AddItemToArray(r, p);
		cJSON_AddItemToArray(teams, t);
	}
	if (away) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "side", "B");
		cJSON_AddStringToObject(t, "name", away);
		cJSON_AddItemToArray(teams, t);
	}
	return in;
}

START_TEST(file_names)
{
	char name[256];
	cJSON *in = input("Kats / Home", "Güssing Blue Volleys", "2023-01-15T18:00:00+00:00", "2019-03-01");

	stint_sheet_filename(in, "events", "csv", 1, name, sizeof(name));
	ck_assert_str_eq(name, "2023-01-15_Kats-Home-vs-G-ssing-Blue-Volleys_events.csv");
	stint_sheet_filename(in, "events", "csv", 0, name, sizeof(name));
	ck_assert_str_eq(name, "2023-01-15_Kats-Home-vs-Güssing-Blue-Volleys_events.csv");
	cJSON_Delete(in);
	in = input(NULL, "***", NULL, "2019-03-01");
	stint_sheet_filename(in, "players", "csv", 1, name, sizeof(name));
	ck_assert_str_eq(name, "2019-03-01_Home-vs-Visitors_players.csv");
	cJSON_Delete(in);
	in = input("A", "B", NULL, NULL);
	stint_sheet_filename(in, "report", "html", 1, name, sizeof(name));
	ck_assert_str_eq(name, "undated_A-vs-B_report.html");
	cJSON_Delete(in);
}
END_TEST

static cJSON *event(int id, double t, const char *type, const char *team, const char *num, const char *payload)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddNumberToObject(e, "id", id);
	cJSON_AddNumberToObject(e, "t_sec", t);
	cJSON_AddStringToObject(e, "event_type", type);
	cJSON_AddStringToObject(e, "actor_team", team);
	if (num)
		cJSON_AddStringToObject(e, "actor_number", num);
	cJSON_AddItemToObject(e, "payload", cJSON_Parse(payload));
	cJSON_AddStringToObject(e, "source", "import:dvw");
	return e;
}

START_TEST(events_and_players)
{
	cJSON *in = input("Home, Inc.", "Visitors", "2023-01-15T18:00:00Z", NULL), *evs, *it, *stats;
	stint_ms_event ev[3];
	stint_ms_state st[3];
	stint_vbs_action act[3];
	stint_ms_summary sum;
	stint_ms_rules rules;
	stint_buf b = STINT_BUF_INIT;
	size_t i = 0;
	char *line2;

	evs = cJSON_AddArrayToObject(in, "events");
	cJSON_AddItemToArray(evs, event(7, 1.5, "serve", "B", "9", "{\"skill_name\":\"serve\",\"skill_type\":\"Q\","
					"\"evaluation\":\"-\",\"start_zone\":1,\"end_zone\":6,\"code\":\"a09SQ-\"}"));
	cJSON_AddItemToArray(evs, event(8, 3.25, "attack", "A", "16", "{\"skill_name\":\"attack\",\"skill_type\":\"H\","
					"\"evaluation\":\"#\",\"attack_code\":\"V5\",\"start_zone\":4,\"end_zone\":5}"));
	cJSON_AddItemToArray(evs, event(9, 4, "point", "A", NULL, "{\"point_won_by\":\"A\"}"));
	stint_ms_rules_indoor(&rules);
	rules.first_serve = 'B';
	cJSON_ArrayForEach(it, evs) {
		stint_ms_event_from_json(it, &ev[i]);
		stint_vbs_action_from_json(it, &act[i]);
		i++;
	}
	stint_ms_derive(&rules, NULL, 0, ev, 3, st, &sum);
	ck_assert_int_eq(stint_sheet_events_csv(&b, in, st, 3), 0);
	line2 = strstr(b.data, "\r\n") + 2;
	ck_assert_str_eq(line2,
		"7,1.500,1,0,0,Visitors,Visitors,visiting,9,,serve,serve,Q,\"'-\",,,,,1,6,,,,,,serve,,,1,1,1,"
		"\"Home, Inc.\",a09SQ-,,import:dvw\r\n"
		"8,3.250,1,0,0,Visitors,\"Home, Inc.\",home,16,\"'=Ann, \"\"Cap\"\"\",attack,attack,H,#,,V5,,,4,5,,,,,,"
		"reception,,,1,1,1,\"Home, Inc.\",,,import:dvw\r\n"
		"9,4.000,1,0,0,Visitors,\"Home, Inc.\",home,,,point,point,,,,,,,,,,,,,,,,,1,1,1,\"Home, Inc.\",,,"
		"import:dvw\r\n");
	ck_assert_ptr_nonnull(strstr(b.data, "event_id,t_sec,set,home_score,visiting_score,serving_team,team,"));
	stats = stint_vbs_stats(act, st, 3, &sum, NULL);
	stint_buf_reset(&b);
	ck_assert_int_eq(stint_sheet_players_csv(&b, in, stats), 0);
	line2 = strstr(b.data, "\r\n") + 2;
	ck_assert_str_eq(line2,
		"\"Home, Inc.\",home,16,\"'=Ann, \"\"Cap\"\"\",0,0,0,0,0,0,0,,,1,1,0,0,100.0,100.0,0,0,1\r\n"
		"Visitors,visiting,9,,1,0,0,0,0,0,0,,,0,0,0,0,,,0,0,0\r\n");
	cJSON_Delete(stats);
	cJSON_Delete(in);
	stint_buf_free(&b);
}
END_TEST

static Suite *matchsheet_suite(void)
{
	Suite *s = suite_create("matchsheet");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, csv_fields);
	tcase_add_test(tc, file_names);
	tcase_add_test(tc, events_and_players);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(matchsheet_suite());
}
