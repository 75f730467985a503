/*
 * conf.h: settings from conf/stint.conf (or the file named by
 * STINT_CONFIG), each overridden by an environment variable STINT_<KEY>
 * (key upper-cased). The file holds `key = value` lines; `#` starts a
 * comment. Loaded once at process start, read-only afterwards.
 */
#ifndef STINT_CONF_H
#define STINT_CONF_H

/*
 * Load the file at path (NULL: $STINT_CONFIG, else no file). A missing file
 * is not an error when path was NULL. Returns 0, or -1 with a message on
 * stderr naming the file and line.
 */
int stint_config_load(const char *path);

/*
 * The value of key (lower case, e.g. "database_url"): $STINT_DATABASE_URL
 * first, then the file, then def. The string stays owned by the config.
 */
const char *stint_config_get(const char *key, const char *def);

/*
 * The value of key as an integer in [min, max]; def when unset. A value that
 * is not a number or out of range is reported on stderr and def is used.
 */
long stint_config_int(const char *key, long def, long min, long max);

/*
 * Cut the white space (isspace) off both ends of s, in place: returns s
 * past its leading spaces, with its trailing ones overwritten by NULs.
 */
char *stint_trim(char *s);

#endif
