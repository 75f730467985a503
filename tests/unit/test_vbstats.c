/*
 * test_vbstats.c: the statistics (lib/vbstats.c) of a small hand-made set:
 * six rallies with serves, receptions, attacks, a block and a dig; side-out
 * and break-point % per team and rotation, serve, reception and attack
 * figures, players with only a block or a dig, the phase and player
 * filters, and speed on 1,000 events; the tally a season adds up (the same
 * counts as the statistics, doubled by stint_vbs_counts_add, percentages
 * recomputed from the sums).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "check_run.h"
#include "matchstate.h"
#include "vbstats.h"

#define MAXEV 1100

static stint_ms_event ev[MAXEV];
static stint_ms_state st[MAXEV];
static stint_vbs_action act[MAXEV];
static stint_ms_summary sum;
static size_t nev;

/* One event: type, team, number ("" none), evaluation ("" none). */
static void add(const char *type, const char *team, const char *number, const char *eval)
{
	cJSON *e = cJSON_CreateObject(), *p = cJSON_AddObjectToObject(e, "payload");

	ck_assert_uint_lt(nev, MAXEV);
	cJSON_AddStringToObject(e, "event_type", type);
	cJSON_AddStringToObject(e, "actor_team", team);
	if (number[0])
		cJSON_AddStringToObject(e, "actor_number", number);
	if (eval[0])
		cJSON_AddStringToObject(p, "evaluation", eval);
	stint_ms_event_from_json(e, &ev[nev]);
	stint_vbs_action_from_json(e, &act[nev]);
	nev++;
	cJSON_Delete(e);
}

static void six_rallies(void)
{
	nev = 0;
	/* 1: B sides out with a kill */
	add("serve", "A", "3", "+"); add("reception", "B", "7", "#"); add("attack", "B", "9", "#"); add("point", "B", "", "");
	/* 2: B serves into the net */
	add("serve", "B", "9", "="); add("point", "A", "", "");
	/* 3: ace */
	add("serve", "A", "3", "#"); add("point", "A", "", "");
	/* 4: reception error; a setter call in between stays out of the tables */
	add("serve", "A", "3", "-"); add("setter_call", "B", "", ""); add("reception", "B", "7", "="); add("point", "A", "", "");
	/* 5: B's attack blocked by A 12 */
	add("serve", "A", "3", "+"); add("reception", "B", "7", "+"); add("attack", "B", "9", "/");
	add("block", "A", "12", "#"); add("point", "A", "", "");
	/* 6: A 14 digs, A 3 kills in transition */
	add("serve", "A", "3", "+"); add("reception", "B", "5", "-"); add("attack", "B", "9", "+");
	add("dig", "A", "14", "+"); add("attack", "A", "3", "#"); add("point", "A", "", "");
	{
		stint_ms_rules r;

		stint_ms_rules_indoor(&r);
		stint_ms_derive(&r, NULL, 0, ev, nev, st, &sum);
	}
}

static double num(const cJSON *o, const char *path)
{
	char buf[256], *tok, *save = NULL;
	const cJSON *x = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL; tok = strtok_r(NULL, ".", &save))
		x = cJSON_IsArray(x) ? cJSON_GetArrayItem(x, atoi(tok)) : cJSON_GetObjectItem(x, tok);
	ck_assert_msg(cJSON_IsNumber(x), "%s is not a number", path);
	return x->valuedouble;
}

#define EQ(o, path, v) ck_assert_msg(num(o, path) == (v), "%s = %g, expected %g", path, num(o, path), (double)(v))

static const cJSON *player(const cJSON *o, const char *team, const char *number)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(o, "players"))
		if (strcmp(cJSON_GetObjectItem(p, "team")->valuestring, team) == 0 &&
		    strcmp(cJSON_GetObjectItem(p, "number")->valuestring, number) == 0)
			return p;
	return NULL;
}

START_TEST(hand_made_set)
{
	cJSON *o;
	const cJSON *r;

	six_rallies();
	o = stint_vbs_stats(act, st, nev, &sum, NULL);
	ck_assert_ptr_nonnull(o);
	EQ(o, "sets.0.A", 5); EQ(o, "sets.0.B", 1);
	EQ(o, "teams.A.rallies_served", 5); EQ(o, "teams.A.breakpoint_won", 4); EQ(o, "teams.A.breakpoint_pct", 80.0);
	EQ(o, "teams.A.rallies_received", 1); EQ(o, "teams.A.sideout_pct", 100.0);
	EQ(o, "teams.B.sideout_pct", 20.0); EQ(o, "teams.B.breakpoint_pct", 0.0);
	EQ(o, "teams.A.serve.attempts", 5); EQ(o, "teams.A.serve.aces", 1); EQ(o, "teams.A.serve.errors", 0);
	EQ(o, "teams.B.serve.attempts", 1); EQ(o, "teams.B.serve.errors", 1);
	EQ(o, "teams.B.reception.attempts", 4); EQ(o, "teams.B.reception.positive_pct", 50.0);
	EQ(o, "teams.B.reception.perfect_pct", 25.0); EQ(o, "teams.B.reception.errors", 1);
	EQ(o, "teams.B.reception.share_pct.-", 25.0);
	EQ(o, "teams.B.attack.attempts", 3); EQ(o, "teams.B.attack.kills", 1); EQ(o, "teams.B.attack.blocked", 1);
	EQ(o, "teams.B.attack.kill_pct", 33.3); EQ(o, "teams.B.attack.efficiency", 0.0);
	EQ(o, "teams.A.attack.kill_pct", 100.0); EQ(o, "teams.A.block.points", 1); EQ(o, "teams.A.dig.attempts", 1);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "players")), 6);
	ck_assert_ptr_nonnull(player(o, "A", "12"));
	EQ(player(o, "A", "12"), "block.points", 1);
	EQ(player(o, "A", "14"), "dig.attempts", 1);
	EQ(player(o, "B", "9"), "attack.attempts", 3);
	ck_assert_ptr_null(cJSON_GetObjectItem(player(o, "A", "3"), "sideout_pct"));
	/* rotations: A served rally 1 in rotation 1, received rally 2 there, then served from rotation 6 */
	r = cJSON_GetObjectItem(o, "by_rotation");
	ck_assert_int_eq(cJSON_GetArraySize(r), 12);
	EQ(r, "0.rallies_served", 1); EQ(r, "0.breakpoint_won", 0); EQ(r, "0.sideout_pct", 100.0);
	EQ(r, "5.rotation", 6); EQ(r, "5.rallies_served", 4); EQ(r, "5.breakpoint_pct", 100.0);
	EQ(r, "6.rallies_received", 1); EQ(r, "6.sideout_pct", 100.0);
	EQ(r, "11.rallies_received", 4); EQ(r, "11.sideout_pct", 0.0); EQ(r, "11.breakpoint_pct", 0.0);
	EQ(o, "by_set.0.teams.A.breakpoint_pct", 80.0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "by_set")), 1);
	cJSON_Delete(o);
}
END_TEST

START_TEST(filters)
{
	stint_vbs_filter f = { STINT_MS_PHASE_RECEPTION, 0, NULL };
	cJSON *o;

	six_rallies();
	o = stint_vbs_stats(act, st, nev, &sum, &f);
	EQ(o, "teams.B.attack.attempts", 3); EQ(o, "teams.A.attack.attempts", 0); EQ(o, "teams.A.serve.attempts", 0);
	EQ(o, "teams.A.sideout_pct", 100.0);    /* rallies are not filtered */
	cJSON_Delete(o);
	f.phase = STINT_MS_PHASE_TRANSITION;
	o = stint_vbs_stats(act, st, nev, &sum, &f);
	EQ(o, "teams.B.attack.attempts", 0); EQ(o, "teams.A.attack.attempts", 1); EQ(o, "teams.A.dig.attempts", 1);
	cJSON_Delete(o);
	f.phase = STINT_MS_PHASE_NONE;
	f.team = 'B';
	f.number = "9";
	o = stint_vbs_stats(act, st, nev, &sum, &f);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "players")), 1);
	EQ(o, "teams.B.attack.attempts", 3); EQ(o, "teams.B.serve.attempts", 1); EQ(o, "teams.B.reception.attempts", 0);
	cJSON_Delete(o);
}
END_TEST

START_TEST(thousand_events_fast)
{
	struct timespec t0, t1;
	cJSON *o;
	double ms;

	six_rallies();
	/* the six rallies (20 events) again and again: 1,000 events */
	while (nev < 1000) {
		ev[nev] = ev[nev % 20];
		act[nev] = act[nev % 20];
		nev++;
	}
	{
		stint_ms_rules r;

		stint_ms_rules_indoor(&r);
		stint_ms_derive(&r, NULL, 0, ev, nev, st, &sum);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	o = stint_vbs_stats(act, st, nev, &sum, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("vbstats: %zu events in %.3f ms\n", nev, ms);
	ck_assert_ptr_nonnull(o);
	ck_assert_double_lt(ms, 20.0);
	cJSON_Delete(o);
}
END_TEST

START_TEST(tally_adds_up)
{
	stint_vbs_tally t;
	stint_vbs_counts two;
	cJSON *o, *block, *want, *key;
	char *a, *b;
	size_t j;
	int k;

	six_rallies();
	o = stint_vbs_stats(act, st, nev, &sum, NULL);
	ck_assert_int_eq(stint_vbs_tally_events(act, st, nev, NULL, &t), 0);
	/* the tally's blocks are the statistics' own */
	for (k = 0; k < 2; k++) {
		block = stint_vbs_counts_json(&t.team[k], 1);
		want = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "teams"), k == 0 ? "A" : "B");
		a = cJSON_PrintUnformatted(block);
		b = cJSON_PrintUnformatted(want);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
		cJSON_Delete(block);
	}
	ck_assert_uint_eq(t.nplayers, 6);
	for (j = 0; j < t.nplayers; j++) {
		char team[2] = { t.players[j].team, '\0' };

		block = stint_vbs_counts_json(&t.players[j].c, 0);
		EQ(block, "attack.attempts", num(player(o, team, t.players[j].number), "attack.attempts"));
		EQ(block, "serve.attempts", num(player(o, team, t.players[j].number), "serve.attempts"));
		cJSON_Delete(block);
	}
	EQ(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "by_rotation"), 5), "rallies_served", t.rotation[0][5].served);
	/* twice the match: every count doubles, the percentages stay */
	memset(&two, 0, sizeof(two));
	stint_vbs_counts_add(&two, &t.team[1]);
	stint_vbs_counts_add(&two, &t.team[1]);
	block = stint_vbs_counts_json(&two, 1);
	EQ(block, "reception.attempts", 8); EQ(block, "reception.evaluations.#", 2);
	EQ(block, "attack.kill_pct", 33.3); EQ(block, "sideout_pct", 20.0); EQ(block, "rallies_received", 10);
	key = stint_vbs_key_json(&two, 1);
	EQ(key, "attack_attempts", 6); EQ(key, "kills", 2); EQ(key, "kill_pct", 33.3); EQ(key, "positive_pct", 50.0);
	EQ(key, "sideout_pct", 20.0);
	cJSON_Delete(key);
	key = stint_vbs_key_json(&two, 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(key, "sideout_pct"));
	cJSON_Delete(key);
	cJSON_Delete(block);
	stint_vbs_tally_free(&t);
	ck_assert_ptr_null(t.players);
	cJSON_Delete(o);
}
END_TEST

static Suite *vbstats_suite(void)
{
	Suite *s = suite_create("vbstats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, hand_made_set);
	tcase_add_test(tc, filters);
	tcase_add_test(tc, thousand_events_fast);
	tcase_add_test(tc, tally_adds_up);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(vbstats_suite());
}
