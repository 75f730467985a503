/* buf.c: growable byte buffers (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_reserve(stint_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int stint_buf_append(stint_buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int stint_buf_puts(stint_buf *b, const char *s)
{
	return stint_buf_append(b, s, strlen(s));
}

int stint_buf_putc(stint_buf *b, char c)
{
	return stint_buf_append(b, &c, 1);
}

int stint_buf_vprintf(stint_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || buf_reserve(b, (size_t)n) != 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int stint_buf_printf(stint_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = stint_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void stint_buf_reset(stint_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void stint_buf_free(stint_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

char *stint_buf_take(stint_buf *b)
{
	char *s = b->data;

	if (s == NULL)
		return strdup("");
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return s;
}
