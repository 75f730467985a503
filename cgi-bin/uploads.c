/*
 * uploads.c: resumable media uploads into a session, tus 1.0.0
 * (https://tus.io/protocols/resumable-upload: the core protocol, with the
 * creation, expiration and termination extensions; docs/uploads.md).
 *
 *   POST   /api/v1/sessions/<id>/uploads        Upload-Length, Upload-Metadata
 *          (kind video|audio or filetype video/...|audio/..., filename, title,
 *          offset_sec) -> 201 Location: .../uploads/<upload id>
 *   HEAD   .../uploads/<upload id>              -> Upload-Offset, Upload-Length
 *   PATCH  .../uploads/<upload id>              Upload-Offset, the next bytes
 *          as application/offset+octet-stream -> 204 Upload-Offset
 *   DELETE .../uploads/<upload id>              -> 204
 *
 * nginx writes each PATCH body to a file (client_body_in_file_only) and the
 * handler appends that file to the upload's part file (lib/upload.h). The
 * PATCH that completes the upload checks it with ffprobe (415 when it is not
 * the declared kind: the upload is removed), renames it into the session's
 * media folder (or, with media_storage s3, sends it to the media bucket and
 * then removes the part file: lib/store.h) and adds it as a clip at its
 * offset_sec. Only the session's editor who created an upload may use it:
 * anyone else gets 404.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "fail.h"
#include "media.h"
#include "probe.h"
#include "store.h"
#include "tx.h"
#include "upload.h"

#define TUS_VERSION "1.0.0"
#define GIB (1024LL * 1024LL * 1024LL)

/* An upload's row (UPLOAD_GET / UPLOAD_LOCK). */
typedef struct upload_row {
	char kind[8], title[201], expires[40];
	double offset_sec;
	long long length, offset;
} upload_row;

/* Hours an unfinished upload is kept after its last PATCH: setting upload_expire_hours (24). */
static const char *expire_hours(char *buf, size_t size)
{
	snprintf(buf, size, "%ld", stint_config_int("upload_expire_hours", 24, 1, 24 * 365));
	return buf;
}

/*
 * Parse a header's decimal digits (no sign, no space) into *out; -1 when the
 * header is missing, empty, not digits or above 2^62.
 */
static int header_count(const stint_req *r, const char *name, long long *out)
{
	const char *v = stint_req_env(r, name);
	long long n = 0;

	if (v == NULL || *v == '\0' || strlen(v) > 18 || strspn(v, "0123456789") != strlen(v))
		return -1;
	for (; *v; v++)
		n = n * 10 + (*v - '0');
	*out = n;
	return 0;
}

/*
 * Every answer carries Tus-Resumable; a request that names another version
 * (or none) gets 412 with Tus-Version. Returns 0 to go on.
 */
static int tus_begin(stint_req *r)
{
	const char *v = stint_req_env(r, "HTTP_TUS_RESUMABLE");

	stint_resp_header(r, "Tus-Resumable", TUS_VERSION);
	if (v != NULL && strcmp(v, TUS_VERSION) == 0)
		return 0;
	stint_resp_header(r, "Tus-Version", TUS_VERSION);
	stint_fail(r, 412, "tus_version", "Send Tus-Resumable: " TUS_VERSION ".", NULL);
	return -1;
}

/* Read Upload-Metadata into m; answers 422 naming the field itself and returns -1 on a bad one. */
static int read_meta(stint_req *r, stint_upload_meta *m)
{
	const char *problem = NULL, *field = stint_upload_meta_parse(stint_req_env(r, "HTTP_UPLOAD_METADATA"), m, &problem);

	if (field == NULL)
		return 0;
	stint_fail_field(r, field, problem);
	return -1;
}

/* POST uploads: a new upload of Upload-Length bytes (tus "Creation"). */
static void create_upload(stint_req *r)
{
	char off[32], hours[16], loc[160], size[24], *id = NULL, *body = NULL;
	long long length, free_bytes, reserve;
	stint_upload_meta m;
	stint_db_rc rc;
	stint_tx tx;

	if (tus_begin(r) != 0)
		return;
	snprintf(size, sizeof(size), "%lld", stint_upload_max_bytes());
	stint_resp_header(r, "Tus-Max-Size", size);
	if (header_count(r, "HTTP_UPLOAD_LENGTH", &length) != 0 || length == 0) {
		stint_fail_field(r, "Upload-Length", "must be the file's size in bytes, at least 1 (Upload-Defer-Length is not supported)");
		return;
	}
	if (length > stint_upload_max_bytes()) {
		stint_fail(r, 413, "too_large", "The file is larger than this server accepts (Tus-Max-Size).", NULL);
		return;
	}
	if (read_meta(r, &m) != 0)
		return;
	reserve = (long long)stint_config_int("upload_reserve_bytes", 1024L * 1024L * 1024L, 0, 1024 * GIB);
	if (stint_upload_free_bytes(&free_bytes) != 0 || free_bytes < length + reserve) {
		stint_fail(r, 507, "insufficient_storage", "The server has not enough free disk space for this file.", NULL);
		return;
	}
	snprintf(off, sizeof(off), "%.17g", m.offset_sec);
	snprintf(size, sizeof(size), "%lld", length);
	{
		const char *p[8] = { r->params[0], r->user.id_text, m.kind, m.filename, m.title, off, size,
				     expire_hours(hours, sizeof(hours)) };

		stint_tx_begin(&tx, r->db, r->user.id_text);
		stint_tx_text(&tx, STINT_SQL_UPLOAD_CREATE, 8, p, &id);
		if (id != NULL)
			stint_tx_audit(&tx, "upload.create", "session", r->params[0], NULL);
		rc = stint_tx_end(&tx);
	}
	if (rc == STINT_DB_OK && id != NULL) {
		snprintf(loc, sizeof(loc), "/api/v1/sessions/%s/uploads/%s", r->params[0], id);
		stint_resp_header(r, "Location", loc);
		size_t n = strlen(id) + strlen(loc) + 64;

		body = malloc(n);
		if (body != NULL)
			snprintf(body, n, "{\"id\":\"%s\",\"upload_url\":\"%s\",\"upload_offset\":0}", id, loc);
	}
	free(id);
	stint_answer_json_text(r, rc, 201, body, "There is no such session.");
}

/*
 * Read the upload row (UPLOAD_GET, or UPLOAD_LOCK in tx); *found 0 when
 * none. Its offset is what the part file holds of it (stint_upload_held).
 */
static stint_db_rc read_row(stint_req *r, stint_tx *tx, upload_row *u, int *found)
{
	const char *p[3] = { r->params[0], r->params[1], r->user.id_text };
	PGresult *res = NULL;
	char part[4200];
	stint_db_rc rc = tx != NULL ? stint_tx_exec(tx, STINT_SQL_UPLOAD_LOCK, 3, p, &res) :
			 stint_db_exec(r->db, STINT_SQL_UPLOAD_GET, 3, p, &res);

	*found = rc == STINT_DB_OK && PQntuples(res) > 0;
	if (*found) {
		snprintf(u->kind, sizeof(u->kind), "%s", stint_db_cell(res, 0, "kind"));
		snprintf(u->title, sizeof(u->title), "%s", stint_db_cell(res, 0, "title"));
		snprintf(u->expires, sizeof(u->expires), "%s", stint_db_cell(res, 0, "expires"));
		u->offset_sec = strtod(stint_db_cell(res, 0, "offset_sec"), NULL);
		u->length = strtoll(stint_db_cell(res, 0, "upload_length"), NULL, 10);
		u->offset = strtoll(stint_db_cell(res, 0, "upload_offset"), NULL, 10);
		if (stint_upload_part_path(r->params[1], part, sizeof(part)) != 0)
			*found = 0;
		else
			u->offset = stint_upload_held(part, u->offset);
	}
	PQclear(res);
	return rc;
}

/* Upload-Offset: n. */
static void offset_header(stint_req *r, long long n)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", n);
	stint_resp_header(r, "Upload-Offset", v);
}

/* HEAD (and GET, as JSON) an upload: how many bytes it holds. */
static void get_upload(stint_req *r)
{
	upload_row u;
	char len[24], body[200];
	int found;
	stint_db_rc rc;

	if (!r->is_head)  /* GET: the same as JSON, for any client */
		stint_resp_header(r, "Tus-Resumable", TUS_VERSION);
	else if (tus_begin(r) != 0)
		return;
	rc = read_row(r, NULL, &u, &found);
	if (!stint_found_or_fail(r, rc, found, "There is no such upload (finished, removed or expired)."))
		return;
	offset_header(r, u.offset);
	snprintf(len, sizeof(len), "%lld", u.length);
	stint_resp_header(r, "Upload-Length", len);
	stint_resp_header(r, "Upload-Expires", u.expires);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"kind\":\"%s\",\"upload_length\":%lld,\"upload_offset\":%lld}",
		 r->params[1], u.kind, u.length, u.offset);
	stint_resp_json_text(r, 200, body, strlen(body));
}

/* The PATCH body nginx wrote, when it did (NULL: an empty body) in its body folder. */
static int chunk_file(stint_req *r, const char **path, long long *size)
{
	const char *f = stint_req_env(r, "REQUEST_BODY_FILE");
	char want[4200];
	struct stat st;

	*path = NULL;
	*size = 0;
	if (f == NULL || *f == '\0')
		return 0;
	snprintf(want, sizeof(want), "%s/nginx/client_body_temp/", stint_config_get("var_dir", "var"));
	if (strncmp(f, want, strlen(want)) != 0 || strstr(f, "..") != NULL || stat(f, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return -1;
	*path = f;
	*size = (long long)st.st_size;
	return 0;
}

/*
 * In tx, the upload complete in part: check it with ffprobe, rename it into
 * the media folder or send it to S3 (stint_store_place; its name in rel)
 * and add its clip (JSON in *clip). Returns 415 when it is not media (the
 * upload's row removed in tx), 503 when S3 could not take it (part kept),
 * 0 when the clip is added, -1 on another failure.
 */
static int finish(stint_req *r, stint_tx *tx, const upload_row *u, const char *part, char *rel,
		  size_t size, char **clip)
{
	const char *p[3] = { r->params[0], r->params[1], r->user.id_text }, *ext, *ctype, *storage;
	stint_media_info info;
	struct stat st;
	stint_store_rc placed;
	char why[512];
	cJSON *c;
	char *text;

	if (stint_media_probe(part, &info) != 0 || !stint_media_fits_kind(&info, u->kind)) {
		stint_tx_exec(tx, STINT_SQL_UPLOAD_DELETE, 3, p, NULL);
		return 415;
	}
	stint_media_type(&info, &ext, &ctype);
	if (stat(part, &st) != 0)
		return -1;
	placed = stint_store_place(part, STINT_PLACE_RENAME, r->params[0], ext, ctype, rel, size, &storage, why,
				   sizeof(why));
	if (placed != STINT_STORE_OK)
		return placed == STINT_STORE_UNAVAILABLE ? 503 : -1;
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "kind", u->kind);
	cJSON_AddStringToObject(c, "title", u->title);
	cJSON_AddNumberToObject(c, "offset_sec", u->offset_sec);
	cJSON_AddStringToObject(c, "path", rel);
	cJSON_AddStringToObject(c, "content_type", ctype);
	cJSON_AddNumberToObject(c, "size_bytes", (double)st.st_size);
	cJSON_AddNumberToObject(c, "duration_sec", info.duration_sec);
	cJSON_AddStringToObject(c, "storage", storage);
	text = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	if (text == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_clip_create(tx, r->params[0], text, clip);
	stint_tx_exec(tx, STINT_SQL_UPLOAD_DELETE, 3, p, NULL);
	free(text);
	return tx->rc == STINT_DB_OK && *clip != NULL ? 0 : -1;
}

/* The clip's id in its JSON text, into out ("" when none). */
static void clip_id(const char *json, char *out, size_t size)
{
	cJSON *c = json ? cJSON_Parse(json) : NULL;
	const cJSON *id = cJSON_GetObjectItem(c, "id");

	if (cJSON_IsNumber(id))
		snprintf(out, size, "%.0f", id->valuedouble);
	else
		snprintf(out, size, "0");
	cJSON_Delete(c);
}

/* PATCH an upload: append the body at Upload-Offset; the last one makes the clip. */
static void patch_upload(stint_req *r)
{
	const char *ct = stint_req_env(r, "CONTENT_TYPE"), *chunk;
	char part[4200], rel[600] = "", hours[16], id[24], loc[160], *expires = NULL, *clip = NULL;
	long long at, size, added = 0;
	int found = 0, done = 0, verdict = 0;
	upload_row u;
	stint_db_rc rc;
	stint_tx tx;

	if (tus_begin(r) != 0)
		return;
	if (ct == NULL || strcasecmp(ct, "application/offset+octet-stream") != 0) {
		stint_fail(r, 415, "unsupported_media_type", "Send the bytes as application/offset+octet-stream.", NULL);
		return;
	}
	if (header_count(r, "HTTP_UPLOAD_OFFSET", &at) != 0) {
		stint_fail_field(r, "Upload-Offset", "must be the offset in bytes the body starts at");
		return;
	}
	if (chunk_file(r, &chunk, &size) != 0 || stint_upload_part_path(r->params[1], part, sizeof(part)) != 0) {
		stint_fail(r, 500, "internal", "The upload's files could not be found.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	read_row(r, &tx, &u, &found);
	if (tx.rc != STINT_DB_OK || !found) {
		stint_tx_cancel(&tx);
		stint_found_or_fail(r, stint_tx_end(&tx), 0, "There is no such upload (finished, removed or expired).");
		return;
	}
	if (at != u.offset || at + size > u.length) {
		stint_tx_cancel(&tx);
		stint_tx_end(&tx);
		offset_header(r, u.offset);
		if (at != u.offset)
			stint_fail(r, 409, "offset_mismatch", "Upload-Offset is not the upload's offset (see its Upload-Offset).", NULL);
		else
			stint_fail(r, 413, "too_large", "The body goes past the upload's Upload-Length.", NULL);
		return;
	}
	if (stint_upload_append(part, at, chunk, at + size == u.length, &added) != 0) {
		stint_tx_fail(&tx, STINT_DB_ERROR);
		stint_tx_end(&tx);
		stint_fail(r, errno == ENOSPC ? 507 : 500, errno == ENOSPC ? "insufficient_storage" : "internal",
			   "The bytes could not be stored.", NULL);
		return;
	}
	{
		char next[24];
		const char *p[3] = { r->params[1], next, expire_hours(hours, sizeof(hours)) };

		snprintf(next, sizeof(next), "%lld", at + added);
		stint_tx_text(&tx, STINT_SQL_UPLOAD_ADVANCE, 3, p, &expires);
	}
	done = at + added == u.length;
	if (done && tx.rc == STINT_DB_OK)
		verdict = finish(r, &tx, &u, part, rel, sizeof(rel), &clip);
	if (verdict == -1 || verdict == 503)  /* not made a clip: the offset stays where it was */
		stint_tx_fail(&tx, STINT_DB_ERROR);
	rc = stint_tx_end(&tx);
	if (verdict == 415 && rc == STINT_DB_OK) {
		unlink(part);
		stint_fail(r, 415, "not_media", u.kind[0] == 'v' ?
			   "The file is not a video that ffprobe can read; the upload is removed." :
			   "The file is not audio that ffprobe can read; the upload is removed.", NULL);
	} else if (verdict == 503) {
		stint_resp_header(r, "Retry-After", "30");
		stint_fail(r, 503, "storage_unavailable", "The media storage (S3) could not take the file. The upload is "
			   "kept: send its last chunk again later.", NULL);
	} else if (rc != STINT_DB_OK || verdict != 0) {
		if (rel[0] != '\0')
			stint_store_unlink(rel);
		if (rc != STINT_DB_OK)
			stint_fail_db(r, rc);
		else
			stint_fail(r, 500, "internal", "The upload could not be made a clip.", NULL);
	} else {
		offset_header(r, at + added);
		if (expires != NULL && !done)
			stint_resp_header(r, "Upload-Expires", expires);
		if (done) {
			if (stint_store_is_s3())  /* in the bucket now; local mode renamed it */
				unlink(part);
			clip_id(clip, id, sizeof(id));
			snprintf(loc, sizeof(loc), "/api/v1/sessions/%s/clips/%s", r->params[0], id);
			stint_resp_header(r, "Stint-Clip", loc);
		}
		stint_resp_send(r, 204, NULL, NULL, 0);
	}
	free(expires);
	free(clip);
}

/* DELETE an upload (tus "Termination"): its row, then its bytes. */
static void delete_upload(stint_req *r)
{
	const char *p[3] = { r->params[0], r->params[1], r->user.id_text };
	char part[4200], *id = NULL;
	stint_db_rc rc;
	stint_tx tx;

	if (tus_begin(r) != 0)
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_tx_text(&tx, STINT_SQL_UPLOAD_DELETE, 3, p, &id);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, id != NULL, "There is no such upload (finished, removed or expired).")) {
		if (stint_upload_part_path(r->params[1], part, sizeof(part)) == 0)
			unlink(part);
		stint_resp_send(r, 204, NULL, NULL, 0);
	}
	free(id);
}

/* OPTIONS uploads: what this server speaks (tus 1.0 "OPTIONS"). */
static void upload_options(stint_req *r)
{
	char size[24];

	snprintf(size, sizeof(size), "%lld", stint_upload_max_bytes());
	stint_resp_header(r, "Tus-Resumable", TUS_VERSION);
	stint_resp_header(r, "Tus-Version", TUS_VERSION);
	stint_resp_header(r, "Tus-Extension", "creation,expiration,termination");
	stint_resp_header(r, "Tus-Max-Size", size);
	stint_resp_send(r, 204, NULL, NULL, 0);
}

#define STINT_PROGRAM_NAME "uploads"
#define STINT_ROUTES_OF_uploads STINT_MINE
#include "program.h"
