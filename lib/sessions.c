/* sessions.c: the session resource's rules and statements (see sessions.h). */
#include "sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recorder-links.h"

static const char *const session_kinds[] = { "match", "training", "climb", "dj_set", "other", NULL };
static const char *const session_statuses[] = { "planned", "live", "completed", "abandoned", NULL };

#define JSON_OBJECT_MAX (64 * 1024)

#define IN(member) STINT_DEST(stint_session_in, member)

const stint_field stint_session_fields[] = {
	{ "title", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, IN(title) },
	{ "kind", STINT_F_ENUM, 0, 0, 0, session_kinds, IN(kind) },
	{ "venue", STINT_F_STRING, STINT_F_NULLABLE, 0, 200, NULL, IN(venue) },
	{ "status", STINT_F_ENUM, 0, 0, 0, session_statuses, IN(status) },
	{ "starts_at", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, IN(starts_at) },
	{ "ends_at", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, IN(ends_at) },
	{ "meta", STINT_F_OBJECT, 0, 0, JSON_OBJECT_MAX, NULL, IN(meta) },
	{ "data", STINT_F_OBJECT, 0, 0, JSON_OBJECT_MAX, NULL, IN(data) },
	{ "id", STINT_F_UUID, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "owner_id", STINT_F_INT, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "processing_status", STINT_F_STRING, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "report_url", STINT_F_STRING, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "last_processed_at", STINT_F_TIMESTAMP, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "created_at", STINT_F_TIMESTAMP, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "updated_at", STINT_F_TIMESTAMP, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
	{ "teams", STINT_F_OBJECT, STINT_F_READONLY, 0, 0, NULL, STINT_NO_DEST },
};
const size_t stint_session_nfields = sizeof(stint_session_fields) / sizeof(stint_session_fields[0]);

#define QUERY(member) STINT_DEST(stint_session_query, member)

static const stint_field query_fields[] = {
	{ "q", STINT_F_STRING, 0, 0, 200, NULL, QUERY(q) },
	{ "status", STINT_F_ENUM, 0, 0, 0, session_statuses, QUERY(status) },
	{ "kind", STINT_F_ENUM, 0, 0, 0, session_kinds, QUERY(kind) },
	{ "limit", STINT_F_INT, 0, 1, 1000, NULL, QUERY(limit) },
	{ "offset", STINT_F_INT, 0, 0, 100000000, NULL, QUERY(offset) },
};

int stint_session_query_parse(const stint_kvlist *query, stint_session_query *out,
			      cJSON **errors)
{
	/* an empty filter box means no filter; a bad value is left out (and reported) */
	out->q = out->status = out->kind = NULL;
	out->limit = 50;
	out->offset = 0;
	return stint_validate_query(query, STINT_SPEC(query_fields), out, errors);
}

static int time_order_error(cJSON **errors)
{
	if (*errors == NULL && (*errors = cJSON_CreateObject()) == NULL)
		return -1;
	return cJSON_AddStringToObject(*errors, "ends_at", "must not be before starts_at") ? 1 : -1;
}

int stint_session_validate(const cJSON *body, int partial, cJSON **errors)
{
	stint_session_in in = { 0 };
	double s_sec, e_sec;
	int n = stint_validate_json(body, stint_session_fields, stint_session_nfields,
				    partial, &in, errors);

	if (n != 0)
		return n;
	if (in.starts_at != NULL && in.ends_at != NULL &&
	    stint_timestamp_epoch(in.starts_at, &s_sec) == 0 &&
	    stint_timestamp_epoch(in.ends_at, &e_sec) == 0 && e_sec < s_sec)
		return time_order_error(errors);
	return 0;
}

int stint_session_db_problem(const stint_db *db, cJSON **errors)
{
	if (strcmp(db->constraint, "sessions_time_order") == 0)
		return time_order_error(errors);
	return 0;
}

stint_db_rc stint_session_list(stint_db *db, const stint_session_query *q, char **json)
{
	char limit[24], offset[24];
	const char *p[7];

	snprintf(limit, sizeof(limit), "%ld", q->limit);
	snprintf(offset, sizeof(offset), "%ld", q->offset);
	p[0] = q->q;
	p[1] = q->status;
	p[2] = q->kind;
	p[3] = limit;
	p[4] = offset;
	p[5] = q->user_id;
	p[6] = q->is_admin ? "true" : "false";
	return stint_db_text(db, STINT_SQL_SESSION_LIST, 7, p, json);
}

stint_db_rc stint_session_get(stint_db *db, const char *id, char **json)
{
	stint_db_rc rc = stint_db_text(db, STINT_SQL_SESSION_GET, 1, &id, json);

	return rc == STINT_DB_OK ? stint_recording_urls_in_session(json, time(NULL)) : rc;
}

stint_db_rc stint_session_load(stint_db *db, const char *id, cJSON **session)
{
	char *text = NULL;

	return stint_db_parse(stint_session_get(db, id, &text), &text, session);
}

stint_db_rc stint_session_counts(stint_db *db, const char *ids, cJSON **counts)
{
	return stint_db_json(db, STINT_SQL_SESSION_COUNTS, 1, &ids, counts);
}

stint_db_rc stint_session_access(stint_db *db, const char *id, const char *user_id, int deleted,
				 stint_grant *grant)
{
	const char *p[3] = { id, user_id, deleted ? "true" : "false" };
	char *got = NULL;
	stint_db_rc rc = stint_db_text(db, STINT_SQL_SESSION_ACCESS, 3, p, &got);

	*grant = got == NULL ? STINT_GRANT_ABSENT : strcmp(got, "edit") == 0 ? STINT_GRANT_EDIT :
		 strcmp(got, "view") == 0 ? STINT_GRANT_VIEW : STINT_GRANT_NONE;
	free(got);
	return rc;
}

/*
 * Run write id (n parameters) in tx. Returns 1 when it changed something:
 * it answered a value that is not NULL or false (a row's id, a backup's
 * id, true); else 0, also when tx has failed.
 */
static int changed(stint_tx *tx, stint_sql id, int n, const char *const *p)
{
	char *got = NULL;
	int yes;

	stint_tx_text(tx, id, n, p, &got);
	yes = got != NULL && strcmp(got, "f") != 0;
	free(got);
	return yes;
}

stint_db_rc stint_session_create(stint_tx *tx, const char *owner_id, const char *body_json,
				 char id_out[37])
{
	const char *p[2] = { body_json, owner_id != NULL && *owner_id ? owner_id : NULL };
	char *id = NULL;

	id_out[0] = '\0';
	if (stint_tx_text(tx, STINT_SQL_SESSION_CREATE, 2, p, &id) == STINT_DB_OK && id == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	if (id != NULL) {
		snprintf(id_out, 37, "%s", id);
		stint_tx_audit(tx, "session.create", "session", id, NULL);
		stint_recorder_link_on_create(tx, id);
	}
	free(id);
	return tx->rc;
}

stint_status_step stint_session_status_step(const char *from, const char *to)
{
	int from_ended = strcmp(from, "completed") == 0 || strcmp(from, "abandoned") == 0;
	int to_ended = strcmp(to, "completed") == 0 || strcmp(to, "abandoned") == 0;

	if (strcmp(from, to) == 0)
		return STINT_STATUS_SAME;
	if (strcmp(from, "planned") == 0 && strcmp(to, "live") == 0)
		return STINT_STATUS_START;
	if (strcmp(from, "live") == 0 && to_ended)
		return STINT_STATUS_END;
	if (from_ended && strcmp(to, "live") == 0)
		return STINT_STATUS_RESTART;
	return STINT_STATUS_REFUSED;
}

void stint_session_status_why(const char *from, const char *to, char *msg, size_t size)
{
	snprintf(msg, size, "may not go from %.16s to %.16s: a session goes planned -> live -> completed or"
		 " abandoned, and an ended one may go live again (a restart)", from, to);
}

stint_db_rc stint_session_status_lock(stint_tx *tx, const char *id, const char *to, stint_status_step *step,
				      char from[16])
{
	char *now = NULL;

	*step = STINT_STATUS_SAME;
	from[0] = '\0';
	if (stint_tx_text(tx, STINT_SQL_SESSION_STATUS_LOCK, 1, &id, &now) != STINT_DB_OK || now == NULL) {
		free(now);
		return tx->rc;
	}
	snprintf(from, 16, "%s", now);
	free(now);
	*step = stint_session_status_step(from, to);
	if (*step == STINT_STATUS_REFUSED)
		stint_tx_fail(tx, STINT_DB_CONFLICT);
	return tx->rc;
}

int stint_session_status_problem(stint_db *db, const char *id, const char *to, const char *field,
				 cJSON **errors)
{
	char *from = NULL, why[200];
	int refused;

	if (stint_db_text(db, STINT_SQL_SESSION_STATUS_LOCK, 1, &id, &from) != STINT_DB_OK)
		return -1;
	refused = from != NULL && stint_session_status_step(from, to) == STINT_STATUS_REFUSED;
	if (refused)
		stint_session_status_why(from, to, why, sizeof(why));
	free(from);
	if (!refused)
		return 0;
	if (*errors == NULL && (*errors = cJSON_CreateObject()) == NULL)
		return -1;
	return cJSON_AddStringToObject(*errors, field, why) != NULL ? 1 : -1;
}

/* The status a patch (a validated JSON object's text) sets, or NULL (caller deletes *doc). */
static const char *patch_status(const char *patch_json, cJSON **doc)
{
	*doc = cJSON_Parse(patch_json);
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(*doc, "status"));
}

stint_db_rc stint_session_patch(stint_tx *tx, const char *id, const char *patch_json, int *found)
{
	const char *p[2] = { id, patch_json }, *to;
	stint_status_step step;
	cJSON *doc = NULL;
	char from[16];

	*found = 0;
	if ((to = patch_status(patch_json, &doc)) != NULL) {
		stint_session_status_lock(tx, id, to, &step, from);
		*found = from[0] != '\0';
	}
	cJSON_Delete(doc);
	if (tx->rc != STINT_DB_OK || (to != NULL && !*found))
		return tx->rc;
	*found = changed(tx, STINT_SQL_SESSION_PATCH, 2, p);
	if (*found) {
		stint_tx_audit(tx, "session.update", "session", id, NULL);
		stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_SESSION, 1, p);
	}
	return tx->rc;
}

stint_db_rc stint_session_archive(stint_tx *tx, const char *id, int *found)
{
	*found = changed(tx, STINT_SQL_SESSION_ARCHIVE, 1, &id);
	if (*found)
		stint_tx_audit(tx, "session.delete", "session", id, NULL);
	return tx->rc;
}

stint_db_rc stint_session_restore(stint_tx *tx, const char *id, int *found)
{
	*found = changed(tx, STINT_SQL_SESSION_RESTORE, 1, &id);
	if (*found)
		stint_tx_audit(tx, "session.restore", "session", id, NULL);
	return tx->rc;
}

stint_db_rc stint_session_backup_title(stint_db *db, const char *id, const char *user_id,
				       char **title)
{
	const char *p[2] = { id, user_id };

	return stint_db_text(db, STINT_SQL_SESSION_BACKUP_TITLE, 2, p, title);
}
