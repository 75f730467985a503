/* recorder-links.c: a session's recording, linked and presigned (see recorder-links.h). */
#include "recorder-links.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "s3.h"

const char *const stint_recording_formats[] = { "ogg", "flac", "waveform", "overview", NULL };

/* The file name extension of each format's object (the bucket's data.ogg, waveform.dat, ...). */
static const char *format_ext(const char *format)
{
	static const struct { const char *format, *ext; } exts[] = {
		{ "ogg", "ogg" }, { "flac", "flac" }, { "waveform", "dat" }, { "overview", "png" },
	};
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcmp(exts[i].format, format) == 0)
			return exts[i].ext;
	return "bin";
}

/*
 * The bucket's settings, read once per process (as lib/conf.c reads the
 * file): NULL when S3 is off or its settings are wrong, with why (a message
 * naming the setting, never the secret) in err.
 */
static const stint_s3_conf *s3_conf(char *err, size_t size)
{
	static stint_s3_conf conf;
	static char why[256];
	static int state;  /* 0: not read; 1: usable; -1: not */

	if (state == 0) {
		if (stint_s3_conf_load(&conf, why, sizeof(why)) != 0) {
			stint_log(STINT_LOG_ERROR, "recorder: %s", why);
			state = -1;
		} else if (!conf.enabled) {
			snprintf(why, sizeof(why), "%s", "The recorder bucket is not configured on this server"
				 " (the setting s3_enabled is off).");
			state = -1;
		} else {
			state = 1;
		}
	}
	if (state < 0) {
		if (err != NULL)
			snprintf(err, size, "%s", why);
		return NULL;
	}
	return &conf;
}

/* The detail of a link's audit row: {recorder_id, recording_id, linked_by[, tie_break]} (caller frees). */
static char *link_detail(const char *recorder_id, const char *recording_id, const char *linked_by,
			 const char *tie_break)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, "recorder_id", recorder_id) != NULL &&
	    cJSON_AddStringToObject(o, "recording_id", recording_id) != NULL &&
	    cJSON_AddStringToObject(o, "linked_by", linked_by) != NULL &&
	    (tie_break == NULL || *tie_break == '\0' || cJSON_AddStringToObject(o, "tie_break", tie_break) != NULL))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/*
 * Point session_id at recording row_id (linked_by as given): audited with
 * tie_break (NULL: none) and announced. *what is STINT_LINKED, or
 * STINT_LINK_NO_SESSION when there is no such session.
 */
static stint_db_rc set_link(stint_tx *tx, const char *session_id, const char *row_id, const char *linked_by,
			    const char *tie_break, stint_link_result *what)
{
	const char *p[3] = { session_id, row_id, linked_by };
	PGresult *res;
	char *detail;

	*what = STINT_LINK_NO_SESSION;
	if (stint_tx_exec(tx, STINT_SQL_RECORDER_LINK_SET, 3, p, &res) != STINT_DB_OK)
		return tx->rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return tx->rc;
	}
	detail = link_detail(stint_db_cell(res, 0, "recorder_id"), stint_db_cell(res, 0, "recording_id"),
			     linked_by, tie_break);
	PQclear(res);
	if (detail == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, "recorder.link", "session", session_id, detail);
	free(detail);
	stint_tx_announce(tx, STINT_SQL_RECORDER_LINK_ANNOUNCE, 1, &session_id);
	if (tx->rc == STINT_DB_OK)
		*what = STINT_LINKED;
	return tx->rc;
}

stint_db_rc stint_recorder_link_row(stint_tx *tx, const char *session_id, const char *row_id,
				    stint_link_result *what)
{
	set_link(tx, session_id, row_id, "manual", NULL, what);
	if (*what == STINT_LINK_NO_SESSION)
		*what = STINT_LINK_NO_RECORDING;  /* the callers checked the session's access: it is there */
	return tx->rc;
}

stint_db_rc stint_recorder_link(stint_tx *tx, const char *session_id, const char *recorder_id,
				const char *recording_id, stint_link_result *what)
{
	const char *p[2] = { recorder_id, recording_id };
	char *row = NULL;

	*what = STINT_LINK_NO_RECORDING;
	if (stint_tx_text(tx, STINT_SQL_RECORDER_FIND, 2, p, &row) == STINT_DB_OK && row != NULL)
		set_link(tx, session_id, row, "manual", NULL, what);
	free(row);
	return tx->rc;
}

/* A cell of res as a number (0 when NULL). */
static double cell_num(const PGresult *res, int row, const char *column)
{
	const char *v = stint_db_cell(res, row, column);

	return v != NULL ? strtod(v, NULL) : 0;
}

/*
 * How the best of the candidates res (RECORDER_AUTO_CANDIDATES' rows, best
 * first) won over the others starting within the same second, into out
 * (size bytes); "" when none did.
 */
static void describe_tie(const PGresult *res, char *out, size_t size)
{
	double start0 = round(cell_num(res, 0, "start_s")), over0 = cell_num(res, 0, "overlap_s");
	double over1;
	int n = 1;

	out[0] = '\0';
	while (n < PQntuples(res) && round(cell_num(res, n, "start_s")) == start0)
		n++;
	if (n == 1)
		return;
	over1 = cell_num(res, 1, "overlap_s");
	if (over0 > over1)
		snprintf(out, size, "%d recordings start %.0f s from the session's start: chose the one overlapping"
			 " it longest (%.0f s against %.0f s)", n, start0, over0, over1);
	else if (cell_num(res, 0, "start_s") < cell_num(res, 1, "start_s"))
		snprintf(out, size, "%d recordings start %.0f s from the session's start and overlap it equally"
			 " (%.0f s): chose the nearer by a fraction of a second", n, start0, over0);
	else
		snprintf(out, size, "%d recordings start %.0f s from the session's start and overlap it equally"
			 " (%.0f s): chose the first discovered (id %s)", n, start0, over0,
			 stint_db_cell(res, 0, "id"));
}

stint_db_rc stint_recorder_autolink(stint_tx *tx, const char *session_id, long tolerance_min, const char *linked_by,
				    stint_link_result *what, double *start_s, char *tie_break, size_t size)
{
	char tolerance_s[24], *row;
	const char *p[2] = { session_id, tolerance_s };
	PGresult *res;

	*what = STINT_LINK_NO_SESSION;
	*start_s = 0;
	tie_break[0] = '\0';
	snprintf(tolerance_s, sizeof(tolerance_s), "%ld", tolerance_min * 60);
	if (stint_tx_exec(tx, STINT_SQL_RECORDER_AUTO_CANDIDATES, 2, p, &res) != STINT_DB_OK)
		return tx->rc;
	if (PQntuples(res) == 0)
		*what = STINT_LINK_NO_SESSION;
	else if (strcmp(stint_db_cell(res, 0, "has_start"), "t") != 0)
		*what = STINT_LINK_NO_START;
	else if (stint_db_cell(res, 0, "id") == NULL)
		*what = STINT_LINK_NONE_NEAR;
	else if ((row = strdup(stint_db_cell(res, 0, "id"))) == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	else {
		*start_s = cell_num(res, 0, "start_s");
		describe_tie(res, tie_break, size);
		set_link(tx, session_id, row, linked_by, tie_break, what);
		free(row);
	}
	PQclear(res);
	return tx->rc;
}

stint_db_rc stint_recorder_unlink(stint_tx *tx, const char *session_id, int *found)
{
	char *detail = NULL;

	*found = 0;
	if (stint_tx_text(tx, STINT_SQL_RECORDER_UNLINK, 1, &session_id, &detail) != STINT_DB_OK || detail == NULL) {
		free(detail);
		return tx->rc;
	}
	stint_tx_audit(tx, "recorder.unlink", "session", session_id, detail);
	free(detail);
	stint_tx_announce(tx, STINT_SQL_RECORDER_LINK_ANNOUNCE, 1, &session_id);
	*found = tx->rc == STINT_DB_OK;
	return tx->rc;
}

int stint_recorder_media_origin(char *out, size_t size)
{
	const stint_s3_conf *c = s3_conf(NULL, 0);
	const char *host, *end;
	int n;

	if (c == NULL || (host = strstr(c->public_endpoint, "://")) == NULL)
		return -1;
	host += 3;
	end = host + strcspn(host, "/");
	n = c->path_style ? snprintf(out, size, "%.*s", (int)(end - c->public_endpoint), c->public_endpoint)
			  : snprintf(out, size, "%.*s%s.%.*s", (int)(host - c->public_endpoint), c->public_endpoint,
				     c->bucket, (int)(end - host), host);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

long stint_recorder_tolerance_min(void)
{
	const stint_s3_conf *c = s3_conf(NULL, 0);

	return c != NULL ? c->autolink_tolerance_min : 5;
}

stint_db_rc stint_recorder_link_on_create(stint_tx *tx, const char *session_id)
{
	stint_link_result what;
	char tie[256];
	double start_s;

	if (stint_config_int("recorder_autolink_on_create", 0, 0, 1) == 0)
		return tx->rc;
	return stint_recorder_autolink(tx, session_id, stint_recorder_tolerance_min(), "create", &what, &start_s,
				       tie, sizeof(tie));
}

int stint_recording_add_urls(cJSON *recording, time_t now)
{
	char why[256], url[2048], name[600];
	const stint_s3_conf *c = s3_conf(why, sizeof(why));
	const char *key, *rname;
	const cJSON *files = cJSON_GetObjectItem(recording, "files"), *f;
	const cJSON *keys = cJSON_GetObjectItem(recording, "object_keys");
	cJSON *urls;
	int rc = -1;

	if (c == NULL) {
		rc = cJSON_AddNullToObject(recording, "urls") != NULL &&
		     cJSON_AddStringToObject(recording, "urls_error", why) != NULL ? 0 : -1;
		goto out;
	}
	if ((urls = cJSON_AddObjectToObject(recording, "urls")) == NULL)
		goto out;
	rname = cJSON_GetStringValue(cJSON_GetObjectItem(recording, "name"));
	if (rname == NULL || *rname == '\0')
		rname = cJSON_GetStringValue(cJSON_GetObjectItem(recording, "recording_id"));
	cJSON_ArrayForEach(f, files) {
		key = cJSON_GetStringValue(cJSON_GetObjectItem(keys, cJSON_GetStringValue(f)));
		snprintf(name, sizeof(name), "%s.%s", rname ? rname : "recording", format_ext(cJSON_GetStringValue(f)));
		if (key == NULL || stint_s3_presign_get(c, key, c->presign_expiry_s, name, now, url, sizeof(url)) != 0)
			continue;
		if (cJSON_AddStringToObject(urls, cJSON_GetStringValue(f), url) == NULL)
			goto out;
	}
	rc = cJSON_AddNumberToObject(recording, "urls_expire_in_seconds", (double)c->presign_expiry_s) ? 0 : -1;
out:
	cJSON_DeleteItemFromObject(recording, "object_keys");  /* the bucket's keys stay inside */
	return rc;
}

stint_db_rc stint_recorder_link_get(stint_db *db, const char *session_id, time_t now, cJSON **out)
{
	stint_db_rc rc = stint_db_json(db, STINT_SQL_RECORDER_LINK_GET, 1, &session_id, out);
	cJSON *rec = cJSON_GetObjectItem(*out, "recording");

	if (rc == STINT_DB_OK && cJSON_IsObject(rec) && stint_recording_add_urls(rec, now) != 0)
		rc = STINT_DB_ERROR;
	return rc;
}

stint_db_rc stint_recorder_candidates(stint_db *db, const char *session_id, long window_min, long limit,
				      char **json)
{
	char window_s[24], lim[24];
	const char *p[3] = { session_id, window_s, lim };

	snprintf(window_s, sizeof(window_s), "%ld", window_min * 60);
	snprintf(lim, sizeof(lim), "%ld", limit);
	return stint_db_text(db, STINT_SQL_RECORDER_CANDIDATES, 3, p, json);
}

stint_db_rc stint_recorder_download(stint_db *db, const char *session_id, const char *format, time_t now,
				    char *url, size_t size, long *expires_s, stint_download_result *what,
				    char *why, size_t why_size)
{
	const char *p[2] = { session_id, format }, *key, *rname;
	const stint_s3_conf *c = NULL;
	char name[600];
	PGresult *res;
	stint_db_rc rc;

	*what = STINT_DOWNLOAD_NOT_LINKED;
	url[0] = '\0';
	*expires_s = 0;
	if ((rc = stint_db_exec(db, STINT_SQL_RECORDER_FILE, 2, p, &res)) != STINT_DB_OK)
		return rc;
	key = stint_db_cell(res, 0, "key");
	if (PQntuples(res) == 0)
		goto out;
	*what = STINT_DOWNLOAD_NO_FILE;
	if (key == NULL)
		goto out;
	*what = STINT_DOWNLOAD_NOT_CONFIGURED;
	if ((c = s3_conf(why, why_size)) == NULL)
		goto out;
	rname = stint_db_cell(res, 0, "name");
	if (rname == NULL || *rname == '\0')
		rname = stint_db_cell(res, 0, "recording_id");
	snprintf(name, sizeof(name), "%s.%s", rname, format_ext(format));
	*expires_s = c->presign_expiry_s;
	*what = stint_s3_presign_get(c, key, c->presign_expiry_s, name, now, url, size) == 0 ?
		STINT_DOWNLOAD_OK : STINT_DOWNLOAD_FAILED;
out:
	PQclear(res);
	return rc;
}

stint_db_rc stint_recording_urls_in_session(char **json, time_t now)
{
	static const char none[] = "\"recording\" : null}";
	size_t n = *json != NULL ? strlen(*json) : 0;
	cJSON *session, *rec;
	char *text = NULL;

	if (n == 0 || (n >= sizeof(none) - 1 && strcmp(*json + n - (sizeof(none) - 1), none) == 0))
		return STINT_DB_OK;
	session = cJSON_Parse(*json);
	rec = cJSON_GetObjectItem(session, "recording");
	if (session != NULL && (!cJSON_IsObject(rec) || stint_recording_add_urls(rec, now) == 0))
		text = cJSON_PrintUnformatted(session);
	cJSON_Delete(session);
	if (text == NULL)
		return STINT_DB_ERROR;
	free(*json);
	*json = text;
	return STINT_DB_OK;
}
