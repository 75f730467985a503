/*
 * tx.h: one audited write (a unit of work), the same from a handler, a tool
 * (stint-admin, the importer, the spooler, the report builder) or a test.
 *
 *	stint_tx tx;
 *
 *	stint_tx_begin(&tx, db, actor_id);             BEGIN
 *	stint_tx_exec(&tx, STINT_SQL_..., n, p, &res);  any number of statements
 *	stint_tx_audit(&tx, "session.update", "session", id, NULL);
 *	stint_tx_announce(&tx, STINT_SQL_LIVE_RECORD, 3, lp);
 *	rc = stint_tx_end(&tx);                         COMMIT, then publish
 *
 * The error is sticky: after the first failure every further call does
 * nothing and returns it, and stint_tx_end() rolls back. So a change is
 * written as a straight line and checked once, at the end. Live messages are
 * recorded in live_messages inside the transaction (ARCHITECTURE.md, "Live")
 * and published to nchan only after COMMIT; what nchan does not take,
 * bin/stint-livepub delivers later.
 */
#ifndef STINT_TX_H
#define STINT_TX_H

#include <stddef.h>

#include "arena.h"
#include "db.h"
#include "live.h"

typedef struct stint_tx {
	stint_db *db;
	char actor[24];           /* users.id as text; "0": the system (a tool) */
	stint_arena arena;        /* the outbox's copies; freed by stint_tx_end */
	stint_live_message *outbox; /* recorded, in order; published after COMMIT */
	size_t noutbox, capoutbox;
	stint_db_rc rc;           /* the first failure, sticky; STINT_DB_OK so far */
	int cancelled;            /* stint_tx_cancel: roll back, not an error */
} stint_tx;

/*
 * BEGIN a transaction on db for actor_id (users.id as text; NULL or "" for
 * the system). A failure is kept in tx->rc like any other. Always pair with
 * stint_tx_end().
 */
void stint_tx_begin(stint_tx *tx, stint_db *db, const char *actor_id);

/*
 * Run catalogue statement id with n text parameters in the transaction.
 * *res (may be NULL to discard) is the result, which the caller PQclear()s,
 * or NULL. Returns tx->rc after the call: nothing runs once it is not
 * STINT_DB_OK.
 */
stint_db_rc stint_tx_exec(stint_tx *tx, stint_sql id, int n, const char *const *p, PGresult **res);

/*
 * As stint_tx_exec(), keeping a heap copy of the first row's first cell in
 * *out (caller frees; NULL when there is no row, the cell is NULL or the
 * transaction has failed).
 */
stint_db_rc stint_tx_text(stint_tx *tx, stint_sql id, int n, const char *const *p, char **out);

/*
 * Write the audit row: the actor did action ("session.update") to the
 * target of type ("session") with id; detail is JSON text or NULL.
 */
stint_db_rc stint_tx_audit(stint_tx *tx, const char *action, const char *type, const char *id,
			   const char *detail);

/*
 * Record live messages: run a statement that stores them in live_messages
 * and returns their texts, one a row (LIVE_RECORD, LIVE_RECORD_MANY,
 * LIVE_RECORD_ROLLUP, LIVE_RECORD_SESSION, ...; its first parameter is the
 * session id), and keep them to publish after COMMIT.
 */
stint_db_rc stint_tx_announce(stint_tx *tx, stint_sql id, int n, const char *const *p);

/*
 * After the COMMIT, end the live subscriptions listening on grant channel
 * channel (lib/live.h: stint_live_user_channel(), stint_live_share_channel()):
 * the change takes that access away.
 */
stint_db_rc stint_tx_close_live(stint_tx *tx, const char *channel);

/* Make the transaction fail with rc (when it has not failed already). */
void stint_tx_fail(stint_tx *tx, stint_db_rc rc);

/*
 * Give up the change without an error (e.g. what it was to change is not
 * there): stint_tx_end() rolls back and returns STINT_DB_OK.
 */
void stint_tx_cancel(stint_tx *tx);

/*
 * End the transaction: COMMIT when nothing failed and it was not cancelled,
 * then publish the recorded messages in order; else ROLLBACK and drop them.
 * Returns the change's result: STINT_DB_OK, or its first failure (a failed
 * COMMIT included). A publishing failure is not one. Frees what tx holds.
 */
stint_db_rc stint_tx_end(stint_tx *tx);

#endif
