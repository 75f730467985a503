/*
 * stint-livepub: the re-publisher. Every second it delivers live messages
 * that were stored but that nchan did not take (nginx restarting, the
 * publisher socket away), oldest first and in order per session, so a change
 * made while nchan was down still reaches subscribers once it is back.
 * Several may run: each claims messages with FOR UPDATE SKIP LOCKED.
 * Settings: database_url, nchan_socket / var_dir (also `--var-dir DIR`, which
 * bin/stint passes so that the process names its stack). Stops on SIGTERM.
 */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "conf.h"
#include "db.h"
#include "livepub.h"
#include "log.h"

static volatile sig_atomic_t livepub_stop;

static void on_term(int sig)
{
	(void)sig;
	livepub_stop = 1;
}

int main(int argc, char **argv)
{
	struct timespec pause = { 1, 0 }, busy = { 0, 100000000 };
	struct sigaction sa;
	stint_db db;
	long n;

	stint_log_init("livepub");
	if (argc == 3 && strcmp(argv[1], "--var-dir") == 0) {
		setenv("STINT_VAR_DIR", argv[2], 1);
	} else if (argc != 1) {
		fprintf(stderr, "usage: stint-livepub [--var-dir DIR]\n");
		return 2;
	}
	if (stint_config_load(NULL) != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	stint_log_configure();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0)
		return 1;
	stint_log(STINT_LOG_INFO, "re-publishing live messages older than 1 s");
	while (!livepub_stop) {
		n = stint_livepub_step(&db, 1.0);
		if (n > 0)
			stint_log(STINT_LOG_INFO, "re-published %ld live messages", n);
		nanosleep(n > 0 ? &busy : &pause, NULL);
	}
	stint_db_close(&db);
	curl_global_cleanup();
	return 0;
}
