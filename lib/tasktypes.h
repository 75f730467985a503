/*
 * tasktypes.h: the task types, declared in configuration (issue 11), one
 * block per type in the file the setting tasks_config names (default
 * conf/tasks.conf; bin/stint up passes the checkout's):
 *
 *	# a comment (a whole line)
 *	[process_report]
 *	program = bin/stint-report
 *	time_limit_s = 600
 *	max_attempts = 3
 *	tracked = yes
 *	remove_on = cancelled
 *	keep_until = save_scenario
 *	retention_days = 7
 *
 * A block starts with [name] (a task type: [a-z][a-z0-9_]{0,39}) and holds
 * `key = value` lines. program is required; the others default to
 * time_limit_s 600 (1..86400), max_attempts 3 (1..100), tracked yes (yes or
 * no), remove_on none (a comma-separated list of completed, failed,
 * cancelled, or none), keep_until none (a declared type other than this
 * one), retention_days 7 (1..3650). An unknown key, a bad value, a key
 * given twice, a type declared twice or a key outside a block is an error
 * naming the file and line. docs/tasks.md describes what each one means.
 * The lines are read by blockfile.h (with inih), which says where inih reads
 * them differently from the parser this module had: `key: value` is read as
 * `key = value`.
 */
#ifndef STINT_TASKTYPES_H
#define STINT_TASKTYPES_H

#include <stddef.h>

#define STINT_TASK_TYPE_LEN 40        /* a type name's most characters */

/* remove_on: when a finished task's record is removed (bits) */
enum {
	STINT_TASK_REMOVE_COMPLETED = 1,
	STINT_TASK_REMOVE_FAILED = 2,
	STINT_TASK_REMOVE_CANCELLED = 4
};

typedef struct stint_task_type {
	char name[STINT_TASK_TYPE_LEN + 1];
	char *program;                    /* the executable the spooler runs (heap) */
	long time_limit_s;
	int max_attempts;
	int tracked;                      /* 0: runs without a kept record */
	unsigned remove_on;               /* STINT_TASK_REMOVE_* */
	char keep_until[STINT_TASK_TYPE_LEN + 1];  /* a follow-up type, "" for none */
	int retention_days;               /* finished records kept this long */
	int line;                         /* where its block starts */
} stint_task_type;

typedef struct stint_task_types {
	stint_task_type *types;           /* in the file's order (heap) */
	size_t n;
} stint_task_types;

/*
 * Parse text, the contents of the file called name (for messages), into
 * *out (emptied first; free with stint_task_types_free() either way).
 * Returns 0, or -1 with "name:LINE: problem" in err (errsize bytes; also
 * out of memory, without a line).
 */
int stint_task_types_parse(const char *text, const char *name, stint_task_types *out, char *err,
			   size_t errsize);

/*
 * Read and parse the file at path (NULL: the setting tasks_config, default
 * conf/tasks.conf) as stint_task_types_parse(). A file that cannot be read
 * is an error naming it.
 */
int stint_task_types_load(const char *path, stint_task_types *out, char *err, size_t errsize);

/* The type called name in types, or NULL when it is not declared. */
const stint_task_type *stint_task_type_find(const stint_task_types *types, const char *name);

/* Free what types holds and empty it. */
void stint_task_types_free(stint_task_types *types);

#endif
