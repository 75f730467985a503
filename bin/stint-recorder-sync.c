/*
 * stint-recorder-sync: one sync of the recorder bucket into the database
 * (lib/recorder.h; docs/recorder.md). The program of the recorder_sync task
 * type (conf/tasks.conf), run by bin/stint-spooler, and runnable by hand:
 *
 *	bin/stint-recorder-sync [--verify] [--var-dir DIR] < /dev/null
 *
 * It speaks the spooler's child protocol (docs/tasks.md): the task's params
 * on stdin (a JSON object; {"verify": true} is --verify: every metadata.json
 * read again with If-None-Match), `progress N message` lines and a final
 * JSON result line on stdout ({"recorders", "recordings", "created",
 * "updated", "deleted", "malformed", "open", "objects", "requests": {"list",
 * "get", "not_modified", "total"}, "seconds"}), the reason of a failure on
 * stderr. Exit status: 0 done; 1 the sync failed (S3 unreachable or
 * refusing, the database away: the spooler retries); 100 the settings are
 * wrong or missing (no retry: they must be fixed first).
 * Settings: database_url and the s3_* settings (lib/s3.h). The secret key
 * is never printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "recorder.h"
#include "s3.h"

#define EXIT_RETRY 1
#define EXIT_FOR_GOOD 100
#define PARAMS_MAX 65536

static void progress(int percent, const char *message, void *arg)
{
	(void)arg;
	printf("progress %d %s\n", percent, message);
	fflush(stdout);
}

/* The params on stdin ({"verify": bool}); 0 or -1 (not a JSON object). A terminal or empty input is {}. */
static int read_params(int *verify)
{
	static char buf[PARAMS_MAX + 1];
	size_t n = fread(buf, 1, PARAMS_MAX, stdin);
	cJSON *o, *v;

	buf[n] = '\0';
	if (n == 0)
		return 0;
	o = cJSON_Parse(buf);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "verify");
	if (cJSON_IsTrue(v))
		*verify = 1;
	cJSON_Delete(o);
	return 0;
}

int main(int argc, char **argv)
{
	stint_recorder_sync_result r;
	stint_s3_conf conf;
	stint_db db;
	char err[512], *json;
	int i, verify = 0, rc;

	stint_log_init("recorder-sync");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--verify") == 0) {
			verify = 1;
		} else if (strcmp(argv[i], "--var-dir") == 0 && i + 1 < argc) {
			setenv("STINT_VAR_DIR", argv[++i], 1);
		} else {
			fprintf(stderr, "usage: stint-recorder-sync [--verify] [--var-dir DIR] < params.json\n");
			return EXIT_FOR_GOOD;
		}
	}
	if (stint_config_load(NULL) != 0)
		return EXIT_FOR_GOOD;
	stint_log_configure();
	if (read_params(&verify) != 0) {
		fprintf(stderr, "the task's params must be a JSON object, e.g. {\"verify\": true}\n");
		return EXIT_FOR_GOOD;
	}
	if (stint_s3_conf_load(&conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "the recorder bucket's settings: %s\n", err);
		return EXIT_FOR_GOOD;
	}
	if (!conf.enabled) {
		fprintf(stderr, "the recorder bucket's settings: s3_enabled is off (docs/recorder.md)\n");
		return EXIT_FOR_GOOD;
	}
	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0) {
		stint_s3_conf_clear(&conf);
		return EXIT_RETRY;
	}
	rc = stint_recorder_sync(&db, &conf, verify, NULL, progress, NULL, &r, err, sizeof(err));
	stint_s3_conf_clear(&conf);
	stint_db_close(&db);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_RETRY;
	}
	json = stint_recorder_sync_json(&r);
	if (json == NULL)
		return EXIT_RETRY;
	printf("progress 100 %ld recordings in %ld recorders\n%s\n", r.recordings, r.recorders, json);
	free(json);
	return 0;
}
