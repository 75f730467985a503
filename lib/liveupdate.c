/* liveupdate.c: a session's live updates on a stint_tx (see liveupdate.h). */
#include "liveupdate.h"

#include <stdlib.h>

#include "sessions.h"

/*
 * Start a live update in tx: its COMMIT does not wait for the disk. Returns
 * the count of messages tx holds so far, for end_update().
 */
static size_t begin_update(stint_tx *tx)
{
	(void)stint_tx_exec(tx, STINT_SQL_ASYNC_COMMIT, 0, NULL, NULL);
	return tx->noutbox;
}

/* The count of messages recorded since begin_update(); tx's result. */
static stint_db_rc end_update(stint_tx *tx, size_t before, size_t *messages)
{
	*messages = tx->noutbox - before;
	return tx->rc;
}

stint_db_rc stint_liveupdate_session(stint_tx *tx, const char *sid, const char *status,
				     const char *starts_at, const char *ends_at, size_t *messages)
{
	const char *p[4] = { sid, status, starts_at, ends_at };
	size_t before = begin_update(tx);
	stint_status_step step;
	char from[16];

	/* the status rule (lib/sessions.h): a refused change fails tx with STINT_DB_CONFLICT */
	if (stint_session_status_lock(tx, sid, status, &step, from) == STINT_DB_OK && from[0] != '\0')
		stint_tx_exec(tx, STINT_SQL_SESSION_LIVE_STATUS, 4, p, NULL);
	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_SESSION, 1, p);
	return end_update(tx, before, messages);
}

stint_db_rc stint_liveupdate_climb(stint_tx *tx, const char *sid, const char *holds_json,
				   size_t *messages)
{
	const char *p[3] = { sid, holds_json, NULL };
	char *merged = NULL;
	size_t before = begin_update(tx);

	stint_tx_text(tx, STINT_SQL_CLIMB_MERGE, 2, p, &merged);
	p[1] = "climb_updated";
	p[2] = merged;
	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, p);
	free(merged);
	return end_update(tx, before, messages);
}

stint_db_rc stint_liveupdate_climb_state(stint_tx *tx, const char *sid, const char *holds_json,
					 const char *state_json, size_t *messages)
{
	const char *p[2] = { sid, state_json };

	if (state_json != NULL)
		stint_tx_exec(tx, STINT_SQL_CLIMB_STATE, 2, p, NULL);
	return stint_liveupdate_climb(tx, sid, holds_json != NULL ? holds_json : "[]", messages);
}

stint_db_rc stint_liveupdate_pose(stint_tx *tx, const char *sid, const char *frames_json,
				  size_t *messages)
{
	const char *p[3] = { sid, "pose_updated", frames_json };
	size_t before = begin_update(tx);

	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_MANY, 3, p);
	return end_update(tx, before, messages);
}
