/*
 * test_scoutcode.c: scout codes typed by hand (lib/scoutcode.c, on
 * lib/dvw.c's stint_dvw_code): a table of typed forms good, partial and
 * bad; words and choices; the per-skill legend against openvolley's default
 * evaluation decoder; and every scout line of the real .dvw files typed as
 * a code gives the payload the importer stores for that line's code.
 *
 * The last test reads the .dvw files of $STINT_DATA_DIR/volleyball; it is left out (not
 * failed) when STINT_DATA_DIR is not set, the rest always run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "check_run.h"
#include "dvw.h"
#include "scoutcode.h"

static const char *str_at(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static const cJSON *payload(const cJSON *ev)
{
	return cJSON_GetObjectItemCaseSensitive(ev, "payload");
}

static const struct code_case {
	const char *typed;
	stint_scout_rc rc;
	const char *code;       /* payload.code (OK), or the note's part (PARTIAL, BAD) */
	const char *type, *team, *number, *attack_code;
	int start_zone, end_zone;       /* 0: absent */
} cases[] = {
	{ "*16AH#V6~42", STINT_SCOUT_OK, "*16AH#V6~42", "attack", "A", "16", "V6", 4, 2 },
	{ "*16AH#V6 4 2", STINT_SCOUT_OK, "*16AH#V6~42", "attack", "A", "16", "V6", 4, 2 },
	{ "  a07SM-  ~ 5 ", STINT_SCOUT_OK, "a07SM-~~~~5", "serve", "B", "7", NULL, 0, 5 },
	{ "a07SM- 1 5", STINT_SCOUT_OK, "a07SM-~~~15", "serve", "B", "7", NULL, 1, 5 },
	{ "16AQ+X1", STINT_SCOUT_OK, "*16AQ+X1", "attack", "A", "16", "X1", 0, 0 },
	{ "*5RH# 1 6C", STINT_SCOUT_OK, "*5RH#~~~16C", "reception", "A", "5", NULL, 1, 6 },
	{ "*16AT/X5 4 1 T2", STINT_SCOUT_OK, "*16AT/X5~41~T2", "attack", "A", "16", "X5", 4, 1 },
	{ "ap25:23", STINT_SCOUT_OK, "ap25:23", "point", "B", NULL, NULL, 0, 0 },
	{ "*c05:12", STINT_SCOUT_OK, "*c05:12", "substitution", "A", "12", NULL, 0, 0 },
	{ "aT", STINT_SCOUT_OK, "aT", "timeout", "B", NULL, NULL, 0, 0 },
	{ "", STINT_SCOUT_PARTIAL, "team", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*", STINT_SCOUT_PARTIAL, "player", NULL, NULL, NULL, NULL, 0, 0 },
	{ "a12", STINT_SCOUT_PARTIAL, "skill", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16A", STINT_SCOUT_PARTIAL, "skill type", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH", STINT_SCOUT_PARTIAL, "evaluation", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V", STINT_SCOUT_PARTIAL, "combination", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*p12:", STINT_SCOUT_PARTIAL, "score", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH%", STINT_SCOUT_BAD, "evaluation", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16ZH#", STINT_SCOUT_BAD, "skill", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16Ah#", STINT_SCOUT_BAD, "skill type", NULL, NULL, NULL, NULL, 0, 0 },
	{ "b16AH#", STINT_SCOUT_BAD, "code", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V6 0 2", STINT_SCOUT_BAD, "start zone", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V6 4 X", STINT_SCOUT_BAD, "end zone", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V6~40", STINT_SCOUT_BAD, "end zone", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16 AH#", STINT_SCOUT_BAD, "code", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V6~4 2", STINT_SCOUT_BAD, "start zone", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V6 4 2 H2 x", STINT_SCOUT_BAD, "code", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V6 4 2 H2 x y", STINT_SCOUT_BAD, "code", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#\x01", STINT_SCOUT_BAD, "code", NULL, NULL, NULL, NULL, 0, 0 },
	{ "*16AH#V6~42HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH", STINT_SCOUT_BAD, "code", NULL, NULL, NULL, NULL, 0, 0 },
};

START_TEST(test_codes)
{
	const struct code_case *c = &cases[_i];
	stint_scout_note note;
	cJSON *ev = NULL;
	stint_scout_rc rc = stint_scout_read(c->typed, NULL, 0, &ev, &note);
	const cJSON *z;

	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d (%s: %s)", c->typed, rc, c->rc,
		      note.part ? note.part : "-", note.message);
	if (rc != STINT_SCOUT_OK) {
		ck_assert_msg(note.part != NULL && strcmp(note.part, c->code) == 0, "%s: part %s, want %s",
			      c->typed, note.part ? note.part : "(null)", c->code);
		ck_assert(rc == STINT_SCOUT_PARTIAL || note.message[0] != '\0');
		cJSON_Delete(ev);
		return;
	}
	ck_assert_str_eq(str_at(payload(ev), "code"), c->code);
	ck_assert_str_eq(str_at(ev, "event_type"), c->type);
	ck_assert_str_eq(str_at(ev, "actor_team"), c->team);
	if (c->number)
		ck_assert_str_eq(str_at(ev, "actor_number"), c->number);
	else
		ck_assert(cJSON_IsNull(cJSON_GetObjectItem(ev, "actor_number")));
	if (c->attack_code)
		ck_assert_str_eq(str_at(payload(ev), "attack_code"), c->attack_code);
	z = cJSON_GetObjectItem(payload(ev), "start_zone");
	ck_assert_int_eq(cJSON_IsNumber(z) ? z->valueint : 0, c->start_zone);
	z = cJSON_GetObjectItem(payload(ev), "end_zone");
	ck_assert_int_eq(cJSON_IsNumber(z) ? z->valueint : 0, c->end_zone);
	cJSON_Delete(ev);
}
END_TEST

/* The roster names the shirt as the team writes it: "*00" is "00", "*07" is "7". */
START_TEST(test_roster_numbers)
{
	cJSON *players = cJSON_Parse("[{\"side\":\"A\",\"number\":\"00\"},{\"side\":\"B\",\"number\":\"7\"}]");
	stint_scout_note note;
	cJSON *ev = NULL;

	ck_assert_int_eq(stint_scout_read("*00DH+", players, 0, &ev, &note), STINT_SCOUT_OK);
	ck_assert_str_eq(str_at(ev, "actor_number"), "00");
	cJSON_Delete(ev);
	ck_assert_int_eq(stint_scout_read("a07BH#", players, 0, &ev, &note), STINT_SCOUT_OK);
	ck_assert_str_eq(str_at(ev, "actor_number"), "7");
	cJSON_Delete(ev);
	cJSON_Delete(players);
}
END_TEST

static char *joined(const cJSON *words)
{
	stint_buf b = STINT_BUF_INIT;
	const cJSON *w;

	cJSON_ArrayForEach(w, words)
		stint_buf_printf(&b, "%s%s", b.len ? " | " : "", w->valuestring);
	return stint_buf_take(&b);
}

START_TEST(test_words_and_choices)
{
	stint_scout_note note;
	cJSON *ev = NULL, *words;
	char buf[400], *text;

	ck_assert_int_eq(stint_scout_read("*16AH!V6 4 2C", NULL, 0, &ev, &note), STINT_SCOUT_OK);
	words = stint_scout_words(ev);
	text = joined(words);
	ck_assert_str_eq(text, "Home | #16 | Attack | High ball attack | Blocked for reattack | combination V6 | "
			 "from zone 4 | to zone 2C");
	free(text);
	cJSON_Delete(words);
	cJSON_Delete(ev);

	ck_assert_int_eq(stint_scout_read("a3SQ#", NULL, 0, &ev, &note), STINT_SCOUT_OK);
	words = stint_scout_words(ev);
	text = joined(words);
	ck_assert_str_eq(text, "Visiting | #3 | Serve | Jump serve | Ace");
	free(text);
	cJSON_Delete(words);
	cJSON_Delete(ev);

	/* a session scouting cones: an attack's end is a cone, a serve's still a zone */
	ck_assert_int_eq(stint_scout_read("*16AH#V6 4 2", NULL, 1, &ev, &note), STINT_SCOUT_OK);
	ck_assert_int_eq(cJSON_GetObjectItem(payload(ev), "end_cone")->valueint, 2);
	ck_assert(!cJSON_HasObjectItem(payload(ev), "end_zone"));
	words = stint_scout_words(ev);
	ck_assert_str_eq(cJSON_GetArrayItem(words, cJSON_GetArraySize(words) - 1)->valuestring, "to cone 2");
	cJSON_Delete(words);
	cJSON_Delete(ev);
	ck_assert_int_eq(stint_scout_read("*16SQ# 1 5", NULL, 1, &ev, &note), STINT_SCOUT_OK);
	ck_assert_int_eq(cJSON_GetObjectItem(payload(ev), "end_zone")->valueint, 5);
	cJSON_Delete(ev);

	/* while typing: what comes next, in the skill's own terms */
	ck_assert_int_eq(stint_scout_read("*16AH", NULL, 0, &ev, &note), STINT_SCOUT_PARTIAL);
	stint_scout_choices(ev, note.part, buf, sizeof buf);
	ck_assert_str_eq(buf, "# Winning attack, + Positive, good attack, ! Blocked for reattack, "
			 "- Poor, easily dug, / Blocked, = Error");
	cJSON_Delete(ev);
	ck_assert_int_eq(stint_scout_read("*16S", NULL, 0, &ev, &note), STINT_SCOUT_PARTIAL);
	stint_scout_choices(ev, note.part, buf, sizeof buf);
	ck_assert_str_eq(buf, "H Float serve, M Jump-float serve, Q Jump serve, T Topspin serve");
	cJSON_Delete(ev);
	ck_assert_int_eq(stint_scout_read("*16BH", NULL, 0, &ev, &note), STINT_SCOUT_PARTIAL);
	stint_scout_choices(ev, note.part, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "/ Invasion"));
	cJSON_Delete(ev);
}
END_TEST

/* openvolley datavolley's default decoder (skill_evaluation_decoder(), R/plays.R): 42 rows. */
START_TEST(test_legend)
{
	static const char *const rows[] = {
		"S#Ace", "S!OK, no first tempo possible", "S/Positive, no attack",
		"R#Perfect pass", "R/Poor, no attack", "R-Negative, limited attack",
		"A#Winning attack", "A!Blocked for reattack", "A/Blocked", "A-Poor, easily dug",
		"B/Invasion", "B!Poor, opposition to replay", "B+Positive, block touch",
		"D#Perfect dig", "D+Good dig", "D/Ball directly back over net",
		"E/Poor", "E!OK", "E#Perfect", "F-OK, only high set possible", "F+Good",
	};
	cJSON *legend = stint_scout_legend(), *s, *c;
	int total = 0, found;
	size_t i;

	cJSON_ArrayForEach(s, legend)
		total += cJSON_GetArraySize(cJSON_GetObjectItem(s, "codes"));
	ck_assert_int_eq(total, 42);
	ck_assert_str_eq(str_at(cJSON_GetArrayItem(legend, 0), "name"), "Serve");
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		found = 0;
		cJSON_ArrayForEach(s, legend) {
			if (str_at(s, "skill")[0] != rows[i][0])
				continue;
			cJSON_ArrayForEach(c, cJSON_GetObjectItem(s, "codes"))
				found |= str_at(c, "code")[0] == rows[i][1] && strcmp(str_at(c, "label"), rows[i] + 2) == 0;
		}
		ck_assert_msg(found, "legend lacks %s", rows[i]);
	}
	cJSON_Delete(legend);
}
END_TEST

/* A batch: codes become their events over the payload sent; problems are named per event and part. */
START_TEST(test_expand)
{
	cJSON *batch = cJSON_Parse("[{\"t_sec\":1,\"code\":\"*16AH#V6 4 2\",\"event_type\":\"note\",\"actor_team\":\"B\","
				   "\"payload\":{\"note\":\"kept\",\"evaluation\":\"=\"}},{\"t_sec\":2,\"event_type\":\"serve\"},"
				   "{\"t_sec\":3,\"code\":\"*16AH\"},{\"t_sec\":4,\"code\":\"*16AH#~~~0\"},{\"t_sec\":5,\"code\":null}]");
	cJSON *errors = NULL, *e = cJSON_GetArrayItem(batch, 0);
	int changed = 0;

	ck_assert_int_eq(stint_scout_expand(batch, NULL, 0, &errors, &changed), 3);
	ck_assert_int_eq(changed, 1);
	ck_assert_str_eq(str_at(e, "event_type"), "attack");
	ck_assert_str_eq(str_at(e, "actor_team"), "A");
	ck_assert(!cJSON_HasObjectItem(e, "code"));
	ck_assert_str_eq(str_at(payload(e), "note"), "kept");
	ck_assert_str_eq(str_at(payload(e), "evaluation"), "#");
	ck_assert_str_eq(str_at(payload(e), "code"), "*16AH#V6~42");
	ck_assert_str_eq(str_at(cJSON_GetArrayItem(batch, 1), "event_type"), "serve");
	ck_assert_str_eq(str_at(errors, "events[2].code"), "is incomplete: the evaluation is missing (# Winning attack, "
			 "+ Positive, good attack, ! Blocked for reattack, - Poor, easily dug, / Blocked, = Error)");
	ck_assert_str_eq(str_at(errors, "events[3].code"), "start zone must be 1 to 9 (DataVolley's zones)");
	ck_assert_str_eq(str_at(errors, "events[4].code"), "must be a string: a DataVolley scout code");
	ck_assert_int_eq(stint_scout_skill_of("freeball"), 'F');
	ck_assert_int_eq(stint_scout_skill_of("point"), 0);
	ck_assert_str_eq(stint_scout_type_base('R', 'M'), "Jump-float");
	ck_assert_ptr_null(stint_scout_type_base('F', 'H'));
	cJSON_Delete(errors);
	cJSON_Delete(batch);
}
END_TEST

/* Members of an imported payload that come from the code (not from the line's other fields). */
static const char *const code_keys[] = {
	"code", "skill", "skill_name", "skill_type", "evaluation", "evaluation_name", "attack_code", "set_code",
	"set_type", "start_zone", "end_zone", "end_cone", "end_subzone", "skill_subtype", "num_players", "special", "custom",
	"player_out", "player_in", "setter_position", "point_won_by",
};

static void same_as_import(const cJSON *imported, const cJSON *players, int cones, const char *file)
{
	const cJSON *pl = payload(imported);
	const char *code = str_at(pl, "code");
	stint_scout_note note;
	cJSON *ev = NULL, *a, *b;
	size_t i;

	if (code == NULL || code[0] == '>' || str_at(pl, "skill") == NULL)
		return;
	ck_assert_msg(stint_scout_read(code, players, cones, &ev, &note) == STINT_SCOUT_OK, "%s: %s: %s", file, code,
		      note.message);
	ck_assert_str_eq(str_at(ev, "event_type"), str_at(imported, "event_type"));
	ck_assert(cJSON_Compare(cJSON_GetObjectItem(ev, "actor_number"), cJSON_GetObjectItem(imported, "actor_number"), 1));
	for (i = 0; i < sizeof code_keys / sizeof code_keys[0]; i++) {
		a = cJSON_GetObjectItem(payload(ev), code_keys[i]);
		b = cJSON_GetObjectItem(pl, code_keys[i]);
		ck_assert_msg(cJSON_Compare(a, b, 1) || (a == NULL && b == NULL), "%s: %s: %s differs", file, code,
			      code_keys[i]);
	}
	cJSON_Delete(ev);
}

START_TEST(test_same_as_import)
{
	static const char *const files[] = { "example_data.dvw", "190301_kats_beds.dvw", "PM06.dvw" };
	const char *dir = getenv("STINT_DATA_DIR");
	char path[1024];
	size_t i, n;
	int cones;
	int checked = 0, cones_seen = 0;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		stint_buf b = STINT_BUF_INIT;
		char chunk[65536];
		cJSON *doc = NULL;
		const cJSON *e;
		FILE *fp;

		snprintf(path, sizeof path, "%s/volleyball/%s", dir, files[i]);
		fp = fopen(path, "rb");
		ck_assert_msg(fp != NULL, "cannot open %s", path);
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			stint_buf_append(&b, chunk, n);
		fclose(fp);
		ck_assert_int_eq(stint_dvw_parse(b.data, b.len, &doc, NULL), STINT_DVW_OK);
		cones = strcmp(str_at(cJSON_GetObjectItem(doc, "match"), "zones_or_cones"), "C") == 0;
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "events")) {
			same_as_import(e, cJSON_GetObjectItem(doc, "players"), cones, files[i]);
			cones_seen += cJSON_HasObjectItem(payload(e), "end_cone");
			checked++;
		}
		cJSON_Delete(doc);
		stint_buf_free(&b);
	}
	ck_assert_int_gt(checked, 1000);
	ck_assert_int_gt(cones_seen, 10);  /* 190301_kats_beds.dvw scouts attacks' ends as cones */
}
END_TEST

static Suite *scoutcode_suite(void)
{
	Suite *s = suite_create("scoutcode");
	TCase *tc = tcase_create("scoutcode");
	const char *dir = getenv("STINT_DATA_DIR");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_codes, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_roster_numbers);
	tcase_add_test(tc, test_words_and_choices);
	tcase_add_test(tc, test_legend);
	tcase_add_test(tc, test_expand);
	if (dir != NULL && *dir != '\0')
		tcase_add_test(tc, test_same_as_import);
	else
		fprintf(stderr, "STINT_DATA_DIR is not set: the .dvw files are not compared\n");
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return stint_check_run(scoutcode_suite());
}
