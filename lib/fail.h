/*
 * fail.h: the error answers every handler and the dispatcher write.
 *
 * A request's error goes out in its route's format: JSON (ARCHITECTURE.md's
 * error object) or, for an HTML route, the page its program gave the
 * dispatcher (stint_req.html_error, from stint_app.html_error). This module
 * sits below the dispatcher (server.c) and the access check (auth.c): both
 * answer through it, and neither includes the other for it.
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

#endif
