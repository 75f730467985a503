/* live.c: publish live messages and read the stored ones (see live.h). */
#include "live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "buf.h"
#include "conf.h"
#include "log.h"
#include "metrics.h"

/* One handle per process, so the connection to nchan is reused. */
static CURL *live_curl;

/*
 * After nginx reloads, a kept connection still reaches an old worker, and
 * what it publishes lands in the old worker's nchan store, which no new
 * subscriber reads. So each batch (one change's messages, one re-publisher
 * step) starts on a fresh connection, which only a current worker accepts,
 * and the handle keeps that one connection alone for the rest of the batch.
 */
static int live_fresh = 1;

void stint_live_batch(void)
{
	live_fresh = 1;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

/*
 * One request to nchan's publisher socket: method on url (under
 * http://localhost), with body (POST) and one more header line (or NULL).
 * Returns the HTTP status, or 0 when nchan could not be reached; *cc says why.
 */
static long nchan_request(const char *method, const char *url, const char *body, const char *header,
			  CURLcode *cc)
{
	char sock[4200];
	struct curl_slist *h = NULL;
	long status = 0;

	*cc = CURLE_FAILED_INIT;
	if (live_curl == NULL && (live_curl = curl_easy_init()) == NULL)
		return 0;
	snprintf(sock, sizeof(sock), "%s", stint_config_get("nchan_socket", ""));
	if (sock[0] == '\0')
		snprintf(sock, sizeof(sock), "%s/run/nchan-pub.sock", stint_config_get("var_dir", "var"));
	h = curl_slist_append(h, "Expect:");
	if (header != NULL)
		h = curl_slist_append(h, header);
	curl_easy_reset(live_curl);
	curl_easy_setopt(live_curl, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(live_curl, CURLOPT_URL, url);
	if (body != NULL) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(live_curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(live_curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(live_curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(live_curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(live_curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(live_curl, CURLOPT_CONNECTTIMEOUT_MS, 500L);
	curl_easy_setopt(live_curl, CURLOPT_TIMEOUT_MS, 2000L);
	curl_easy_setopt(live_curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(live_curl, CURLOPT_MAXCONNECTS, 1L);
	curl_easy_setopt(live_curl, CURLOPT_FRESH_CONNECT, (long)live_fresh);
	live_fresh = 0;
	*cc = curl_easy_perform(live_curl);
	if (*cc == CURLE_OK)
		curl_easy_getinfo(live_curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	return status;
}

int stint_live_send(const char *session_id, const char *type, const char *body)
{
	char url[128], event[96];
	CURLcode cc;
	long status;

	snprintf(url, sizeof(url), "http://localhost/pub/sessions/%.36s", session_id);
	snprintf(event, sizeof(event), "X-EventSource-Event: %.60s", type);
	status = nchan_request("POST", url, body, event, &cc);
	if (status == 201 || status == 202)
		return 0;
	stint_log(STINT_LOG_WARN, "nchan did not take a %s message for %.36s (%s, HTTP %ld); it stays queued",
		  type, session_id, curl_easy_strerror(cc), status);
	return -1;
}

void stint_live_user_channel(char out[STINT_LIVE_CHANNEL_LEN], const char *user_id)
{
	snprintf(out, STINT_LIVE_CHANNEL_LEN, "user-%.20s", user_id);
}

void stint_live_share_channel(char out[STINT_LIVE_CHANNEL_LEN], const char *session_id, const char *user_id)
{
	snprintf(out, STINT_LIVE_CHANNEL_LEN, "share-%.36s-%.20s", session_id, user_id);
}

int stint_live_close(const char *channel)
{
	char url[128];
	CURLcode cc;
	long status;

	snprintf(url, sizeof(url), "http://localhost/pub/grants/%.80s", channel);
	status = nchan_request("DELETE", url, NULL, NULL, &cc);
	if (status == 200 || status == 404)  /* 404: nobody was subscribed through it */
		return 0;
	stint_log(STINT_LOG_WARN, "nchan did not end the subscriptions on %.80s (%s, HTTP %ld)",
		  channel, curl_easy_strerror(cc), status);
	return -1;
}

long stint_live_replay_send(const char *channel, const char *type, const char *body)
{
	char url[160], event[96];
	CURLcode cc;

	snprintf(url, sizeof(url), "http://localhost/pub/replay/%.72s", channel);
	snprintf(event, sizeof(event), "X-EventSource-Event: %.60s", type);
	return nchan_request("POST", url, body, event, &cc);
}

int stint_live_replay_end(const char *channel)
{
	char url[160];
	CURLcode cc;
	long status;

	snprintf(url, sizeof(url), "http://localhost/pub/replay/%.72s", channel);
	status = nchan_request("DELETE", url, NULL, NULL, &cc);
	if (status == 200 || status == 404)
		return 0;
	stint_log(STINT_LOG_WARN, "nchan did not end the replay %.72s (%s, HTTP %ld)",
		  channel, curl_easy_strerror(cc), status);
	return -1;
}

/* Publish one stored message; append its seq to seqs when nchan took it. */
static int publish_one(const char *sid, const char *body, stint_buf *seqs)
{
	cJSON *msg = cJSON_Parse(body);
	const cJSON *type = cJSON_GetObjectItem(msg, "type"), *seq = cJSON_GetObjectItem(msg, "seq");
	int rc = -1;

	if (cJSON_IsString(type) && cJSON_IsNumber(seq) &&
	    stint_live_send(sid, type->valuestring, body) == 0)
		rc = stint_buf_printf(seqs, "%s%.0f", seqs->len > 1 ? "," : "", seq->valuedouble);
	cJSON_Delete(msg);
	return rc;
}

/*
 * Mark the seqs ("{1,2" so far) published, in a transaction of its own:
 * stint_tx_end() publishes through here, so this layer cannot use stint_tx.
 */
static void mark(stint_db *db, const char *sid, stint_buf *seqs)
{
	const char *p[2] = { sid, NULL };

	if (seqs->len <= 1)
		return;
	stint_buf_putc(seqs, '}');
	p[1] = seqs->data;
	if (stint_db_begin(db) != STINT_DB_OK ||
	    stint_db_exec(db, STINT_SQL_ASYNC_COMMIT, 0, NULL, NULL) != STINT_DB_OK) {
		stint_db_rollback(db);
		return;
	}
	(void)stint_db_exec(db, STINT_SQL_LIVE_MARK_PUBLISHED, 2, p, NULL);
	if (stint_db_commit(db) != STINT_DB_OK)
		stint_db_rollback(db);
}

void stint_live_publish(stint_db *db, const stint_live_message *m, size_t n)
{
	stint_buf seqs = STINT_BUF_INIT;
	const char *sid = NULL;
	size_t i;
	int stuck = 0;

	stint_live_batch();
	for (i = 0; i < n; i++)  /* ended grants first: nothing more reaches them */
		if (m[i].text == NULL)
			(void)stint_live_close(m[i].session_id);
	for (i = 0; i < n; i++) {
		if (m[i].text == NULL)
			continue;
		if (sid == NULL || strcmp(m[i].session_id, sid) != 0) {
			if (sid != NULL)
				mark(db, sid, &seqs);
			stint_buf_reset(&seqs);
			stint_buf_putc(&seqs, '{');
			sid = m[i].session_id;
			stuck = 0;
		}
		if (!stuck && publish_one(sid, m[i].text, &seqs) != 0) {
			stint_metrics_live_publish_failure();
			stuck = 1;  /* keep the order: the rest waits for the re-publisher */
		}
	}
	if (sid != NULL)
		mark(db, sid, &seqs);
	stint_buf_free(&seqs);
}

stint_db_rc stint_live_timeline(stint_db *db, const char *session_id, const char *after_seq,
				const char *limit, char **json)
{
	const char *p[3] = { session_id, after_seq, limit };
	stint_db_rc rc = stint_db_text(db, STINT_SQL_LIVE_TIMELINE, 3, p, json);

	return rc == STINT_DB_OK && *json == NULL ? STINT_DB_ERROR : rc;
}

stint_db_rc stint_live_last_seq(stint_db *db, const char *session_id, long long *last_seq)
{
	const char *p[3] = { session_id, "9000000000000000000", "1" };
	cJSON *t = NULL;
	stint_db_rc rc = stint_db_json(db, STINT_SQL_LIVE_TIMELINE, 3, p, &t);
	const cJSON *n = cJSON_GetObjectItem(t, "last_seq");

	*last_seq = cJSON_IsNumber(n) ? (long long)n->valuedouble : 0;
	cJSON_Delete(t);
	return rc;
}
