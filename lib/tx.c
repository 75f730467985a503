/* tx.c: one audited write (see tx.h). */
#include "tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stint_tx_begin(stint_tx *tx, stint_db *db, const char *actor_id)
{
	memset(tx, 0, sizeof(*tx));
	tx->db = db;
	snprintf(tx->actor, sizeof(tx->actor), "%s", actor_id != NULL && *actor_id ? actor_id : "0");
	tx->rc = stint_db_begin(db);
}

stint_db_rc stint_tx_exec(stint_tx *tx, stint_sql id, int n, const char *const *p, PGresult **res)
{
	if (res != NULL)
		*res = NULL;
	if (tx->rc == STINT_DB_OK && !tx->cancelled)
		tx->rc = stint_db_exec(tx->db, id, n, p, res);
	return tx->rc;
}

stint_db_rc stint_tx_text(stint_tx *tx, stint_sql id, int n, const char *const *p, char **out)
{
	*out = NULL;
	if (tx->rc == STINT_DB_OK && !tx->cancelled)
		tx->rc = stint_db_text(tx->db, id, n, p, out);
	return tx->rc;
}

stint_db_rc stint_tx_audit(stint_tx *tx, const char *action, const char *type, const char *id,
			   const char *detail)
{
	const char *p[5] = { tx->actor, action, type, id, detail };

	return stint_tx_exec(tx, STINT_SQL_AUDIT, 5, p, NULL);
}

/* Keep one recorded message (copied into tx's arena) for publishing; text NULL: a channel to end. */
static int outbox_add(stint_tx *tx, const char *sid, const char *text)
{
	stint_live_message *grown = stint_arena_grow(&tx->arena, tx->outbox, tx->noutbox, &tx->capoutbox,
						     sizeof(*grown));
	stint_live_message *m;

	if (grown == NULL)
		return -1;
	tx->outbox = grown;
	m = &tx->outbox[tx->noutbox];
	m->session_id = stint_arena_strdup(&tx->arena, sid);
	m->text = text != NULL ? stint_arena_strdup(&tx->arena, text) : NULL;
	if (m->session_id == NULL || (text != NULL && m->text == NULL))
		return -1;
	tx->noutbox++;
	return 0;
}

stint_db_rc stint_tx_announce(stint_tx *tx, stint_sql id, int n, const char *const *p)
{
	PGresult *res;
	int i;

	if (stint_tx_exec(tx, id, n, p, &res) != STINT_DB_OK)
		return tx->rc;
	for (i = 0; i < PQntuples(res); i++)
		if (!PQgetisnull(res, i, 0) && outbox_add(tx, p[0], PQgetvalue(res, i, 0)) != 0) {
			tx->rc = STINT_DB_ERROR;
			break;
		}
	PQclear(res);
	return tx->rc;
}

stint_db_rc stint_tx_close_live(stint_tx *tx, const char *channel)
{
	if (tx->rc == STINT_DB_OK && !tx->cancelled && outbox_add(tx, channel, NULL) != 0)
		tx->rc = STINT_DB_ERROR;
	return tx->rc;
}

void stint_tx_fail(stint_tx *tx, stint_db_rc rc)
{
	if (tx->rc == STINT_DB_OK)
		tx->rc = rc;
}

void stint_tx_cancel(stint_tx *tx)
{
	tx->cancelled = 1;
}

stint_db_rc stint_tx_end(stint_tx *tx)
{
	stint_db_rc rc = tx->rc;

	if (rc == STINT_DB_OK && !tx->cancelled)
		rc = stint_db_commit(tx->db);
	if (rc != STINT_DB_OK || tx->cancelled)
		stint_db_rollback(tx->db);
	else
		stint_live_publish(tx->db, tx->outbox, tx->noutbox);
	stint_arena_free(&tx->arena);
	tx->outbox = NULL;
	tx->noutbox = tx->capoutbox = 0;
	tx->rc = rc;
	return rc;
}
