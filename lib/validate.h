/*
 * validate.h: declared fields with validators (STYLE.md habit 3).
 *
 * A handler declares the fields a JSON body or query string may carry in a
 * const table; stint_validate_json() checks an object against it and
 * collects every problem as field -> message, so a client learns all of them
 * at once. Unknown fields are refused by name. Handlers read only fields
 * that passed.
 */
#ifndef STINT_VALIDATE_H
#define STINT_VALIDATE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "http.h"

typedef enum stint_ftype {
	STINT_F_STRING,     /* UTF-8 text, length min..max in characters */
	STINT_F_ENUM,       /* one of choices */
	STINT_F_TIMESTAMP,  /* RFC 3339 date-time, e.g. 2026-11-22T10:00:00Z */
	STINT_F_INT,        /* integer in min..max */
	STINT_F_NUMBER,     /* finite number in min..max */
	STINT_F_BOOL,
	STINT_F_OBJECT,     /* JSON object, serialised size <= max bytes */
	STINT_F_UUID,       /* canonical 8-4-4-4-12 hex */
	STINT_F_IDENT       /* a name like serve or end_of_set: [a-z][a-z0-9_]*, length min..max */
} stint_ftype;

enum {
	STINT_F_REQUIRED = 1,   /* must be present (on create) */
	STINT_F_NULLABLE = 2,   /* null is accepted (clears the value) */
	STINT_F_READONLY = 4    /* the server sets it: refused in input */
};

typedef struct stint_field {
	const char *name;
	stint_ftype type;
	unsigned flags;
	long long min, max;
	const char *const *choices;   /* STINT_F_ENUM: NULL-terminated */
} stint_field;

/*
 * Check obj against the n fields of spec. With partial (PATCH) required
 * fields may be absent. Problems are added to *errors (created on demand,
 * an object field -> message; the caller deletes it). Returns the number
 * of problems (0: valid), or -1 on out of memory. A non-object obj is one
 * problem, reported under field "(body)".
 */
int stint_validate_json(const cJSON *obj, const stint_field *spec, size_t n,
			int partial, cJSON **errors);

/*
 * Check the query parameters of spec present in q (an empty value counts as
 * absent); an absent STINT_F_REQUIRED one is a problem too. Problems go to
 * *errors as in stint_validate_json(). Returns the number of problems.
 */
int stint_validate_query(const stint_kvlist *q, const stint_field *spec, size_t n, cJSON **errors);

/*
 * Check one text value (a query parameter or form field) of field f and
 * return its problem as a static message, or NULL when it is valid.
 * STINT_F_OBJECT and STINT_F_BOOL are not text fields (always a problem).
 */
const char *stint_validate_text(const stint_field *f, const char *value);

/* 1 when s is a canonical UUID (36 characters, hex and dashes), else 0. */
int stint_is_uuid(const char *s);

/*
 * 1 when s is an RFC 3339 date-time with a valid calendar date in the
 * years 1900..9998 and an offset within +-15:59 (what PostgreSQL's
 * timestamptz takes and gives back in the same format), else 0.
 */
int stint_is_timestamp(const char *s);

/*
 * Seconds since the epoch (UTC) of RFC 3339 date-time s in *out. Returns 0,
 * or -1 when s is not one.
 */
int stint_timestamp_epoch(const char *s, double *out);

/*
 * 1 when rel is a plain relative path: segments of [A-Za-z0-9._-], none
 * empty, "." or ".." (no way out of the folder it is taken in), else 0.
 */
int stint_is_safe_relpath(const char *rel);

/* Number of UTF-8 characters in s, or -1 when s is not valid UTF-8. */
long stint_utf8_len(const char *s);

/*
 * Convert the form fields of the spec present in form into a JSON object
 * (strings, ints, numbers by type; an empty value becomes null when the
 * field is nullable and is left out otherwise). `datetime-local` values
 * (YYYY-MM-DDTHH:MM) get ":00Z" appended (pages show times in UTC).
 * Returns a new object (caller deletes) or NULL on out of memory.
 */
cJSON *stint_form_to_json(const stint_kvlist *form, const stint_field *spec, size_t n);

#endif
