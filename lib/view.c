/* view.c: template store and page rendering (see view.h). */
#include "view.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "conf.h"
#include "csrf.h"
#include "log.h"
#include "mustache.h"
#include "route.h"
#include "timeshow.h"

#define VIEW_MAX 64

static struct { char *name, *text; size_t len; } views[VIEW_MAX];
static int nviews;

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	stint_buf b = STINT_BUF_INIT;
	char chunk[8192];
	size_t n;
	int rc = -1;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (stint_buf_append(&b, chunk, n) != 0)
			goto out;
	if (ferror(f))
		goto out;
	*len = b.len;
	*text = stint_buf_take(&b);
	rc = *text != NULL ? 0 : -1;
out:
	fclose(f);
	stint_buf_free(&b);
	return rc;
}

/*
 * The fingerprint of static file name (static_dir/name) into hex: the first
 * STINT_STATIC_HASH_LEN hex digits of its SHA-256, NUL-terminated. Returns 0,
 * or -1 when the file cannot be read (the address then stays unversioned).
 */
static int static_hash(const char *dir, const char *name, char hex[STINT_STATIC_HASH_LEN + 1])
{
	char *text = NULL, path[4096];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	size_t len = 0, i;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
	    read_file(path, &text, &len) != 0)
		return -1;
	rc = EVP_Digest(text, len, md, &n, EVP_sha256(), NULL) == 1 && n >= STINT_STATIC_HASH_LEN / 2 ? 0 : -1;
	free(text);
	for (i = 0; rc == 0 && i < STINT_STATIC_HASH_LEN / 2; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return rc;
}

int stint_view_fingerprint(const char *text, size_t len, const char *dir, char **out, size_t *out_len)
{
	static const char prefix[] = "/static/";
	const size_t plen = sizeof(prefix) - 1;
	stint_buf b = STINT_BUF_INIT;
	char name[256], hex[STINT_STATIC_HASH_LEN + 1];
	size_t i = 0, j, n;

	while (i < len) {
		const char *hit = memmem(text + i, len - i, prefix, plen);

		if (hit == NULL) {
			if (stint_buf_append(&b, text + i, len - i) != 0)
				goto fail;
			break;
		}
		if (stint_buf_append(&b, text + i, (size_t)(hit - text) - i) != 0)
			goto fail;
		i = (size_t)(hit - text);
		for (j = i + plen; j < len && (strchr("._-", text[j]) != NULL ||
					       (text[j] >= 'a' && text[j] <= 'z') || (text[j] >= 'A' && text[j] <= 'Z') ||
					       (text[j] >= '0' && text[j] <= '9')); j++)
			;
		n = j - i - plen;
		if (stint_buf_append(&b, text + i, j - i) != 0)
			goto fail;
		if (n > 0 && n < sizeof(name) && text[i + plen] != '.' && (j == len || text[j] != '?')) {
			memcpy(name, text + i + plen, n);
			name[n] = '\0';
			if (static_hash(dir, name, hex) == 0 && stint_buf_printf(&b, "?v=%s", hex) != 0)
				goto fail;
		}
		i = j;
	}
	*out_len = b.len;
	*out = stint_buf_take(&b);
	if (*out != NULL)
		return 0;
fail:
	stint_buf_free(&b);
	return -1;
}

int stint_view_load(const char *dir)
{
	const char *static_dir = stint_config_get("static_dir", "static");
	char *fp;
	size_t fp_len;
	static const char ext[] = ".mustache";
	char path[4096];
	struct dirent *e;
	size_t n;
	DIR *d = opendir(dir);

	if (d == NULL) {
		stint_log(STINT_LOG_ERROR, "cannot open template directory %s", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL && nviews < VIEW_MAX) {
		n = strlen(e->d_name);
		if (n <= sizeof(ext) - 1 || strcmp(e->d_name + n - (sizeof(ext) - 1), ext) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		views[nviews].name = strndup(e->d_name, n - (sizeof(ext) - 1));
		if (views[nviews].name == NULL ||
		    read_file(path, &views[nviews].text, &views[nviews].len) != 0) {
			stint_log(STINT_LOG_ERROR, "cannot read template %s", path);
			closedir(d);
			return -1;
		}
		if (stint_view_fingerprint(views[nviews].text, views[nviews].len, static_dir, &fp, &fp_len) != 0) {
			stint_log(STINT_LOG_ERROR, "out of memory fingerprinting template %s", path);
			closedir(d);
			return -1;
		}
		free(views[nviews].text);
		views[nviews].text = fp;
		views[nviews].len = fp_len;
		nviews++;
	}
	closedir(d);
	return 0;
}

static const char *view_partial(void *ctx, const char *name, size_t *len)
{
	int i;

	(void)ctx;
	for (i = 0; i < nviews; i++) {
		if (strcmp(views[i].name, name) == 0) {
			*len = views[i].len;
			return views[i].text;
		}
	}
	return NULL;
}

/*
 * The parent of a fragment: a page's own content block without the layout
 * around it (HTMX swaps it into a page that has its own head and header).
 */
static const char fragment_layout[] = "{{$content}}{{/content}}";

/* As view_partial, but "layout" is fragment_layout: a FRAGMENT route's pages. */
static const char *fragment_partial(void *ctx, const char *name, size_t *len)
{
	if (strcmp(name, "layout") == 0) {
		*len = sizeof(fragment_layout) - 1;
		return fragment_layout;
	}
	return view_partial(ctx, name, len);
}

int stint_view_render(const char *name, const cJSON *data, stint_buf *out, stint_buf *err)
{
	size_t len;
	const char *tmpl = view_partial(NULL, name, &len);

	if (tmpl == NULL) {
		stint_buf_printf(err, "template %s missing", name);
		return -1;
	}
	return stint_mustache_render(tmpl, len, data, view_partial, NULL, out, err);
}

int stint_view_send(stint_req *r, int status, const char *name, cJSON *data)
{
	stint_buf err = STINT_BUF_INIT;
	const char *tmpl, *token;
	size_t len = 0;
	int rc = -1, fragment = r->route != NULL && r->route->format == STINT_FORMAT_FRAGMENT;

	tmpl = view_partial(NULL, name, &len);
	token = stint_csrf_token(r);
	cJSON_DeleteItemFromObjectCaseSensitive(data, "csrf");
	cJSON_DeleteItemFromObjectCaseSensitive(data, "app");
	cJSON_DeleteItemFromObjectCaseSensitive(data, "user");
	cJSON_DeleteItemFromObjectCaseSensitive(data, "time_zone");
	if (r->user.id != 0) {
		cJSON *u = cJSON_AddObjectToObject(data, "user");

		cJSON_AddStringToObject(u, "email", r->user.email);
		cJSON_AddStringToObject(u, "name", r->user.name);
		cJSON_AddStringToObject(u, "role", r->user.role);
		cJSON_AddBoolToObject(u, "can_author", strcmp(r->user.role, "viewer") != 0);
	}
	if (tmpl == NULL || token == NULL ||
	    !cJSON_AddStringToObject(data, "csrf", token) ||
	    !cJSON_AddStringToObject(data, "app", "Stint") ||
	    !cJSON_AddStringToObject(data, "time_zone", stint_time_zone())) {
		stint_log(STINT_LOG_ERROR, "template %s missing", name);
		goto fail;
	}
	stint_buf_reset(&r->out);
	if (stint_mustache_render(tmpl, len, data, fragment ? fragment_partial : view_partial, NULL, &r->out,
				  &err) != 0) {
		stint_log(STINT_LOG_ERROR, "template %s: %s", name, err.data ? err.data : "out of memory");
		goto fail;
	}
	rc = stint_resp_send(r, status, "text/html; charset=utf-8", r->out.data, r->out.len);
	goto out;
fail:
	stint_resp_send(r, 500, "text/plain; charset=utf-8", "Internal error; it has been logged.\n", 36);
out:
	stint_buf_free(&err);
	return rc;
}

void stint_view_error(stint_req *r, int status, const char *message)
{
	cJSON *data = cJSON_CreateObject();

	cJSON_AddNumberToObject(data, "status", status);
	cJSON_AddStringToObject(data, "reason", stint_status_text(status));
	cJSON_AddStringToObject(data, "message", message);
	cJSON_AddBoolToObject(data, "unavailable", status == 503);
	stint_view_send(r, status, "error", data);
	cJSON_Delete(data);
}
