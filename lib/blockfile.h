/*
 * blockfile.h: the block files of configuration (conf/tasks.conf, see
 * tasktypes.h; conf/analyzers.conf, see analyzers.h), read with inih
 * (Debian's libinih-dev, https://github.com/benhoyt/inih):
 *
 *	# a comment (a whole line)
 *	[name]
 *	key = value
 *
 * A block starts with a [name] line and holds `key = value` lines; blank
 * lines and lines whose first character other than white space is # are
 * skipped, and white space around a name, key or value is dropped. A module
 * declares its keys and callbacks (stint_blockfile_spec) and checks names
 * and values; this one reads the lines, refuses a line that is neither, a
 * key before the first block, an unknown key and a key given twice in a
 * block, and words every problem "FILE:LINE: problem".
 *
 * inih reads more than the format above by default; Debian builds it with
 * its options settable at run time, and stint_blockfile_parse() turns off
 * inline `;` comments (a `;` in a value stays in it), `;` comment lines
 * (an error, as any other line that is neither), continuation lines (an
 * indented line is a line of its own) and a skipped UTF-8 byte-order mark,
 * and reads every line whole however long. Where inih still reads
 * differently from the parser it replaced (each module had its own):
 *  - `key: value` is read as `key = value` (inih's concession to Python's
 *    configparser; the old parser called the line malformed);
 *  - a block name is cut to 49 characters before its module checks it (inih's
 *    MAX_SECTION): a name over a module's limit is refused all the same, its
 *    message showing the first 49 characters.
 */
#ifndef STINT_BLOCKFILE_H
#define STINT_BLOCKFILE_H

#include <stddef.h>

#define STINT_BLOCKFILE_MAX (1024 * 1024)  /* a file's most bytes */
#define STINT_BLOCKFILE_NOFILE (-2)        /* stint_blockfile_load(): no such file */

/* A parse under way: handed to the callbacks, valid during the parse only. */
typedef struct stint_blockfile stint_blockfile;

typedef struct stint_blockfile_spec {
	const char *block;                /* a block's name in messages: "type" -> "[type]" */
	const char *const *keys;          /* a block's keys, NULL-terminated, at most 32 */
	/*
	 * A block [name] starts (name trimmed, not checked); user is the
	 * parse's. 0, or -1 after stint_blockfile_fail().
	 */
	int (*start)(stint_blockfile *bf, void *user, const char *name);
	/*
	 * The current block's key keys[k] is value (trimmed; the callback may
	 * change it in place, it is freed after). 0, or -1 after
	 * stint_blockfile_fail().
	 */
	int (*set)(stint_blockfile *bf, void *user, int k, char *value);
	/*
	 * After the last line, what the lines alone cannot say; NULL for
	 * nothing. 0, or -1 after stint_blockfile_fail_at().
	 */
	int (*check)(stint_blockfile *bf, void *user);
} stint_blockfile_spec;

/*
 * Parse text, the contents of the file called name (for messages), calling
 * spec's callbacks with user. Returns 0, or -1 with "name:LINE: problem" in
 * err (errsize bytes). Not thread-safe: it sets inih's options, which are
 * the process's.
 */
int stint_blockfile_parse(const char *text, const char *name, const stint_blockfile_spec *spec,
			  void *user, char *err, size_t errsize);

/*
 * Read the file at path (at most STINT_BLOCKFILE_MAX bytes) and parse it as
 * stint_blockfile_parse() with path as its name. Returns 0, -1, or
 * STINT_BLOCKFILE_NOFILE when there is no file at path; err ("path: ...")
 * says why for the last two.
 */
int stint_blockfile_load(const char *path, const stint_blockfile_spec *spec, void *user, char *err,
			 size_t errsize);

/* The line the parse is at (1 is the first); during start, the block's [name] line. */
int stint_blockfile_line(const stint_blockfile *bf);

/*
 * Put "FILE:LINE: " and the printf-formatted problem in the parse's err,
 * LINE the current line (stint_blockfile_fail) or line (..._fail_at). The
 * parse stops with -1 when the callback returns. Returns -1.
 */
__attribute__((format(printf, 2, 3)))
int stint_blockfile_fail(stint_blockfile *bf, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
int stint_blockfile_fail_at(stint_blockfile *bf, int line, const char *fmt, ...);

#endif
