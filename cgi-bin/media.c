/*
 * media.c: a session's clips and artifacts, and their downloads.
 *
 * Clips are registered by reference (an https:// or s3:// URI, or a file
 * uploaded into the same session: stint_auth_media_file()) or uploaded:
 * nginx writes the upload to a temporary file (client_body_in_file_only)
 * and passes its name, so large files never pass through a handler's
 * memory; the handler checks it with ffprobe and links it into
 * var/media/<session>/. Downloads answer
 * X-Accel-Redirect after the access check; nginx serves the bytes (Range).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "escape.h"
#include "fail.h"
#include "media.h"
#include "probe.h"
#include "store.h"
#include "timeline.h"
#include "tx.h"
#include "validate.h"

static const char *const clip_kinds[] = { "video", "audio", NULL };

/* What registering a clip reads of its body (the rest is stored as sent). */
typedef struct clip_in {
	const char *kind;
	const char *uri, *file, *path;   /* exactly one of them */
	int duration_sent;        /* else the probed duration of file */
} clip_in;

/* The largest file a clip may be imported from the import folder: an upload's limit (lib/routes.def). */
#define IMPORT_MAX_BYTES (2048LL * 1024 * 1024)

static const stint_field clip_fields[] = {
	{ "kind", STINT_F_ENUM, 0, 0, 0, clip_kinds, STINT_DEST(clip_in, kind) },
	{ "title", STINT_F_STRING, STINT_F_NULLABLE, 0, 200, NULL, STINT_NO_DEST },
	{ "uri", STINT_F_STRING, 0, 8, 2000, NULL, STINT_DEST(clip_in, uri) },
	{ "file", STINT_F_STRING, 0, 1, 500, NULL, STINT_DEST(clip_in, file) },
	{ "path", STINT_F_STRING, 0, 1, 500, NULL, STINT_DEST(clip_in, path) },
	{ "offset_sec", STINT_F_NUMBER, 0, -10000000, 10000000, NULL, STINT_NO_DEST },
	{ "duration_sec", STINT_F_NUMBER, STINT_F_NULLABLE, 0, 10000000, NULL, STINT_NO_DEST,
	  STINT_PRESENT(clip_in, duration_sent) },
	{ "meta", STINT_F_OBJECT, 0, 0, 16384, NULL, STINT_NO_DEST },
};

/* On PATCH only these may change (moving a clip moves its events with it). */
static const stint_field clip_patch_fields[] = {
	{ "title", STINT_F_STRING, STINT_F_NULLABLE, 0, 200, NULL, STINT_NO_DEST },
	{ "offset_sec", STINT_F_NUMBER, 0, -10000000, 10000000, NULL, STINT_NO_DEST },
	{ "duration_sec", STINT_F_NUMBER, STINT_F_NULLABLE, 0, 10000000, NULL, STINT_NO_DEST },
	{ "meta", STINT_F_OBJECT, 0, 0, 16384, NULL, STINT_NO_DEST },
};

static const char *var_dir(void)
{
	return stint_config_get("var_dir", "var");
}

static void list_clips(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_clip_list(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

typedef stint_db_rc get_fn(stint_db *db, const char *sid, const char *id, char **json);

/* GET a clip or an artifact (what) with its module's get. */
static void get_row(stint_req *r, get_fn *get, const char *missing)
{
	char *json = NULL;
	stint_db_rc rc = get(r->db, r->params[0], r->params[1], &json);

	stint_answer_json_text(r, rc, 200, json, missing);
}

static void get_clip(stint_req *r)
{
	get_row(r, stint_clip_get, "There is no such clip in this session.");
}

/* Add clip (validated) to the session and answer 201; 0, or -1 when it was not added. */
static int create_clip_row(stint_req *r, cJSON *clip)
{
	char *text = cJSON_PrintUnformatted(clip), *json = NULL;
	stint_db_rc rc;
	stint_tx tx;
	int added;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (text == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	stint_clip_create(&tx, r->params[0], text, &json);
	rc = stint_tx_end(&tx);
	added = rc == STINT_DB_OK && json != NULL;
	stint_answer_json_text(r, rc, 201, json, "There is no such session.");
	free(text);
	return added ? 0 : -1;
}

/*
 * Store the complete file tmp for session sid (stint_store_place, linked in
 * local mode) with its name in rel and its storage in *storage; on a failure
 * answer 503 (S3 could not take it) or 500 and return -1.
 */
static int place(stint_req *r, const char *tmp, const char *ext, const char *ctype, char *rel, size_t size,
		 const char **storage)
{
	char why[512];
	stint_store_rc rc = stint_store_place(tmp, STINT_PLACE_LINK, r->params[0], ext, ctype, rel, size, storage,
					      why, sizeof(why));

	if (rc == STINT_STORE_OK)
		return 0;
	if (rc == STINT_STORE_UNAVAILABLE) {
		stint_resp_header(r, "Retry-After", "30");
		stint_fail(r, 503, "storage_unavailable", "The media storage (S3) could not take the file; send it again later.",
			   NULL);
	} else {
		stint_fail(r, 500, "internal", "The file could not be stored.", NULL);
	}
	return -1;
}

/*
 * The clip of body in (validated) from the import folder's file in.path
 * (lib/media.h's stint_media_import: copied, probed as an upload is, stored
 * in the session's folder): add it and answer, or answer 422 naming path
 * or kind. A kind not sent is the probe's (video when it has a moving
 * picture); a title not sent is the path.
 */
static void import_clip(stint_req *r, const clip_in *in)
{
	static const char *const why[] = {
		[STINT_FETCH_NO_FOLDER] = "cannot be imported: this server has no import folder (setting import_dir)",
		[STINT_FETCH_MISSING] = "names no file in the import folder",
		[STINT_FETCH_OUTSIDE] = "must name a file inside the import folder (a relative path of letters, digits, "
					 "'.', '_', '-' and '/', no '..', no link leading out)",
		[STINT_FETCH_TOO_LARGE] = "names a file larger than 2 GiB",
	};
	const char *kind = in->kind, *ext, *ctype, *storage;
	char tmp[4300], rel[600];
	stint_media_info info;
	struct stat st;
	cJSON *clip = NULL;
	stint_fetch_rc rc = stint_media_import(in->path, r->params[0], IMPORT_MAX_BYTES, tmp, sizeof(tmp));

	if (rc == STINT_FETCH_FAILED) {
		stint_fail(r, 500, "internal", "The file could not be copied.", NULL);
		return;
	}
	if (rc != STINT_FETCH_OK) {
		stint_fail_field(r, "path", why[rc]);
		return;
	}
	if (stint_media_probe(tmp, &info) != 0) {
		stint_fail_field(r, "path", "is not audio or video that ffprobe can read");
		goto out;
	}
	if (kind == NULL)
		kind = info.has_video ? "video" : "audio";
	if (!stint_media_fits_kind(&info, kind)) {
		stint_fail_field(r, "kind", "does not fit the file: a video needs a moving picture, audio an audio stream");
		goto out;
	}
	stint_media_type(&info, &ext, &ctype);
	if (stat(tmp, &st) != 0) {
		stint_fail(r, 500, "internal", "The file could not be stored.", NULL);
		goto out;
	}
	if (place(r, tmp, ext, ctype, rel, sizeof(rel), &storage) != 0)
		goto out;
	clip = cJSON_Duplicate(r->json, 1);
	cJSON_DeleteItemFromObject(clip, "path");
	cJSON_DeleteItemFromObject(clip, "kind");
	cJSON_DeleteItemFromObject(clip, "storage");
	cJSON_AddStringToObject(clip, "storage", storage);
	cJSON_AddStringToObject(clip, "kind", kind);
	if (!cJSON_IsString(cJSON_GetObjectItem(clip, "title"))) {
		cJSON_DeleteItemFromObject(clip, "title");
		cJSON_AddStringToObject(clip, "title", in->path);
	}
	cJSON_AddStringToObject(clip, "path", rel);
	cJSON_AddStringToObject(clip, "content_type", ctype);
	cJSON_AddNumberToObject(clip, "size_bytes", (double)st.st_size);
	if (!in->duration_sent)
		cJSON_AddNumberToObject(clip, "duration_sec", info.duration_sec);
	if (create_clip_row(r, clip) != 0)
		stint_store_unlink(rel);
out:
	cJSON_Delete(clip);
	unlink(tmp);
}

/*
 * POST clips (JSON): a reference to a URI or to a file uploaded into this
 * session, or a file of the import folder (path).
 */
static void register_clip(stint_req *r)
{
	cJSON *errors = NULL, *clip;
	clip_in in = { NULL, NULL, NULL, NULL, 0 };
	stint_media_info info;
	char rel[600], abs[4200], why[512];
	int fetched = 0;
	stint_store_rc got = STINT_STORE_FAILED;

	if (stint_validate_json(r->json, STINT_SPEC(clip_fields), 0, &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if ((in.uri != NULL) + (in.file != NULL) + (in.path != NULL) != 1) {
		stint_fail_field(r, "uri", "give one of uri, file and path");
		return;
	}
	if (in.path != NULL) {
		import_clip(r, &in);
		return;
	}
	if (in.kind == NULL) {
		stint_fail_field(r, "kind", "is required (video or audio)");
		return;
	}
	if (in.uri != NULL && strncmp(in.uri, "https://", 8) != 0 && strncmp(in.uri, "s3://", 5) != 0) {
		stint_fail_field(r, "uri", "must start with https:// or s3://");
		return;
	}
	clip = cJSON_Duplicate(r->json, 1);
	cJSON_DeleteItemFromObject(clip, "storage");  /* the server's to say (migration 0029) */
	if (in.file != NULL) {
		snprintf(rel, sizeof(rel), "media/%s", in.file);
		if (!stint_auth_media_file(r, r->params[0], in.file) ||
		    (got = stint_store_local(rel, abs, sizeof(abs), &fetched, why, sizeof(why))) == STINT_STORE_FAILED) {
			stint_fail_field(r, "file", "must name a file uploaded into this session (<session id>/<name>)");
			goto out;
		}
		if (got == STINT_STORE_UNAVAILABLE) {  /* in the media bucket, which cannot be reached */
			stint_resp_header(r, "Retry-After", "30");
			stint_fail(r, 503, "storage_unavailable", "The media storage (S3) cannot be reached; try again later.", NULL);
			goto out;
		}
		if (stint_media_probe(abs, &info) != 0) {
			stint_fail_field(r, "file", "is not a media file in the media folder (ffprobe cannot read it)");
			goto out;
		}
		if (!stint_media_fits_kind(&info, cJSON_GetStringValue(cJSON_GetObjectItem(r->json, "kind")))) {
			stint_fail_field(r, "kind", "does not fit the file: a video needs a moving picture, audio an audio stream");
			goto out;
		}
		cJSON_DeleteItemFromObject(clip, "file");
		cJSON_AddStringToObject(clip, "path", rel);
		if (fetched)  /* the same object as the clip it was uploaded as */
			cJSON_AddStringToObject(clip, "storage", STINT_STORAGE_S3);
		if (!in.duration_sent)
			cJSON_AddNumberToObject(clip, "duration_sec", info.duration_sec);
	}
	create_clip_row(r, clip);
out:
	if (fetched)
		unlink(abs);
	cJSON_Delete(clip);
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

typedef struct upload_in {
	const char *kind, *title;
	double offset_sec;
} upload_in;

static const stint_field upload_fields[] = {
	{ "kind", STINT_F_ENUM, STINT_F_REQUIRED, 0, 0, clip_kinds, STINT_DEST(upload_in, kind) },
	{ "title", STINT_F_STRING, 0, 0, 200, NULL, STINT_DEST(upload_in, title) },
	{ "offset_sec", STINT_F_NUMBER, 0, -10000000, 10000000, NULL, STINT_DEST(upload_in, offset_sec) },
};

/* POST clips/upload?kind=video&title=...&offset_sec=...: the file is the body. */
static void upload_clip(stint_req *r)
{
	const char *tmp = upload_file(r), *ext, *ctype, *storage;
	upload_in in = { NULL, "", 0 };
	cJSON *clip = NULL, *errors = NULL;
	stint_media_info info;
	char rel[600];
	struct stat st;

	if (stint_validate_query(&r->query, STINT_SPEC(upload_fields), &in, &errors) != 0) {
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
	if (!stint_media_fits_kind(&info, in.kind)) {
		stint_fail_field(r, "kind", "does not fit the file: a video needs a moving picture, audio an audio stream");
		return;
	}
	stint_media_type(&info, &ext, &ctype);
	if (place(r, tmp, ext, ctype, rel, sizeof(rel), &storage) != 0)
		return;
	stat(tmp, &st);
	clip = cJSON_CreateObject();
	cJSON_AddStringToObject(clip, "kind", in.kind);
	cJSON_AddStringToObject(clip, "title", in.title);
	cJSON_AddNumberToObject(clip, "offset_sec", in.offset_sec);
	cJSON_AddStringToObject(clip, "path", rel);
	cJSON_AddStringToObject(clip, "content_type", ctype);
	cJSON_AddNumberToObject(clip, "size_bytes", (double)st.st_size);
	cJSON_AddNumberToObject(clip, "duration_sec", info.duration_sec);
	cJSON_AddStringToObject(clip, "storage", storage);
	if (create_clip_row(r, clip) != 0)
		stint_store_unlink(rel);
	cJSON_Delete(clip);
}

static void patch_clip(stint_req *r)
{
	cJSON *errors = NULL;
	char *result = NULL;
	stint_db_rc rc;
	stint_tx tx;

	if (stint_validate_json(r->json, STINT_SPEC(clip_patch_fields), 1, NULL, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_timeline_move_clip(&tx, r->params[0], r->params[1], r->body.data, &result);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_INVALID && strcmp(r->db->constraint, "events_t_sec_check") == 0) {
		stint_fail_field(r, "offset_sec", "would move an event of this clip before the session's start");
		free(result);
		return;
	}
	stint_answer_json_text(r, rc, 200, result, "There is no such clip in this session.");
}

typedef stint_db_rc delete_fn(stint_tx *tx, const char *sid, const char *id, int *found, char **file);

/* DELETE a clip or an artifact (what) with its module's del; its file goes only once that is committed. */
static void delete_row(stint_req *r, delete_fn *del, const char *what)
{
	char *file = NULL, msg[64];
	stint_db_rc rc;
	stint_tx tx;
	int found = 0;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	del(&tx, r->params[0], r->params[1], &found, &file);
	rc = stint_tx_end(&tx);
	snprintf(msg, sizeof(msg), "There is no such %s in this session.", what);
	if (stint_found_or_fail(r, rc, found, msg)) {
		stint_store_unlink(file);
		stint_resp_send(r, 204, NULL, NULL, 0);
	}
	free(file);
}

static void delete_clip(stint_req *r)
{
	delete_row(r, stint_clip_delete, "clip");
}

/*
 * Hand the file to nginx: X-Accel-Redirect to the internal /_files/
 * location, or for a file in the media bucket (storage s3) to /_s3/, which
 * proxies a request presigned for a minute to S3 (lib/store.h).
 */
static void send_file(stint_req *r, const char *rel, const char *ctype, const char *name, const char *storage)
{
	stint_buf loc = STINT_BUF_INIT, disp = STINT_BUF_INIT;
	char s3[4200];

	if (!stint_is_safe_relpath(rel)) {
		stint_fail(r, 404, "not_found", "The file is gone.", NULL);
		return;
	}
	if (storage != NULL && strcmp(storage, STINT_STORAGE_S3) == 0) {
		if (stint_store_accel(rel, r->is_head, s3, sizeof(s3)) != 0) {
			stint_fail(r, 503, "storage_unavailable", "The media storage (S3) is not configured on this server.", NULL);
			return;
		}
		stint_buf_puts(&loc, s3);
	} else {
		stint_buf_printf(&loc, "/_files/%s", rel);
	}
	stint_resp_header(r, "X-Accel-Redirect", loc.data);
	if (name != NULL) {
		/*
		 * A team report's page (reports/, written by bin/stint-report from its own escaped
		 * templates) opens in the browser ("View report"): nginx serves reports/ with a CSP that
		 * runs no script and loads nothing (conf/nginx/stint.conf.in). Every other file, uploaded
		 * HTML included, stays an attachment.
		 */
		int page = strncmp(rel, "reports/", 8) == 0 && ctype != NULL && strncmp(ctype, "text/html", 9) == 0;

		stint_buf_puts(&disp, page ? "inline; filename*=UTF-8''" : "attachment; filename*=UTF-8''");
		stint_url_arg(&disp, name);
		stint_resp_header(r, "Content-Disposition", disp.data);
	}
	stint_resp_header(r, "Cache-Control", "private, max-age=0");
	stint_resp_send(r, 200, ctype && *ctype ? ctype : NULL, NULL, 0);
	stint_buf_free(&loc);
	stint_buf_free(&disp);
}

typedef stint_db_rc file_fn(stint_db *db, const char *sid, const char *id, int *found, stint_media_file *f);

/* Download a clip's or an artifact's stored file, found with its module's file. */
static void download_row(stint_req *r, file_fn *file, const char *missing)
{
	stint_media_file f;
	int found;
	stint_db_rc rc = file(r->db, r->params[0], r->params[1], &found, &f);

	if (stint_found_or_fail(r, rc, found, missing)) {
		if (f.path == NULL)  /* a clip that is a reference; artifacts are always stored */
			stint_fail(r, 404, "not_stored", "This clip is a reference; open its uri.", NULL);
		else
			send_file(r, f.path, f.content_type, f.name, f.storage);
	}
	stint_media_file_free(&f);
}

static void download_clip(stint_req *r)
{
	download_row(r, stint_clip_file, "There is no such clip in this session.");
}

static void list_artifacts(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_artifact_list(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

static void get_artifact(stint_req *r)
{
	get_row(r, stint_artifact_get, "There is no such artifact in this session.");
}

/* An artifact's meta travels in the address: 4 KiB keeps the request line well inside nginx's 8 KiB. */
#define ARTIFACT_META_MAX 4096

typedef struct artifact_in {
	const char *type, *name, *clip_id, *meta;
} artifact_in;

static const stint_field artifact_fields[] = {
	{ "type", STINT_F_IDENT, STINT_F_REQUIRED, 1, 40, NULL, STINT_DEST(artifact_in, type) },
	{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_DEST(artifact_in, name) },
	{ "clip_id", STINT_F_STRING, 0, 1, 18, NULL, STINT_DEST(artifact_in, clip_id) },
	{ "meta", STINT_F_STRING, 0, 2, ARTIFACT_META_MAX, NULL, STINT_DEST(artifact_in, meta) },
};

/* 1 when s is a row id: 1 to 18 digits. */
static int is_row_id(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 18 && s[n] == '\0';
}

/* 1 when an object in j, at any depth, names a key twice, else 0. */
static int has_duplicate_key(const cJSON *j)
{
	const cJSON *a, *b;

	for (a = j != NULL ? j->child : NULL; a != NULL; a = a->next) {
		for (b = a->next; cJSON_IsObject(j) && b != NULL; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return 1;
		if (has_duplicate_key(a))
			return 1;
	}
	return 0;
}

/*
 * 1 when text is a JSON object that PostgreSQL's jsonb stores as sent: no
 * key twice in any object (which one counts would be the reader's choice),
 * no \u0000 (jsonb refuses it); else 0.
 */
static int is_json_object(const char *text)
{
	cJSON *o = strstr(text, "\\u0000") == NULL ? cJSON_Parse(text) : NULL;
	int ok = cJSON_IsObject(o) && !has_duplicate_key(o);

	cJSON_Delete(o);
	return ok;
}

/*
 * POST artifacts/upload?type=heatmap&name=h.png[&clip_id=N][&meta={...}]:
 * the file is the body; clip_id a clip of this session, meta a JSON object
 * (4 KiB at most; seed 000's attach_artifact metadata).
 */
static void upload_artifact(stint_req *r)
{
	const char *tmp = upload_file(r), *ctype = stint_req_env(r, "CONTENT_TYPE");
	stint_artifact_new a;
	const char *storage;
	artifact_in in = { NULL, NULL, NULL, NULL };
	cJSON *errors = NULL;
	char rel[600], *json = NULL;
	struct stat st;
	stint_db_rc rc;
	stint_tx tx;

	if (stint_validate_query(&r->query, STINT_SPEC(artifact_fields), &in, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if (in.clip_id != NULL && !is_row_id(in.clip_id)) {
		stint_fail_field(r, "clip_id", "must be a clip's id (digits)");
		return;
	}
	if (in.meta != NULL && !is_json_object(in.meta)) {
		stint_fail_field(r, "meta", "must be a JSON object (at most 4 KiB), each key once, without \\u0000");
		return;
	}
	if (tmp == NULL) {
		stint_fail(r, 400, "no_file", "Send the file as the request body.", NULL);
		return;
	}
	a.content_type = ctype && *ctype && !strpbrk(ctype, "\r\n") && strlen(ctype) < 100 ? ctype : "application/octet-stream";
	if (stat(tmp, &st) != 0) {
		stint_fail(r, 500, "internal", "The file could not be stored.", NULL);
		return;
	}
	if (place(r, tmp, "bin", a.content_type, rel, sizeof(rel), &storage) != 0)
		return;
	a.type = in.type;
	a.name = in.name;
	a.path = rel;
	a.size_bytes = (long long)st.st_size;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_artifact_attach_stored(&tx, r->params[0], &a, storage, in.meta, in.clip_id, &json);
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK || json == NULL)
		stint_store_unlink(rel);
	if (rc == STINT_DB_OK && json == NULL && in.clip_id != NULL)
		stint_fail_field(r, "clip_id", "is no clip of this session");
	else
		stint_answer_json_text(r, rc, 201, json, "There is no such session.");
}

static void delete_artifact(stint_req *r)
{
	delete_row(r, stint_artifact_delete, "artifact");
}

static void download_artifact(stint_req *r)
{
	download_row(r, stint_artifact_file, "There is no such artifact in this session.");
}

#define STINT_PROGRAM_NAME "media"
#define STINT_PROGRAM_INIT stint_analysis_worker_init
#define STINT_ROUTES_OF_media STINT_MINE
#include "program.h"
