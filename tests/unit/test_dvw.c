/*
 * test_dvw.c: the DataVolley parser (lib/dvw.c) against real files and
 * their known answers (data/SOURCES.md), damaged copies made here, a
 * table of scout codes good and bad, and inputs that are not DataVolley.
 *
 * Reads the .dvw files in $STINT_DATA_DIR/volleyball/; exits 77 (skipped) when
 * STINT_DATA_DIR is not set.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "check_run.h"
#include "dvw.h"

/* A whole data file into memory; fails the test when it cannot. */
static char *load(const char *name, size_t *len)
{
	const char *dir = getenv("STINT_DATA_DIR");
	char path[1024];
	stint_buf b = STINT_BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *fp;

	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof path, "%s/volleyball/%s", dir, name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		ck_assert_int_eq(stint_buf_append(&b, chunk, n), 0);
	fclose(fp);
	*len = b.len;
	return stint_buf_take(&b);
}

/* Parse a data file, which must succeed. */
static cJSON *parse_file(const char *name, stint_buf *warnings)
{
	cJSON *doc = NULL;
	size_t len;
	char *data = load(name, &len);
	int rc = stint_dvw_parse(data, len, &doc, warnings);

	ck_assert_msg(rc == STINT_DVW_OK, "%s: %s", name, stint_dvw_strerror(rc));
	ck_assert_ptr_nonnull(doc);
	free(data);
	return doc;
}

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static double num_at(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	ck_assert_msg(cJSON_IsNumber(item), "%s is not a number", key);
	return item->valuedouble;
}

static const cJSON *at(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	ck_assert_msg(item != NULL, "no %s", key);
	return item;
}

static int is_skill(const char *type)
{
	static const char *const skills[] = {
		"serve", "reception", "attack", "block", "dig", "set", "freeball"
	};
	size_t i;

	for (i = 0; i < sizeof skills / sizeof skills[0]; i++)
		if (type != NULL && strcmp(type, skills[i]) == 0)
			return 1;
	return 0;
}

/*
 * The plays: one "team number skill evaluation" line per skill event,
 * leaving out events on the given file lines (-1: none).
 */
static char *plays(const cJSON *doc, const int *skip_lines, size_t nskip)
{
	stint_buf b = STINT_BUF_INIT;
	const cJSON *ev, *pl, *num;
	size_t i;
	int line, skipped;

	cJSON_ArrayForEach(ev, at(doc, "events")) {
		if (!is_skill(str_at(ev, "event_type")))
			continue;
		line = (int)num_at(ev, "line");
		for (i = 0, skipped = 0; i < nskip; i++)
			skipped |= skip_lines[i] == line;
		if (skipped)
			continue;
		pl = at(ev, "payload");
		num = at(ev, "actor_number");
		ck_assert_int_eq(stint_buf_printf(&b, "%s %s %s %s\n",
			str_at(ev, "actor_team"),
			cJSON_IsString(num) ? num->valuestring : "-1",
			str_at(pl, "skill"), str_at(pl, "evaluation")), 0);
	}
	return stint_buf_take(&b);
}

static int count_events(const cJSON *doc, const char *type, const char *team)
{
	const cJSON *ev;
	int n = 0;

	cJSON_ArrayForEach(ev, at(doc, "events")) {
		const char *t = str_at(ev, "actor_team");

		if (strcmp(str_at(ev, "event_type"), type) == 0 &&
		    (team == NULL || (t != NULL && strcmp(t, team) == 0)))
			n++;
	}
	return n;
}

static int count_players(const cJSON *doc, const char *side)
{
	const cJSON *pl;
	int n = 0;

	cJSON_ArrayForEach(pl, at(doc, "players"))
		n += strcmp(str_at(pl, "side"), side) == 0;
	return n;
}

static int has_player(const cJSON *doc, const char *name)
{
	const cJSON *pl;

	cJSON_ArrayForEach(pl, at(doc, "players"))
		if (str_at(pl, "name") != NULL && strcmp(str_at(pl, "name"), name) == 0)
			return 1;
	return 0;
}

static void assert_set(const cJSON *doc, int i, int home, int visiting)
{
	const cJSON *set = cJSON_GetArrayItem(at(doc, "sets"), i);

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq((int)num_at(set, "set_number"), i + 1);
	ck_assert_int_eq((int)num_at(set, "home"), home);
	ck_assert_int_eq((int)num_at(set, "visiting"), visiting);
}

static const char *team_name(const cJSON *doc, int i)
{
	return str_at(cJSON_GetArrayItem(at(doc, "teams"), i), "name");
}

/* Strict UTF-8 (RFC 3629): 1 when valid. */
static int valid_utf8(const unsigned char *s)
{
	size_t k, j;
	unsigned long cp;

	while (*s != '\0') {
		if (*s < 0x80) { s++; continue; }
		if (*s >= 0xC2 && *s <= 0xDF) { k = 1; cp = *s & 0x1Fu; }
		else if (*s >= 0xE0 && *s <= 0xEF) { k = 2; cp = *s & 0x0Fu; }
		else if (*s >= 0xF0 && *s <= 0xF4) { k = 3; cp = *s & 0x07u; }
		else return 0;
		for (j = 1; j <= k; j++) {
			if ((s[j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[j] & 0x3Fu);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		s += k + 1;
	}
	return 1;
}

static void assert_utf8_doc(const cJSON *doc)
{
	char *s = cJSON_PrintUnformatted(doc);

	ck_assert_ptr_nonnull(s);
	ck_assert_msg(valid_utf8((const unsigned char *)s), "output is not UTF-8");
	free(s);
}

START_TEST(test_example_data)
{
	stint_buf w = STINT_BUF_INIT;
	cJSON *doc = parse_file("example_data.dvw", &w);

	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "sets")), 3);
	assert_set(doc, 0, 25, 16);
	assert_set(doc, 1, 25, 14);
	assert_set(doc, 2, 25, 22);
	ck_assert_int_eq(count_events(doc, "serve", "A"), 74);
	ck_assert_int_eq(count_events(doc, "serve", "B"), 54);
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "events")), 1031);
	ck_assert_str_eq(team_name(doc, 0), "Braslovče");
	ck_assert_str_eq(team_name(doc, 1), "Nova KBM Branik");
	ck_assert_int_eq((int)num_at(cJSON_GetArrayItem(at(doc, "teams"), 0), "sets_won"), 3);
	ck_assert_int_gt(count_players(doc, "A"), 0);
	ck_assert_int_gt(count_players(doc, "B"), 0);
	ck_assert_str_eq(str_at(at(doc, "match"), "date"), "2015-01-25");
	ck_assert_str_eq(str_at(at(doc, "match"), "text_encoding"), "UTF-8");
	ck_assert(has_player(doc, "ŠPELA BEDNJANIČ"));
	ck_assert_int_eq((int)num_at(doc, "warnings"), 0);
	ck_assert_uint_eq(w.len, 0);
	assert_utf8_doc(doc);
	cJSON_Delete(doc);
	stint_buf_free(&w);
}
END_TEST

START_TEST(test_truncated_same_plays)
{
	stint_buf w = STINT_BUF_INIT;
	cJSON *good = parse_file("example_data.dvw", NULL);
	cJSON *damaged = parse_file("testing_truncated.dvw", &w);
	char *a = plays(good, NULL, 0), *b = plays(damaged, NULL, 0);

	ck_assert_uint_gt(strlen(a), 0);
	ck_assert_str_eq(a, b);
	ck_assert_int_ge((int)num_at(damaged, "warnings"), 1);
	ck_assert_ptr_nonnull(w.data);
	ck_assert_msg(strstr(w.data, "line 249: ") != NULL, "warnings: %s", w.data);
	free(a);
	free(b);
	cJSON_Delete(good);
	cJSON_Delete(damaged);
	stint_buf_free(&w);
}
END_TEST

START_TEST(test_pm06_cp1250)
{
	cJSON *doc = parse_file("PM06.dvw", NULL);

	ck_assert_str_eq(str_at(at(doc, "match"), "text_encoding"), "WINDOWS-1250");
	ck_assert(has_player(doc, "Alen Šket"));
	ck_assert(has_player(doc, "Jan Klobučar"));
	ck_assert(has_player(doc, "Borislav Petrović"));
	ck_assert(has_player(doc, "Iztok Žitnik"));
	ck_assert(has_player(doc, "Aljaž Mikl"));
	ck_assert_str_eq(str_at(at(doc, "match"), "arena"), "ŠD OŠ Mozirje");
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "sets")), 3);
	assert_set(doc, 0, 25, 12);
	ck_assert_int_eq((int)num_at(doc, "warnings"), 0);
	assert_utf8_doc(doc);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_clip_video_time)
{
	cJSON *doc = parse_file("190301_kats_beds-clip.dvw", NULL);
	const cJSON *ev, *t;
	int skills = 0;

	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "events")), 21);
	cJSON_ArrayForEach(ev, at(doc, "events")) {
		if (!is_skill(str_at(ev, "event_type")))
			continue;
		t = at(ev, "t_sec");
		ck_assert(cJSON_IsNumber(t));
		ck_assert(t->valuedouble >= 1 && t->valuedouble <= 20);
		skills++;
	}
	ck_assert_int_eq(skills, 13);
	ck_assert_str_eq(team_name(doc, 0), "GKS Katowice");
	ck_assert_str_eq(team_name(doc, 1), "MKS Będzin");
	ck_assert_str_eq(str_at(at(doc, "match"), "zones_or_cones"), "C");
	ck_assert_int_eq((int)num_at(doc, "warnings"), 0);
	assert_utf8_doc(doc);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_full_match)
{
	static const int scores[5][2] = { {25, 20}, {18, 25}, {25, 15}, {19, 25}, {15, 6} };
	struct timespec t0, t1;
	cJSON *doc;
	double ms;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	doc = parse_file("190301_kats_beds.dvw", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* generous: bench/ measures speed; this catches only a blow-up */
	ck_assert_msg(ms < 10000, "parse took %.1f ms", ms);
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "sets")), 5);
	for (i = 0; i < 5; i++)
		assert_set(doc, i, scores[i][0], scores[i][1]);
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "events")), 1644);
	ck_assert_int_eq(count_events(doc, "end_of_set", NULL), 5);
	ck_assert_int_eq((int)num_at(doc, "warnings"), 0);
	assert_utf8_doc(doc);
	cJSON_Delete(doc);
}
END_TEST

/* Replace 1-based line `line` of text with `with` (no line end). */
static char *replace_line(const char *text, int line, const char *with)
{
	stint_buf b = STINT_BUF_INIT;
	const char *p = text, *nl;
	int n = 1;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (n == line) {
			ck_assert_int_eq(stint_buf_puts(&b, with), 0);
			ck_assert_int_eq(stint_buf_puts(&b, "\r"), 0);
		} else {
			ck_assert_int_eq(stint_buf_append(&b, p, (size_t)(nl - p)), 0);
		}
		if (*nl == '\n')
			ck_assert_int_eq(stint_buf_putc(&b, '\n'), 0);
		p = *nl == '\n' ? nl + 1 : nl;
		n++;
	}
	return stint_buf_take(&b);
}

START_TEST(test_damaged_copy)
{
	static const char rest[] = ";;;;;;;14.31.34;1;3;3;;;;6;15;4;12;10;9;11;15;10;13;3;16;";
	static const int damaged[] = { 125, 126, 127 };
	stint_buf w = STINT_BUF_INIT;
	cJSON *good = parse_file("example_data.dvw", NULL), *doc = NULL;
	char *text, *copy, *tmp, *a, *b, line[256];
	size_t len;

	text = load("example_data.dvw", &len);
	copy = replace_line(text, 125, "\x01\x02\x7f\xff\xfe binary junk \x80\x81");
	snprintf(line, sizeof line, "a11R%s", rest);
	tmp = replace_line(copy, 126, line);
	free(copy);
	snprintf(line, sizeof line, "a1xEH#KEF%s", rest);
	copy = replace_line(tmp, 127, line);
	free(tmp);
	tmp = replace_line(copy, 40, "0;A;12;;;;;;BR9;MARKOVIČ;NIKA;;;;False;;;");
	free(copy);
	ck_assert_int_eq(stint_dvw_parse(tmp, strlen(tmp), &doc, &w), STINT_DVW_OK);
	ck_assert_int_eq((int)num_at(doc, "warnings"), 4);
	ck_assert_msg(strstr(w.data, "line 125: ") != NULL, "%s", w.data);
	ck_assert_msg(strstr(w.data, "line 126: truncated code") != NULL, "%s", w.data);
	ck_assert_msg(strstr(w.data, "line 127: ") != NULL, "%s", w.data);
	ck_assert_msg(strstr(w.data, "line 40: bad shirt number") != NULL, "%s", w.data);
	ck_assert_str_eq(team_name(doc, 0), "Braslovče");
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "events")), 1031 - 3);
	a = plays(good, damaged, 3);
	b = plays(doc, NULL, 0);
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(count_players(doc, "A"), count_players(good, "A") - 1);
	assert_utf8_doc(doc);
	free(a);
	free(b);
	free(tmp);
	free(text);
	cJSON_Delete(doc);
	cJSON_Delete(good);
	stint_buf_free(&w);
}
END_TEST

/* One scout code in a minimal file: the event type read, or NULL if skipped. */
static const struct {
	const char *code;
	const char *event_type;
	const char *number;       /* actor_number (text: codes pad to two digits), NULL for null */
} code_cases[] = {
	{ "*06SM#~~~18C", "serve", "6" },
	{ "a13AT=X5~47DH2S", "attack", "13" },
	{ "*04SQ!~~~76A~~NS1", "serve", "4" },
	{ "a10ET#K1F", "set", "10" },
	{ "*00SM#", "serve", "0" },
	{ "a100AT#", "attack", "100" },
	{ "*$$&H#", "green_code", NULL },
	{ "a$$BH#", "block", NULL },
	{ "*p01:00", "point", NULL },
	{ "ap00:01B", "point", NULL },
	{ "*c03:08", "substitution", "8" },
	{ "*z3>LUp", "setter_position", NULL },
	{ "aP10", "setter_assignment", "10" },
	{ "*T", "timeout", NULL },
	{ "**1set", "end_of_set", NULL },
	{ ">ROT<", "rotation_error", NULL },
	{ ">RED", "note", NULL },
	{ "", NULL, NULL },
	{ "*06", NULL, NULL },
	{ "*06S", NULL, NULL },
	{ "*06SM", NULL, NULL },
	{ "*06XM#", NULL, NULL },
	{ "*06Sm#", NULL, NULL },
	{ "*06SM?", NULL, NULL },
	{ "x06SM#", NULL, NULL },
	{ "*1234SM#", NULL, NULL },
	{ "*12AH-V", NULL, NULL },
	{ "*12AH-V5~4x", NULL, NULL },
	{ "*pxx:1", NULL, NULL },
	{ "*p12", NULL, NULL },
	{ "*z9", NULL, NULL },
	{ "*c3", NULL, NULL },
	{ "*$", NULL, NULL },
	{ "*$$Q", NULL, NULL },
	{ "**xset", NULL, NULL },
	{ "*\xc3\xa9SM#", NULL, NULL },
};

START_TEST(test_codes)
{
	stint_buf text = STINT_BUF_INIT, w = STINT_BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *ev, *num;

	ck_assert_int_eq(stint_buf_printf(&text, "[3SCOUT]\n%s;;;;;;;14.31.34;1;3;3;;;;"
		"6;15;4;12;10;9;11;15;10;13;3;16;\n", code_cases[_i].code), 0);
	ck_assert_int_eq(stint_dvw_parse(text.data, text.len, &doc, &w), STINT_DVW_OK);
	ev = cJSON_GetArrayItem(at(doc, "events"), 0);
	if (code_cases[_i].event_type == NULL) {
		ck_assert_msg(ev == NULL, "%s was read", code_cases[_i].code);
		ck_assert_ptr_nonnull(w.data);
		ck_assert_msg(strncmp(w.data, "line 2: ", 8) == 0, "%s", w.data);
		ck_assert_ptr_nonnull(strstr(w.data, "line skipped"));
	} else {
		ck_assert_msg(ev != NULL, "%s: %s", code_cases[_i].code, w.data);
		ck_assert_str_eq(str_at(ev, "event_type"), code_cases[_i].event_type);
		num = at(ev, "actor_number");
		if (code_cases[_i].number == NULL)
			ck_assert_msg(cJSON_IsNull(num), "%s: actor_number not null", code_cases[_i].code);
		else
			ck_assert_str_eq(cJSON_GetStringValue(num), code_cases[_i].number);
		ck_assert_uint_eq(w.len, 0);
	}
	cJSON_Delete(doc);
	stint_buf_free(&text);
	stint_buf_free(&w);
}
END_TEST

/*
 * Shirt numbers are text (issue 14): the players list's "00" and "0" stay
 * apart, a scout code (two digits) takes its team's listed text, and a
 * number nobody is listed under its decimal text.
 */
START_TEST(test_shirt_text)
{
	static const char text[] =
		"[3PLAYERS-H]\n0;00;1;;;;;;H00;Zero;Double;;;;False;;;\n0;7;2;;;;;;H7;Seven;Ana;;;;False;;;\n"
		"[3PLAYERS-V]\n0;0;1;;;;;;V0;Zero;Single;;;;False;;;\n"
		"[3SCOUT]\n"
		"*00SM#;;;;;;;20.44.13;1;1;6;1;1;;\n"
		"a00RM-;;;;;;;20.44.13;1;1;6;1;1;;\n"
		"*07AH#;;;;;;;20.44.14;1;1;6;1;2;;\n"
		"*09AH=;;;;;;;20.44.15;1;1;6;1;3;;\n";
	static const char *const want[] = { "00", "0", "7", "9" };
	cJSON *doc = NULL;
	const cJSON *ev, *pl;
	int i = 0;

	ck_assert_int_eq(stint_dvw_parse(text, sizeof text - 1, &doc, NULL), STINT_DVW_OK);
	pl = at(doc, "players");
	ck_assert_int_eq(cJSON_GetArraySize(pl), 3);
	ck_assert_str_eq(cJSON_GetStringValue(at(cJSON_GetArrayItem(pl, 0), "number")), "00");
	ck_assert_str_eq(cJSON_GetStringValue(at(cJSON_GetArrayItem(pl, 1), "number")), "7");
	ck_assert_str_eq(cJSON_GetStringValue(at(cJSON_GetArrayItem(pl, 2), "number")), "0");
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "events")), 4);
	cJSON_ArrayForEach(ev, at(doc, "events"))
		ck_assert_str_eq(cJSON_GetStringValue(at(ev, "actor_number")), want[i++]);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_payload_fields)
{
	static const char text[] =
		"[3MATCH]\n03/01/2019;20.30.00;;;;;;;1;1;C;0;\n"
		"[3SCOUT]\n"
		"a16AT!X6~21~H2;;r;;3733;-1-1;9999;20.44.20;1;1;6;1;6.5;;4;7;12;2;16;1;18;10;16;23;5;37;\n";
	cJSON *doc = NULL;
	const cJSON *ev, *pl, *xy;

	ck_assert_int_eq(stint_dvw_parse(text, sizeof text - 1, &doc, NULL), STINT_DVW_OK);
	ev = cJSON_GetArrayItem(at(doc, "events"), 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert(num_at(ev, "t_sec") == 6.5);
	ck_assert_int_eq((int)num_at(ev, "line"), 4);
	pl = at(ev, "payload");
	ck_assert_str_eq(str_at(pl, "attack_code"), "X6");
	ck_assert_int_eq((int)num_at(pl, "start_zone"), 2);
	ck_assert_int_eq((int)num_at(pl, "end_cone"), 1);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(pl, "end_zone"));
	ck_assert_str_eq(str_at(pl, "skill_subtype"), "H");
	ck_assert_int_eq((int)num_at(pl, "num_players"), 2);
	ck_assert_str_eq(str_at(pl, "attack_phase"), "reception");
	ck_assert_str_eq(str_at(pl, "time"), "20:44:20");
	xy = at(pl, "start_coordinate");
	ck_assert_int_eq((int)num_at(xy, "index"), 3733);
	ck_assert(num_at(xy, "x") > 1.34 && num_at(xy, "x") < 1.35);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(pl, "mid_coordinate"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(pl, "end_coordinate"));
	ck_assert_int_eq(cJSON_GetArraySize(at(pl, "home_rotation")), 6);
	ck_assert_int_eq((int)num_at(pl, "home_setter_position"), 1);
	ck_assert_int_eq((int)num_at(pl, "visiting_setter_position"), 6);
	ck_assert_str_eq(str_at(at(doc, "match"), "date"), "2019-03-01");
	ck_assert(cJSON_IsNull(at(at(doc, "match"), "season")));
	ck_assert(cJSON_IsNull(at(doc, "video")));
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_charsets)
{
	/* Šket, Žitnik and Klobučar in ISO-8859-2, then declared as 1250. */
	static const char iso[] = "[3TEAMS]\n1;\xA9ket \xAEitnik Klobu\xE8" "ar;0;;;\n"
				  "[3SCOUT]\n*T;\n";
	static const char declared[] = "[3MATCH]\n;;;;;;;;1250;1;Z;\n[3TEAMS]\n"
				       "1;Klobu\xE8" "ar \x8Aket;0;;;\n[3SCOUT]\n*T;\n";
	static const char bom_crlf[] = "\xEF\xBB\xBF[3TEAMS]\r\n1;Braslov\xC4\x8D" "e;3;;;\r\n"
				       "[3SCOUT]\r\n*T;\r\n";
	cJSON *doc = NULL;

	ck_assert_int_eq(stint_dvw_parse(iso, sizeof iso - 1, &doc, NULL), STINT_DVW_OK);
	ck_assert_str_eq(str_at(at(doc, "match"), "text_encoding"), "ISO-8859-2");
	ck_assert_str_eq(team_name(doc, 0), "Šket Žitnik Klobučar");
	cJSON_Delete(doc);
	ck_assert_int_eq(stint_dvw_parse(declared, sizeof declared - 1, &doc, NULL), STINT_DVW_OK);
	ck_assert_str_eq(str_at(at(doc, "match"), "text_encoding"), "WINDOWS-1250");
	ck_assert_str_eq(team_name(doc, 0), "Klobučar Šket");
	cJSON_Delete(doc);
	ck_assert_int_eq(stint_dvw_parse(bom_crlf, sizeof bom_crlf - 1, &doc, NULL), STINT_DVW_OK);
	ck_assert_str_eq(team_name(doc, 0), "Braslovče");
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "events")), 1);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_not_dvw)
{
	static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0[3SCO\xff\n\0\0";
	static const char text[] = "date,team\n2015-01-25,Braslovce\n";
	stint_buf w = STINT_BUF_INIT;
	cJSON *doc = (cJSON *)1;
	char *big;

	ck_assert_int_eq(stint_dvw_parse(text, sizeof text - 1, &doc, &w), STINT_DVW_NOT_DVW);
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(w.data, "not a DataVolley file: no [3SCOUT] section\n");
	stint_buf_reset(&w);
	ck_assert_int_eq(stint_dvw_parse(binary, sizeof binary - 1, &doc, &w), STINT_DVW_NOT_DVW);
	ck_assert_int_eq(stint_dvw_parse("", 0, &doc, &w), STINT_DVW_EMPTY);
	ck_assert_int_eq(stint_dvw_parse(NULL, 0, &doc, &w), STINT_DVW_EMPTY);
	ck_assert_int_eq(stint_dvw_parse(NULL, 5, &doc, &w), STINT_DVW_EINVAL);
	ck_assert_int_eq(stint_dvw_parse(text, 5, NULL, &w), STINT_DVW_EINVAL);
	ck_assert_ptr_nonnull(strstr(w.data, "empty input"));
	big = calloc(1, STINT_DVW_MAX_BYTES + 1);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(stint_dvw_parse(big, STINT_DVW_MAX_BYTES + 1, &doc, NULL),
			 STINT_DVW_TOO_LARGE);
	ck_assert_ptr_null(doc);
	free(big);
	stint_buf_free(&w);
}
END_TEST

START_TEST(test_long_and_many_bad_lines)
{
	static const char full[] = ";;;;;;;14.31.34;1;3;3;;;;6;15;4;12;10;9;11;15;10;13;3;16;";
	stint_buf text = STINT_BUF_INIT, w = STINT_BUF_INIT;
	cJSON *doc = NULL;
	size_t i;

	ck_assert_int_eq(stint_buf_printf(&text, "[3SCOUT]\n*T%s\n", full), 0);
	for (i = 0; i < STINT_DVW_MAX_LINE + 10; i++)
		ck_assert_int_eq(stint_buf_putc(&text, 'x'), 0);
	ck_assert_int_eq(stint_buf_putc(&text, '\n'), 0);
	for (i = 0; i < STINT_DVW_MAX_WARNINGS + 5; i++)
		ck_assert_int_eq(stint_buf_puts(&text, "junk\n"), 0);
	ck_assert_int_eq(stint_buf_printf(&text, "aT%s\n", full), 0);
	ck_assert_int_eq(stint_dvw_parse(text.data, text.len, &doc, &w), STINT_DVW_OK);
	ck_assert_int_eq(cJSON_GetArraySize(at(doc, "events")), 2);
	ck_assert_int_eq((int)num_at(doc, "warnings"), STINT_DVW_MAX_WARNINGS + 6);
	ck_assert_ptr_nonnull(strstr(w.data, "line 3: longer than"));
	ck_assert_ptr_nonnull(strstr(w.data, "(6 further warnings not shown)\n"));
	cJSON_Delete(doc);
	stint_buf_free(&text);
	stint_buf_free(&w);
}
END_TEST

static Suite *dvw_suite(void)
{
	Suite *s = suite_create("dvw");
	TCase *tc = tcase_create("dvw");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_example_data);
	tcase_add_test(tc, test_truncated_same_plays);
	tcase_add_test(tc, test_pm06_cp1250);
	tcase_add_test(tc, test_clip_video_time);
	tcase_add_test(tc, test_full_match);
	tcase_add_test(tc, test_damaged_copy);
	tcase_add_loop_test(tc, test_codes, 0, sizeof code_cases / sizeof code_cases[0]);
	tcase_add_test(tc, test_payload_fields);
	tcase_add_test(tc, test_shirt_text);
	tcase_add_test(tc, test_charsets);
	tcase_add_test(tc, test_not_dvw);
	tcase_add_test(tc, test_long_and_many_bad_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (getenv("STINT_DATA_DIR") == NULL || *getenv("STINT_DATA_DIR") == '\0') {
		fprintf(stderr, "STINT_DATA_DIR is not set: skipping\n");
		return 77;
	}
	return stint_check_run(dvw_suite());
}
