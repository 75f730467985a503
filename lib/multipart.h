/*
 * multipart.h: multipart/form-data bodies (RFC 7578), the format of an HTML
 * form with a file input. The delimiter syntax is RFC 2046 section 5.1.1:
 * a boundary of 1 to 70 characters, each part opened by CRLF "--" boundary
 * (the first may open the body), optional spaces or tabs, CRLF, header
 * lines, an empty line, then the part's bytes; the last delimiter is
 * followed by "--". A preamble and an epilogue are ignored.
 *
 * The parser copies nothing large: a part's data points into the body.
 * Names, file names and content types are arena copies.
 */
#ifndef STINT_MULTIPART_H
#define STINT_MULTIPART_H

#include <stddef.h>

#include "arena.h"

#define STINT_MULTIPART_HEADERS_MAX 8192   /* bytes of one part's header block */
#define STINT_MULTIPART_NAME_MAX 200       /* bytes of a field name */
#define STINT_MULTIPART_FILENAME_MAX 255   /* bytes of a file name */

typedef struct stint_part {
	const char *name;          /* the form field's name */
	const char *filename;      /* the file's name as the browser sent it, or NULL */
	const char *content_type;  /* the part's Content-Type, or NULL */
	const char *data;          /* its bytes (inside the body; may hold NULs) */
	size_t len;
} stint_part;

typedef enum stint_multipart_rc {
	STINT_MULTIPART_OK = 0,
	STINT_MULTIPART_NOT_FORM,     /* the content type is not multipart/form-data with a boundary */
	STINT_MULTIPART_MALFORMED,    /* delimiters, headers or Content-Disposition are broken */
	STINT_MULTIPART_TOO_MANY,     /* more parts than the caller has room for */
	STINT_MULTIPART_NOMEM
} stint_multipart_rc;

/*
 * Parse body (len bytes) sent with the Content-Type header value
 * content_type into parts (room for max), setting *n. Every part must have
 * Content-Disposition: form-data with a name (RFC 7578 section 4.2);
 * quoted values end at the next '"' (browsers percent-encode quotes, as the
 * WHATWG HTML standard says, and send backslashes as they are).
 */
stint_multipart_rc stint_multipart_parse(stint_arena *a, const char *content_type,
					 const char *body, size_t len, stint_part *parts,
					 size_t max, size_t *n);

/* The first part named name, or NULL. */
const stint_part *stint_multipart_get(const stint_part *parts, size_t n, const char *name);

#endif
