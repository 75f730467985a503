/*
 * test_analyzers.c: the analyzers parser (lib/analyzers.c): a full file read
 * back, the shipped conf/analyzers.conf and the test suite's
 * tests/analyzers.conf, an empty file, and one bad file per problem with the
 * message that names its line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers.h"
#include "check_run.h"

START_TEST(test_good)
{
	static const char text[] =
		"# analyzers\n"
		"\n"
		"[scene-cuts]\n"
		"program = bin/analyzers/scene-cuts\n"
		"kinds = video\n"
		"  [crowd_noise-2]  \n"
		"program=/usr/local/bin/crowd --fast\n"
		"kinds = audio ,video\n"
		"time_limit_s = 30\n";
	stint_analyzers list;
	const stint_analyzer *a;
	char err[256] = "";

	ck_assert_int_eq(stint_analyzers_parse(text, "a.conf", &list, err, sizeof(err)), 0);
	ck_assert_uint_eq(list.n, 2);
	a = stint_analyzer_find(&list, "scene-cuts");
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->program, "bin/analyzers/scene-cuts");
	ck_assert_uint_eq(a->kinds, STINT_ANALYZER_VIDEO);
	ck_assert_int_eq(a->time_limit_s, 0);
	ck_assert_int_eq(a->line, 3);
	a = stint_analyzer_find(&list, "crowd_noise-2");
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->program, "/usr/local/bin/crowd --fast");
	ck_assert_uint_eq(a->kinds, STINT_ANALYZER_VIDEO | STINT_ANALYZER_AUDIO);
	ck_assert_int_eq(a->time_limit_s, 30);
	ck_assert_ptr_null(stint_analyzer_find(&list, "scene"));
	ck_assert_ptr_null(stint_analyzer_find(&list, NULL));
	ck_assert_uint_eq(stint_analyzer_kind("video"), STINT_ANALYZER_VIDEO);
	ck_assert_uint_eq(stint_analyzer_kind("audio"), STINT_ANALYZER_AUDIO);
	ck_assert_uint_eq(stint_analyzer_kind("Video"), 0);
	ck_assert_uint_eq(stint_analyzer_kind(NULL), 0);
	stint_analyzers_free(&list);
	ck_assert_uint_eq(list.n, 0);
}
END_TEST

START_TEST(test_empty)
{
	stint_analyzers list;
	char err[256] = "";

	ck_assert_int_eq(stint_analyzers_parse("# none here\n\n", "a.conf", &list, err, sizeof(err)), 0);
	ck_assert_uint_eq(list.n, 0);
	stint_analyzers_free(&list);
}
END_TEST

/* The files the repository ships: the two real analyzers, and the test suite's with its failing ones. */
START_TEST(test_shipped)
{
	static const struct { const char *file; size_t n; } files[] = {
		{ "conf/analyzers.conf", 2 }, { "tests/analyzers.conf", 5 },
	};
	const char *top = getenv("top_srcdir");
	const stint_analyzer *a;
	stint_analyzers list;
	char path[4096], err[256] = "";
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", top != NULL ? top : ".", files[i].file);
		ck_assert_msg(stint_analyzers_load(path, &list, err, sizeof(err)) == 0, "%s", err);
		ck_assert_uint_eq(list.n, files[i].n);
		a = stint_analyzer_find(&list, "scene-cuts");
		ck_assert_ptr_nonnull(a);
		ck_assert_str_eq(a->program, "bin/analyzers/scene-cuts");
		ck_assert_uint_eq(a->kinds, STINT_ANALYZER_VIDEO);
		a = stint_analyzer_find(&list, "loudness");
		ck_assert_ptr_nonnull(a);
		ck_assert_uint_eq(a->kinds, STINT_ANALYZER_VIDEO | STINT_ANALYZER_AUDIO);
		stint_analyzers_free(&list);
	}
}
END_TEST

START_TEST(test_missing_file)
{
	stint_analyzers list;
	char err[256] = "";

	ck_assert_int_eq(stint_analyzers_load("/nonexistent/analyzers.conf", &list, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "/nonexistent/analyzers.conf: ") == err, "%s", err);
	stint_analyzers_free(&list);
}
END_TEST

/* Without the setting, a missing conf/analyzers.conf declares no analyzer; a named file must be there. */
START_TEST(test_default_missing)
{
	stint_analyzers list;
	char err[256] = "", dir[] = "/tmp/stint-analyzers-XXXXXX", cwd[4096];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	unsetenv("STINT_ANALYZERS_CONFIG");
	ck_assert_msg(stint_analyzers_load(NULL, &list, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(list.n, 0);
	setenv("STINT_ANALYZERS_CONFIG", "conf/analyzers.conf", 1);
	ck_assert_int_eq(stint_analyzers_load(NULL, &list, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "conf/analyzers.conf: No such file or directory");
	unsetenv("STINT_ANALYZERS_CONFIG");
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* One problem per file: the message names the file, the line and what is wrong. */
static const struct { const char *text, *message; } bad_cases[] = {
	{ "[a]\nprogram = x\nkinds = video\ncolour = red\n", "a.conf:4: unknown key \"colour\"" },
	{ "[a]\nprogram = x\nkinds = video, image\n", "a.conf:3: kinds: \"image\" is not video or audio" },
	{ "[a]\nprogram = x\nkinds =\n", "a.conf:3: kinds must list video, audio or both" },
	{ "[a]\nprogram = x\nkinds = ,\n", "a.conf:3: kinds must list video, audio or both" },
	{ "[a]\nprogram = x\nkinds = video\ntime_limit_s = 10s\n",
	  "a.conf:4: time_limit_s must be a whole number of seconds, 1 to 86400" },
	{ "[a]\nprogram = x\nkinds = video\ntime_limit_s = 86401\n",
	  "a.conf:4: time_limit_s must be a whole number of seconds, 1 to 86400" },
	{ "[a]\nprogram = x\nkinds = video\n\n# again\n[a]\nprogram = y\nkinds = audio\n",
	  "a.conf:6: analyzer a is declared twice (first on line 1)" },
	{ "[a]\nprogram = x\nprogram = y\n", "a.conf:3: program is given twice in [a]" },
	{ "[a]\nprogram =\n", "a.conf:2: program must not be empty" },
	{ "[a]\nkinds = video\n[b]\nprogram = x\nkinds = audio\n", "a.conf:1: [a] has no program" },
	{ "[a]\nprogram = x\n", "a.conf:1: [a] has no kinds" },
	{ "program = x\n", "a.conf:1: `key = value` before the first [analyzer]" },
	{ "[a]\nprogram x\n", "a.conf:2: expected [analyzer] or `key = value`" },
	{ "[a\n", "a.conf:1: expected [analyzer] or `key = value`" },
	{ "[Scene]\n", "a.conf:1: \"Scene\" is not an analyzer name ([a-z][a-z0-9_-]*, at most 40 characters)" },
	{ "[scene:cuts]\n", "a.conf:1: \"scene:cuts\" is not an analyzer name ([a-z][a-z0-9_-]*, at most 40 characters)" },
	{ "[-cuts]\n", "a.conf:1: \"-cuts\" is not an analyzer name ([a-z][a-z0-9_-]*, at most 40 characters)" },
};

START_TEST(test_bad)
{
	stint_analyzers list;
	char err[256] = "";

	ck_assert_int_eq(stint_analyzers_parse(bad_cases[_i].text, "a.conf", &list, err, sizeof(err)), -1);
	ck_assert_str_eq(err, bad_cases[_i].message);
	stint_analyzers_free(&list);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("analyzers");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_shipped);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_default_missing);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
