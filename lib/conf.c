/* conf.c: settings file plus STINT_* environment (see config.h). */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX 64

static struct { char *key, *value; } config_items[CONFIG_MAX];
static int config_n;

char *stint_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int config_line(const char *path, int lineno, char *line)
{
	char *eq, *key, *value;

	line = stint_trim(line);
	if (*line == '\0' || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (eq == NULL || config_n == CONFIG_MAX) {
		fprintf(stderr, "stint: %s:%d: expected `key = value`\n", path, lineno);
		return -1;
	}
	*eq = '\0';
	key = stint_trim(line);
	value = stint_trim(eq + 1);
	config_items[config_n].key = strdup(key);
	config_items[config_n].value = strdup(value);
	if (config_items[config_n].key == NULL || config_items[config_n].value == NULL)
		return -1;
	config_n++;
	return 0;
}

int stint_config_load(const char *path)
{
	char line[1024];
	int lineno = 0, rc = 0;
	FILE *f;

	if (path == NULL) {
		path = getenv("STINT_CONFIG");
		if (path == NULL || *path == '\0')
			return 0;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "stint: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL)
		rc = config_line(path, ++lineno, line);
	fclose(f);
	return rc;
}

const char *stint_config_get(const char *key, const char *def)
{
	char env[96] = "STINT_";
	size_t i, n = strlen(key);
	const char *v;

	if (n < sizeof(env) - 7) {
		for (i = 0; i < n; i++)
			env[6 + i] = (char)toupper((unsigned char)key[i]);
		env[6 + n] = '\0';
		v = getenv(env);
		if (v != NULL && *v != '\0')
			return v;
	}
	for (i = 0; i < (size_t)config_n; i++)
		if (strcmp(config_items[i].key, key) == 0)
			return config_items[i].value;
	return def;
}

long stint_config_int(const char *key, long def, long min, long max)
{
	const char *v = stint_config_get(key, NULL);
	char *end;
	long n;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n < min || n > max) {
		fprintf(stderr, "stint: setting %s=%s is not a number in %ld..%ld, using %ld\n",
			key, v, min, max, def);
		return def;
	}
	return n;
}
