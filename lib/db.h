/*
 * db.h: one libpq connection per worker and the statement catalogue.
 *
 * Every statement Stint runs is named in lib/sql.h (STYLE.md habit 4). It is
 * prepared on its first use on a connection and run with PQexecPrepared:
 * parameters are always bound, never spliced into SQL. A connection that
 * broke is reset before the next statement, so handlers survive a database
 * restart; while the database is away they get STINT_DB_UNAVAILABLE.
 */
#ifndef STINT_DB_H
#define STINT_DB_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "sql.h"

typedef enum stint_db_rc {
	STINT_DB_OK = 0,
	STINT_DB_UNAVAILABLE,   /* no connection: answer 503 + Retry-After */
	STINT_DB_CONFLICT,      /* unique violation (SQLSTATE 23505) */
	STINT_DB_INVALID,       /* data exception or check violation (22xxx, 23514, 23503) */
	STINT_DB_ERROR          /* anything else: a bug, logged, answer 500 */
} stint_db_rc;

#define STINT_DB_AHEAD_PARAMS 4

/* A read statement sent ahead of need (stint_db_prefetch). */
typedef struct stint_db_ahead {
	enum { STINT_AHEAD_NONE, STINT_AHEAD_QUEUED, STINT_AHEAD_FETCHED } state;
	stint_sql id;
	int n;
	char *params[STINT_DB_AHEAD_PARAMS];  /* heap copies; NULL is SQL NULL */
	PGresult *res;                        /* when FETCHED */
} stint_db_ahead;

typedef struct stint_db {
	PGconn *conn;
	char *conninfo;
	unsigned char prepared[STINT_SQL__COUNT];
	char sqlstate[6];         /* of the last failed statement */
	char constraint[64];      /* the constraint it violated, or "" */
	stint_db_ahead ahead;
} stint_db;

/*
 * Remember conninfo and try to connect (a failure is not an error: the
 * first statement tries again). Returns 0, or -1 on out of memory.
 */
int stint_db_init(stint_db *db, const char *conninfo);

/* Close the connection and free db's memory. */
void stint_db_close(stint_db *db);

/*
 * Run catalogue statement id with n text parameters (NULL is SQL NULL).
 * On STINT_DB_OK *res (may be NULL to discard) is the result, which the
 * caller PQclear()s; otherwise *res is NULL and the error is logged.
 */
stint_db_rc stint_db_exec(stint_db *db, stint_sql id, int n,
			  const char *const *params, PGresult **res);

/*
 * Queue read-only statement id with n parameters (at most
 * STINT_DB_AHEAD_PARAMS, copied) to travel with the next stint_db_exec_read,
 * so that both cost one round trip. Its result is kept until a
 * stint_db_exec (or _text, _json) of the same statement with the same
 * parameters takes it instead of asking the database, or until
 * stint_db_forget. The dispatcher uses it to fetch a GET route's document
 * together with the caller's access check (lib/server.c); the result is
 * only handed to code that runs after that check passed. A statement that
 * failed ahead is not kept: its caller runs it again and gets the error.
 * Out of memory only means no prefetch.
 */
void stint_db_prefetch(stint_db *db, stint_sql id, int n, const char *const *params);

/*
 * As stint_db_exec, for a statement that changes nothing: it is sent in one
 * pipeline (libpq pipeline mode, one Sync, so one implicit transaction and
 * one snapshot) with the statement stint_db_prefetch queued, if any, and on
 * an idle connection. Errors of the queued statement are not this call's.
 */
stint_db_rc stint_db_exec_read(stint_db *db, stint_sql id, int n,
			       const char *const *params, PGresult **res);

/* Drop what stint_db_prefetch queued or fetched (end of every request). */
void stint_db_forget(stint_db *db);

/*
 * Run statement id and copy the first row's first cell into *out (heap,
 * caller frees); *out is NULL when there is no row or the cell is NULL.
 */
stint_db_rc stint_db_text(stint_db *db, stint_sql id, int n, const char *const *params, char **out);

/*
 * As stint_db_text(), the cell parsed as JSON into *out (caller deletes);
 * STINT_DB_ERROR when it is not JSON.
 */
stint_db_rc stint_db_json(stint_db *db, stint_sql id, int n, const char *const *params, cJSON **out);

/*
 * The JSON text *text that a read which returned rc handed back (freed,
 * *text NULL after) parsed into *out (caller deletes; NULL when there was
 * no text), so that a module's _json read is its _text read parsed:
 *
 *	return stint_db_parse(stint_thing_text(db, id, &text), &text, thing);
 *
 * Returns rc, or STINT_DB_ERROR when the text is not JSON.
 */
stint_db_rc stint_db_parse(stint_db_rc rc, char **text, cJSON **out);

/*
 * BEGIN / COMMIT / ROLLBACK by catalogue; same results as stint_db_exec.
 * BEGIN drops what stint_db_prefetch fetched: the transaction may change it.
 */
stint_db_rc stint_db_begin(stint_db *db);
stint_db_rc stint_db_commit(stint_db *db);
void stint_db_rollback(stint_db *db);

/*
 * The value in row of res's column named column (the catalogue documents
 * each statement's columns), or NULL when it is SQL NULL, the row is past
 * the end or there is no such column. It lives as long as res.
 */
const char *stint_db_cell(const PGresult *res, int row, const char *column);

/* 1 when the database answers a trivial query now, else 0. */
int stint_db_ping(stint_db *db);

#endif
