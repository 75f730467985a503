/* fail.c: error answers in the route's format (see fail.h). */
#include "fail.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "route.h"

void stint_fail(stint_req *req, int status, const char *code, const char *message,
		const cJSON *fields)
{
	if (req->route != NULL && req->route->format != STINT_FORMAT_JSON &&
	    req->html_error != NULL) {
		req->html_error(req, status, message);
		return;
	}
	stint_resp_error(req, status, code, message, fields);
}

void stint_fail_fields(stint_req *req, cJSON *errors)
{
	stint_fail(req, 422, "invalid_fields", "Some fields are not valid; see fields.", errors);
	cJSON_Delete(errors);
}

void stint_fail_field(stint_req *req, const char *field, const char *problem)
{
	cJSON *errors = cJSON_CreateObject();

	cJSON_AddStringToObject(errors, field, problem);
	stint_fail_fields(req, errors);
}

void stint_fail_db(stint_req *req, int rc)
{
	switch (rc) {
	case STINT_DB_UNAVAILABLE:
		stint_resp_header(req, "Retry-After", "5");
		stint_fail(req, 503, "unavailable",
			   "The database is temporarily unavailable; try again in a few seconds.", NULL);
		break;
	case STINT_DB_CONFLICT:
		stint_fail(req, 409, "conflict", "That conflicts with data already stored.", NULL);
		break;
	case STINT_DB_INVALID:
		stint_fail(req, 422, "invalid", "The database refused a value as out of range.", NULL);
		break;
	default:
		stint_fail(req, 500, "internal", "Internal error; it has been logged.", NULL);
	}
}

int stint_valid_or_fail(stint_req *req, int bad, cJSON *errors)
{
	if (bad == 0)
		return 1;
	if (bad < 0) {
		cJSON_Delete(errors);
		stint_fail_db(req, STINT_DB_ERROR);
	} else {
		stint_fail_fields(req, errors);
	}
	return 0;
}

int stint_found_or_fail(stint_req *req, int rc, int found, const char *message)
{
	if (rc != STINT_DB_OK)
		stint_fail_db(req, rc);
	else if (!found)
		stint_fail(req, 404, "not_found", message, NULL);
	return rc == STINT_DB_OK && found;
}

void stint_answer_text(stint_req *req, int rc, int status, const char *ctype, char *text,
		       const char *missing)
{
	if (rc == STINT_DB_OK && text == NULL && missing == NULL)
		rc = STINT_DB_ERROR;
	if (stint_found_or_fail(req, rc, text != NULL, missing))
		stint_resp_send(req, status, ctype, text, strlen(text));
	free(text);
}

void stint_answer_json_text(stint_req *req, int rc, int status, char *json, const char *missing)
{
	stint_answer_text(req, rc, status, "application/json", json, missing);
}
