/*
 * analyzers.h: the clip analyzers (issue 11, "Clip analysis plugins";
 * docs/tasks.md), declared in configuration, one block per analyzer in the
 * file the setting analyzers_config names (default conf/analyzers.conf;
 * bin/stint up passes the checkout's):
 *
 *	# a comment (a whole line)
 *	[scene-cuts]
 *	program = bin/analyzers/scene-cuts
 *	kinds = video
 *	time_limit_s = 300
 *
 * A block starts with [name] (an analyzer: [a-z][a-z0-9_-]{0,39}, the NAME
 * of its events' source plugin:NAME) and holds `key = value` lines. program
 * (an executable; a relative path is taken from the checkout) and kinds (a
 * comma-separated list of the clip kinds it analyzes: video, audio) are
 * required; time_limit_s (1..86400 seconds a run may take) is optional:
 * without it only the analyze_clip task type's limit applies. An unknown
 * key, a bad value, a key given twice, an analyzer declared twice or a key
 * outside a block is an error naming the file and line. The format is
 * tasktypes.h's, read by blockfile.h (with inih; `key: value` is read as
 * `key = value`).
 */
#ifndef STINT_ANALYZERS_H
#define STINT_ANALYZERS_H

#include <stddef.h>

#define STINT_ANALYZER_NAME_LEN 40    /* an analyzer name's most characters */

/* kinds: the clip kinds an analyzer takes (bits) */
enum {
	STINT_ANALYZER_VIDEO = 1,
	STINT_ANALYZER_AUDIO = 2
};

typedef struct stint_analyzer {
	char name[STINT_ANALYZER_NAME_LEN + 1];
	char *program;                    /* the executable (heap) */
	unsigned kinds;                   /* STINT_ANALYZER_* */
	long time_limit_s;                /* 0: none of its own */
	int line;                         /* where its block starts */
} stint_analyzer;

typedef struct stint_analyzers {
	stint_analyzer *list;             /* in the file's order (heap) */
	size_t n;
} stint_analyzers;

/*
 * Parse text, the contents of the file called name (for messages), into
 * *out (emptied first; free with stint_analyzers_free() either way).
 * Returns 0, or -1 with "name:LINE: problem" in err (errsize bytes).
 * A file without blocks declares no analyzer: that is no error.
 */
int stint_analyzers_parse(const char *text, const char *name, stint_analyzers *out, char *err,
			  size_t errsize);

/*
 * Read and parse the file at path (NULL: the setting analyzers_config,
 * default conf/analyzers.conf) as stint_analyzers_parse(). A file that
 * cannot be read is an error naming it, except the default one when the
 * setting is not given: without it there is no analyzer (0, *out empty).
 */
int stint_analyzers_load(const char *path, stint_analyzers *out, char *err, size_t errsize);

/* The analyzer called name, or NULL when it is not declared. */
const stint_analyzer *stint_analyzer_find(const stint_analyzers *analyzers, const char *name);

/*
 * The STINT_ANALYZER_* bit of clip kind kind ("video", "audio"), 0 for
 * anything else (NULL included).
 */
unsigned stint_analyzer_kind(const char *kind);

/* Free what analyzers holds and empty it. */
void stint_analyzers_free(stint_analyzers *analyzers);

#endif
