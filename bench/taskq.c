/*
 * taskq: the client side of bench/tasks, with the stack's settings
 * (database_url from PREFIX/stint.env in the environment).
 *
 *   taskq sql NAME                  print the text of statement NAME of the
 *                                   catalogue (lib/sql.h), e.g. SPOOL_CLAIM,
 *                                   for the bare claim loop in psql
 *   taskq insert N INTERVAL_MS TYPE [TRACE]
 *                                   queue N tasks of TYPE (no session), one at
 *                                   a time, each through stint_task_create()
 *                                   in a unit of work of its own (the insert,
 *                                   task.create audited, NOTIFY tasks, COMMIT:
 *                                   what POST /api/v1/tasks does without the
 *                                   HTTP), one every INTERVAL_MS; prints
 *                                   "task_id commit_wall_us" for each, the
 *                                   CLOCK_REALTIME in microseconds read as
 *                                   COMMIT has returned. With TRACE (the
 *                                   spoolers' spool_trace file) each insert
 *                                   first waits until the file has a line for
 *                                   every task before it (at most 10 s), then
 *                                   INTERVAL_MS more: no task waits behind
 *                                   another, so a slow machine cannot turn
 *                                   the latency into queueing
 *
 * Exits 0, 1 on a database error, 2 on bad arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "tasks.h"
#include "tx.h"

/* Microseconds of clock c. */
static long long clock_us(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The text of catalogue statement name, or NULL. */
static const char *statement(const char *name)
{
#define TASKQ_PICK(id, n, text) \
	if (strcmp(name, #id) == 0) \
		return text;
	STINT_SQL_CATALOGUE(TASKQ_PICK)
#undef TASKQ_PICK
	return NULL;
}

/*
 * Wait until file path holds at least lines newlines, at most 10 s (then
 * go on); *seen counts what was read so far, from byte *off on.
 */
static void wait_lines(const char *path, long lines, long *seen, long *off)
{
	char buf[4096];
	long long give_up = clock_us(CLOCK_MONOTONIC) + 10000000;
	struct timespec ms = { 0, 1000000 };
	size_t n;
	FILE *f;

	while (*seen < lines && clock_us(CLOCK_MONOTONIC) < give_up) {
		if ((f = fopen(path, "r")) != NULL) {
			if (fseek(f, *off, SEEK_SET) == 0) {
				while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
					*off += (long)n;
					for (size_t i = 0; i < n; i++)
						*seen += buf[i] == '\n';
				}
			}
			fclose(f);
		}
		if (*seen < lines)
			nanosleep(&ms, NULL);
	}
}

/* Sleep until monotonic microsecond at_us (at once when it has passed). */
static void sleep_until(long long at_us)
{
	struct timespec ts = { (time_t)(at_us / 1000000), (long)(at_us % 1000000) * 1000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		;
}

static int insert(long n, long interval_ms, const char *type, const char *trace)
{
	stint_task_new t = { NULL, NULL, type, NULL, "{}", 100, 1, NULL };
	char id[STINT_TASK_ID_LEN], *json;
	long long next = clock_us(CLOCK_MONOTONIC), done;
	long seen = 0, off = 0;
	int created;
	stint_db db;
	stint_tx tx;

	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0)
		return 1;
	for (long i = 0; i < n; i++) {
		if (trace != NULL) {
			wait_lines(trace, i, &seen, &off);
			next = clock_us(CLOCK_MONOTONIC) + interval_ms * 1000;
		}
		sleep_until(next);
		next += interval_ms * 1000;
		stint_tx_begin(&tx, &db, NULL);
		stint_task_create(&tx, &t, &json, &created, id);
		free(json);
		if (stint_tx_end(&tx) != STINT_DB_OK || !created) {
			fprintf(stderr, "taskq: insert %ld failed\n", i);
			stint_db_close(&db);
			return 1;
		}
		done = clock_us(CLOCK_REALTIME);
		printf("%s %lld\n", id, done);
	}
	stint_db_close(&db);
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *text;
	char *end;
	long n, interval_ms;

	stint_log_init("taskq");
	if (argc == 3 && strcmp(argv[1], "sql") == 0) {
		if ((text = statement(argv[2])) == NULL) {
			fprintf(stderr, "taskq: no statement %s in lib/sql.h\n", argv[2]);
			return 2;
		}
		puts(text);
		return 0;
	}
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "insert") == 0) {
		n = strtol(argv[2], &end, 10);
		if (*end != '\0' || n < 1)
			return 2;
		interval_ms = strtol(argv[3], &end, 10);
		if (*end != '\0' || interval_ms < 0)
			return 2;
		if (stint_config_load(NULL) != 0)
			return 1;
		stint_log_configure();
		return insert(n, interval_ms, argv[4], argc == 6 ? argv[5] : NULL);
	}
	fprintf(stderr, "usage: taskq sql NAME | taskq insert N INTERVAL_MS TYPE [TRACE]\n");
	return 2;
}
