/* route.c: path pattern matching (see route.h). */
#include "route.h"

#include <ctype.h>
#include <string.h>

#include "validate.h"

static size_t seg_len(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash ? (size_t)(slash - s) : strlen(s);
}

int stint_route_match(stint_arena *a, const char *pattern, const char *path,
		      const char **params)
{
	int np = 0;
	size_t pl, sl;
	char *seg;

	while (*pattern == '/' && *path == '/') {
		pattern++, path++;
		pl = seg_len(pattern);
		sl = seg_len(path);
		if (*pattern == ':') {
			if (np == STINT_ROUTE_PARAMS || sl == 0 || sl > 64)
				return 0;
			seg = stint_arena_strndup(a, path, sl);
			if (seg == NULL)
				return -1;
			if (pl == 5 && strncmp(pattern, ":uuid", 5) == 0) {
				if (!stint_is_uuid(seg))
					return 0;
				for (char *c = seg; *c != '\0'; c++)
					*c = (char)tolower((unsigned char)*c);  /* one spelling */
			} else if (pl == 3 && strncmp(pattern, ":id", 3) == 0 &&
				   (sl > 18 || strspn(seg, "0123456789") != sl)) {
				return 0;
			}
			params[np++] = seg;
		} else if (pl != sl || strncmp(pattern, path, pl) != 0) {
			return 0;
		}
		pattern += pl;
		path += sl;
	}
	return *pattern == '\0' && *path == '\0';
}
