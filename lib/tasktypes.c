/* tasktypes.c: the task types of conf/tasks.conf (see tasktypes.h). */
#include "tasktypes.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define FILE_MAX (1024 * 1024)

/* The keys of a block, in the order of the bits that say which were given. */
static const char *const keys[] = {
	"program", "time_limit_s", "max_attempts", "tracked", "remove_on", "keep_until", "retention_days", NULL
};

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

/* 1 when s is a task type's name, as tasks.task_type's CHECK has it. */
static int is_type_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > STINT_TASK_TYPE_LEN || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* value as a whole decimal number in [min, max] into *out; 0, or -1. */
static int number_in(const char *value, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* remove_on's list into *bits; 0, or -1 naming the bad item in ps. */
static int remove_list(parse_state *ps, char *value, unsigned *bits)
{
	char *item, *save = NULL;

	*bits = 0;
	if (strcmp(value, "none") == 0)
		return 0;
	for (item = strtok_r(value, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
		item = stint_trim(item);
		if (strcmp(item, "completed") == 0)
			*bits |= STINT_TASK_REMOVE_COMPLETED;
		else if (strcmp(item, "failed") == 0)
			*bits |= STINT_TASK_REMOVE_FAILED;
		else if (strcmp(item, "cancelled") == 0)
			*bits |= STINT_TASK_REMOVE_CANCELLED;
		else
			return fail_at(ps, "remove_on: \"%s\" is not completed, failed, cancelled or none", item);
	}
	return 0;
}

/* Set key to value in type t; 0, or -1 with the problem in ps. */
static int set_key(parse_state *ps, stint_task_type *t, int k, char *value)
{
	long v;

	switch (k) {
	case 0:
		if (*value == '\0')
			return fail_at(ps, "program must not be empty");
		free(t->program);
		if ((t->program = strdup(value)) == NULL)
			return fail_at(ps, "out of memory");
		return 0;
	case 1:
		if (number_in(value, 1, 86400, &v) != 0)
			return fail_at(ps, "time_limit_s must be a whole number of seconds, 1 to 86400");
		t->time_limit_s = v;
		return 0;
	case 2:
		if (number_in(value, 1, 100, &v) != 0)
			return fail_at(ps, "max_attempts must be a whole number, 1 to 100");
		t->max_attempts = (int)v;
		return 0;
	case 3:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return fail_at(ps, "tracked must be yes or no");
		t->tracked = strcmp(value, "yes") == 0;
		return 0;
	case 4:
		return remove_list(ps, value, &t->remove_on);
	case 5:
		if (!is_type_name(value))
			return fail_at(ps, "keep_until must name a task type");
		snprintf(t->keep_until, sizeof(t->keep_until), "%s", value);
		return 0;
	default:
		if (number_in(value, 1, 3650, &v) != 0)
			return fail_at(ps, "retention_days must be a whole number of days, 1 to 3650");
		t->retention_days = (int)v;
		return 0;
	}
}

/* Start a block for the header line "[name]" (line is trimmed). */
static int start_block(parse_state *ps, stint_task_types *out, char *line)
{
	stint_task_type *grown, *t;
	const stint_task_type *seen;
	size_t n = strlen(line);

	if (n < 2 || line[n - 1] != ']')
		return fail_at(ps, "expected [type] or `key = value`");
	line[n - 1] = '\0';
	line = stint_trim(line + 1);
	if (!is_type_name(line))
		return fail_at(ps, "\"%s\" is not a task type name ([a-z][a-z0-9_]*, at most %d characters)",
			       line, STINT_TASK_TYPE_LEN);
	if ((seen = stint_task_type_find(out, line)) != NULL)
		return fail_at(ps, "task type %s is declared twice (first on line %d)", line, seen->line);
	if ((grown = realloc(out->types, (out->n + 1) * sizeof(*grown))) == NULL)
		return fail_at(ps, "out of memory");
	out->types = grown;
	t = &out->types[out->n++];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", line);
	t->time_limit_s = 600;
	t->max_attempts = 3;
	t->tracked = 1;
	t->retention_days = 7;
	t->line = ps->line;
	ps->given = 0;
	return 0;
}

/* One `key = value` line of the current block. */
static int key_line(parse_state *ps, stint_task_types *out, char *line)
{
	char *eq = strchr(line, '='), *key;
	int k;

	if (eq == NULL)
		return fail_at(ps, "expected [type] or `key = value`");
	if (out->n == 0)
		return fail_at(ps, "`key = value` before the first [type]");
	*eq = '\0';
	key = stint_trim(line);
	for (k = 0; keys[k] != NULL && strcmp(keys[k], key) != 0; k++)
		;
	if (keys[k] == NULL)
		return fail_at(ps, "unknown key \"%s\"", key);
	if (ps->given & (1u << k))
		return fail_at(ps, "%s is given twice in [%s]", key, out->types[out->n - 1].name);
	ps->given |= 1u << k;
	return set_key(ps, &out->types[out->n - 1], k, stint_trim(eq + 1));
}

/* What the lines alone cannot say: every type has a program, every follow-up is declared. */
static int check_types(parse_state *ps, const stint_task_types *out)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		const stint_task_type *t = &out->types[i];

		ps->line = t->line;
		if (t->program == NULL)
			return fail_at(ps, "[%s] has no program", t->name);
		if (t->keep_until[0] != '\0' && (strcmp(t->keep_until, t->name) == 0 ||
						 stint_task_type_find(out, t->keep_until) == NULL))
			return fail_at(ps, "[%s] keep_until: %s is not another declared task type", t->name,
				       t->keep_until);
	}
	return 0;
}

int stint_task_types_parse(const char *text, const char *name, stint_task_types *out, char *err,
			   size_t errsize)
{
	parse_state ps = { name, 0, 0, err, errsize };
	char *copy = strdup(text), *line, *next;
	int rc = 0;

	out->types = NULL;
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
	return rc != 0 ? rc : check_types(&ps, out);
}

int stint_task_types_load(const char *path, stint_task_types *out, char *err, size_t errsize)
{
	char *text;
	size_t n;
	FILE *f;
	int rc;

	out->types = NULL;
	out->n = 0;
	if (path == NULL)
		path = stint_config_get("tasks_config", "conf/tasks.conf");
	if ((f = fopen(path, "r")) == NULL) {
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
	rc = stint_task_types_parse(text, path, out, err, errsize);
	free(text);
	return rc;
}

const stint_task_type *stint_task_type_find(const stint_task_types *types, const char *name)
{
	size_t i;

	for (i = 0; i < types->n; i++)
		if (strcmp(types->types[i].name, name) == 0)
			return &types->types[i];
	return NULL;
}

void stint_task_types_free(stint_task_types *types)
{
	size_t i;

	for (i = 0; i < types->n; i++)
		free(types->types[i].program);
	free(types->types);
	types->types = NULL;
	types->n = 0;
}
