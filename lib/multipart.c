/*
 * multipart.c: multipart/form-data parsing (see multipart.h): RFC 7578 for
 * the form fields, RFC 2046 section 5.1.1 for the delimiters.
 */
#include "multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70   /* RFC 2046 section 5.1.1 */

typedef struct span {
	const char *s;
	size_t n;
} span;

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* 1 when [s, s + n) is word (any case) followed by the end, a space or ';'. */
static int starts_word(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	return n >= k && strncasecmp(s, word, k) == 0 &&
	       (n == k || s[k] == ';' || s[k] == ' ' || s[k] == '\t');
}

static int is_token_char(char c)
{
	return c > ' ' && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/*
 * The next parameter ("; name=value" or "; name=\"value\"") of a header
 * value at *p, before end. Returns 1 with name and value (unquoted) set, 0
 * at the end of the value, -1 when it is malformed.
 */
static int next_param(const char **p, const char *end, span *name, span *value)
{
	const char *s = skip_ws(*p, end), *q;

	if (s == end)
		return 0;
	if (*s != ';')
		return -1;
	s = skip_ws(s + 1, end);
	if (s == end)
		return 0;
	for (name->s = s; s < end && is_token_char(*s) && *s != '='; s++)
		;
	name->n = (size_t)(s - name->s);
	s = skip_ws(s, end);
	if (name->n == 0 || s == end || *s != '=')
		return -1;
	s = skip_ws(s + 1, end);
	if (s < end && *s == '"') {
		q = memchr(s + 1, '"', (size_t)(end - s - 1));
		if (q == NULL)
			return -1;
		value->s = s + 1;
		value->n = (size_t)(q - s - 1);
		s = q + 1;
	} else {
		for (value->s = s; s < end && is_token_char(*s); s++)
			;
		value->n = (size_t)(s - value->s);
		if (value->n == 0)
			return -1;
	}
	*p = s;
	return 1;
}

static int span_is(const span *sp, const char *word)
{
	return sp->n == strlen(word) && strncasecmp(sp->s, word, sp->n) == 0;
}

/* RFC 2046 bchars: DIGIT ALPHA ' ( ) + _ , - . / : = ? and space (not last). */
static int boundary_ok(const span *b)
{
	size_t i;

	if (b->n < 1 || b->n > BOUNDARY_MAX || b->s[b->n - 1] == ' ')
		return 0;
	for (i = 0; i < b->n; i++) {
		unsigned char c = (unsigned char)b->s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      strchr("'()+_,-./:=? ", c) != NULL) || c == '\0')
			return 0;
	}
	return 1;
}

/* The boundary of a multipart/form-data content type into out; 0 or -1. */
static int form_boundary(const char *ct, char out[BOUNDARY_MAX + 1])
{
	const char *p, *end;
	span name, value;
	int rc;

	if (ct == NULL)
		return -1;
	end = ct + strlen(ct);
	p = skip_ws(ct, end);
	if (!starts_word(p, (size_t)(end - p), "multipart/form-data"))
		return -1;
	p += strlen("multipart/form-data");
	while ((rc = next_param(&p, end, &name, &value)) == 1) {
		if (span_is(&name, "boundary")) {
			if (!boundary_ok(&value))
				return -1;
			memcpy(out, value.s, value.n);
			out[value.n] = '\0';
			return 0;
		}
	}
	return -1;
}

/* Content-Disposition: form-data; name="..."[; filename="..."] into part. */
static stint_multipart_rc disposition(stint_arena *a, const char *v, const char *end, stint_part *part)
{
	span name, value;
	int rc;

	if (part->name != NULL || !starts_word(v, (size_t)(end - v), "form-data"))
		return STINT_MULTIPART_MALFORMED;
	v += strlen("form-data");
	while ((rc = next_param(&v, end, &name, &value)) == 1) {
		if (span_is(&name, "name") && part->name == NULL) {
			if (value.n == 0 || value.n > STINT_MULTIPART_NAME_MAX)
				return STINT_MULTIPART_MALFORMED;
			if ((part->name = stint_arena_strndup(a, value.s, value.n)) == NULL)
				return STINT_MULTIPART_NOMEM;
		} else if (span_is(&name, "filename") && part->filename == NULL) {
			if (value.n > STINT_MULTIPART_FILENAME_MAX)
				return STINT_MULTIPART_MALFORMED;
			if ((part->filename = stint_arena_strndup(a, value.s, value.n)) == NULL)
				return STINT_MULTIPART_NOMEM;
		}
	}
	return rc == 0 && part->name != NULL ? STINT_MULTIPART_OK : STINT_MULTIPART_MALFORMED;
}

/* One header line [s, end) of a part: only the two RFC 7578 uses matter. */
static stint_multipart_rc header_line(stint_arena *a, const char *s, const char *end, stint_part *part)
{
	const char *colon = memchr(s, ':', (size_t)(end - s)), *v, *ve;
	span name;

	if (colon == NULL || colon == s || s[0] == ' ' || s[0] == '\t')
		return STINT_MULTIPART_MALFORMED;  /* no name, or obsolete line folding */
	name.s = s;
	name.n = (size_t)(colon - s);
	v = skip_ws(colon + 1, end);
	for (ve = end; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
		;
	if (span_is(&name, "Content-Disposition"))
		return disposition(a, v, ve, part);
	if (span_is(&name, "Content-Type") && part->content_type == NULL) {
		if ((size_t)(ve - v) > STINT_MULTIPART_NAME_MAX)
			return STINT_MULTIPART_MALFORMED;
		part->content_type = stint_arena_strndup(a, v, (size_t)(ve - v));
		return part->content_type ? STINT_MULTIPART_OK : STINT_MULTIPART_NOMEM;
	}
	return STINT_MULTIPART_OK;
}

/* The header block at *p (ending with an empty line); *p moves past it. */
static stint_multipart_rc part_headers(stint_arena *a, const char **p, const char *end, stint_part *part)
{
	size_t room = (size_t)(end - *p), i;
	const char *s = *p, *stop, *eol;
	stint_multipart_rc rc;

	if (room > STINT_MULTIPART_HEADERS_MAX)
		room = STINT_MULTIPART_HEADERS_MAX;
	stop = memmem(s, room, "\r\n\r\n", 4);
	if (stop == NULL)
		return STINT_MULTIPART_MALFORMED;  /* truncated, too long, or no header at all */
	for (i = 0; s + i < stop; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < ' ' && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
			return STINT_MULTIPART_MALFORMED;
	}
	stop += 2;  /* keep the last line's CRLF */
	for (; s < stop; s = eol + 2) {
		eol = memmem(s, (size_t)(stop - s), "\r\n", 2);
		if (memchr(s, '\r', (size_t)(eol - s)) || memchr(s, '\n', (size_t)(eol - s)))
			return STINT_MULTIPART_MALFORMED;  /* a bare CR or LF */
		if ((rc = header_line(a, s, eol, part)) != STINT_MULTIPART_OK)
			return rc;
	}
	*p = stop + 2;
	return part->name != NULL ? STINT_MULTIPART_OK : STINT_MULTIPART_MALFORMED;
}

stint_multipart_rc stint_multipart_parse(stint_arena *a, const char *content_type,
					 const char *body, size_t len, stint_part *parts,
					 size_t max, size_t *n)
{
	char boundary[BOUNDARY_MAX + 1], delim[BOUNDARY_MAX + 5];
	const char *p, *next, *end = body + len;
	stint_multipart_rc rc;
	size_t dlen;

	*n = 0;
	if (form_boundary(content_type, boundary) != 0)
		return STINT_MULTIPART_NOT_FORM;
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	if (body == NULL)
		return STINT_MULTIPART_MALFORMED;
	/* the first delimiter may open the body; anything before it is preamble */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = memmem(body, len, delim, dlen)) != NULL)
		p += dlen;
	else
		return STINT_MULTIPART_MALFORMED;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return STINT_MULTIPART_OK;  /* the close delimiter; the rest is epilogue */
		p = skip_ws(p, end);        /* transport padding */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return STINT_MULTIPART_MALFORMED;
		p += 2;
		if (*n == max)
			return STINT_MULTIPART_TOO_MANY;
		memset(&parts[*n], 0, sizeof(parts[*n]));
		if ((rc = part_headers(a, &p, end, &parts[*n])) != STINT_MULTIPART_OK)
			return rc;
		next = memmem(p, (size_t)(end - p), delim, dlen);
		if (next == NULL)
			return STINT_MULTIPART_MALFORMED;  /* no close delimiter: cut short */
		parts[*n].data = p;
		parts[*n].len = (size_t)(next - p);
		(*n)++;
		p = next + dlen;
	}
}

const stint_part *stint_multipart_get(const stint_part *parts, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}
