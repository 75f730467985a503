/*
 * participants.c: a session's participants and their units' device files
 * (issue 12): /api/v1/sessions/<id>/participants (GET, POST) and
 * /participants/<pid> (GET, PATCH, DELETE); /device-data (POST an upload:
 * the raw file with ?device=ID, or multipart/form-data with one file part a
 * device, the part's name being the device id; GET the list) and
 * /device-data/<file id>/download; and the editor panel's forms
 * (/sessions/<id>/participants, /sessions/<id>/device-data).
 *
 * An upload is parsed before anything is stored: a file that cannot be
 * read answers 422 with its line and reason and leaves no row and no file;
 * several files are all stored or none (lib/participants.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "csrf.h"
#include "escape.h"
#include "fail.h"
#include "media.h"
#include "multipart.h"
#include "participants.h"
#include "store.h"
#include "tx.h"
#include "validate.h"
#include "view.h"

#define UPLOAD_MAX_FILES 32
#define UPLOAD_MAX_BYTES (64L * 1024 * 1024)

static const char no_participant[] = "There is no such participant in this session.";

/* ---- participants -------------------------------------------------------- */

static void list_participants(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_participant_list(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

static void get_participant(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_participant_get(r->db, r->params[0], r->params[1], &json);

	stint_answer_json_text(r, rc, 200, json, no_participant);
}

/* After a participant write: a refusal of the database named by its field, else the usual answers. */
static void answer_write(stint_req *r, stint_db_rc rc, int status, char *json, const char *missing)
{
	const char *problem = NULL, *field = stint_participant_refusal(rc, r->db->constraint, &problem);

	if (field != NULL) {
		free(json);
		stint_fail_field(r, field, problem);
		return;
	}
	stint_answer_json_text(r, rc, status, json, missing);
}

/* Create participant obj (validated) in the route's session; *json its JSON (caller frees). */
static stint_db_rc create_row(stint_req *r, const cJSON *obj, char **json)
{
	char *text = cJSON_PrintUnformatted(obj);
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (text == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	stint_participant_create(&tx, r->params[0], text, json);
	cJSON_free(text);
	return stint_tx_end(&tx);
}

static void create_participant(stint_req *r)
{
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;

	if (stint_participant_validate(r->json, 0, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	rc = create_row(r, r->json, &json);
	answer_write(r, rc, 201, json, "There is no such session.");
}

static void patch_participant(stint_req *r)
{
	cJSON *errors = NULL;
	char *json = NULL;
	stint_db_rc rc;
	stint_tx tx;

	if (stint_participant_validate(r->json, 1, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_participant_patch(&tx, r->params[0], r->params[1], r->body.data, &json);
	rc = stint_tx_end(&tx);
	answer_write(r, rc, 200, json, no_participant);
}

/* Remove the route's participant; 1 when it is gone (answered otherwise). */
static int remove_participant(stint_req *r)
{
	stint_tx tx;
	stint_db_rc rc;
	int found = 0;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_participant_delete(&tx, r->params[0], r->params[1], &found);
	rc = stint_tx_end(&tx);
	return stint_found_or_fail(r, rc, found, no_participant);
}

static void delete_participant(stint_req *r)
{
	if (remove_participant(r))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

/* ---- device files -------------------------------------------------------- */

static void list_device_files(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_device_file_list(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

static void download_device_file(stint_req *r)
{
	stint_buf loc = STINT_BUF_INIT, disp = STINT_BUF_INIT;
	char *path = NULL, *name = NULL, *storage = NULL, s3[4200];
	int found = 0;
	stint_db_rc rc = stint_device_file_path(r->db, r->params[0], r->params[1], &found, &path, &name, &storage);

	if (stint_found_or_fail(r, rc, found, "There is no such device file in this session.")) {
		if (!stint_is_safe_relpath(path)) {
			stint_fail(r, 404, "not_found", "The file is gone.", NULL);
		} else if (strcmp(storage, STINT_STORAGE_S3) == 0 && stint_store_accel(path, r->is_head, s3, sizeof(s3)) != 0) {
			stint_fail(r, 503, "storage_unavailable", "The media storage (S3) is not configured on this server.", NULL);
		} else {
			if (strcmp(storage, STINT_STORAGE_S3) == 0)  /* nginx's /_s3/ proxy (docs/storage.md) */
				stint_buf_puts(&loc, s3);
			else
				stint_buf_printf(&loc, "/_files/%s", path);
			stint_buf_puts(&disp, "attachment; filename*=UTF-8''");
			stint_url_arg(&disp, name[0] != '\0' ? name : strrchr(path, '/') + 1);
			stint_resp_header(r, "X-Accel-Redirect", loc.data);
			stint_resp_header(r, "Content-Disposition", disp.data);
			stint_resp_header(r, "Cache-Control", "private, max-age=0");
			stint_resp_send(r, 200, "application/octet-stream", NULL, 0);
		}
	}
	stint_buf_free(&loc);
	stint_buf_free(&disp);
	free(path);
	free(name);
	free(storage);
}

/* The files of one upload request. */
typedef struct upload_set {
	stint_device_upload u[UPLOAD_MAX_FILES];
	char own_tmp[UPLOAD_MAX_FILES][4200];   /* temporary files this handler wrote ("" when nginx's) */
	char meta_tmp[UPLOAD_MAX_FILES][4200];  /* an EPTS file's metadata beside its own_tmp ("" when none) */
	size_t n;
} upload_set;

static void upload_set_free(upload_set *s, int unlink_kept)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->own_tmp[i][0] != '\0')
			unlink(s->own_tmp[i]);
		if (s->meta_tmp[i][0] != '\0')
			unlink(s->meta_tmp[i]);
		if (unlink_kept && s->u[i].rel[0] != '\0')
			stint_device_file_unlink(s->u[i].rel);
		stint_device_upload_free(&s->u[i]);
	}
}

/* The upload's temporary file, when nginx wrote one in its body folder. */
static const char *upload_file(stint_req *r)
{
	const char *f = stint_req_env(r, "REQUEST_BODY_FILE");
	char want[4200];
	struct stat st;

	snprintf(want, sizeof(want), "%s/nginx/client_body_temp/", stint_config_get("var_dir", "var"));
	if (f == NULL || strncmp(f, want, strlen(want)) != 0 || strstr(f, "..") != NULL ||
	    stat(f, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return NULL;
	return f;
}

static const stint_field device_field = { "device", STINT_F_STRING, STINT_F_REQUIRED, 1, 100, NULL, STINT_NO_DEST };

/*
 * Write the bytes of multipart part p to a new temporary file of session
 * sid, its name in own_tmp: .<random>.in, or, with beside (the tracking
 * file's temporary name), the same name with .xml (an EPTS metadata part).
 * 0 or -1.
 */
static int write_part(const char *sid, const stint_part *p, const char *beside, char *own_tmp, size_t size)
{
	char folder[4200], secret[STINT_SECRET_HEX + 1];
	int fd, n, ok;

	if (stint_device_file_folder(sid, folder, sizeof(folder)) != 0 || stint_secret_new(secret, sizeof(secret), 0) != 0)
		return -1;
	if (beside != NULL)
		n = snprintf(own_tmp, size, "%.*s.xml", (int)(strlen(beside) - 3), beside);
	else
		n = snprintf(own_tmp, size, "%s/.%.32s.in", folder, secret);
	if (n < 0 || (size_t)n >= size || (fd = open(own_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0)
		return -1;
	ok = write(fd, p->data, p->len) == (ssize_t)p->len;
	ok = close(fd) == 0 && ok;
	if (!ok)
		unlink(own_tmp);
	return ok ? 0 : -1;
}

/* Load nginx's temporary file tmp whole into r->body (at most UPLOAD_MAX_BYTES); 0 or -1. */
static int load_body(stint_req *r, const char *tmp)
{
	char chunk[65536];
	size_t got;
	FILE *f = fopen(tmp, "rb");
	int rc = 0;

	if (f == NULL)
		return -1;
	while (rc == 0 && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (r->body.len + got > (size_t)UPLOAD_MAX_BYTES || stint_buf_append(&r->body, chunk, got) != 0)
			rc = -1;
	fclose(f);
	return rc;
}

/* 1 when part p is an EPTS metadata file (a name ending in .xml). */
static int is_metadata(const stint_part *p)
{
	size_t n = p->filename != NULL ? strlen(p->filename) : 0;

	return n > 4 && strcasecmp(p->filename + n - 4, ".xml") == 0;
}

/* The upload of s for device, or NULL. */
static stint_device_upload *upload_of(upload_set *s, const char *device)
{
	for (size_t k = 0; k < s->n; k++)
		if (strcmp(s->u[k].device_id, device) == 0)
			return &s->u[k];
	return NULL;
}

/* The .xml parts: each is the EPTS metadata of the tracking file of its device. 0, or -1 after answering. */
static int collect_metadata(stint_req *r, const stint_part *parts, size_t n, const char *field_device, upload_set *s)
{
	for (size_t i = 0; i < n; i++) {
		const char *device = field_device != NULL ? field_device : parts[i].name;
		stint_device_upload *u;
		size_t k;

		if (parts[i].filename == NULL || !is_metadata(&parts[i]))
			continue;
		if ((u = upload_of(s, device)) == NULL || u->meta_tmp != NULL) {
			stint_fail_field(r, field_device != NULL ? "device" : device,
					 "an .xml part is the EPTS metadata of one tracking file of the same device");
			return -1;
		}
		k = (size_t)(u - s->u);
		if (write_part(r->params[0], &parts[i], s->own_tmp[k], s->meta_tmp[k], sizeof(s->meta_tmp[k])) != 0) {
			stint_fail(r, 500, "internal", "The upload could not be stored.", NULL);
			return -1;
		}
		u->meta_tmp = s->meta_tmp[k];
	}
	return 0;
}

/*
 * The multipart body (nginx's temporary file tmp, or r->body when tmp is
 * NULL) and its files into s: every part with a filename, its
 * device the field "device" when the form has one file (the editor's form),
 * else the part's name; an .xml part is the EPTS metadata of the tracking
 * file of the same device. csrf: the form must carry a valid csrf field.
 * 0, or -1 after answering.
 */
static int collect_parts(stint_req *r, const char *tmp, upload_set *s, int csrf)
{
	stint_part parts[UPLOAD_MAX_FILES + 16];
	size_t n = 0, files = 0;
	const stint_part *device_part;
	const char *device, *problem;
	char *field_device = NULL;

	if ((tmp != NULL && load_body(r, tmp) != 0) || stint_multipart_parse(&r->arena, stint_req_env(r, "CONTENT_TYPE"), r->body.data,
							     r->body.len, parts, sizeof(parts) / sizeof(parts[0]), &n) !=
	    STINT_MULTIPART_OK) {
		stint_fail(r, 400, "bad_multipart", "The multipart/form-data body cannot be read.", NULL);
		return -1;
	}
	if (csrf) {
		const stint_part *c = stint_multipart_get(parts, n, "csrf");
		char *value = c != NULL ? stint_arena_strndup(&r->arena, c->data, c->len) : NULL;

		if (value == NULL || stint_kv_add(&r->arena, &r->form, "csrf", value) != 0 || !stint_csrf_valid(r)) {
			stint_fail(r, 403, "csrf", "This form has expired; reload the page and try again.", NULL);
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++)
		files += parts[i].filename != NULL && !is_metadata(&parts[i]);
	device_part = files == 1 ? stint_multipart_get(parts, n, "device") : NULL;
	if (device_part != NULL)
		field_device = stint_arena_strndup(&r->arena, device_part->data, device_part->len);
	if (files == 0 || files > UPLOAD_MAX_FILES) {
		stint_fail_field(r, "file", files == 0 ? "send at least one file part" : "at most 32 files at once");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (parts[i].filename == NULL || is_metadata(&parts[i]))
			continue;
		device = field_device != NULL ? field_device : parts[i].name;
		if ((problem = stint_validate_text(&device_field, device)) != NULL) {
			stint_fail_field(r, field_device != NULL ? "device" : parts[i].name, problem);
			return -1;
		}
		if (upload_of(s, device) != NULL) {
			stint_fail_field(r, device, "is sent twice");
			return -1;
		}
		if (write_part(r->params[0], &parts[i], NULL, s->own_tmp[s->n], sizeof(s->own_tmp[0])) != 0) {
			stint_fail(r, 500, "internal", "The upload could not be stored.", NULL);
			return -1;
		}
		s->u[s->n].device_id = device;
		s->u[s->n].original_name = parts[i].filename;
		s->u[s->n].tmp = s->own_tmp[s->n];
		s->n++;
	}
	return collect_metadata(r, parts, n, field_device, s);
}

/*
 * Parse every file of s, then keep them and record their rows in one
 * change; answers (json: the API's, else a redirect to the editor).
 */
static void store_uploads(stint_req *r, upload_set *s, const char *format, int json)
{
	char err[300], msg[480], *row = NULL, *old[UPLOAD_MAX_FILES] = { NULL };
	cJSON *rows = cJSON_CreateArray(), *fields;
	stint_db_rc rc;
	stint_tx tx;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (stint_device_upload_parse(&s->u[i], format, err, sizeof(err)) != 0) {
			snprintf(msg, sizeof(msg), "The file of device %.100s cannot be read: %s", s->u[i].device_id, err);
			fields = cJSON_CreateObject();
			cJSON_AddStringToObject(fields, s->n == 1 && json ? "body" : s->u[i].device_id, err);
			stint_fail(r, 422, "unreadable_file", msg, fields);
			cJSON_Delete(fields);
			goto out;
		}
	}
	for (i = 0; i < s->n; i++) {
		int kept = stint_device_upload_keep(&s->u[i], r->params[0]);

		if (kept != 0) {
			upload_set_free(s, 1);
			s->n = 0;
			if (kept == -2) {
				stint_resp_header(r, "Retry-After", "30");
				stint_fail(r, 503, "storage_unavailable",
					   "The media storage (S3) could not take the file; send it again later.", NULL);
			} else {
				stint_fail(r, 500, "internal", "The file could not be stored.", NULL);
			}
			goto out;
		}
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	for (i = 0; i < s->n; i++) {
		stint_device_file_put(&tx, r->params[0], &s->u[i], r->user.id_text, &row, &old[i]);
		if (row != NULL) {
			cJSON *o = cJSON_Parse(row), *players = cJSON_CreateArray();

			/* a team file (Metrica, EPTS): each player becomes a participant, in the same change */
			if (stint_device_file_participants(&tx, r->params[0], &s->u[i], players) == STINT_DB_OK &&
			    cJSON_GetArraySize(players) > 0)
				cJSON_AddItemToObject(o, "participants", players);
			else
				cJSON_Delete(players);
			cJSON_AddItemToArray(rows, o);
		}
		free(row);
		row = NULL;
	}
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK) {
		upload_set_free(s, 1);
		s->n = 0;
		stint_fail_db(r, rc);
		goto out;
	}
	for (i = 0; i < s->n; i++)
		stint_device_file_unlink(old[i]);
	if (!json) {
		stint_buf b = STINT_BUF_INIT;

		stint_buf_printf(&b, "/sessions/%.36s?flash=uploaded#participants", r->params[0]);
		stint_resp_redirect(r, b.data);
		stint_buf_free(&b);
	} else if (s->n == 1 && strncmp(stint_req_env(r, "CONTENT_TYPE") ? stint_req_env(r, "CONTENT_TYPE") : "",
					"multipart/", 10) != 0) {
		stint_resp_json(r, 201, cJSON_GetArrayItem(rows, 0));
	} else {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemReferenceToObject(o, "device_files", rows);
		stint_resp_json(r, 201, o);
		cJSON_Delete(o);
	}
out:
	for (i = 0; i < UPLOAD_MAX_FILES; i++)
		free(old[i]);
	cJSON_Delete(rows);
}

typedef struct device_query {
	const char *device, *name, *format;
} device_query;

static const char *const format_names[] = { "csv", "gpx", "tcx", "fit", "metrica", "epts", NULL };

static const stint_field device_query_fields[] = {
	{ "device", STINT_F_STRING, 0, 1, 100, NULL, STINT_DEST(device_query, device) },
	{ "name", STINT_F_STRING, 0, 0, 255, NULL, STINT_DEST(device_query, name) },
	{ "format", STINT_F_ENUM, 0, 0, 0, format_names, STINT_DEST(device_query, format) },
};

/* POST device-data: the raw file with ?device=ID[&name=...&format=...], or multipart. */
static void upload_device_data(stint_req *r)
{
	const char *tmp = upload_file(r), *ctype = stint_req_env(r, "CONTENT_TYPE");
	device_query q = { NULL, "", NULL };
	cJSON *errors = NULL;
	upload_set *s;

	if (stint_validate_query(&r->query, STINT_SPEC(device_query_fields), &q, &errors) != 0) {
		stint_fail_fields(r, errors);
		return;
	}
	if (tmp == NULL) {
		stint_fail(r, 400, "no_file", "Send the device file as the request body.", NULL);
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (ctype != NULL && strncmp(ctype, "multipart/form-data", 19) == 0) {
		if (collect_parts(r, tmp, s, 0) == 0)
			store_uploads(r, s, q.format, 1);
	} else if (q.device == NULL) {
		stint_fail_field(r, "device", "is required: the id of the unit the file comes from");
	} else {
		s->u[0].device_id = q.device;
		s->u[0].original_name = q.name;
		s->u[0].tmp = tmp;
		s->n = 1;
		store_uploads(r, s, q.format, 1);
	}
	upload_set_free(s, 0);
	free(s);
}

/* ---- the editor panel's forms -------------------------------------------- */

static void redirect_editor(stint_req *r, const char *flash)
{
	stint_buf b = STINT_BUF_INIT;

	stint_buf_printf(&b, "/sessions/%.36s?flash=%s#participants", r->params[0], flash);
	stint_resp_redirect(r, b.data);
	stint_buf_free(&b);
}

/* POST /sessions/<id>/participants (form: player, team_side, number, device_id). */
static void page_participant_add(stint_req *r)
{
	cJSON *obj = stint_form_to_json(&r->form, stint_participant_fields, stint_participant_nfields), *errors = NULL;
	char *json = NULL, msg[300];
	const char *problem = NULL, *field;
	stint_db_rc rc;

	if (obj == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (stint_participant_validate(obj, 0, &errors) != 0) {
		cJSON *first = errors != NULL ? errors->child : NULL;

		snprintf(msg, sizeof(msg), "The participant was not added: %s %s.", first ? first->string : "a field",
			 first && cJSON_IsString(first) ? first->valuestring : "is not valid");
		stint_fail(r, 422, "invalid_fields", msg, NULL);
	} else if ((rc = create_row(r, obj, &json)) != STINT_DB_OK) {
		if ((field = stint_participant_refusal(rc, r->db->constraint, &problem)) != NULL) {
			snprintf(msg, sizeof(msg), "The participant was not added: %s %s.", field, problem);
			stint_fail(r, 422, "invalid_fields", msg, NULL);
		} else {
			stint_fail_db(r, rc);
		}
	} else {
		redirect_editor(r, "participant_added");
	}
	free(json);
	cJSON_Delete(errors);
	cJSON_Delete(obj);
}

/* POST /sessions/<id>/participants/<pid>/delete */
static void page_participant_delete(stint_req *r)
{
	if (remove_participant(r))
		redirect_editor(r, "participant_removed");
}

/*
 * POST /sessions/<id>/device-data (multipart: csrf, device, file), the body
 * in memory (RAW, 64 MiB at most). With body FILE (a location of its own
 * under /sessions/, which the pages program serves) tests/integration/
 * live.test.mjs's subscribers lost messages; the cause is not found yet.
 */
static void page_device_upload(stint_req *r)
{
	upload_set *s;

	if (r->body.len == 0) {
		stint_fail(r, 400, "no_file", "Choose a device file to upload.", NULL);
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	if (collect_parts(r, NULL, s, 1) == 0)
		store_uploads(r, s, NULL, 0);
	upload_set_free(s, 0);
	free(s);
}

static int participants_init(void)
{
	return stint_view_load(stint_config_get("template_dir", "templates"));
}

#define STINT_PROGRAM_NAME "participants"
#define STINT_PROGRAM_INIT participants_init
#define STINT_PROGRAM_HTML_ERROR stint_view_error
#define STINT_ROUTES_OF_participants STINT_MINE
#include "program.h"
