/*
 * escape.h: one writer per output context (STYLE.md habit 5).
 *
 * Each appends the escaped form of the NUL-terminated UTF-8 string s to out
 * and returns 0, or -1 when memory runs out. s may be NULL (writes nothing,
 * or `null` for stint_json_str).
 */
#ifndef STINT_ESCAPE_H
#define STINT_ESCAPE_H

#include "buf.h"

/* HTML text content: & < > " ' become entities (OWASP XSS rule #1). */
int stint_html_txt(stint_buf *out, const char *s);

/*
 * A quoted HTML attribute value: as stint_html_txt() plus backtick and '='
 * so the value is safe even in an attribute an author left unquoted.
 */
int stint_html_attr(stint_buf *out, const char *s);

/*
 * One URL component (path segment or query key/value): every byte outside
 * RFC 3986 "unreserved" (ALPHA DIGIT - . _ ~) becomes %XX.
 */
int stint_url_arg(stint_buf *out, const char *s);

/*
 * A JSON string literal with its quotes (RFC 8259 section 7). Besides the
 * required escapes it writes < > & / ' and U+2028/U+2029 as \u escapes, so
 * the literal is also safe inside an HTML <script> or attribute.
 */
int stint_json_str(stint_buf *out, const char *s);

#endif
