/* livepub.c: the re-publisher's step (see livepub.h). */
#include "livepub.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "live.h"
#include "tx.h"

/* Mark session sid's seqs ("1,2", maybe empty) published in tx; empty seqs. */
static void mark(stint_tx *tx, const char *sid, stint_buf *seqs)
{
	stint_buf list = STINT_BUF_INIT;
	const char *p[2] = { sid, NULL };

	if (seqs->len == 0)
		return;
	if (stint_buf_printf(&list, "{%s}", seqs->data) != 0)
		stint_tx_fail(tx, STINT_DB_ERROR);
	p[1] = list.data;
	stint_tx_exec(tx, STINT_SQL_LIVE_MARK_PUBLISHED, 2, p, NULL);
	stint_buf_free(&list);
	stint_buf_reset(seqs);
}

long stint_livepub_step(stint_db *db, double min_age_s)
{
	char age[32], sid[37] = "";
	const char *p = age, *seq;
	stint_buf seqs = STINT_BUF_INIT;
	PGresult *res = NULL;
	stint_tx tx;
	long done = 0;
	int i, stuck = 0;

	snprintf(age, sizeof(age), "%.3f", min_age_s);
	stint_live_batch();
	stint_tx_begin(&tx, db, NULL);
	stint_tx_exec(&tx, STINT_SQL_LIVE_UNPUBLISHED, 1, &p, &res);
	for (i = 0; res != NULL && i < PQntuples(res); i++) {
		if (strcmp(sid, stint_db_cell(res, i, "session_id")) != 0) {
			mark(&tx, sid, &seqs);
			snprintf(sid, sizeof(sid), "%s", stint_db_cell(res, i, "session_id"));
			stuck = 0;
		}
		if (stuck)
			continue;  /* a session's messages go in order or not at all */
		seq = stint_db_cell(res, i, "seq");
		if (stint_live_send(sid, stint_db_cell(res, i, "type"), stint_db_cell(res, i, "body")) != 0 ||
		    stint_buf_printf(&seqs, "%s%s", seqs.len > 0 ? "," : "", seq) != 0)
			stuck = 1;
		else
			done++;
	}
	mark(&tx, sid, &seqs);
	PQclear(res);
	stint_buf_free(&seqs);
	return stint_tx_end(&tx) == STINT_DB_OK ? done : -1;
}
