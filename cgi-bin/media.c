/*
 * media.c: a session's clips and artifacts, and their downloads.
 *
 * Clips are registered by reference (an https:// or s3:// URI, or a file
 * already under the media folder) or uploaded: nginx writes the upload to a
 * temporary file (client_body_in_file_only) and passes its name, so large
 * files never pass through a handler's memory; the handler checks it with
 * ffprobe and links it into var/media/<session>/. Downloads answer
 * X-Accel-Redirect after the access check; nginx serves the bytes (Range).
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
#include "db.h"
#include "escape.h"
#include "live.h"
#include "probe.h"
#include "timeline.h"
#include "server.h"
#include "validate.h"

static const char *const clip_kinds[] = { "video", "audio", NULL };

static const stint_field clip_fields[] = {
	{ "kind", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, clip_kinds },
	{ "title", STINT_F_STRING, STINT_F_NULLABLE, 0, 200, NULL },
	{ "uri", STINT_F_STRING, 0, 8, 2000, NULL },
	{ "file", STINT_F_STRING, 0, 1, 500, NULL },
	{ "offset_sec", STINT_F_NUMBER, 0, -10000000, 10000000, NULL },
	{ "duration_sec", STINT_F_NUMBER, STINT_F_NULLABLE, 0, 10000000, NULL },
	{ "meta", STINT_F_OBJECT, 0, 0, 16384, NULL },
};
#define NCLIP_FIELDS (sizeof(clip_fields) / sizeof(clip_fields[0]))

/* On PATCH only these may change (moving a clip moves its events with it). */
static const stint_field clip_patch_fields[] = {
	{ "title", STINT_F_STRING, STINT_F_NULLABLE, 0, 200, NULL },
	{ "offset_sec", STINT_F_NUMBER, 0, -10000000, 10000000, NULL },
	{ "duration_sec", STINT_F_NUMBER, STINT_F_NULLABLE, 0, 10000000, NULL },
	{ "meta", STINT_F_OBJECT, 0, 0, 16384, NULL },
};

static const char *var_dir(void)
{
	return stint_config_get("var_dir", "var");
}

/* Run a statement returning one row; *res NULL when there is none. */
static stint_db_rc one_row(stint_req *r, stint_sql id, int n, const char *const *p, PGresult **res)
{
	stint_db_rc rc = stint_db_exec(r->db, id, n, p, res);

	if (rc == STINT_DB_OK && PQntuples(*res) == 0) {
		PQclear(*res);
		*res = NULL;
	}
	return rc;
}

/* Answer the first cell of a one-row statement as JSON, or 404. */
static void send_json(stint_req *r, int status, stint_sql id, int n, const char *const *p,
		      const char *missing)
{
	PGresult *res = NULL;
	stint_db_rc rc = one_row(r, id, n, p, &res);

	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (res == NULL)
		stint_fail(r, 404, "not_found", missing, NULL);
	else
		stint_resp_json_text(r, status, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
}

static int id_ok(stint_req *r, const char *what)
{
	const char *id = r->params[1];
	char msg[64];

	if (strspn(id, "0123456789") == strlen(id) && strlen(id) <= 18)
		return 1;
	snprintf(msg, sizeof(msg), "There is no such %s in this session.", what);
	stint_fail(r, 404, "not_found", msg, NULL);
	return 0;
}

/* The absolute name of var-relative rel in out; 0, or -1 when too long. */
static int var_path(const char *rel, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", var_dir(), rel);

	return n > 0 && (size_t)n < size ? 0 : -1;
}

static void list_clips(stint_req *r)
{
	send_json(r, 200, STINT_SQL_CLIP_LIST, 1, r->params, "There is no such session.");
}

static void get_clip(stint_req *r)
{
	if (id_ok(r, "clip"))
		send_json(r, 200, STINT_SQL_CLIP_GET, 2, r->params, "There is no such clip in this session.");
}

static void create_clip_row(stint_req *r, cJSON *clip)
{
	char *text = cJSON_PrintUnformatted(clip);
	const char *p[2] = { r->params[0], text };
	stint_db_rc rc = stint_db_begin(r->db);
	PGresult *res = NULL;

	if (rc == STINT_DB_OK)
		rc = one_row(r, STINT_SQL_CLIP_CREATE, 2, p, &res);
	if (rc == STINT_DB_OK)
		rc = stint_audit(r, "clip.add", "session", r->params[0], NULL);
	if (rc == STINT_DB_OK) {
		const char *lp[3] = { r->params[0], "clip_added", PQgetvalue(res, 0, 0) };

		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD, 3, lp);
	}
	rc = stint_live_finish(r, rc);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else
		stint_resp_json_text(r, 201, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	free(text);
}

/* POST clips (JSON): a reference to a URI or to a file under the media folder. */
static void register_clip(stint_req *r)
{
	cJSON *errors = NULL, *clip;
	const cJSON *uri, *file;
	stint_media_info info;
	char rel[600], abs[4200];

	if (stint_validate_json(r->json, clip_fields, NCLIP_FIELDS, 0, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	uri = cJSON_GetObjectItem(r->json, "uri");
	file = cJSON_GetObjectItem(r->json, "file");
	if ((uri == NULL) == (file == NULL)) {
		stint_fail_field(r, "uri", "give either uri or file");
		return;
	}
	if (uri != NULL && strncmp(uri->valuestring, "https://", 8) != 0 &&
	    strncmp(uri->valuestring, "s3://", 5) != 0) {
		stint_fail_field(r, "uri", "must start with https:// or s3://");
		return;
	}
	clip = cJSON_Duplicate(r->json, 1);
	if (file != NULL) {
		snprintf(rel, sizeof(rel), "media/%s", file->valuestring);
		if (!stint_auth_media_file(r, file->valuestring) || var_path(rel, abs, sizeof(abs)) != 0) {
			stint_fail_field(r, "file", "must be a plain path inside the media folder, of a session you may view");
			goto out;
		}
		if (stint_media_probe(abs, &info) != 0) {
			stint_fail_field(r, "file", "is not a media file in the media folder (ffprobe cannot read it)");
			goto out;
		}
		cJSON_DeleteItemFromObject(clip, "file");
		cJSON_AddStringToObject(clip, "path", rel);
		if (cJSON_GetObjectItem(clip, "duration_sec") == NULL)
			cJSON_AddNumberToObject(clip, "duration_sec", info.duration_sec);
	}
	create_clip_row(r, clip);
out:
	cJSON_Delete(clip);
}

/* The extension and content type of a probed upload. */
static void media_type(const stint_media_info *info, const char **ext, const char **ctype)
{
	static const struct { const char *format, *ext, *video, *audio; } types[] = {
		{ "mov,mp4", "mp4", "video/mp4", "audio/mp4" },
		{ "matroska,webm", "webm", "video/webm", "audio/webm" },
		{ "ogg", "ogg", "video/ogg", "audio/ogg" },
		{ "flac", "flac", "audio/flac", "audio/flac" },
		{ "mp3", "mp3", "audio/mpeg", "audio/mpeg" },
		{ "wav", "wav", "audio/wav", "audio/wav" },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strncmp(info->format, types[i].format, strlen(types[i].format)) == 0) {
			*ext = types[i].ext;
			*ctype = info->has_video ? types[i].video : types[i].audio;
			return;
		}
	}
	*ext = "bin";
	*ctype = "application/octet-stream";
}

/*
 * Give the upload nginx wrote (REQUEST_BODY_FILE) the name
 * var/<dir>/<random>.<ext>; its var-relative name goes to rel. Returns 0,
 * or -1 (logged). The temporary name stays for nginx to remove.
 */
static int keep_upload(const char *tmp, const char *dir, const char *ext, char *rel, size_t size)
{
	char abs[4200], secret[STINT_SECRET_HEX + 1];
	struct stat st;

	if (stint_secret_new(secret, sizeof(secret), 0) != 0)
		return -1;
	snprintf(rel, size, "%s", dir);
	if (var_path(rel, abs, sizeof(abs)) != 0 || (mkdir(abs, 0750) != 0 && errno != EEXIST))
		return -1;
	snprintf(rel, size, "%s/%.32s.%s", dir, secret, ext);
	if (var_path(rel, abs, sizeof(abs)) != 0 || stat(tmp, &st) != 0)
		return -1;
	return link(tmp, abs);
}

/* The upload's temporary file, when nginx wrote one in its body folder. */
static const char *upload_file(stint_req *r)
{
	const char *f = stint_req_env(r, "REQUEST_BODY_FILE");
	char want[4200];
	struct stat st;

	snprintf(want, sizeof(want), "%s/nginx/client_body_temp/", var_dir());
	if (f == NULL || strncmp(f, want, strlen(want)) != 0 || strstr(f, "..") != NULL ||
	    stat(f, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return NULL;
	return f;
}

static const stint_field upload_fields[] = {
	{ "kind", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, clip_kinds },
	{ "title", STINT_F_STRING, 0, 0, 200, NULL },
	{ "offset_sec", STINT_F_NUMBER, 0, -10000000, 10000000, NULL },
};

/* POST clips/upload?kind=video&title=...&offset_sec=...: the file is the body. */
static void upload_clip(stint_req *r)
{
	const char *tmp = upload_file(r), *ext, *ctype, *v;
	cJSON *clip = NULL, *errors = NULL;
	stint_media_info info;
	char rel[600], dir[80];
	struct stat st;

	if (stint_validate_query(&r->query, upload_fields, 3, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if (tmp == NULL) {
		stint_fail(r, 400, "no_file", "Send the media file as the request body.", NULL);
		return;
	}
	if (stint_media_probe(tmp, &info) != 0) {
		stint_fail(r, 415, "not_media", "The file is not audio or video that ffprobe can read.", NULL);
		return;
	}
	media_type(&info, &ext, &ctype);
	snprintf(dir, sizeof(dir), "media/%s", r->params[0]);
	if (keep_upload(tmp, dir, ext, rel, sizeof(rel)) != 0) {
		stint_fail(r, 500, "internal", "The file could not be stored.", NULL);
		return;
	}
	stat(tmp, &st);
	clip = cJSON_CreateObject();
	cJSON_AddStringToObject(clip, "kind", stint_kv_get(&r->query, "kind"));
	cJSON_AddStringToObject(clip, "title", (v = stint_kv_get(&r->query, "title")) ? v : "");
	cJSON_AddNumberToObject(clip, "offset_sec", (v = stint_kv_get(&r->query, "offset_sec")) ? strtod(v, NULL) : 0);
	cJSON_AddStringToObject(clip, "path", rel);
	cJSON_AddStringToObject(clip, "content_type", ctype);
	cJSON_AddNumberToObject(clip, "size_bytes", (double)st.st_size);
	cJSON_AddNumberToObject(clip, "duration_sec", info.duration_sec);
	create_clip_row(r, clip);
	if (r->status != 201) {
		char abs[4200];

		if (var_path(rel, abs, sizeof(abs)) == 0)
			unlink(abs);
	}
	cJSON_Delete(clip);
}

static void patch_clip(stint_req *r)
{
	cJSON *errors = NULL;
	char *result = NULL;
	stint_db_rc rc;

	if (!id_ok(r, "clip"))
		return;
	if (stint_validate_json(r->json, clip_patch_fields, 4, 1, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	rc = stint_timeline_move_clip(r, r->params[0], r->params[1], r->body.data, &result);
	if (rc == STINT_DB_INVALID && strcmp(r->db->constraint, "events_t_sec_check") == 0)
		stint_fail_field(r, "offset_sec", "would move an event of this clip before the session's start");
	else if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (result == NULL)
		stint_fail(r, 404, "not_found", "There is no such clip in this session.", NULL);
	else
		stint_resp_json_text(r, 200, result, strlen(result));
	free(result);
}

/* Delete a row whose statement returns its var-relative file; the file goes after commit. */
static void delete_with_file(stint_req *r, stint_sql id, const char *what, const char *action)
{
	PGresult *res = NULL;
	char abs[4200], msg[64];
	stint_db_rc rc;

	if (!id_ok(r, what))
		return;
	rc = stint_change(r, id, 2, r->params, action, what, r->params[1], NULL, &res);
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
	} else if (PQntuples(res) == 0) {
		snprintf(msg, sizeof(msg), "There is no such %s in this session.", what);
		stint_fail(r, 404, "not_found", msg, NULL);
	} else {
		if (*PQgetvalue(res, 0, 0) != '\0' && strncmp(PQgetvalue(res, 0, 0), "media/", 6) == 0 &&
		    var_path(PQgetvalue(res, 0, 0), abs, sizeof(abs)) == 0)
			unlink(abs);
		stint_resp_send(r, 204, NULL, NULL, 0);
	}
	PQclear(res);
}

static void delete_clip(stint_req *r)
{
	delete_with_file(r, STINT_SQL_CLIP_DELETE, "clip", "clip.delete");
}

/* Hand the file to nginx: X-Accel-Redirect to the internal /_files/ location. */
static void send_file(stint_req *r, const char *rel, const char *ctype, const char *name)
{
	stint_buf loc = STINT_BUF_INIT, disp = STINT_BUF_INIT;

	if (!stint_is_safe_relpath(rel)) {
		stint_fail(r, 404, "not_found", "The file is gone.", NULL);
		return;
	}
	stint_buf_printf(&loc, "/_files/%s", rel);
	stint_resp_header(r, "X-Accel-Redirect", loc.data);
	if (name != NULL) {
		stint_buf_puts(&disp, "attachment; filename*=UTF-8''");
		stint_url_arg(&disp, name);
		stint_resp_header(r, "Content-Disposition", disp.data);
	}
	stint_resp_header(r, "Cache-Control", "private, max-age=0");
	stint_resp_send(r, 200, ctype && *ctype ? ctype : NULL, NULL, 0);
	stint_buf_free(&loc);
	stint_buf_free(&disp);
}

static void download_clip(stint_req *r)
{
	PGresult *res = NULL;
	stint_db_rc rc;

	if (!id_ok(r, "clip"))
		return;
	rc = one_row(r, STINT_SQL_CLIP_FILE, 2, r->params, &res);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (res == NULL)
		stint_fail(r, 404, "not_found", "There is no such clip in this session.", NULL);
	else if (PQgetisnull(res, 0, 0))
		stint_fail(r, 404, "not_stored", "This clip is a reference; open its uri.", NULL);
	else
		send_file(r, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), NULL);
	PQclear(res);
}

static void list_artifacts(stint_req *r)
{
	send_json(r, 200, STINT_SQL_ARTIFACT_LIST, 1, r->params, "There is no such session.");
}

static void get_artifact(stint_req *r)
{
	if (id_ok(r, "artifact"))
		send_json(r, 200, STINT_SQL_ARTIFACT_GET, 2, r->params, "There is no such artifact in this session.");
}

static const stint_field artifact_fields[] = {
	{ "type", STINT_F_IDENT, STINT_F_REQUIRED, 1, 40, NULL },
	{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL },
};

/* POST artifacts/upload?type=export&name=notes.pdf: the file is the body. */
static void upload_artifact(stint_req *r)
{
	const char *tmp = upload_file(r), *ctype = stint_req_env(r, "CONTENT_TYPE");
	const char *p[6];
	cJSON *errors = NULL;
	char rel[600], dir[100], size[24];
	PGresult *res = NULL;
	struct stat st;
	stint_db_rc rc;

	if (stint_validate_query(&r->query, artifact_fields, 2, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if (tmp == NULL) {
		stint_fail(r, 400, "no_file", "Send the file as the request body.", NULL);
		return;
	}
	snprintf(dir, sizeof(dir), "media/%s", r->params[0]);
	if (keep_upload(tmp, dir, "bin", rel, sizeof(rel)) != 0 || stat(tmp, &st) != 0) {
		stint_fail(r, 500, "internal", "The file could not be stored.", NULL);
		return;
	}
	snprintf(size, sizeof(size), "%lld", (long long)st.st_size);
	p[0] = r->params[0];
	p[1] = stint_kv_get(&r->query, "type");
	p[2] = stint_kv_get(&r->query, "name");
	p[3] = rel;
	p[4] = ctype && *ctype && !strpbrk(ctype, "\r\n") && strlen(ctype) < 100 ? ctype : "application/octet-stream";
	p[5] = size;
	rc = stint_change(r, STINT_SQL_ARTIFACT_CREATE, 6, p, "artifact.add", "session", r->params[0], NULL, &res);
	if (rc != STINT_DB_OK || PQntuples(res) == 0) {
		char abs[4200];

		if (var_path(rel, abs, sizeof(abs)) == 0)
			unlink(abs);
		if (rc != STINT_DB_OK)
			stint_fail_db(r, rc);
		else
			stint_fail(r, 404, "not_found", "There is no such session.", NULL);
	} else {
		stint_resp_json_text(r, 201, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	}
	PQclear(res);
}

static void delete_artifact(stint_req *r)
{
	delete_with_file(r, STINT_SQL_ARTIFACT_DELETE, "artifact", "artifact.delete");
}

static void download_artifact(stint_req *r)
{
	PGresult *res = NULL;
	stint_db_rc rc;

	if (!id_ok(r, "artifact"))
		return;
	rc = one_row(r, STINT_SQL_ARTIFACT_FILE, 2, r->params, &res);
	if (rc != STINT_DB_OK)
		stint_fail_db(r, rc);
	else if (res == NULL)
		stint_fail(r, 404, "not_found", "There is no such artifact in this session.", NULL);
	else
		send_file(r, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	PQclear(res);
}

#define STINT_ROUTES_OF_media STINT_MINE
static const stint_route media_routes[] = {
#include "routes.def"
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"media", media_routes, sizeof(media_routes) / sizeof(media_routes[0]), NULL, NULL
	};

	return stint_server_main(argc, argv, &app);
}
