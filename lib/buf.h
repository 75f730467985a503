/*
 * buf.h: growable byte buffers, the one way Stint builds strings.
 *
 * A stint_buf owns a heap block holding `len` bytes plus a terminating NUL
 * (so `data` is always a C string once anything was appended). A zeroed
 * struct (STINT_BUF_INIT) is an empty buffer; stint_buf_free() releases it.
 */
#ifndef STINT_BUF_H
#define STINT_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct stint_buf {
	char *data;   /* NUL-terminated contents, NULL until the first append */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
} stint_buf;

#define STINT_BUF_INIT { NULL, 0, 0 }

/*
 * Append n bytes of s. Returns 0, or -1 when memory runs out (the buffer is
 * left as it was).
 */
int stint_buf_append(stint_buf *b, const char *s, size_t n);

/* Append the C string s; 0 or -1 as stint_buf_append(). */
int stint_buf_puts(stint_buf *b, const char *s);

/* Append one byte; 0 or -1. */
int stint_buf_putc(stint_buf *b, char c);

/*
 * Append printf-formatted text; 0, or -1 on out of memory or a format error.
 */
int stint_buf_printf(stint_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* As stint_buf_printf() with a va_list. */
int stint_buf_vprintf(stint_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Forget the contents but keep the memory for reuse. */
void stint_buf_reset(stint_buf *b);

/* Release the memory; the buffer is empty and reusable afterwards. */
void stint_buf_free(stint_buf *b);

/*
 * Hand the contents to the caller: returns a heap string the caller frees
 * (an empty string when the buffer was empty, NULL on out of memory) and
 * leaves the buffer empty.
 */
char *stint_buf_take(stint_buf *b);

#endif
