/* analyzers.c: the clip analyzers of conf/analyzers.conf (see analyzers.h). */
#include "analyzers.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define FILE_MAX (1024 * 1024)

/* The keys of a block, in the order of the bits that say which were given. */
static const char *const keys[] = { "program", "kinds", "time_limit_s", NULL };

/* What the parse is at: the file's name, the line, and the keys the current block gave. */
typedef struct parse_state {
	const char *name;
	int line;
	unsigned given;
	char *err;
	size_t errsize;
} parse_state;

__attribute__((format(printf, 2, 3)))
static int fail_at(parse_state *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errsize, "%s:%d: %s", ps->name, ps->line, msg);
	return -1;
}

/* 1 when s is an analyzer's name: [a-z][a-z0-9_-]*, as events.source's CHECK takes plugin:NAME. */
static int is_analyzer_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > STINT_ANALYZER_NAME_LEN || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

unsigned stint_analyzer_kind(const char *kind)
{
	if (kind != NULL && strcmp(kind, "video") == 0)
		return STINT_ANALYZER_VIDEO;
	if (kind != NULL && strcmp(kind, "audio") == 0)
		return STINT_ANALYZER_AUDIO;
	return 0;
}

/* kinds' list into *bits; 0, or -1 naming the bad item in ps. */
static int kind_list(parse_state *ps, char *value, unsigned *bits)
{
	char *item, *save = NULL;
	unsigned bit;

	*bits = 0;
	for (item = strtok_r(value, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
		item = stint_trim(item);
		if ((bit = stint_analyzer_kind(item)) == 0)
			return fail_at(ps, "kinds: \"%s\" is not video or audio", item);
		*bits |= bit;
	}
	if (*bits == 0)
		return fail_at(ps, "kinds must list video, audio or both");
	return 0;
}

/* Set key k to value in analyzer a; 0, or -1 with the problem in ps. */
static int set_key(parse_state *ps, stint_analyzer *a, int k, char *value)
{
	char *end;
	long v;

	switch (k) {
	case 0:
		if (*value == '\0')
			return fail_at(ps, "program must not be empty");
		if ((a->program = strdup(value)) == NULL)
			return fail_at(ps, "out of memory");
		return 0;
	case 1:
		return kind_list(ps, value, &a->kinds);
	default:
		errno = 0;
		v = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 || v < 1 || v > 86400)
			return fail_at(ps, "time_limit_s must be a whole number of seconds, 1 to 86400");
		a->time_limit_s = v;
		return 0;
	}
}

/* Start a block for the header line "[name]" (line is trimmed). */
static int start_block(parse_state *ps, stint_analyzers *out, char *line)
{
	stint_analyzer *grown, *a;
	const stint_analyzer *seen;
	size_t n = strlen(line);

	if (n < 2 || line[n - 1] != ']')
		return fail_at(ps, "expected [analyzer] or `key = value`");
	line[n - 1] = '\0';
	line = stint_trim(line + 1);
	if (!is_analyzer_name(line))
		return fail_at(ps, "\"%s\" is not an analyzer name ([a-z][a-z0-9_-]*, at most %d characters)",
			       line, STINT_ANALYZER_NAME_LEN);
	if ((seen = stint_analyzer_find(out, line)) != NULL)
		return fail_at(ps, "analyzer %s is declared twice (first on line %d)", line, seen->line);
	if ((grown = realloc(out->list, (out->n + 1) * sizeof(*grown))) == NULL)
		return fail_at(ps, "out of memory");
	out->list = grown;
	a = &out->list[out->n++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", line);
	a->line = ps->line;
	ps->given = 0;
	return 0;
}

/* One `key = value` line of the current block. */
static int key_line(parse_state *ps, stint_analyzers *out, char *line)
{
	char *eq = strchr(line, '='), *key;
	int k;

	if (eq == NULL)
		return fail_at(ps, "expected [analyzer] or `key = value`");
	if (out->n == 0)
		return fail_at(ps, "`key = value` before the first [analyzer]");
	*eq = '\0';
	key = stint_trim(line);
	for (k = 0; keys[k] != NULL && strcmp(keys[k], key) != 0; k++)
		;
	if (keys[k] == NULL)
		return fail_at(ps, "unknown key \"%s\"", key);
	if (ps->given & (1u << k))
		return fail_at(ps, "%s is given twice in [%s]", key, out->list[out->n - 1].name);
	ps->given |= 1u << k;
	return set_key(ps, &out->list[out->n - 1], k, stint_trim(eq + 1));
}

/* What the lines alone cannot say: every analyzer has a program and kinds. */
static int check_analyzers(parse_state *ps, const stint_analyzers *out)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		const stint_analyzer *a = &out->list[i];

		ps->line = a->line;
		if (a->program == NULL)
			return fail_at(ps, "[%s] has no program", a->name);
		if (a->kinds == 0)
			return fail_at(ps, "[%s] has no kinds", a->name);
	}
	return 0;
}

int stint_analyzers_parse(const char *text, const char *name, stint_analyzers *out, char *err,
			  size_t errsize)
{
	parse_state ps = { name, 0, 0, err, errsize };
	char *copy = strdup(text), *line, *next;
	int rc = 0;

	out->list = NULL;
	out->n = 0;
	if (copy == NULL)
		return fail_at(&ps, "out of memory");
	for (line = copy; rc == 0 && line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		ps.line++;
		line = stint_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		rc = *line == '[' ? start_block(&ps, out, line) : key_line(&ps, out, line);
	}
	free(copy);
	return rc != 0 ? rc : check_analyzers(&ps, out);
}

int stint_analyzers_load(const char *path, stint_analyzers *out, char *err, size_t errsize)
{
	int named = path != NULL || stint_config_get("analyzers_config", NULL) != NULL;
	char *text;
	size_t n;
	FILE *f;
	int rc;

	out->list = NULL;
	out->n = 0;
	if (path == NULL)
		path = stint_config_get("analyzers_config", "conf/analyzers.conf");
	if ((f = fopen(path, "r")) == NULL) {
		if (!named && errno == ENOENT)
			return 0;  /* no setting and no default file: no analyzer */
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((text = malloc(FILE_MAX + 1)) == NULL) {
		fclose(f);
		snprintf(err, errsize, "%s: out of memory", path);
		return -1;
	}
	n = fread(text, 1, FILE_MAX + 1, f);
	rc = ferror(f) || n > FILE_MAX ? -1 : 0;
	fclose(f);
	if (rc != 0) {
		snprintf(err, errsize, "%s: unreadable or over %d bytes", path, FILE_MAX);
		free(text);
		return -1;
	}
	text[n] = '\0';
	rc = stint_analyzers_parse(text, path, out, err, errsize);
	free(text);
	return rc;
}

const stint_analyzer *stint_analyzer_find(const stint_analyzers *analyzers, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < analyzers->n; i++)
		if (strcmp(analyzers->list[i].name, name) == 0)
			return &analyzers->list[i];
	return NULL;
}

void stint_analyzers_free(stint_analyzers *analyzers)
{
	size_t i;

	for (i = 0; i < analyzers->n; i++)
		free(analyzers->list[i].program);
	free(analyzers->list);
	analyzers->list = NULL;
	analyzers->n = 0;
}
