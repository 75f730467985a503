/*
 * escape.c: one writer per output context (see escape.h).
 *
 * Each writer scans its input once and appends runs of bytes that need no
 * escaping in one piece, so plain text costs one copy.
 */
#include "escape.h"

#include <string.h>

/* RFC 3986 section 2.1 prefers upper case; JSON writers use lower case. */
static const char hex_upper[] = "0123456789ABCDEF";
static const char hex_lower[] = "0123456789abcdef";

/* The entity for byte ch in HTML text (or, when attr, in an attribute). */
static const char *html_entity(unsigned char ch, int attr)
{
	switch (ch) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	case '`':
		return attr ? "&#96;" : NULL;
	case '=':
		return attr ? "&#61;" : NULL;
	default:
		return NULL;
	}
}

static int html_write(stint_buf *out, const char *s, int attr)
{
	const char *run, *p, *ent;

	if (s == NULL)
		return 0;
	for (run = p = s; *p != '\0'; p++) {
		ent = html_entity((unsigned char)*p, attr);
		if (ent == NULL)
			continue;
		if (stint_buf_append(out, run, (size_t)(p - run)) != 0 ||
		    stint_buf_puts(out, ent) != 0)
			return -1;
		run = p + 1;
	}
	return stint_buf_append(out, run, (size_t)(p - run));
}

int stint_html_txt(stint_buf *out, const char *s)
{
	return html_write(out, s, 0);
}

int stint_html_attr(stint_buf *out, const char *s)
{
	return html_write(out, s, 1);
}

/* RFC 3986 section 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
static int url_unreserved(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
	       ch == '_' || ch == '~';
}

int stint_url_arg(stint_buf *out, const char *s)
{
	const char *run, *p;
	char pct[3];

	if (s == NULL)
		return 0;
	pct[0] = '%';
	for (run = p = s; *p != '\0'; p++) {
		if (url_unreserved((unsigned char)*p))
			continue;
		pct[1] = hex_upper[(unsigned char)*p >> 4];
		pct[2] = hex_upper[(unsigned char)*p & 0x0f];
		if (stint_buf_append(out, run, (size_t)(p - run)) != 0 ||
		    stint_buf_append(out, pct, 3) != 0)
			return -1;
		run = p + 1;
	}
	return stint_buf_append(out, run, (size_t)(p - run));
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 when the
 * bytes at s are not one. s is NUL-terminated, so reading stops at the NUL,
 * which is never a continuation byte.
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * The escape for the byte (or sequence) at s in a JSON string, written to
 * esc, and the number of input bytes it stands for in *used; returns NULL
 * when the bytes pass through as they are (*used still set).
 */
static const char *json_escape(const unsigned char *s, char esc[7],
			       size_t *used)
{
	*used = 1;
	switch (s[0]) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '<': case '>': case '&': case '\'': case '/':
		break;
	default:
		if (s[0] >= 0x20 && s[0] < 0x80)
			return NULL;
		if (s[0] < 0x20)
			break;
		*used = utf8_len(s);
		if (*used == 0) {
			*used = 1;
			return "\\ufffd";
		}
		if (*used == 3 && s[0] == 0xe2 && s[1] == 0x80 &&
		    (s[2] == 0xa8 || s[2] == 0xa9))
			return s[2] == 0xa8 ? "\\u2028" : "\\u2029";
		return NULL;
	}
	memcpy(esc, "\\u00", 4);
	esc[4] = hex_lower[s[0] >> 4];
	esc[5] = hex_lower[s[0] & 0x0f];
	esc[6] = '\0';
	return esc;
}

/*
 * Bytes that are not well-formed UTF-8 become U+FFFD, so the literal is
 * always valid JSON (RFC 8259 section 8.1).
 */
int stint_json_str(stint_buf *out, const char *s)
{
	const unsigned char *run, *p;
	const char *e;
	char esc[7];
	size_t used;

	if (s == NULL)
		return stint_buf_puts(out, "null");
	if (stint_buf_putc(out, '"') != 0)
		return -1;
	for (run = p = (const unsigned char *)s; *p != '\0'; p += used) {
		e = json_escape(p, esc, &used);
		if (e == NULL)
			continue;
		if (stint_buf_append(out, (const char *)run,
				     (size_t)(p - run)) != 0 ||
		    stint_buf_puts(out, e) != 0)
			return -1;
		run = p + used;
	}
	if (stint_buf_append(out, (const char *)run, (size_t)(p - run)) != 0)
		return -1;
	return stint_buf_putc(out, '"');
}
