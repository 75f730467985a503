/*
 * stint-replay: the live_replay task's program (conf/tasks.conf; seed 001's
 * /ws/session/<id>/, docs/compat.md). It replays a session's stored live
 * messages (GET .../timeline's) on one viewer's replay channel at the pace
 * they were made: each message goes out as long after the one before as it
 * was made after it (a pause longer than max_gap_s, default 10 s, is cut to
 * that), then the channel is deleted, which closes the viewer's socket.
 *
 * The child protocol (docs/tasks.md): params on stdin, {"session": id,
 * "channel": "replay-<64 hex>", "max_gap_s": n (optional, 0 to 3600)} (the
 * task is the viewer's, not the session's: a session's task would announce
 * itself in the very timeline replayed). The messages replayed are those
 * stored when it starts. Progress lines as messages go out; the result
 * {"messages": n, "listened": true|false}. When nobody has listened for 30 s
 * (nchan answers 202 to every publish) it stops early. Exit 100 on bad
 * params, 1 on a database or nchan failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "conf.h"
#include "db.h"
#include "live.h"
#include "log.h"
#include "validate.h"

#define PARAMS_MAX 4096
#define PAGE "1000"
#define IDLE_LIMIT_S 30.0

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec t;

	if (s <= 0)
		return;
	t.tv_sec = (time_t)s;
	t.tv_nsec = (long)((s - (double)t.tv_sec) * 1e9);
	nanosleep(&t, NULL);
}

/* The channel name: "replay-" and 64 lower-case hex digits. */
static int channel_ok(const char *c)
{
	return strlen(c) == STINT_LIVE_REPLAY_LEN - 1 && strncmp(c, "replay-", 7) == 0 &&
	       strspn(c + 7, "0123456789abcdef") == 64;
}

/* Read the params (stdin) into sid, channel and *max_gap; -1 when they are not right. */
static int read_params(char sid[37], char channel[STINT_LIVE_REPLAY_LEN], double *max_gap)
{
	static char text[PARAMS_MAX];
	size_t n = fread(text, 1, sizeof(text) - 1, stdin);
	cJSON *p;
	const cJSON *c, *g, *s;
	int rc = -1;

	text[n] = '\0';
	p = cJSON_Parse(text);
	c = cJSON_GetObjectItem(p, "channel");
	g = cJSON_GetObjectItem(p, "max_gap_s");
	s = cJSON_GetObjectItem(p, "session");
	if (cJSON_IsString(s) && stint_is_uuid(s->valuestring) && cJSON_IsString(c) && channel_ok(c->valuestring) &&
	    (g == NULL || (cJSON_IsNumber(g) && g->valuedouble >= 0 && g->valuedouble <= 3600))) {
		snprintf(channel, STINT_LIVE_REPLAY_LEN, "%s", c->valuestring);
		snprintf(sid, 37, "%s", s->valuestring);
		*max_gap = g != NULL ? g->valuedouble : 10.0;
		rc = 0;
	}
	cJSON_Delete(p);
	return rc;
}

int main(void)
{
	char sid[37], channel[STINT_LIVE_REPLAY_LEN], after[32] = "0";
	double max_gap, prev_at = -1, next_due, idle_since;
	long long sent = 0, total = 0;
	int listened = 0, stop = 0, rc = 0;
	stint_db db;

	stint_log_init("replay");
	if (read_params(sid, channel, &max_gap) != 0) {
		fprintf(stderr, "stint-replay: needs params {\"session\": id, \"channel\": \"replay-<64 hex>\"}\n");
		return 100;
	}
	if (stint_config_load(NULL) != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	stint_log_configure();
	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0)
		return 1;
	next_due = idle_since = now_s();
	while (!stop) {
		char *json = NULL;
		cJSON *page;
		const cJSON *m, *messages;

		if (stint_live_timeline(&db, sid, after, PAGE, &json) != STINT_DB_OK || (page = cJSON_Parse(json)) == NULL) {
			free(json);
			fprintf(stderr, "stint-replay: the session's messages could not be read\n");
			rc = 1;
			break;
		}
		free(json);
		messages = cJSON_GetObjectItem(page, "messages");
		if (total == 0)
			total = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(page, "last_seq"));
		if (cJSON_GetArraySize(messages) == 0)
			stop = 1;
		cJSON_ArrayForEach(m, messages) {
			const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(m, "type"));
			const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(m, "at"));
			double t = 0, gap, seq = cJSON_GetNumberValue(cJSON_GetObjectItem(m, "seq"));
			char *text;
			long status;

			if (seq > (double)total) {
				stop = 1;  /* stored after the replay began */
				break;
			}
			text = cJSON_PrintUnformatted(m);

			if (at != NULL && stint_timestamp_epoch(at, &t) == 0 && prev_at >= 0) {
				gap = t - prev_at;
				next_due += gap < 0 ? 0 : gap > max_gap ? max_gap : gap;
			}
			prev_at = t;
			sleep_s(next_due - now_s());
			status = stint_live_replay_send(channel, type != NULL ? type : "message", text);
			free(text);
			if (status != 201 && status != 202) {
				fprintf(stderr, "stint-replay: nchan refused message %lld (HTTP %ld)\n", sent + 1, status);
				rc = 1;
				stop = 1;
				break;
			}
			sent++;
			snprintf(after, sizeof(after), "%.0f", seq);
			if (status == 201) {
				listened = 1;
				idle_since = now_s();
			} else if (now_s() - idle_since > IDLE_LIMIT_S) {
				stop = 1;  /* nobody listens (any more) */
				break;
			}
			if (sent % 100 == 0 && total > 0) {
				printf("progress %lld replayed %lld of %lld messages\n", sent * 100 / total, sent, total);
				fflush(stdout);
			}
		}
		cJSON_Delete(page);
	}
	sleep_s(0.5);  /* the last message reaches the viewer before the channel goes */
	(void)stint_live_replay_end(channel);
	if (rc == 0)
		printf("{\"messages\": %lld, \"listened\": %s}\n", sent, listened ? "true" : "false");
	stint_db_close(&db);
	curl_global_cleanup();
	return rc;
}
