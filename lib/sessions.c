/* sessions.c: the session resource's rules and statements (see sessions.h). */
#include "sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "live.h"

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
	return stint_db_text(db, STINT_SQL_SESSION_GET, 1, &id, json);
}

/*
 * Run statement id (n parameters) and its audit row in one transaction.
 * *found: the statement returned a non-NULL value (and only then is the
 * change audited and kept); *value (may be NULL) gets a heap copy of it.
 */
static stint_db_rc audited(stint_req *r, stint_sql id, int n, const char *const *p,
			   const char *action, const char *target, int *found, char **value)
{
	char *got = NULL;
	stint_db_rc rc = stint_db_begin(r->db);

	if (rc == STINT_DB_OK)
		rc = stint_db_text(r->db, id, n, p, &got);
	*found = got != NULL && strcmp(got, "f") != 0;
	if (rc == STINT_DB_OK && *found)
		rc = stint_audit(r, action, "session", target ? target : got, NULL);
	if (rc == STINT_DB_OK && *found && id == STINT_SQL_SESSION_PATCH)
		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD_SESSION, 1, p);
	rc = stint_live_finish(r, rc);
	if (rc == STINT_DB_OK && value != NULL) {
		*value = got;
		got = NULL;
	}
	free(got);
	return rc;
}

stint_db_rc stint_session_create(stint_req *r, const char *body_json, char id_out[37])
{
	const char *p[2] = { body_json, r->user.id_text[0] ? r->user.id_text : NULL };
	char *id = NULL;
	int found;
	stint_db_rc rc = audited(r, STINT_SQL_SESSION_CREATE, 2, p, "session.create", NULL, &found, &id);

	if (rc == STINT_DB_OK && id != NULL)
		snprintf(id_out, 37, "%s", id);
	else if (rc == STINT_DB_OK)
		rc = STINT_DB_ERROR;
	free(id);
	return rc;
}

stint_db_rc stint_session_patch(stint_req *r, const char *id, const char *patch_json, int *found)
{
	const char *p[2] = { id, patch_json };

	return audited(r, STINT_SQL_SESSION_PATCH, 2, p, "session.update", id, found, NULL);
}

stint_db_rc stint_session_archive(stint_req *r, const char *id, int *found)
{
	return audited(r, STINT_SQL_SESSION_ARCHIVE, 1, &id, "session.delete", id, found, NULL);
}

stint_db_rc stint_session_restore(stint_req *r, const char *id, int *found)
{
	return audited(r, STINT_SQL_SESSION_RESTORE, 1, &id, "session.restore", id, found, NULL);
}

stint_db_rc stint_session_backup_title(stint_db *db, const char *id, const char *user_id,
				       char **title)
{
	const char *p[2] = { id, user_id };

	return stint_db_text(db, STINT_SQL_SESSION_BACKUP_TITLE, 2, p, title);
}
