/* tasktypes.c: the task types of conf/tasks.conf (see tasktypes.h). */
#include "tasktypes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockfile.h"
#include "conf.h"

/* The keys of a block, in the order of the bits that say which were given. */
static const char *const keys[] = {
	"program", "time_limit_s", "max_attempts", "tracked", "remove_on", "keep_until", "retention_days", NULL
};

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

/* remove_on's list into *bits; 0, or -1 naming the bad item. */
static int remove_list(stint_blockfile *bf, char *value, unsigned *bits)
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
			return stint_blockfile_fail(bf,
						    "remove_on: \"%s\" is not completed, failed, cancelled or none", item);
	}
	return 0;
}

/* Set keys[k] to value in the current type (the last of user's); 0, or -1 with the problem. */
static int set_key(stint_blockfile *bf, void *user, int k, char *value)
{
	stint_task_types *out = user;
	stint_task_type *t = &out->types[out->n - 1];
	long v;

	switch (k) {
	case 0:
		if (*value == '\0')
			return stint_blockfile_fail(bf, "program must not be empty");
		free(t->program);
		if ((t->program = strdup(value)) == NULL)
			return stint_blockfile_fail(bf, "out of memory");
		return 0;
	case 1:
		if (number_in(value, 1, 86400, &v) != 0)
			return stint_blockfile_fail(bf,
						    "time_limit_s must be a whole number of seconds, 1 to 86400");
		t->time_limit_s = v;
		return 0;
	case 2:
		if (number_in(value, 1, 100, &v) != 0)
			return stint_blockfile_fail(bf, "max_attempts must be a whole number, 1 to 100");
		t->max_attempts = (int)v;
		return 0;
	case 3:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return stint_blockfile_fail(bf, "tracked must be yes or no");
		t->tracked = strcmp(value, "yes") == 0;
		return 0;
	case 4:
		return remove_list(bf, value, &t->remove_on);
	case 5:
		if (!is_type_name(value))
			return stint_blockfile_fail(bf, "keep_until must name a task type");
		snprintf(t->keep_until, sizeof(t->keep_until), "%s", value);
		return 0;
	default:
		if (number_in(value, 1, 3650, &v) != 0)
			return stint_blockfile_fail(bf,
						    "retention_days must be a whole number of days, 1 to 3650");
		t->retention_days = (int)v;
		return 0;
	}
}

/* Start the type name (its block's [name] line), with the defaults of tasktypes.h. */
static int start_type(stint_blockfile *bf, void *user, const char *name)
{
	stint_task_types *out = user;
	stint_task_type *grown, *t;
	const stint_task_type *seen;

	if (!is_type_name(name))
		return stint_blockfile_fail(bf,
					    "\"%s\" is not a task type name ([a-z][a-z0-9_]*, at most %d characters)",
					    name, STINT_TASK_TYPE_LEN);
	if ((seen = stint_task_type_find(out, name)) != NULL)
		return stint_blockfile_fail(bf, "task type %s is declared twice (first on line %d)", name,
					    seen->line);
	if ((grown = realloc(out->types, (out->n + 1) * sizeof(*grown))) == NULL)
		return stint_blockfile_fail(bf, "out of memory");
	out->types = grown;
	t = &out->types[out->n++];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->time_limit_s = 600;
	t->max_attempts = 3;
	t->tracked = 1;
	t->retention_days = 7;
	t->line = stint_blockfile_line(bf);
	return 0;
}

/* What the lines alone cannot say: every type has a program, every follow-up is declared. */
static int check_types(stint_blockfile *bf, void *user)
{
	const stint_task_types *out = user;
	size_t i;

	for (i = 0; i < out->n; i++) {
		const stint_task_type *t = &out->types[i];

		if (t->program == NULL)
			return stint_blockfile_fail_at(bf, t->line, "[%s] has no program", t->name);
		if (t->keep_until[0] != '\0' && (strcmp(t->keep_until, t->name) == 0 ||
						 stint_task_type_find(out, t->keep_until) == NULL))
			return stint_blockfile_fail_at(bf, t->line,
						       "[%s] keep_until: %s is not another declared task type",
						       t->name, t->keep_until);
	}
	return 0;
}

static const stint_blockfile_spec spec = { "type", keys, start_type, set_key, check_types };

int stint_task_types_parse(const char *text, const char *name, stint_task_types *out, char *err,
			   size_t errsize)
{
	out->types = NULL;
	out->n = 0;
	return stint_blockfile_parse(text, name, &spec, out, err, errsize);
}

int stint_task_types_load(const char *path, stint_task_types *out, char *err, size_t errsize)
{
	out->types = NULL;
	out->n = 0;
	if (path == NULL)
		path = stint_config_get("tasks_config", "conf/tasks.conf");
	return stint_blockfile_load(path, &spec, out, err, errsize) == 0 ? 0 : -1;
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
