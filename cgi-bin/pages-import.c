/*
 * pages-import.c: POST /sessions/import, the dashboard's import form: a
 * multipart/form-data body (lib/multipart.c) with the fields csrf, title
 * (optional), file (a DataVolley .dvw) and video (optional: the match
 * video the scout lines are synced to). The whole body is at most 20 MB
 * (the route's limit; nginx's too). The video is staged in
 * var/media/import/ under a random name (temporary file, then rename) and
 * checked with ffprobe; the import itself is lib/importer.c, as for
 * POST /api/v1/imports, which links it into the new session's folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "csrf.h"
#include "fail.h"
#include "importer.h"
#include "media.h"
#include "store.h"
#include "multipart.h"
#include "pages-dashboard.h"
#include "pages-import.h"
#include "pages-shared.h"
#include "probe.h"
#include "tx.h"
#include "validate.h"

#define IMPORT_PARTS_MAX 8

static const stint_field title_field = { "title", STINT_F_STRING, 0, 1, 200, NULL, STINT_NO_DEST };

/* Video containers a browser plays, by file extension. */
static const page_choice video_types[] = {
	{ "mp4", "video/mp4" }, { "m4v", "video/mp4" }, { "mov", "video/quicktime" },
	{ "webm", "video/webm" }, { "ogv", "video/ogg" },
};

/* A text field's value as an arena string; NULL when absent or holding a NUL byte. */
static const char *text_field(stint_req *r, const stint_part *parts, size_t n, const char *name)
{
	const stint_part *p = stint_multipart_get(parts, n, name);

	if (p == NULL || memchr(p->data, '\0', p->len) != NULL)
		return NULL;
	return stint_arena_strndup(&r->arena, p->data, p->len);
}

/* The content type for the video's file name (by extension), or NULL. */
static const char *video_type(const char *filename, char ext[8])
{
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	size_t i, n = dot ? strlen(dot + 1) : 0;

	if (n == 0 || n >= 8)
		return NULL;
	for (i = 0; i <= n; i++)
		ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] - 'A' + 'a' : dot[1 + i]);
	for (i = 0; i < COUNT(video_types); i++)
		if (strcmp(ext, video_types[i].value) == 0)
			return video_types[i].label;
	return NULL;
}

/* Write all of data to a new file at path; 0 or -1 (nothing left behind). */
static int write_new(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ssize_t w;

	if (fd < 0)
		return -1;
	while (len > 0) {
		w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		data += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0 || len > 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

/*
 * Stage the uploaded video as var/media/import/<random>.<ext> (a folder no
 * client can name: the import links it into the new session's own folder,
 * and the caller removes the staged name afterwards); rel gets the
 * var-relative path, abs the full one, ext (8 bytes) the extension.
 * Returns NULL, or the problem to show.
 */
static const char *store_video(const stint_part *v, stint_import *opt, stint_media_info *info, char *ext,
			       char *rel, size_t rel_size, char *abs, size_t abs_size)
{
	const char *var = stint_config_get("var_dir", "var");
	char name[STINT_SECRET_HEX + 1], dir[4200], tmp[4300];

	opt->video_type = video_type(v->filename, ext);
	if (opt->video_type == NULL)
		return "must be an .mp4, .m4v, .mov, .webm or .ogv file";
	if (stint_secret_new(name, sizeof(name), 0) != 0)
		return "could not be stored; try again";
	snprintf(dir, sizeof(dir), "%s/media/import", var);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return "could not be stored (the media folder is not writable)";
	snprintf(rel, rel_size, "media/import/%.16s.%s", name, ext);
	snprintf(abs, abs_size, "%s/%s", var, rel);
	snprintf(tmp, sizeof(tmp), "%s.part", abs);
	if (write_new(tmp, v->data, v->len) != 0 || rename(tmp, abs) != 0) {
		unlink(tmp);
		return "could not be stored (the media folder is full or not writable)";
	}
	if (stint_media_probe(abs, info) != 0 || !info->has_video) {
		unlink(abs);
		return "is not a video ffprobe can read";
	}
	opt->video_file = abs;
	opt->video_ext = ext;
	opt->video_duration_sec = info->duration_sec;
	return NULL;
}

/* The dashboard again with the import form's problem under field. */
static void send_back(stint_req *r, int status, const char *title, const char *field, const char *problem)
{
	cJSON *extra = cJSON_CreateObject(), *form = cJSON_AddObjectToObject(extra, "import");
	cJSON *errors = cJSON_AddObjectToObject(extra, "import_errors");

	cJSON_AddStringToObject(form, "title", title ? title : "");
	cJSON_AddStringToObject(errors, field, problem);
	page_render_dashboard(r, status, extra);
}

/* The first line of the importer's explanation, for the form. */
static const char *first_line(stint_req *r, const stint_buf *w)
{
	const char *s = w->data ? w->data : "it is not a DataVolley match file", *nl = strchr(s, '\n');

	return stint_arena_strndup(&r->arena, s, nl ? (size_t)(nl - s) : strlen(s));
}

/* Parse the body, check the CSRF field; answers and returns -1 on a refusal. */
static int read_form(stint_req *r, stint_part *parts, size_t *n)
{
	const char *csrf;

	switch (stint_multipart_parse(&r->arena, stint_req_env(r, "CONTENT_TYPE"), r->body.data, r->body.len,
				      parts, IMPORT_PARTS_MAX, n)) {
	case STINT_MULTIPART_OK:
		break;
	case STINT_MULTIPART_NOT_FORM:
		stint_fail(r, 415, "unsupported_media_type", "Send the import form as multipart/form-data.", NULL);
		return -1;
	case STINT_MULTIPART_NOMEM:
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return -1;
	default:
		stint_fail(r, 400, "bad_request", "The form could not be read; send it again.", NULL);
		return -1;
	}
	csrf = text_field(r, parts, *n, "csrf");
	if (csrf == NULL || stint_kv_add(&r->arena, &r->form, "csrf", csrf) != 0 || !stint_csrf_valid(r)) {
		stint_fail(r, 403, "csrf", "This form has expired; reload the page and try again.", NULL);
		return -1;
	}
	return 0;
}

void page_import(stint_req *r)
{
	stint_part parts[IMPORT_PARTS_MAX];
	const stint_part *file, *video;
	stint_import opt = { 0 };
	stint_media_info info;
	stint_buf warnings = STINT_BUF_INIT;
	char rel[600], abs[4200] = "", kept[600] = "", ext[8], id[37];
	const char *problem, *title;
	stint_import_rc import_rc;
	stint_db_rc db_rc;
	stint_tx tx;
	long events;
	size_t n;

	if (read_form(r, parts, &n) != 0)
		return;
	title = text_field(r, parts, n, "title");
	if (title != NULL && *title == '\0')
		title = NULL;
	file = stint_multipart_get(parts, n, "file");
	video = stint_multipart_get(parts, n, "video");
	if (title != NULL && (problem = stint_validate_text(&title_field, title)) != NULL) {
		send_back(r, 422, title, "title", problem);
		return;
	}
	if (file == NULL || file->len == 0) {
		send_back(r, 422, title, "file", "is required: choose a DataVolley .dvw file");
		return;
	}
	if (video != NULL && video->len > 0 &&
	    (problem = store_video(video, &opt, &info, ext, rel, sizeof(rel), abs, sizeof(abs))) != NULL) {
		send_back(r, 422, title, "video", problem);
		return;
	}
	opt.owner_id = r->user.id_text;
	opt.title = title;
	opt.video_kept = kept;
	opt.video_kept_size = sizeof(kept);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	import_rc = stint_import_dvw(&tx, &opt, file->data, file->len, id, &events, &warnings);
	db_rc = stint_tx_end(&tx);
	if (db_rc != STINT_DB_OK)
		stint_store_unlink(kept);
	if (import_rc == STINT_IMPORT_BAD_FILE) {
		send_back(r, 422, title, "file", first_line(r, &warnings));
	} else if (db_rc != STINT_DB_OK) {
		stint_fail_db(r, db_rc);
	} else {
		page_redirect_session(r, id, NULL, "imported", NULL, NULL);
	}
	if (abs[0] != '\0')
		unlink(abs);  /* the staged name; the session's clip has its own */
	stint_buf_free(&warnings);
}
