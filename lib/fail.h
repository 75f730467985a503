/*
 * fail.h: the error answers every handler and the dispatcher write.
 *
 * A request's error goes out in its route's format: JSON (ARCHITECTURE.md's
 * error object) or, for an HTML route, the page its program gave the
 * dispatcher (stint_req.html_error, from stint_app.html_error). This module
 * sits below the dispatcher (server.c) and the access check (auth.c): both
 * answer through it, and neither includes the other for it. The handlers'
 * common endings are here too: a lookup or write that must find its row,
 * and a module's result text sent as it is.
 */
#ifndef STINT_FAIL_H
#define STINT_FAIL_H

#include <cjson/cJSON.h>

#include "http.h"

/*
 * Answer an error in the route's format: JSON (ARCHITECTURE.md's error
 * object) or the request's HTML error page. fields as stint_resp_error().
 */
void stint_fail(stint_req *req, int status, const char *code, const char *message,
		const cJSON *fields);

/* 422 invalid_fields with errors (an object field -> problem; consumed). */
void stint_fail_fields(stint_req *req, cJSON *errors);

/* 422 invalid_fields naming one field and its problem. */
void stint_fail_field(stint_req *req, const char *field, const char *problem);

/*
 * Answer a database failure: 503 with Retry-After while the database is
 * unavailable, 409 on a conflict, 422 on data the database refused, else
 * 500. rc is a stint_db_rc other than STINT_DB_OK.
 */
void stint_fail_db(stint_req *req, int rc);

/*
 * The end of a validator's run: bad is its answer (0 valid, > 0 invalid with
 * errors, < 0 out of memory). Returns 1 when valid (errors untouched); else
 * answers 422 invalid_fields with errors or the database-style 500, consumes
 * errors, and returns 0.
 */
int stint_valid_or_fail(stint_req *req, int bad, cJSON *errors);

/*
 * The end of a lookup or write that must find its row: returns 1 when rc is
 * STINT_DB_OK and found is not 0 (the caller answers the success); else
 * answers the database failure (stint_fail_db) or 404 not_found with
 * message, and returns 0.
 */
int stint_found_or_fail(stint_req *req, int rc, int found, const char *message);

/*
 * Answer a module's result text (heap; freed here): status with text as the
 * body of type ctype; the database failure when rc is not STINT_DB_OK; when
 * text is NULL, 404 not_found with missing, or 500 internal when missing is
 * NULL (the module promised a text).
 */
void stint_answer_text(stint_req *req, int rc, int status, const char *ctype, char *text,
		       const char *missing);

/* stint_answer_text() with application/json. */
void stint_answer_json_text(stint_req *req, int rc, int status, char *json, const char *missing);

#endif
