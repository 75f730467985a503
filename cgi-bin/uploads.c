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
 * nginx passes each PATCH body on as it arrives (body STREAM) and the handler
 * writes it into the upload's part file (lib/upload.h), keeping what arrived
 * of a body that broke off. The
 * PATCH that completes the upload checks it with ffprobe (415 when it is not
 * the declared kind: the upload is removed), renames it into the session's
 * media folder (or, with media_storage s3, sends it to the media bucket and
 * then removes the part file: lib/store.h) and adds it as a clip at its
 * offset_sec. The upload stays as a finished record until it expires: HEAD
 * answers it complete with its clip (Stint-Clip), so a client whose answer
 * to that last PATCH was lost does not send the file again. Only the
 * session's editor who created an upload may use it: anyone else gets 404.
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
	char clip_id[24];       /* the clip a finished upload made ("" when none, or removed since) */
	double offset_sec;
	long long length, offset;
	int finished;           /* complete and made a clip: kept as a record until it expires */
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
		u->finished = strcmp(stint_db_cell(res, 0, "finished"), "t") == 0;
		snprintf(u->clip_id, sizeof(u->clip_id), "%s", stint_db_cell(res, 0, "clip_id"));
		if (stint_upload_part_path(r->params[1], part, sizeof(part)) != 0)
			*found = 0;
		else if (!u->finished)  /* a finished one has no part file: its bytes are the clip */
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

/* Stint-Clip: the address of clip id of r's session (nothing when id is ""). */
static void clip_header(stint_req *r, const char *id)
{
	char loc[160];

	if (id[0] == '\0')
		return;
	snprintf(loc, sizeof(loc), "/api/v1/sessions/%s/clips/%s", r->params[0], id);
	stint_resp_header(r, "Stint-Clip", loc);
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
	if (!stint_found_or_fail(r, rc, found, "There is no such upload (removed or expired)."))
		return;
	offset_header(r, u.offset);
	snprintf(len, sizeof(len), "%lld", u.length);
	stint_resp_header(r, "Upload-Length", len);
	stint_resp_header(r, "Upload-Expires", u.expires);
	clip_header(r, u.clip_id);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"kind\":\"%s\",\"upload_length\":%lld,\"upload_offset\":%lld,"
		 "\"finished\":%s,\"clip_id\":%s}", r->params[1], u.kind, u.length, u.offset,
		 u.finished ? "true" : "false", u.clip_id[0] ? u.clip_id : "null");
	stint_resp_json_text(r, 200, body, strlen(body));
}

/* stint_upload_reader over the request's streamed body. */
static long read_body(void *ctx, char *buf, size_t n)
{
	return stint_req_read(ctx, buf, n);
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

/*
 * In tx, the upload complete in part: check it with ffprobe, rename it into
 * the media folder or send it to S3 (stint_store_place; its name in rel)
 * and add its clip (JSON in *clip); the upload's row stays as the record of
 * a finished upload (UPLOAD_FINISH). Returns 415 when it is not media (the
 * upload's row removed in tx), 503 when S3 could not take it (part kept),
 * 0 when the clip is added, -1 on another failure.
 */
static int finish(stint_req *r, stint_tx *tx, const upload_row *u, const char *part, char *rel,
		  size_t size, char **clip)
{
	const char *p[3] = { r->params[0], r->params[1], r->user.id_text }, *ext, *ctype, *storage;
	char id[24], hours[16];
	const char *q[3] = { r->params[1], id, expire_hours(hours, sizeof(hours)) };
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
	free(text);
	if (tx->rc != STINT_DB_OK || *clip == NULL)
		return -1;
	clip_id(*clip, id, sizeof(id));
	stint_tx_exec(tx, STINT_SQL_UPLOAD_FINISH, 3, q, NULL);
	return tx->rc == STINT_DB_OK ? 0 : -1;
}

/* Answer a PATCH whose body could not be stored: 423 busy, 507 disk full, else 500. */
static void write_failed(stint_req *r, int end)
{
	if (end == STINT_UPLOAD_BUSY)
		stint_fail(r, 423, "upload_busy", "Another request is sending bytes of this upload; "
			   "ask for its offset (HEAD) and go on from there.", NULL);
	else if (errno == ENOSPC)
		stint_fail(r, 507, "insufficient_storage", "The bytes could not be stored: the disk is full.", NULL);
	else
		stint_fail(r, 500, "internal", "The bytes could not be stored.", NULL);
}

/*
 * In tx, record that the upload now holds at + added bytes; when that is all
 * of it, make it a clip (finish). Returns finish()'s verdict (0 when not
 * complete); the row's new expiry in *expires.
 */
static int advance(stint_req *r, stint_tx *tx, const upload_row *u, long long at, long long added,
		   const char *part, char *rel, size_t size, char **expires, char **clip)
{
	char next[24], hours[16];
	const char *p[3] = { r->params[1], next, expire_hours(hours, sizeof(hours)) };
	upload_row now;
	int found = 0;

	read_row(r, tx, &now, &found);
	if (tx->rc != STINT_DB_OK || !found || now.offset < at)
		return -1;  /* removed (DELETE, the sweep) while the bytes came */
	snprintf(next, sizeof(next), "%lld", at + added);
	stint_tx_text(tx, STINT_SQL_UPLOAD_ADVANCE, 3, p, expires);
	if (at + added == u->length && tx->rc == STINT_DB_OK)
		return finish(r, tx, u, part, rel, size, clip);
	return 0;
}

/*
 * A PATCH of a finished upload u (the answer to the one that finished it may
 * have been lost): at its end with an empty body it is the same 204 as that
 * answer (Upload-Offset, Stint-Clip); elsewhere 409 with the Upload-Offset
 * (the length) that tells the client it is done. Nothing is written.
 */
static void finished_patch(stint_req *r, const upload_row *u, long long at, long long declared)
{
	offset_header(r, u->length);
	clip_header(r, u->clip_id);
	if (at == u->length && declared == 0)
		stint_resp_send(r, 204, NULL, NULL, 0);
	else
		stint_fail(r, 409, "offset_mismatch", "The upload is complete (see its Upload-Offset and Stint-Clip): "
			   "nothing more to send.", NULL);
}

/*
 * PATCH an upload: write the body at Upload-Offset as it arrives (body
 * STREAM); the one that completes it makes the clip. The part file's lock
 * keeps a second PATCH of the same upload out (423) until this one is done.
 */
static void patch_upload(stint_req *r)
{
	const char *ct = stint_req_env(r, "CONTENT_TYPE"), *cl = stint_req_env(r, "CONTENT_LENGTH");
	char part[4200], rel[600] = "", id[24], *expires = NULL, *clip = NULL;
	long long at, declared = -1, added = 0;
	int found = 0, verdict, end;
	stint_upload_file f;
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
	if (cl != NULL && *cl != '\0' && header_count(r, "CONTENT_LENGTH", &declared) != 0) {
		stint_fail_field(r, "Content-Length", "must be the body's length in bytes");
		return;
	}
	if (stint_upload_part_path(r->params[1], part, sizeof(part)) != 0) {
		stint_fail(r, 500, "internal", "The upload's files could not be found.", NULL);
		return;
	}
	rc = read_row(r, NULL, &u, &found);
	if (!stint_found_or_fail(r, rc, found, "There is no such upload (removed or expired)."))
		return;
	if (u.finished) {
		finished_patch(r, &u, at, declared);
		return;
	}
	if ((end = stint_upload_open(part, &f)) != 0) {
		write_failed(r, end);
		return;
	}
	rc = read_row(r, NULL, &u, &found);  /* again, under the lock: a PATCH just done moved it */
	if (!stint_found_or_fail(r, rc, found, "There is no such upload (removed or expired).")) {
		stint_upload_close(&f);
		return;
	}
	if (u.finished) {  /* the PATCH that held the lock finished it */
		stint_upload_close(&f);
		finished_patch(r, &u, at, declared);
		return;
	}
	if (at != u.offset || (declared >= 0 && at + declared > u.length)) {
		stint_upload_close(&f);
		offset_header(r, u.offset);
		if (at != u.offset)
			stint_fail(r, 409, "offset_mismatch", "Upload-Offset is not the upload's offset (see its Upload-Offset).", NULL);
		else
			stint_fail(r, 413, "too_large", "The body goes past the upload's Upload-Length.", NULL);
		return;
	}
	end = stint_upload_write(&f, at, u.length - at, read_body, r, &added);
	if (end == STINT_UPLOAD_FAILED) {
		stint_upload_close(&f);
		write_failed(r, end);
		return;
	}
	if (end == STINT_UPLOAD_TOO_LONG) {
		stint_upload_close(&f);
		offset_header(r, at);
		stint_fail(r, 413, "too_large", "The body goes past the upload's Upload-Length.", NULL);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	verdict = advance(r, &tx, &u, at, added, part, rel, sizeof(rel), &expires, &clip);
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
	} else if (end == STINT_UPLOAD_CUT && at + added < u.length) {
		offset_header(r, at + added);  /* nobody may be listening: the bytes that came are kept */
		stint_fail(r, 400, "body_cut", "The body broke off; the bytes that arrived are kept (see Upload-Offset).",
			   NULL);
	} else {
		offset_header(r, at + added);
		if (expires != NULL && at + added < u.length)
			stint_resp_header(r, "Upload-Expires", expires);
		if (at + added == u.length) {
			if (stint_store_is_s3())  /* in the bucket now; local mode renamed it */
				unlink(part);
			clip_id(clip, id, sizeof(id));
			clip_header(r, id);
		}
		stint_resp_send(r, 204, NULL, NULL, 0);
	}
	stint_upload_close(&f);
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
	if (stint_found_or_fail(r, rc, id != NULL, "There is no such upload (removed or expired).")) {
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
