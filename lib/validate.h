/*
 * validate.h: declared fields with validators that yield typed values
 * (STYLE.md habit 3; kcgi's kvalid_* and kore's validators are the models).
 *
 * A handler declares the fields a JSON body or query string may carry in a
 * const table; stint_validate_json() checks an object against it, collects
 * every problem as field -> message (so a client learns all of them at
 * once) and writes each valid value, typed, into the caller's struct at the
 * place its field names. Unknown fields are refused by name. Arrays of
 * objects are checked item by item against a table of their own, problems
 * named by path ("events[3].t_sec", "data.frames[1].keypoints[0].x").
 * Handlers read only the struct.
 *
 *	typedef struct token_in { const char *name, *scope; } token_in;
 *	static const stint_field token_fields[] = {
 *		{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 100, NULL, STINT_DEST(token_in, name) },
 *		{ "scope", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, scopes, STINT_DEST(token_in, scope) },
 *	};
 *	token_in in = { 0 };
 *	if (stint_validate_json(r->json, STINT_SPEC(token_fields), 0, &in, &errors) != 0) ...
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
	STINT_F_IDENT,      /* a name like serve or end_of_set: [a-z][a-z0-9_]*, length min..max */
	STINT_F_ARRAY,      /* JSON array of min..max objects, each checked against items */
	STINT_F_SHIRT       /* a shirt number, kept as text: a string of 1 to 3 digits ("00" is not
			       "0"), or an integer 0..999 (stored as its decimal text, SQL stint_shirt());
			       min, max unused; in JSON checked only (STINT_NO_DEST), as query or form
			       text the digits (STINT_D_TEXT) */
} stint_ftype;

enum {
	STINT_F_REQUIRED = 1,   /* must be present (on create) */
	STINT_F_NULLABLE = 2,   /* null is accepted (clears the value) */
	STINT_F_READONLY = 4    /* the server sets it: refused in input */
};

/* The C type of a field's destination, taken from the member by STINT_DEST(). */
typedef enum stint_dest_kind {
	STINT_D_NONE,
	STINT_D_TEXT,     /* const char *: text fields; INT and NUMBER query fields (the checked text) */
	STINT_D_INT,      /* int: INT in the range of an int, BOOL (0 or 1) */
	STINT_D_LONG,     /* long: INT */
	STINT_D_LLONG,    /* long long: INT */
	STINT_D_DOUBLE,   /* double: NUMBER */
	STINT_D_JSON,     /* const cJSON *: OBJECT */
	STINT_D_LIST      /* stint_list: ARRAY */
} stint_dest_kind;

/* An array field's value: the array as parsed (iterate it with cJSON_ArrayForEach), no copy. */
typedef struct stint_list {
	const cJSON *json;
	int n;              /* items, min..max of the field */
} stint_list;

typedef struct stint_field {
	const char *name;
	stint_ftype type;
	unsigned flags;
	long long min, max;             /* characters, range, bytes (OBJECT) or items (ARRAY) */
	const char *const *choices;     /* STINT_F_ENUM: NULL-terminated */
	const struct stint_field *items; /* STINT_F_ARRAY: the fields of each item (STINT_ITEMS) */
	size_t nitems;
	const char *shape;              /* STINT_F_ARRAY: the problem when the value is not an array
					   of min..max items; NULL: "must be an array of min to max items" */
	size_t dest;                    /* 1 + offset of the value in the caller's struct; 0: none */
	stint_dest_kind dest_kind;
	size_t present;                 /* 1 + offset of the field's present flag (int); 0: none */
} stint_field;

/* A table and its length, for the (spec, n) parameters below: no literal counts. */
#define STINT_SPEC(table) (table), (sizeof(table) / sizeof((table)[0]))

/*
 * Where a valid value goes: member of struct type. The member's C type
 * says how it is written (stint_dest_kind); another type does not compile.
 * Strings point into the parsed JSON (r->json) or, for query and form
 * fields, into the request's arena: they live as long as the request.
 * A value sent as null writes NULL to a pointer and leaves a number as it
 * was; an absent or invalid one leaves the member as it was, so the caller
 * sets defaults before validating.
 */
#define STINT_DEST(type, member) \
	.dest = offsetof(type, member) + 1, \
	.dest_kind = _Generic(((type *)0)->member, \
		const char *: STINT_D_TEXT, int: STINT_D_INT, long: STINT_D_LONG, \
		long long: STINT_D_LLONG, double: STINT_D_DOUBLE, const cJSON *: STINT_D_JSON, \
		stint_list: STINT_D_LIST)

/* A field checked only (its JSON is passed on as sent, or the server sets it). */
#define STINT_NO_DEST .dest = 0

/*
 * The int member of type set to STINT_SENT_VALUE or STINT_SENT_NULL when
 * the field is sent and valid, for when absence matters (PATCH).
 */
#define STINT_PRESENT(type, member) .present = _Generic(((type *)0)->member, int: offsetof(type, member) + 1)
enum { STINT_ABSENT = 0, STINT_SENT_VALUE = 1, STINT_SENT_NULL = 2 };

/* The item table of an array field. */
#define STINT_ITEMS(table) .items = (table), .nitems = sizeof(table) / sizeof((table)[0])

/*
 * Check obj against the n fields of spec and write each valid value of a
 * field with a destination into out (a struct of the fields' type; NULL:
 * check only). With partial (PATCH) required fields may be absent.
 * Problems are added to *errors (created on demand, an object field ->
 * message; the caller deletes it; at most 100 are named). Returns the
 * number of problems (0: valid; an array field counts one per bad item),
 * or -1 on out of memory or a destination its field cannot fill. A
 * non-object obj is one problem, reported under field "(body)".
 */
int stint_validate_json(const cJSON *obj, const stint_field *spec, size_t n,
			int partial, void *out, cJSON **errors);

/*
 * stint_validate_json() of obj found at path at (e.g. "data"): problems
 * are named "at.field", a non-object obj "at".
 */
int stint_validate_json_at(const char *at, const cJSON *obj, const stint_field *spec, size_t n,
			   int partial, void *out, cJSON **errors);

/*
 * Check value as the array field f (STINT_F_ARRAY; an absent array is
 * value NULL): problems are named f->name, "f->name[i]" (an item that is
 * not an object) and "f->name[i].field"; past 100 named, f->name says
 * there are more. Fills *out (may be NULL) when valid. Returns the number
 * of bad items (1 when value is not an array of min..max items), or -1 as
 * stint_validate_json().
 */
int stint_validate_array(const cJSON *value, const stint_field *f, stint_list *out, cJSON **errors);

/*
 * Check the query parameters of spec present in q (an empty value counts as
 * absent); an absent STINT_F_REQUIRED one is a problem too. Problems go to
 * *errors as in stint_validate_json(). Each valid value is written to out
 * (may be NULL) as there; a const char * destination of an INT or NUMBER
 * field gets the checked text (for a statement that takes it as it is).
 * Returns the number of problems, -1 as stint_validate_json().
 */
int stint_validate_query(const stint_kvlist *q, const stint_field *spec, size_t n, void *out,
			 cJSON **errors);

/*
 * Check one text value (a query parameter or form field) of field f and
 * return its problem as a static message, or NULL when it is valid.
 * STINT_F_OBJECT, STINT_F_BOOL and STINT_F_ARRAY are not text fields
 * (always a problem).
 */
const char *stint_validate_text(const stint_field *f, const char *value);

/*
 * stint_validate_text() of an STINT_F_INT (stint_text_int) or
 * STINT_F_NUMBER (stint_text_number) field that also gives the value:
 * *out is set when valid (the problem is NULL).
 */
const char *stint_text_int(const stint_field *f, const char *value, long long *out);
const char *stint_text_number(const stint_field *f, const char *value, double *out);

/*
 * 1 when s is a shirt number as Stint keeps it: 1 to 3 ASCII digits, leading
 * zeros kept ("0", "00", "07" and "7" are four numbers), else 0.
 */
int stint_is_shirt(const char *s);

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
