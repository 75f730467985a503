/*
 * test_vbcharts.c: the charts (lib/vbcharts.c) drawn from known counts:
 * the tally of hand-made events (actions by team and player, rallies by
 * rotation), one arrow per start and end zone pair with the widest for the
 * largest count, a zone heatmap whose darkest zone holds the largest count,
 * rotation bars whose heights follow their counts, the accessible title and
 * desc (escaped), and a bad id refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_run.h"
#include "vbcharts.h"

/* How often needle occurs in hay. */
static int occurrences(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The value of attribute attr in the first element that contains mark (a unique attribute text). */
static double attr_after(const char *svg, const char *mark, const char *attr)
{
	const char *p = strstr(svg, mark), *q;
	char key[32];

	ck_assert_ptr_nonnull(p);
	snprintf(key, sizeof(key), " %s=\"", attr);
	q = strstr(p, key);
	ck_assert_ptr_nonnull(q);
	return strtod(q + strlen(key), NULL);
}

static void count(stint_vbc_tally *t, const char *type, const char *team, const char *num, int from, int to,
		  const stint_ms_state *st, char fteam, const char *fnum)
{
	cJSON *e = cJSON_CreateObject(), *p = cJSON_AddObjectToObject(e, "payload");

	cJSON_AddStringToObject(e, "event_type", type);
	cJSON_AddStringToObject(e, "actor_team", team);
	if (num != NULL)
		cJSON_AddStringToObject(e, "actor_number", num);
	if (from)
		cJSON_AddNumberToObject(p, "start_zone", from);
	if (to)
		cJSON_AddNumberToObject(p, "end_zone", to);
	stint_vbc_count(t, e, st, fteam, fnum);
	cJSON_Delete(e);
}

START_TEST(tally_by_filter)
{
	stint_vbc_tally all, a16;
	stint_ms_state st;
	int i;

	memset(&all, 0, sizeof(all));
	memset(&a16, 0, sizeof(a16));
	memset(&st, 0, sizeof(st));
	for (i = 0; i < 3; i++) {
		count(&all, "attack", "A", "16", 4, 5, &st, 0, NULL);
		count(&a16, "attack", "A", "16", 4, 5, &st, 'A', "16");
	}
	count(&all, "attack", "B", "7", 2, 1, &st, 0, NULL);
	count(&a16, "attack", "B", "7", 2, 1, &st, 'A', "16");
	count(&a16, "attack", "A", "6", 2, 1, &st, 'A', "16");
	count(&all, "attack", "A", "16", 4, 0, &st, 0, NULL);   /* no end zone: left out */
	count(&all, "attack", "A", "16", 4, 10, &st, 0, NULL);  /* not a zone */
	count(&all, "serve", "A", "3", 1, 6, &st, 0, NULL);
	count(&all, "reception", "B", "9", 1, 6, &st, 0, NULL);
	count(&all, "reception", "B", "9", 1, 5, &st, 0, NULL);
	ck_assert_int_eq(all.attack[4][5], 3);
	ck_assert_int_eq(all.attack[2][1], 1);
	ck_assert_int_eq(a16.attack[4][5], 3);
	ck_assert_int_eq(a16.attack[2][1], 0);
	ck_assert_int_eq(all.serve[6], 1);
	ck_assert_int_eq(all.reception[6] + all.reception[5], 2);
	/* a point: won by B receiving in B's rotation 3 and A's rotation 1 */
	st.outcome = STINT_MS_SIDEOUT;
	st.rally_won_by = 'B';
	st.serving = 'A';
	st.rotation[0] = 1;
	st.rotation[1] = 3;
	count(&a16, "point", "B", NULL, 0, 0, &st, 'A', "16");
	ck_assert_int_eq(a16.rot_won[1][2], 1);
	ck_assert_int_eq(a16.rot_lost[0][0], 1);
	ck_assert_int_eq(a16.rot_won[0][0], 0);
}
END_TEST

START_TEST(attack_arrows)
{
	stint_vbc_tally t;
	stint_buf b = STINT_BUF_INIT;

	memset(&t, 0, sizeof(t));
	t.attack[4][5] = 6;
	t.attack[2][1] = 3;
	t.attack[3][6] = 1;
	ck_assert_int_eq(stint_vbc_attack_svg(&b, &t, "att-a", "Attacks <home> & co"), 0);
	ck_assert_int_eq(occurrences(b.data, "class=\"arrow\""), 3);
	ck_assert_double_eq_tol(attr_after(b.data, "data-from=\"4\" data-to=\"5\"", "stroke-width"), 9.0, 1e-9);
	ck_assert_double_eq_tol(attr_after(b.data, "data-from=\"2\" data-to=\"1\"", "stroke-width"), 5.25, 1e-9);
	ck_assert_double_eq_tol(attr_after(b.data, "data-from=\"3\" data-to=\"6\"", "stroke-width"), 2.75, 1e-9);
	/* zone 4 of the attacking half is front left; zone 5 of the other half is, from the attacker, far right */
	ck_assert_double_eq(attr_after(b.data, "data-from=\"4\" data-to=\"5\"", "x1"), 50);
	ck_assert_double_eq(attr_after(b.data, "data-from=\"4\" data-to=\"5\"", "y1"), 230);
	ck_assert_double_eq(attr_after(b.data, "data-from=\"4\" data-to=\"5\"", "x2"), 170);
	ck_assert_double_eq(attr_after(b.data, "data-from=\"4\" data-to=\"5\"", "y2"), 50);
	ck_assert_ptr_nonnull(strstr(b.data, "role=\"img\" aria-labelledby=\"att-a-t\" aria-describedby=\"att-a-d\""));
	ck_assert_ptr_nonnull(strstr(b.data, "<title id=\"att-a-t\">Attacks &lt;home&gt; &amp; co</title>"));
	ck_assert_ptr_nonnull(strstr(b.data, "10 attacks with a start and an end zone; the most frequent direction is"
				     " from zone 4 to zone 5 (6)."));
	/* the rarest drawn first */
	ck_assert(strstr(b.data, "data-from=\"3\"") < strstr(b.data, "data-from=\"4\" data-to=\"5\""));
	ck_assert_int_eq(stint_vbc_attack_svg(&b, &t, "Bad id", "x"), -1);
	stint_buf_free(&b);
}
END_TEST

START_TEST(zone_heatmap)
{
	int zones[10] = { 0, 2, 0, 0, 0, 8, 4, 0, 0, 0 };
	stint_buf b = STINT_BUF_INIT;

	ck_assert_int_eq(stint_vbc_zones_svg(&b, zones, "serves", "srv-a", "Serves"), 0);
	ck_assert_int_eq(occurrences(b.data, "class=\"zone\""), 9);
	ck_assert_ptr_nonnull(strstr(b.data, "data-zone=\"5\" data-count=\"8\" x=\"20\" y=\"140\""));
	ck_assert_ptr_nonnull(strstr(b.data, "data-zone=\"5\" data-count=\"8\" x=\"20\" y=\"140\" width=\"60\""
				     " height=\"60\" fill=\"#1d4ed8\""));
	ck_assert_ptr_nonnull(strstr(b.data, "data-zone=\"3\" data-count=\"0\" x=\"80\" y=\"20\" width=\"60\""
				     " height=\"60\" fill=\"#f1f5f9\""));
	/* half the largest count: half way */
	ck_assert_ptr_nonnull(strstr(b.data, "data-zone=\"6\" data-count=\"4\" x=\"80\" y=\"140\" width=\"60\""
				     " height=\"60\" fill=\"#87a2e9\""));
	ck_assert_ptr_nonnull(strstr(b.data, "14 serves by zone; the most in zone 5 (8)."));
	stint_buf_free(&b);
}
END_TEST

START_TEST(rotation_bars)
{
	stint_vbc_tally t;
	stint_buf b = STINT_BUF_INIT;
	const char *names[2] = { "Home", "Visitors" };

	memset(&t, 0, sizeof(t));
	t.rot_won[0][0] = 10;
	t.rot_lost[0][0] = 5;
	t.rot_won[1][5] = 2;
	ck_assert_int_eq(stint_vbc_rotation_svg(&b, &t, names, "rot", "Points per rotation"), 0);
	ck_assert_int_eq(occurrences(b.data, "class=\"won\""), 12);
	ck_assert_int_eq(occurrences(b.data, "class=\"lost\""), 12);
	ck_assert_double_eq(attr_after(b.data, "class=\"won\" data-team=\"A\" data-rotation=\"1\"", "height"), 100);
	ck_assert_double_eq(attr_after(b.data, "class=\"lost\" data-team=\"A\" data-rotation=\"1\"", "height"), 50);
	ck_assert_double_eq(attr_after(b.data, "class=\"won\" data-team=\"B\" data-rotation=\"6\"", "height"), 20);
	ck_assert_double_eq(attr_after(b.data, "class=\"won\" data-team=\"B\" data-rotation=\"1\"", "height"), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "Home: 10 won, 5 lost; Visitors: 2 won, 0 lost."));
	stint_buf_free(&b);
}
END_TEST

static Suite *vbcharts_suite(void)
{
	Suite *s = suite_create("vbcharts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, tally_by_filter);
	tcase_add_test(tc, attack_arrows);
	tcase_add_test(tc, zone_heatmap);
	tcase_add_test(tc, rotation_bars);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(vbcharts_suite());
}
