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

stint_db_rc stint_db_exec(stint_db *db, stint_sql id, int n,
			  const char *const *params, PGresult **res)
{
	ExecStatusType st;
	stint_db_rc rc;
	PGresult *r;

	if (res != NULL)
		*res = NULL;
	if (n != catalogue[id].nparams) {
		stint_log(STINT_LOG_ERROR, "%s takes %d parameters, got %d",
			  catalogue[id].name, catalogue[id].nparams, n);
		return STINT_DB_ERROR;
	}
	if (db_connect(db) != 0)
		return STINT_DB_UNAVAILABLE;
	rc = db_prepare(db, id);
	if (rc != STINT_DB_OK)
		return rc;
	r = PQexecPrepared(db->conn, catalogue[id].name, n, params, NULL, NULL, 0);
	st = PQresultStatus(r);
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
	stint_db_rc rc = stint_db_text(db, id, n, params, &text);

	*out = text ? cJSON_Parse(text) : NULL;
	if (rc == STINT_DB_OK && text != NULL && *out == NULL)
		rc = STINT_DB_ERROR;
	free(text);
	return rc;
}

stint_db_rc stint_db_begin(stint_db *db)
{
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
