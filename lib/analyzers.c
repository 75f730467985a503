/* analyzers.c: the clip analyzers of conf/analyzers.conf (see analyzers.h). */
#include "analyzers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockfile.h"
#include "conf.h"

/* The keys of a block, in the order of the bits that say which were given. */
static const char *const keys[] = { "program", "kinds", "time_limit_s", NULL };

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

/* kinds' list into *bits; 0, or -1 naming the bad item. */
static int kind_list(stint_blockfile *bf, char *value, unsigned *bits)
{
	char *item, *save = NULL;
	unsigned bit;

	*bits = 0;
	for (item = strtok_r(value, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
		item = stint_trim(item);
		if ((bit = stint_analyzer_kind(item)) == 0)
			return stint_blockfile_fail(bf, "kinds: \"%s\" is not video or audio", item);
		*bits |= bit;
	}
	if (*bits == 0)
		return stint_blockfile_fail(bf, "kinds must list video, audio or both");
	return 0;
}

/* Set keys[k] to value in the current analyzer (the last of user's); 0, or -1 with the problem. */
static int set_key(stint_blockfile *bf, void *user, int k, char *value)
{
	stint_analyzers *out = user;
	stint_analyzer *a = &out->list[out->n - 1];
	char *end;
	long v;

	switch (k) {
	case 0:
		if (*value == '\0')
			return stint_blockfile_fail(bf, "program must not be empty");
		if ((a->program = strdup(value)) == NULL)
			return stint_blockfile_fail(bf, "out of memory");
		return 0;
	case 1:
		return kind_list(bf, value, &a->kinds);
	default:
		errno = 0;
		v = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 || v < 1 || v > 86400)
			return stint_blockfile_fail(bf,
						    "time_limit_s must be a whole number of seconds, 1 to 86400");
		a->time_limit_s = v;
		return 0;
	}
}

/* Start the analyzer name (its block's [name] line). */
static int start_analyzer(stint_blockfile *bf, void *user, const char *name)
{
	stint_analyzers *out = user;
	stint_analyzer *grown, *a;
	const stint_analyzer *seen;

	if (!is_analyzer_name(name))
		return stint_blockfile_fail(bf,
					    "\"%s\" is not an analyzer name ([a-z][a-z0-9_-]*, at most %d characters)",
					    name, STINT_ANALYZER_NAME_LEN);
	if ((seen = stint_analyzer_find(out, name)) != NULL)
		return stint_blockfile_fail(bf,
					    "analyzer %s is declared twice (first on line %d)", name, seen->line);
	if ((grown = realloc(out->list, (out->n + 1) * sizeof(*grown))) == NULL)
		return stint_blockfile_fail(bf, "out of memory");
	out->list = grown;
	a = &out->list[out->n++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->line = stint_blockfile_line(bf);
	return 0;
}

/* What the lines alone cannot say: every analyzer has a program and kinds. */
static int check_analyzers(stint_blockfile *bf, void *user)
{
	const stint_analyzers *out = user;
	size_t i;

	for (i = 0; i < out->n; i++) {
		const stint_analyzer *a = &out->list[i];

		if (a->program == NULL)
			return stint_blockfile_fail_at(bf, a->line, "[%s] has no program", a->name);
		if (a->kinds == 0)
			return stint_blockfile_fail_at(bf, a->line, "[%s] has no kinds", a->name);
	}
	return 0;
}

static const stint_blockfile_spec spec = { "analyzer", keys, start_analyzer, set_key, check_analyzers };

int stint_analyzers_parse(const char *text, const char *name, stint_analyzers *out, char *err,
			  size_t errsize)
{
	out->list = NULL;
	out->n = 0;
	return stint_blockfile_parse(text, name, &spec, out, err, errsize);
}

int stint_analyzers_load(const char *path, stint_analyzers *out, char *err, size_t errsize)
{
	int named = path != NULL || stint_config_get("analyzers_config", NULL) != NULL;
	int rc;

	out->list = NULL;
	out->n = 0;
	if (path == NULL)
		path = stint_config_get("analyzers_config", "conf/analyzers.conf");
	rc = stint_blockfile_load(path, &spec, out, err, errsize);
	if (rc == STINT_BLOCKFILE_NOFILE && !named)
		return 0;  /* no setting and no default file: no analyzer */
	return rc == 0 ? 0 : -1;
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
