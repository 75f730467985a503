/* db.c: connection, lazy prepare, reconnect (see db.h). */
#include "db.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const struct { const char *name, *text; int nparams; } catalogue[] = {
#define STINT_SQL_ENTRY(id, n, text) { #id, text, n },
	STINT_SQL_CATALOGUE(STINT_SQL_ENTRY)
#undef STINT_SQL_ENTRY
};

static void db_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * An idle connection (Stint never LISTENs on these) has nothing to read; if
 * it has, the server most likely sent its goodbye (restart, shutdown) and
 * closed the socket. Such a connection is replaced before a statement is
 * sent, so the statement is not lost to it.
 */
static void db_check_idle(stint_db *db)
{
	struct pollfd p;

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK ||
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		return;
	p.fd = PQsocket(db->conn);
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, 0) > 0) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
}

static int db_connect(stint_db *db)
{
	db_check_idle(db);
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->conn != NULL)
		PQfinish(db->conn);
	memset(db->prepared, 0, sizeof(db->prepared));  /* a new connection has none */
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		stint_log(STINT_LOG_WARN, "database unavailable: %s", PQerrorMessage(db->conn));
		return -1;
	}
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	return 0;
}

int stint_db_init(stint_db *db, const char *conninfo)
{
	memset(db, 0, sizeof(*db));
	db->conninfo = strdup(conninfo);
	if (db->conninfo == NULL)
		return -1;
	(void)db_connect(db);
	return 0;
}

void stint_db_close(stint_db *db)
{
	stint_db_forget(db);
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	memset(db, 0, sizeof(*db));
}

static stint_db_rc classify(stint_db *db, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	const char *cons = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	snprintf(db->constraint, sizeof(db->constraint), "%s", cons ? cons : "");
	if (PQstatus(db->conn) != CONNECTION_OK || state == NULL ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return STINT_DB_UNAVAILABLE;
	if (strcmp(state, "23505") == 0)
		return STINT_DB_CONFLICT;
	if (strncmp(state, "22", 2) == 0 || strcmp(state, "23514") == 0 ||
	    strcmp(state, "23503") == 0)
		return STINT_DB_INVALID;
	return STINT_DB_ERROR;
}

static stint_db_rc db_prepare(stint_db *db, stint_sql id)
{
	PGresult *r;
	stint_db_rc rc = STINT_DB_OK;

	if (db->prepared[id])
		return STINT_DB_OK;
	r = PQprepare(db->conn, catalogue[id].name, catalogue[id].text, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = classify(db, r);
		stint_log(STINT_LOG_ERROR, "prepare %s: %s", catalogue[id].name,
			  PQerrorMessage(db->conn));
	} else {
		db->prepared[id] = 1;
	}
	PQclear(r);
	return rc;
}

/* Check n against the catalogue, connect and prepare id: ready to send it. */
static stint_db_rc ready(stint_db *db, stint_sql id, int n)
{
	if (n != catalogue[id].nparams) {
		stint_log(STINT_LOG_ERROR, "%s takes %d parameters, got %d",
			  catalogue[id].name, catalogue[id].nparams, n);
		return STINT_DB_ERROR;
	}
	if (db_connect(db) != 0)
		return STINT_DB_UNAVAILABLE;
	return db_prepare(db, id);
}

/* Hand out result r of statement id as stint_db_exec does. */
static stint_db_rc take_result(stint_db *db, stint_sql id, PGresult *r, PGresult **res)
{
	ExecStatusType st = PQresultStatus(r);
	stint_db_rc rc;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		if (res != NULL)
			*res = r;
		else
			PQclear(r);
		return STINT_DB_OK;
	}
	rc = classify(db, r);
	stint_log(rc == STINT_DB_ERROR ? STINT_LOG_ERROR : STINT_LOG_WARN, "%s: [%s] %s",
		  catalogue[id].name, db->sqlstate, PQerrorMessage(db->conn));
	PQclear(r);
	return rc;
}

/* 1 when the prefetched result is that of statement id with these params. */
static int ahead_matches(const stint_db_ahead *a, stint_sql id, int n, const char *const *params)
{
	if (a->state != STINT_AHEAD_FETCHED || a->id != id || a->n != n)
		return 0;
	for (int i = 0; i < n; i++) {
		if ((a->params[i] == NULL) != (params[i] == NULL) ||
		    (params[i] != NULL && strcmp(a->params[i], params[i]) != 0))
			return 0;
	}
	return 1;
}

stint_db_rc stint_db_exec(stint_db *db, stint_sql id, int n,
			  const char *const *params, PGresult **res)
{
	stint_db_rc rc;

	if (res != NULL)
		*res = NULL;
	if (ahead_matches(&db->ahead, id, n, params)) {
		PGresult *r = db->ahead.res;

		db->ahead.res = NULL;
		stint_db_forget(db);
		return take_result(db, id, r, res);
	}
	rc = ready(db, id, n);
	if (rc != STINT_DB_OK)
		return rc;
	return take_result(db, id, PQexecPrepared(db->conn, catalogue[id].name, n, params, NULL, NULL, 0), res);
}

void stint_db_forget(stint_db *db)
{
	stint_db_ahead *a = &db->ahead;

	for (int i = 0; i < a->n; i++)
		free(a->params[i]);
	PQclear(a->res);
	memset(a, 0, sizeof(*a));
}

void stint_db_prefetch(stint_db *db, stint_sql id, int n, const char *const *params)
{
	stint_db_ahead *a = &db->ahead;

	stint_db_forget(db);
	if (n != catalogue[id].nparams || n > STINT_DB_AHEAD_PARAMS) {
		stint_log(STINT_LOG_ERROR, "prefetch %s: %d parameters", catalogue[id].name, n);
		return;
	}
	a->id = id;
	for (a->n = 0; a->n < n; a->n++) {
		if (params[a->n] != NULL && (a->params[a->n] = strdup(params[a->n])) == NULL) {
			stint_db_forget(db);
			return;
		}
	}
	a->state = STINT_AHEAD_QUEUED;
}

/* One statement's result in pipeline mode, past the NULL that ends it. */
static PGresult *pipeline_result(PGconn *c)
{
	PGresult *r = PQgetResult(c), *end;

	if (r != NULL && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		while ((end = PQgetResult(c)) != NULL)
			PQclear(end);
	return r;
}

stint_db_rc stint_db_exec_read(stint_db *db, stint_sql id, int n,
			       const char *const *params, PGresult **res)
{
	stint_db_ahead *a = &db->ahead;
	PGresult *r, *ahead, *sync;
	stint_db_rc rc;
	int ok;

	if (a->state != STINT_AHEAD_QUEUED)
		return stint_db_exec(db, id, n, params, res);
	if (res != NULL)
		*res = NULL;
	rc = ready(db, id, n);
	if (rc != STINT_DB_OK)
		return rc;
	if (db_prepare(db, a->id) != STINT_DB_OK || PQtransactionStatus(db->conn) != PQTRANS_IDLE ||
	    !PQenterPipelineMode(db->conn)) {
		stint_db_forget(db);
		return stint_db_exec(db, id, n, params, res);
	}
	ok = PQsendQueryPrepared(db->conn, catalogue[id].name, n, params, NULL, NULL, 0) &&
	     PQsendQueryPrepared(db->conn, catalogue[a->id].name, a->n, (const char *const *)a->params,
				 NULL, NULL, 0) &&
	     PQpipelineSync(db->conn);
	r = ok ? pipeline_result(db->conn) : NULL;
	ahead = ok ? pipeline_result(db->conn) : NULL;
	sync = ok ? PQgetResult(db->conn) : NULL;
	ok = PQresultStatus(sync) == PGRES_PIPELINE_SYNC && PQexitPipelineMode(db->conn);
	PQclear(sync);
	if (ok && PQresultStatus(ahead) == PGRES_TUPLES_OK) {
		a->res = ahead;
		a->state = STINT_AHEAD_FETCHED;
	} else {
		PQclear(ahead);
		stint_db_forget(db);
	}
	if (!ok) {
		/* the connection broke mid-pipeline: start afresh next time */
		stint_log(STINT_LOG_WARN, "%s: pipeline failed: %s", catalogue[id].name, PQerrorMessage(db->conn));
		PQclear(r);
		PQfinish(db->conn);
		db->conn = NULL;
		return STINT_DB_UNAVAILABLE;
	}
	return take_result(db, id, r, res);
}

stint_db_rc stint_db_text(stint_db *db, stint_sql id, int n, const char *const *params, char **out)
{
	PGresult *res;
	stint_db_rc rc = stint_db_exec(db, id, n, params, &res);

	*out = NULL;
	if (rc != STINT_DB_OK)
		return rc;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) && (*out = strdup(PQgetvalue(res, 0, 0))) == NULL)
		rc = STINT_DB_ERROR;
	PQclear(res);
	return rc;
}

stint_db_rc stint_db_json(stint_db *db, stint_sql id, int n, const char *const *params, cJSON **out)
{
	char *text = NULL;

	return stint_db_parse(stint_db_text(db, id, n, params, &text), &text, out);
}

stint_db_rc stint_db_parse(stint_db_rc rc, char **text, cJSON **out)
{
	*out = *text ? cJSON_Parse(*text) : NULL;
	if (rc == STINT_DB_OK && *text != NULL && *out == NULL)
		rc = STINT_DB_ERROR;
	free(*text);
	*text = NULL;
	return rc;
}

const char *stint_db_cell(const PGresult *res, int row, const char *column)
{
	int col = PQfnumber(res, column);

	if (col < 0 || row < 0 || row >= PQntuples(res) || PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

stint_db_rc stint_db_begin(stint_db *db)
{
	stint_db_forget(db);  /* what was read ahead may be about to change */
	return stint_db_exec(db, STINT_SQL_BEGIN, 0, NULL, NULL);
}

stint_db_rc stint_db_commit(stint_db *db)
{
	return stint_db_exec(db, STINT_SQL_COMMIT, 0, NULL, NULL);
}

void stint_db_rollback(stint_db *db)
{
	if (db->conn != NULL && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		(void)stint_db_exec(db, STINT_SQL_ROLLBACK, 0, NULL, NULL);
}

int stint_db_ping(stint_db *db)
{
	return stint_db_exec(db, STINT_SQL_PING, 0, NULL, NULL) == STINT_DB_OK;
}
