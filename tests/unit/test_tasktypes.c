/*
 * test_tasktypes.c: the task types parser (lib/tasktypes.c): a full file
 * read back with its defaults, the shipped conf/tasks.conf, and one bad
 * file per problem with the message that names its line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "tasktypes.h"

START_TEST(test_good)
{
	static const char text[] =
		"# types\n"
		"\n"
		"[save_scenario]\n"
		"program = /usr/bin/save\n"
		"  [make_scenario]  \n"
		"program=bin/make --fast\n"
		"time_limit_s = 30\n"
		"max_attempts = 1\n"
		"tracked = no\n"
		"remove_on = failed, cancelled\n"
		"keep_until = save_scenario\n"
		"retention_days = 3\n";
	stint_task_types types;
	const stint_task_type *t;
	char err[256] = "";

	ck_assert_int_eq(stint_task_types_parse(text, "t.conf", &types, err, sizeof(err)), 0);
	ck_assert_uint_eq(types.n, 2);
	t = stint_task_type_find(&types, "save_scenario");
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->program, "/usr/bin/save");
	ck_assert_int_eq(t->time_limit_s, 600);
	ck_assert_int_eq(t->max_attempts, 3);
	ck_assert_int_eq(t->tracked, 1);
	ck_assert_uint_eq(t->remove_on, 0);
	ck_assert_str_eq(t->keep_until, "");
	ck_assert_int_eq(t->retention_days, 7);
	ck_assert_int_eq(t->line, 3);
	t = stint_task_type_find(&types, "make_scenario");
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->program, "bin/make --fast");
	ck_assert_int_eq(t->time_limit_s, 30);
	ck_assert_int_eq(t->max_attempts, 1);
	ck_assert_int_eq(t->tracked, 0);
	ck_assert_uint_eq(t->remove_on, STINT_TASK_REMOVE_FAILED | STINT_TASK_REMOVE_CANCELLED);
	ck_assert_str_eq(t->keep_until, "save_scenario");
	ck_assert_int_eq(t->retention_days, 3);
	ck_assert_ptr_null(stint_task_type_find(&types, "make"));
	stint_task_types_free(&types);
	ck_assert_uint_eq(types.n, 0);
}
END_TEST

/*
 * What inih (lib/blockfile.c) would read otherwise with its defaults: a `;`
 * stays in a value, an indented line is a line of its own, a line over 200
 * characters is read whole, CR LF ends a line, and a block may end the file.
 * `key: value` is read as `key = value` (inih's; see blockfile.h).
 */
START_TEST(test_lines)
{
	char text[1024], program[301], err[256] = "";
	stint_task_types types;
	const stint_task_type *t;

	memset(program, 'p', sizeof(program) - 1);
	program[sizeof(program) - 1] = '\0';
	snprintf(text, sizeof(text),
		 "[a]\r\nprogram = sh -c 'x ; y' ;not a comment\r\n"
		 "  tracked = no\n"
		 "[b]\nprogram = /%s\nmax_attempts: 2\n[c]", program);
	ck_assert_int_eq(stint_task_types_parse(text, "t.conf", &types, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.conf:7: [c] has no program");
	ck_assert_uint_eq(types.n, 3);
	t = stint_task_type_find(&types, "a");
	ck_assert_str_eq(t->program, "sh -c 'x ; y' ;not a comment");
	ck_assert_int_eq(t->tracked, 0);
	t = stint_task_type_find(&types, "b");
	ck_assert_uint_eq(strlen(t->program), 301);
	ck_assert_int_eq(t->max_attempts, 2);
	ck_assert_int_eq(stint_task_type_find(&types, "c")->line, 7);
	stint_task_types_free(&types);
}
END_TEST

/* The file the repository ships: the types the later steps of issue 11 run. */
START_TEST(test_shipped)
{
	const char *top = getenv("top_srcdir");
	char path[4096], err[256] = "";
	stint_task_types types;
	const stint_task_type *noop;

	snprintf(path, sizeof(path), "%s/conf/tasks.conf", top != NULL ? top : ".");
	ck_assert_msg(stint_task_types_load(path, &types, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(stint_task_type_find(&types, "process_report"));
	ck_assert_ptr_nonnull(stint_task_type_find(&types, "analyze_clip"));
	ck_assert_ptr_nonnull(stint_task_type_find(&types, "recorder_sync"));
	noop = stint_task_type_find(&types, "noop");
	ck_assert_ptr_nonnull(noop);
	ck_assert_str_eq(noop->program, "/bin/true");
	stint_task_types_free(&types);
}
END_TEST

START_TEST(test_missing_file)
{
	stint_task_types types;
	char err[256] = "";

	ck_assert_int_eq(stint_task_types_load("/nonexistent/tasks.conf", &types, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "/nonexistent/tasks.conf: ") == err, "%s", err);
	stint_task_types_free(&types);
}
END_TEST

/* One problem per file: the message names the file, the line and what is wrong. */
static const struct { const char *text, *message; } bad_cases[] = {
	{ "[a]\nprogram = x\ncolour = red\n", "t.conf:3: unknown key \"colour\"" },
	{ "[a]\nprogram = x\ntime_limit_s = 10s\n", "t.conf:3: time_limit_s must be a whole number of seconds, 1 to 86400" },
	{ "[a]\nprogram = x\ntime_limit_s = 0\n", "t.conf:3: time_limit_s must be a whole number of seconds, 1 to 86400" },
	{ "[a]\nprogram = x\nmax_attempts = 101\n", "t.conf:3: max_attempts must be a whole number, 1 to 100" },
	{ "[a]\nprogram = x\nmax_attempts =\n", "t.conf:3: max_attempts must be a whole number, 1 to 100" },
	{ "[a]\nprogram = x\nretention_days = 99999999999999999999\n",
	  "t.conf:3: retention_days must be a whole number of days, 1 to 3650" },
	{ "[a]\nprogram = x\ntracked = maybe\n", "t.conf:3: tracked must be yes or no" },
	{ "[a]\nprogram = x\nremove_on = completed, done\n",
	  "t.conf:3: remove_on: \"done\" is not completed, failed, cancelled or none" },
	{ "[a]\nprogram = x\n\n# again\n[a]\nprogram = y\n", "t.conf:5: task type a is declared twice (first on line 1)" },
	{ "[a]\nprogram = x\nprogram = y\n", "t.conf:3: program is given twice in [a]" },
	{ "[a]\nprogram =\n", "t.conf:2: program must not be empty" },
	{ "[a]\nmax_attempts = 2\n[b]\nprogram = x\n", "t.conf:1: [a] has no program" },
	{ "program = x\n", "t.conf:1: `key = value` before the first [type]" },
	{ "[a]\nprogram x\n", "t.conf:2: expected [type] or `key = value`" },
	{ "[a\n", "t.conf:1: expected [type] or `key = value`" },
	{ "[a] x\n", "t.conf:1: expected [type] or `key = value`" },
	{ "[a]\nprogram = x\n; a comment?\n", "t.conf:3: expected [type] or `key = value`" },
	{ "[a]\nprogram = x\n= y\n", "t.conf:3: unknown key \"\"" },
	{ "[a]\n[b]\nprogram = x\n", "t.conf:1: [a] has no program" },
	{ "[Report]\n", "t.conf:1: \"Report\" is not a task type name ([a-z][a-z0-9_]*, at most 40 characters)" },
	{ "[a]\nprogram = x\nkeep_until = b\n", "t.conf:1: [a] keep_until: b is not another declared task type" },
	{ "[a]\nprogram = x\nkeep_until = a\n", "t.conf:1: [a] keep_until: a is not another declared task type" },
	{ "[a]\nprogram = x\nkeep_until = B-1\n", "t.conf:3: keep_until must name a task type" },
};

START_TEST(test_bad)
{
	stint_task_types types;
	char err[256] = "";

	ck_assert_int_eq(stint_task_types_parse(bad_cases[_i].text, "t.conf", &types, err, sizeof(err)), -1);
	ck_assert_str_eq(err, bad_cases[_i].message);
	stint_task_types_free(&types);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tasktypes");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_shipped);
	tcase_add_test(tc, test_missing_file);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
