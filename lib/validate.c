/* validate.c: field validators (see validate.h). */
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long stint_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	int extra, i;
	unsigned cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++, n++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0)
			extra = 1, cp = *p & 0x1F;
		else if ((*p & 0xF0) == 0xE0)
			extra = 2, cp = *p & 0x0F;
		else if ((*p & 0xF8) == 0xF0)
			extra = 3, cp = *p & 0x07;
		else
			return -1;
		for (i = 1; i <= extra; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		p += extra + 1;
		n++;
	}
	return n;
}

int stint_is_safe_relpath(const char *rel)
{
	const char *seg = rel, *slash;
	size_t n;

	if (*rel == '\0' || strspn(rel, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/") != strlen(rel))
		return 0;
	for (;;) {
		slash = strchr(seg, '/');
		n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		if (slash == NULL)
			return 1;
		seg = slash + 1;
	}
}

int stint_is_uuid(const char *s)
{
	int i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

static int digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* RFC 3339 section 5.6: full-date "T" partial-time time-offset. */
int stint_is_timestamp(const char *s)
{
	int y, mo, d, h, mi, sec, oh, om;

	if (s == NULL || strlen(s) < 20 || strlen(s) > 35)
		return 0;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec))
		return 0;
	if (y < 1900 || y > 9998 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return 0;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		return 1;
	if ((*s != '+' && *s != '-') || !digits(s + 1, 2, &oh) || s[3] != ':' ||
	    !digits(s + 4, 2, &om) || s[6] != '\0')
		return 0;
	return oh <= 15 && om <= 59;
}

int stint_timestamp_epoch(const char *s, double *out)
{
	struct tm tm;
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	double frac = 0, scale = 0.1;
	const char *p;

	if (!stint_is_timestamp(s))
		return -1;
	digits(s, 4, &y), digits(s + 5, 2, &mo), digits(s + 8, 2, &d);
	digits(s + 11, 2, &h), digits(s + 14, 2, &mi), digits(s + 17, 2, &sec);
	p = s + 19;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	if (*p == '+' || *p == '-') {
		digits(p + 1, 2, &oh), digits(p + 4, 2, &om);
		if (*p == '-')
			oh = -oh, om = -om;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (double)timegm(&tm) + frac - (double)(oh * 3600 + om * 60);
	return 0;
}

static const char *check_string(const stint_field *f, const char *s)
{
	long n = stint_utf8_len(s);

	if (n < 0)
		return "must be valid UTF-8";
	if (strpbrk(s, "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
			"\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f") != NULL)
		return "must not contain control characters";
	if (n < f->min)
		return f->min == 1 ? "must not be empty" : "is too short";
	if (n > f->max)
		return "is too long";
	return NULL;
}

static const char *check_ident(const stint_field *f, const char *s)
{
	size_t n = strlen(s);

	if (n < (size_t)f->min || n > (size_t)f->max)
		return n > (size_t)f->max ? "is too long" : "must not be empty";
	if (!(s[0] >= 'a' && s[0] <= 'z') || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return "must be lower-case letters, digits and _, starting with a letter";
	return NULL;
}

int stint_is_shirt(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n >= 1 && n <= 3 && strspn(s, "0123456789") == n;
}

#define SHIRT_PROBLEM "must be 1 to 3 digits as a string (\"7\", \"00\") or an integer 0 to 999"

static const char *check_enum(const stint_field *f, const char *s)
{
	const char *const *c;

	for (c = f->choices; *c != NULL; c++)
		if (strcmp(*c, s) == 0)
			return NULL;
	return "is not one of the allowed values";
}

const char *stint_text_int(const stint_field *f, const char *value, long long *out)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0')
		return "must be an integer";
	if (v < f->min || v > f->max)
		return "is out of range";
	*out = v;
	return NULL;
}

const char *stint_text_number(const stint_field *f, const char *value, double *out)
{
	double d;
	char *end;

	errno = 0;
	d = strtod(value, &end);
	if (errno != 0 || end == value || *end != '\0' || !isfinite(d))
		return "must be a number";
	if (d < (double)f->min || d > (double)f->max)
		return "is out of range";
	*out = d;
	return NULL;
}

const char *stint_validate_text(const stint_field *f, const char *value)
{
	long long v;
	double d;

	switch (f->type) {
	case STINT_F_STRING:
		return check_string(f, value);
	case STINT_F_ENUM:
		return check_enum(f, value);
	case STINT_F_TIMESTAMP:
		return stint_is_timestamp(value) ? NULL : "must be an RFC 3339 date-time (years 1900 to 9998)";
	case STINT_F_UUID:
		return stint_is_uuid(value) ? NULL : "must be a UUID";
	case STINT_F_IDENT:
		return check_ident(f, value);
	case STINT_F_INT:
		return stint_text_int(f, value, &v);
	case STINT_F_NUMBER:
		return stint_text_number(f, value, &d);
	case STINT_F_SHIRT:
		return stint_is_shirt(value) ? NULL : SHIRT_PROBLEM;
	default:
		return "is not a text field";
	}
}

/*
 * 1 when v printed as compact JSON takes at most max bytes: printed into a
 * buffer of that size (on the stack when small), which fails when too small.
 */
static int object_fits(const cJSON *v, size_t max)
{
	char small[4096], *buf = max < sizeof(small) - 5 ? small : malloc(max + 6);
	int ok;

	if (buf == NULL)
		return 0;
	/* cJSON wants 5 bytes of slack over the printed length */
	ok = cJSON_PrintPreallocated((cJSON *)v, buf, (int)max + 6, 0) && strlen(buf) <= max;
	if (buf != small)
		free(buf);
	return ok;
}

/* 1 when a field of type t takes a JSON string (checked by stint_validate_text()). */
static int takes_string(stint_ftype t)
{
	return t == STINT_F_STRING || t == STINT_F_ENUM || t == STINT_F_TIMESTAMP || t == STINT_F_UUID ||
	       t == STINT_F_IDENT;
}

static const char *check_value(const stint_field *f, const cJSON *v)
{
	if (cJSON_IsNull(v))
		return f->flags & STINT_F_NULLABLE ? NULL : "must not be null";
	if (takes_string(f->type))
		return cJSON_IsString(v) ? stint_validate_text(f, v->valuestring) : "must be a string";
	switch (f->type) {
	case STINT_F_INT:
		if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
			return "must be an integer";
		return v->valuedouble < (double)f->min || v->valuedouble > (double)f->max ?
			"is out of range" : NULL;
	case STINT_F_NUMBER:
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
			return "must be a number";
		return v->valuedouble < (double)f->min || v->valuedouble > (double)f->max ?
			"is out of range" : NULL;
	case STINT_F_SHIRT:
		if (cJSON_IsString(v))
			return stint_is_shirt(v->valuestring) ? NULL : SHIRT_PROBLEM;
		return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
		       v->valuedouble >= 0 && v->valuedouble <= 999 ? NULL : SHIRT_PROBLEM;
	case STINT_F_BOOL:
		return cJSON_IsBool(v) ? NULL : "must be true or false";
	case STINT_F_OBJECT:
		if (!cJSON_IsObject(v))
			return "must be an object";
		return object_fits(v, (size_t)f->max) ? NULL : "is too large";
	case STINT_F_ARRAY:
		return "must be an array";  /* checked by check_array() */
	default:
		return "has an unknown type";
	}
}

/* --- typed values --------------------------------------------------------- */

/* The place of f's value in out, or NULL when there is none. */
static void *dest_of(const stint_field *f, void *out)
{
	return out != NULL && f->dest != 0 ? (char *)out + (f->dest - 1) : NULL;
}

static void set_present(const stint_field *f, void *out, int how)
{
	if (out != NULL && f->present != 0)
		*(int *)(void *)((char *)out + (f->present - 1)) = how;
}

/* Integer v into d of kind; -1 when it does not fit (a table with a wrong range). */
static int put_int(stint_dest_kind kind, long long v, void *d)
{
	switch (kind) {
	case STINT_D_INT:
		if (v < INT_MIN || v > INT_MAX)
			return -1;
		*(int *)d = (int)v;
		return 0;
	case STINT_D_LONG:
		if (v < LONG_MIN || v > LONG_MAX)
			return -1;
		*(long *)d = (long)v;
		return 0;
	case STINT_D_LLONG:
		*(long long *)d = v;
		return 0;
	default:
		return -1;
	}
}

/* Write the valid JSON value v of f into out; -1 when f's destination cannot take it. */
static int put_json(const stint_field *f, const cJSON *v, void *out)
{
	void *d = dest_of(f, out);

	set_present(f, out, cJSON_IsNull(v) ? STINT_SENT_NULL : STINT_SENT_VALUE);
	if (d == NULL)
		return 0;
	if (takes_string(f->type)) {
		if (f->dest_kind != STINT_D_TEXT)
			return -1;
		*(const char **)d = cJSON_IsNull(v) ? NULL : v->valuestring;
		return 0;
	}
	switch (f->type) {
	case STINT_F_INT:
		if (cJSON_IsNull(v))
			return f->dest_kind == STINT_D_TEXT ? -1 : 0;
		if (!(v->valuedouble > -9223372036854775808.0 && v->valuedouble < 9223372036854775808.0))
			return -1;
		return put_int(f->dest_kind, (long long)v->valuedouble, d);
	case STINT_F_NUMBER:
		if (f->dest_kind != STINT_D_DOUBLE)
			return -1;
		if (!cJSON_IsNull(v))
			*(double *)d = v->valuedouble;
		return 0;
	case STINT_F_BOOL:
		if (f->dest_kind != STINT_D_INT)
			return -1;
		if (!cJSON_IsNull(v))
			*(int *)d = cJSON_IsTrue(v);
		return 0;
	case STINT_F_OBJECT:
		if (f->dest_kind != STINT_D_JSON)
			return -1;
		*(const cJSON **)d = cJSON_IsNull(v) ? NULL : v;
		return 0;
	default:
		return -1;  /* an array is put by object_array() */
	}
}

/* Write the valid text s of query field f into out; -1 as put_json(). */
static int put_text(const stint_field *f, const char *s, void *out)
{
	void *d = dest_of(f, out);
	long long v = 0;
	double num = 0;

	set_present(f, out, STINT_SENT_VALUE);
	if (d == NULL)
		return 0;
	if (f->dest_kind == STINT_D_TEXT) {
		*(const char **)d = s;
		return 0;
	}
	if (f->type == STINT_F_INT && stint_text_int(f, s, &v) == NULL)
		return put_int(f->dest_kind, v, d);
	if (f->type == STINT_F_NUMBER && f->dest_kind == STINT_D_DOUBLE &&
	    stint_text_number(f, s, &num) == NULL) {
		*(double *)d = num;
		return 0;
	}
	return -1;
}

/* --- problems ------------------------------------------------------------- */

#define MAX_NAMED_PROBLEMS 100
/* the fields of one spec the duplicate check follows (every spec has fewer; thresholds, the largest, ~30) */
#define MAX_SPEC_FIELDS 128

/*
 * Name a problem (at most MAX_NAMED_PROBLEMS are named: a body with a
 * hundred thousand unknown keys costs no more than one with a hundred;
 * with over, one more: the note that there are more).
 */
static int add_error_max(cJSON **errors, const char *field, const char *message, int max)
{
	if (*errors == NULL && (*errors = cJSON_CreateObject()) == NULL)
		return -1;
	if (cJSON_GetArraySize(*errors) >= max)
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(*errors, field) != NULL)
		return 0;
	return cJSON_AddStringToObject(*errors, field, message) ? 0 : -1;
}

static int add_error(cJSON **errors, const char *field, const char *message)
{
	return add_error_max(errors, field, message, MAX_NAMED_PROBLEMS);
}

/* The name of field in the object at path at (NULL: the body itself) in key. */
static const char *path_name(char *key, size_t size, const char *at, const char *field)
{
	if (at == NULL)
		return field;
	if (field == NULL)
		return at;
	snprintf(key, size, "%s.%.100s", at, field);
	return key;
}

static const stint_field *find_field(const stint_field *spec, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(spec[i].name, name) == 0)
			return &spec[i];
	return NULL;
}

/* --- objects and arrays ----------------------------------------------------- */

static int check_object(const char *at, const cJSON *obj, const stint_field *spec, size_t n,
			int partial, void *out, cJSON **errors);

/*
 * Check value (NULL: absent) as array field f of the object at path at;
 * a valid array goes to *list (may be NULL). Returns the number of bad
 * items, 1 for a value of the wrong shape, -1 on out of memory.
 */
static int check_array(const char *at, const cJSON *value, const stint_field *f,
		       stint_list *list, cJSON **errors)
{
	char key[160], item_at[200], shape[96];
	const char *name = path_name(key, sizeof(key), at, f->name);
	const cJSON *item;
	int size = cJSON_GetArraySize(value), i = 0, bad = 0, rc;

	if (value != NULL && cJSON_IsNull(value) && (f->flags & STINT_F_NULLABLE)) {
		if (list != NULL)
			*list = (stint_list){ NULL, 0 };
		return 0;
	}
	if (!cJSON_IsArray(value) || size < f->min || size > f->max) {
		if (f->shape == NULL)
			snprintf(shape, sizeof(shape), "must be an array of %lld to %lld items", f->min, f->max);
		return add_error(errors, name, f->shape ? f->shape : shape) ? -1 : 1;
	}
	cJSON_ArrayForEach(item, value) {
		snprintf(item_at, sizeof(item_at), "%s[%d]", name, i++);
		rc = check_object(item_at, item, f->items, f->nitems, 0, NULL, errors);
		if (rc < 0)
			return -1;
		bad += rc > 0;
	}
	if (bad > 0 && cJSON_GetArraySize(*errors) >= MAX_NAMED_PROBLEMS &&
	    add_error_max(errors, name, "has more problems than are listed here", MAX_NAMED_PROBLEMS + 1) != 0)
		return -1;
	if (bad == 0 && list != NULL)
		*list = (stint_list){ value, size };
	return bad;
}

/* An array field of an object: checked, and its list written to out. */
static int object_array(const char *at, const cJSON *value, const stint_field *f, void *out,
			cJSON **errors)
{
	void *d = dest_of(f, out);
	int bad;

	if (d != NULL && f->dest_kind != STINT_D_LIST)
		return -1;
	bad = check_array(at, value, f, d, errors);
	if (bad == 0 && value != NULL)
		set_present(f, out, cJSON_IsNull(value) ? STINT_SENT_NULL : STINT_SENT_VALUE);
	return bad;
}

static int check_object(const char *at, const cJSON *obj, const stint_field *spec, size_t n,
			int partial, void *out, cJSON **errors)
{
	char key[160];
	unsigned char seen[MAX_SPEC_FIELDS] = { 0 };  /* the spec's fields met so far */
	const stint_field *f;
	const cJSON *v;
	const char *problem;
	int count = 0, rc;
	size_t i;

	if (!cJSON_IsObject(obj))
		return add_error(errors, path_name(key, sizeof(key), at, at ? NULL : "(body)"),
				 "must be a JSON object") ? -1 : 1;
	cJSON_ArrayForEach(v, obj) {
		f = find_field(spec, n, v->string);
		if (f != NULL && (size_t)(f - spec) < MAX_SPEC_FIELDS && seen[f - spec]) {
			/* JSON leaves a repeated member to the reader (RFC 8259 section 4): take neither */
			if (add_error(errors, path_name(key, sizeof(key), at, v->string), "is given more than once") != 0)
				return -1;
			count++;
			continue;
		}
		if (f != NULL && (size_t)(f - spec) < MAX_SPEC_FIELDS)
			seen[f - spec] = 1;
		if (f != NULL && f->type == STINT_F_ARRAY && !(f->flags & STINT_F_READONLY)) {
			if ((rc = object_array(at, v, f, out, errors)) < 0)
				return -1;
			count += rc;
			continue;
		}
		problem = f == NULL ? "is not a known field" :
			f->flags & STINT_F_READONLY ? "is read-only" : check_value(f, v);
		if (problem == NULL) {
			if (put_json(f, v, out) != 0)
				return -1;
			continue;
		}
		if (add_error(errors, path_name(key, sizeof(key), at, v->string), problem) != 0)
			return -1;
		count++;
	}
	for (i = 0; !partial && i < n; i++) {
		if (!(spec[i].flags & STINT_F_REQUIRED) ||
		    cJSON_GetObjectItemCaseSensitive(obj, spec[i].name) != NULL)
			continue;
		if (spec[i].type == STINT_F_ARRAY) {  /* absent: named as a wrong shape */
			if ((rc = object_array(at, NULL, &spec[i], out, errors)) < 0)
				return -1;
			count += rc;
			continue;
		}
		if (add_error(errors, path_name(key, sizeof(key), at, spec[i].name), "is required") != 0)
			return -1;
		count++;
	}
	return count;
}

int stint_validate_json(const cJSON *obj, const stint_field *spec, size_t n,
			int partial, void *out, cJSON **errors)
{
	return check_object(NULL, obj, spec, n, partial, out, errors);
}

int stint_validate_json_at(const char *at, const cJSON *obj, const stint_field *spec, size_t n,
			   int partial, void *out, cJSON **errors)
{
	return check_object(at, obj, spec, n, partial, out, errors);
}

int stint_validate_array(const cJSON *value, const stint_field *f, stint_list *out, cJSON **errors)
{
	return check_array(NULL, value, f, out, errors);
}

int stint_validate_query(const stint_kvlist *q, const stint_field *spec, size_t n, void *out,
			 cJSON **errors)
{
	const char *v, *problem;
	int count = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		v = stint_kv_get(q, spec[i].name);
		if (v == NULL || *v == '\0')
			problem = spec[i].flags & STINT_F_REQUIRED ? "is required" : NULL;
		else if ((problem = stint_validate_text(&spec[i], v)) == NULL && put_text(&spec[i], v, out) != 0)
			return -1;
		if (problem == NULL)
			continue;
		if (add_error(errors, spec[i].name, problem) != 0)
			return -1;
		count++;
	}
	return count;
}

static cJSON *form_value(const stint_field *f, const char *s)
{
	char stamp[32];
	char *end;
	double d;

	if (*s == '\0')
		return f->flags & STINT_F_NULLABLE ? cJSON_CreateNull() : NULL;
	switch (f->type) {
	case STINT_F_INT:
	case STINT_F_NUMBER:
		d = strtod(s, &end);
		return end != s && *end == '\0' ? cJSON_CreateNumber(d) : cJSON_CreateString(s);
	case STINT_F_TIMESTAMP:
		if (strlen(s) == 16 && s[10] == 'T') {
			snprintf(stamp, sizeof(stamp), "%s:00Z", s);
			return cJSON_CreateString(stamp);
		}
		return cJSON_CreateString(s);
	case STINT_F_BOOL:
		return cJSON_CreateBool(strcmp(s, "on") == 0 || strcmp(s, "true") == 0);
	default:
		return cJSON_CreateString(s);
	}
}

cJSON *stint_form_to_json(const stint_kvlist *form, const stint_field *spec, size_t n)
{
	cJSON *obj = cJSON_CreateObject(), *v;
	const char *s;
	size_t i;

	for (i = 0; obj != NULL && i < n; i++) {
		if (spec[i].flags & STINT_F_READONLY || spec[i].type == STINT_F_OBJECT ||
		    spec[i].type == STINT_F_ARRAY)
			continue;
		s = stint_kv_get(form, spec[i].name);
		if (s == NULL || (v = form_value(&spec[i], s)) == NULL)
			continue;
		cJSON_AddItemToObject(obj, spec[i].name, v);
	}
	return obj;
}
