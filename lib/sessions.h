/*
 * sessions.h: the sports session resource, shared by the JSON API
 * (cgi-bin/sessions.c) and the pages (cgi-bin/pages.c). Field rules live
 * here once; the database enforces them a second time with CHECKs.
 */
#ifndef STINT_SESSIONS_H
#define STINT_SESSIONS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"
#include "tx.h"
#include "validate.h"

/* A session body's values as stint_session_fields gives them (NULL: absent or null). */
typedef struct stint_session_in {
	const char *title, *kind, *venue, *status, *starts_at, *ends_at;
	const cJSON *meta, *data;
} stint_session_in;

/* The fields a client may send on create (POST) and change (PATCH), into stint_session_in. */
extern const stint_field stint_session_fields[];
extern const size_t stint_session_nfields;

/* Query parameters of the session list. */
typedef struct stint_session_query {
	const char *q;        /* search over title and venue, or NULL */
	const char *status;   /* filter, or NULL */
	const char *kind;     /* filter, or NULL */
	long limit;           /* 1..1000, default 50 */
	long offset;          /* >= 0 */
	const char *user_id;  /* only sessions this user may see... */
	int is_admin;         /* ...unless an admin asks */
} stint_session_query;

/*
 * Read and check the list parameters from query (q, status, kind, limit,
 * offset); problems go to *errors as in stint_validate_json(). Returns the
 * number of problems.
 */
int stint_session_query_parse(const stint_kvlist *query, stint_session_query *out,
			      cJSON **errors);

/*
 * Validate body (a create when partial is 0, a patch otherwise) and check
 * that ends_at is not before starts_at when both are given. Returns the
 * number of problems (details in *errors), -1 on out of memory.
 */
int stint_session_validate(const cJSON *body, int partial, cJSON **errors);

/*
 * After STINT_DB_INVALID from a write: name the field the database refused
 * (the time-order CHECK when a patch moves only one end). Returns 1 with
 * *errors set, 0 when the problem is not a known one, -1 on out of memory.
 */
int stint_session_db_problem(const stint_db *db, cJSON **errors);

/*
 * The page of sessions matching q as JSON text {"items":[...],"total":n,
 * "limit":n,"offset":n} in *json (caller frees).
 */
stint_db_rc stint_session_list(stint_db *db, const stint_session_query *q, char **json);

/*
 * One session with its teams as JSON text in *json (caller frees), or
 * *json NULL when there is no such session. Its "recording" (the linked
 * one, or null) carries fresh presigned URLs of its files
 * (lib/recorder-links.h).
 */
stint_db_rc stint_session_get(stint_db *db, const char *id, char **json);

/*
 * As stint_session_get(), parsed: *session (caller deletes) is the object,
 * or NULL when there is no such session. STINT_DB_ERROR when the text is
 * not JSON.
 */
stint_db_rc stint_session_load(stint_db *db, const char *id, cJSON **session);

/*
 * The dashboard's counts for the sessions in ids, a PostgreSQL uuid[]
 * literal ("{id,id,...}"): *counts (caller deletes) is
 * {"<id>": {"events": n, "clips": n}, ...}.
 */
stint_db_rc stint_session_counts(stint_db *db, const char *ids, cJSON **counts);

/* What a user may do with a session (stint_session_access()). */
typedef enum stint_grant {
	STINT_GRANT_ABSENT,   /* there is no such session */
	STINT_GRANT_NONE,     /* it exists; the user may not see it */
	STINT_GRANT_VIEW,
	STINT_GRANT_EDIT
} stint_grant;

/*
 * What user_id (users.id as text) may do with session id, or with its
 * newest backup when deleted is 1, in *grant (STINT_GRANT_ABSENT on an
 * error).
 */
stint_db_rc stint_session_access(stint_db *db, const char *id, const char *user_id, int deleted,
				 stint_grant *grant);

/*
 * The changes below run in tx (lib/tx.h) and write their audit_log row
 * as its actor; a change to a session also records session_updated, which
 * stint_tx_end() publishes. They return tx's result so far; *found and
 * id_out are only meaningful when stint_tx_end() then returns STINT_DB_OK.
 *
 * Create a session from body_json, the text of a validated body (passed to
 * PostgreSQL as it came, so numbers in meta keep their precision), owned by
 * owner_id (users.id as text; NULL or "" for nobody); its new id (36
 * characters and a NUL) is written to id_out. With the setting
 * recorder_autolink_on_create on, a recording starting near its start is
 * linked (stint_recorder_link_on_create).
 */
stint_db_rc stint_session_create(stint_tx *tx, const char *owner_id, const char *body_json,
				 char id_out[37]);

/*
 * Apply patch_json, the text of a validated patch (only the keys present
 * change); *found is 0 when there is no such session. STINT_DB_INVALID
 * when the database refuses a value (see stint_session_db_problem());
 * STINT_DB_CONFLICT when the status rule refuses the patch's status (see
 * stint_session_status_problem()).
 */
stint_db_rc stint_session_patch(stint_tx *tx, const char *id, const char *patch_json, int *found);

/*
 * The status rule (issue 14): planned -> live -> completed or abandoned;
 * an ended session (completed, abandoned) may go live again, a restart,
 * which clears its ends_at unless the change gives a new one (a new
 * starts_at may come with it; without one the old start stays). Every
 * other change of status is refused (409): nothing goes back to planned, a
 * planned session is not ended before it was live, completed and
 * abandoned do not turn into each other. Keeping a status is no change.
 * The statuses are session_statuses'.
 */
typedef enum stint_status_step {
	STINT_STATUS_SAME,     /* the status stays */
	STINT_STATUS_START,    /* planned -> live */
	STINT_STATUS_END,      /* live -> completed or abandoned */
	STINT_STATUS_RESTART,  /* completed or abandoned -> live */
	STINT_STATUS_REFUSED   /* any other */
} stint_status_step;

/* What the rule says of a change from status from to status to (both known statuses). */
stint_status_step stint_session_status_step(const char *from, const char *to);

/*
 * Why the change from from to to is refused, in msg (size bytes), e.g. "may
 * not go from planned to completed: a session goes planned -> live ->
 * completed or abandoned, and an ended one may go live again (a restart)".
 */
void stint_session_status_why(const char *from, const char *to, char *msg, size_t size);

/*
 * In tx, lock session id's row until tx ends and check that its status may
 * become to (the rule above): *step says how; from (16 bytes) is its
 * status now, "" when there is no such session (nothing else is done
 * then). A refused change fails tx with STINT_DB_CONFLICT, so nothing of
 * tx is written. Returns tx->rc. stint_session_patch() and the live
 * session_update (lib/liveupdate.h) call it before they change a status.
 */
stint_db_rc stint_session_status_lock(stint_tx *tx, const char *id, const char *to, stint_status_step *step,
				      char from[16]);

/*
 * After STINT_DB_CONFLICT from a change of session id's status to to (a
 * patch, a live session_update): *errors gets {field: why} (field is
 * "status", or "data.status" for a live update) with the session's status
 * read again. Returns 1, 0 when its status may become to after all (a
 * concurrent change), -1 on out of memory or a database failure.
 */
int stint_session_status_problem(stint_db *db, const char *id, const char *to, const char *field,
				 cJSON **errors);

/*
 * Archive the session whole in backups and remove it; *found as above.
 */
stint_db_rc stint_session_archive(stint_tx *tx, const char *id, int *found);

/*
 * Restore the newest unrestored backup of session id; *found is 0 when
 * there is none. STINT_DB_CONFLICT when a session with that id exists.
 */
stint_db_rc stint_session_restore(stint_tx *tx, const char *id, int *found);

/*
 * The title of the newest unrestored backup of session id in *title
 * (caller frees), or NULL when there is none that user_id may restore.
 */
stint_db_rc stint_session_backup_title(stint_db *db, const char *id, const char *user_id,
				       char **title);

#endif
