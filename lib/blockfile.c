/* blockfile.c: block files of `key = value` lines, read with inih (see blockfile.h). */
#include "blockfile.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "conf.h"

/*
 * What the parse is at. Debian's inih calls its handler with neither the
 * line number (INI_HANDLER_LINENO 0) nor at a new [section] (built with
 * INI_CALL_HANDLER_ON_NEW_SECTION 0, not settable at run time), so the
 * reader, next_line(), counts the lines and, after a block's [name] line,
 * hands inih a bare "=" line: the handler takes it (key "", value "") as the
 * start of the block, which so has its line and is seen with no keys too.
 */
struct stint_blockfile {
	const stint_blockfile_spec *spec;
	void *user;
	const char *name;                 /* the file's, for messages */
	const char *rest;                 /* the text inih has not read */
	int line;                         /* the line inih read last */
	int header;                       /* 1: that line is a block's [name] */
	int opening;                      /* 1: inih reads the "=" after it */
	char block[64];                   /* the current block's name, "" before the first */
	int blocks;                       /* blocks started */
	unsigned given;                   /* bits of spec->keys the current block gave */
	int failed;
	char *err;
	size_t errsize;
};

static int vfail(stint_blockfile *bf, int line, const char *fmt, va_list ap)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(bf->err, bf->errsize, "%s:%d: %s", bf->name, line, msg);
	bf->failed = 1;
	return -1;
}

int stint_blockfile_fail(stint_blockfile *bf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(bf, bf->line, fmt, ap);
	va_end(ap);
	return -1;
}

int stint_blockfile_fail_at(stint_blockfile *bf, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(bf, line, fmt, ap);
	va_end(ap);
	return -1;
}

int stint_blockfile_line(const stint_blockfile *bf)
{
	return bf->line;
}

/* 1 when line (from its '[') is a block's [name] line: its first ']' ends it. */
static int is_block_line(const char *line)
{
	const char *p = strchr(line, ']');

	if (p == NULL)
		return 0;
	for (p++; isspace((unsigned char)*p); p++)
		;
	return *p == '\0';
}

/*
 * inih's reader, an fgets() on the text: the next line whole (buf holds
 * the whole text, see stint_blockfile_parse()), or the "=" line after a
 * block's [name] line; NULL at the end or at a malformed [name] line.
 */
static char *next_line(char *buf, int size, void *stream)
{
	stint_blockfile *bf = stream;
	const char *start;
	size_t n;

	if (bf->header) {
		bf->header = 0;
		bf->opening = 1;
		snprintf(buf, (size_t)size, "=\n");
		return buf;
	}
	if (*bf->rest == '\0' || bf->failed)
		return NULL;
	n = strcspn(bf->rest, "\n");
	n += bf->rest[n] == '\n';
	memcpy(buf, bf->rest, n);
	buf[n] = '\0';
	bf->rest += n;
	bf->line++;
	for (start = buf; isspace((unsigned char)*start); start++)
		;
	if (*start == '[' && !is_block_line(start)) {
		stint_blockfile_fail(bf, "expected [%s] or `key = value`", bf->spec->block);
		return NULL;
	}
	bf->header = *start == '[';
	return buf;
}

/* Start the block [section] (the "=" line after its [name] line). */
static int open_block(stint_blockfile *bf, const char *section)
{
	char name[sizeof(bf->block)];

	snprintf(name, sizeof(name), "%s", section);
	snprintf(bf->block, sizeof(bf->block), "%s", stint_trim(name));
	bf->opening = 0;
	bf->blocks++;
	bf->given = 0;
	return bf->spec->start(bf, bf->user, bf->block);
}

/* inih's handler: one `key = value` line of block section; nonzero to go on. */
static int on_pair(void *user, const char *section, const char *key, const char *value)
{
	stint_blockfile *bf = user;
	const char *const *keys = bf->spec->keys;
	char *copy;
	int k, rc;

	if (bf->opening)
		return open_block(bf, section) == 0;
	if (bf->blocks == 0)
		return stint_blockfile_fail(bf, "`key = value` before the first [%s]", bf->spec->block) == 0;
	for (k = 0; keys[k] != NULL && strcmp(keys[k], key) != 0; k++)
		;
	if (keys[k] == NULL)
		return stint_blockfile_fail(bf, "unknown key \"%s\"", key) == 0;
	if (bf->given & (1u << k))
		return stint_blockfile_fail(bf, "%s is given twice in [%s]", key, bf->block) == 0;
	bf->given |= 1u << k;
	if ((copy = strdup(value)) == NULL)
		return stint_blockfile_fail(bf, "out of memory") == 0;
	rc = bf->spec->set(bf, bf->user, k, copy);
	free(copy);
	return rc == 0;
}

/* inih's options for the format of blockfile.h; buf_size: its line buffer's bytes. */
static void set_options(int buf_size)
{
	static char comment_prefixes[] = "#";

	ini_allow_multiline = false;
	ini_allow_bom = false;
	ini_start_comment_prefixes = comment_prefixes;
	ini_allow_inline_comments = false;
	ini_use_stack = false;
	ini_allow_realloc = false;
	ini_initial_alloc = buf_size;
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
}

int stint_blockfile_parse(const char *text, const char *name, const stint_blockfile_spec *spec,
			  void *user, char *err, size_t errsize)
{
	stint_blockfile bf = { .spec = spec, .user = user, .name = name, .rest = text, .err = err,
			       .errsize = errsize };
	size_t n = strlen(text);
	int rc;

	if (n > INT_MAX - 3)
		return stint_blockfile_fail(&bf, "over %d bytes", INT_MAX - 3);
	set_options((int)n + 3);  /* a line, "\n" or the "=\n" after a header, and the NUL fit */
	rc = ini_parse_stream(next_line, &bf, on_pair, &bf);
	if (bf.failed)
		return -1;
	if (rc == -2)
		return stint_blockfile_fail(&bf, "out of memory");
	if (rc != 0)
		return stint_blockfile_fail(&bf, "expected [%s] or `key = value`", spec->block);
	return spec->check != NULL ? spec->check(&bf, user) : 0;
}

int stint_blockfile_load(const char *path, const stint_blockfile_spec *spec, void *user, char *err,
			 size_t errsize)
{
	char *text;
	size_t n;
	FILE *f;
	int rc;

	if ((f = fopen(path, "r")) == NULL) {
		rc = errno == ENOENT ? STINT_BLOCKFILE_NOFILE : -1;
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return rc;
	}
	if ((text = malloc(STINT_BLOCKFILE_MAX + 1)) == NULL) {
		fclose(f);
		snprintf(err, errsize, "%s: out of memory", path);
		return -1;
	}
	n = fread(text, 1, STINT_BLOCKFILE_MAX + 1, f);
	rc = ferror(f) || n > STINT_BLOCKFILE_MAX ? -1 : 0;
	fclose(f);
	if (rc != 0) {
		snprintf(err, errsize, "%s: unreadable or over %d bytes", path, STINT_BLOCKFILE_MAX);
		free(text);
		return -1;
	}
	text[n] = '\0';
	rc = stint_blockfile_parse(text, path, spec, user, err, errsize);
	free(text);
	return rc;
}
