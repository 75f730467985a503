/*
 * check_run.h: how every unit test program ends: run its Check suite and
 * turn the result into the exit status automake's test driver reads.
 */
#ifndef STINT_CHECK_RUN_H
#define STINT_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

/* Run every test of suite s (the runner frees it): EXIT_SUCCESS when none failed, else EXIT_FAILURE. */
static inline int stint_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
