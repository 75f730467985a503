/* participants.c: a session's participants and device files (see participants.h). */
#include "participants.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "auth.h"
#include "media.h"
#include "store.h"

static const char *const team_sides[] = { "A", "B", NULL };

const stint_field stint_participant_fields[] = {
	{ "player", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_NO_DEST },
	{ "team_side", STINT_F_ENUM, STINT_F_NULLABLE, 0, 0, team_sides, STINT_NO_DEST },
	{ "number", STINT_F_STRING, STINT_F_NULLABLE, 1, 3, NULL, STINT_NO_DEST },
	{ "device_id", STINT_F_STRING, STINT_F_NULLABLE, 1, 100, NULL, STINT_NO_DEST },
	{ "window_from", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, STINT_NO_DEST },
	{ "window_to", STINT_F_TIMESTAMP, STINT_F_NULLABLE, 0, 0, NULL, STINT_NO_DEST },
};
const size_t stint_participant_nfields = sizeof(stint_participant_fields) / sizeof(stint_participant_fields[0]);

/* Add problem to *errors under field (created on demand). */
static void add_problem(cJSON **errors, const char *field, const char *problem)
{
	if (*errors == NULL)
		*errors = cJSON_CreateObject();
	if (*errors != NULL && !cJSON_HasObjectItem(*errors, field))
		cJSON_AddStringToObject(*errors, field, problem);
}

int stint_participant_validate(const cJSON *obj, int partial, cJSON **errors)
{
	int bad = stint_validate_json(obj, stint_participant_fields, stint_participant_nfields, partial, NULL, errors);
	const char *number = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "number"));
	const char *from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "window_from"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "window_to"));
	double t_from, t_to;

	if (bad < 0)
		return bad;
	if (number != NULL && (number[0] == '\0' || number[strspn(number, "0123456789")] != '\0')) {
		add_problem(errors, "number", "must be 1 to 3 digits");
		bad++;
	}
	if (from != NULL && to != NULL && stint_timestamp_epoch(from, &t_from) == 0 &&
	    stint_timestamp_epoch(to, &t_to) == 0 && t_to <= t_from) {
		add_problem(errors, "window_to", "must be after window_from");
		bad++;
	}
	return bad;
}

stint_db_rc stint_participant_list(stint_db *db, const char *sid, char **json)
{
	const char *p[1] = { sid };

	return stint_db_text(db, STINT_SQL_PARTICIPANT_LIST, 1, p, json);
}

stint_db_rc stint_participant_get(stint_db *db, const char *sid, const char *pid, char **json)
{
	const char *p[2] = { sid, pid };

	return stint_db_text(db, STINT_SQL_PARTICIPANT_GET, 2, p, json);
}

/* A failed change hands back no text: free *json. Returns tx->rc. */
static stint_db_rc drop_on_failure(stint_tx *tx, char **json)
{
	if (tx->rc != STINT_DB_OK) {
		free(*json);
		*json = NULL;
	}
	return tx->rc;
}

stint_db_rc stint_participant_create(stint_tx *tx, const char *sid, const char *obj_json, char **json)
{
	const char *p[2] = { sid, obj_json };
	PGresult *res = NULL;
	const char *id, *j;

	*json = NULL;
	if (stint_tx_exec(tx, STINT_SQL_PARTICIPANT_CREATE, 2, p, &res) == STINT_DB_OK && PQntuples(res) == 1) {
		id = stint_db_cell(res, 0, "id");
		j = stint_db_cell(res, 0, "j");
		if (j == NULL || (*json = strdup(j)) == NULL)
			stint_tx_fail(tx, STINT_DB_ERROR);
		else
			stint_tx_audit(tx, "participant.create", "participant", id, *json);
	}
	PQclear(res);
	return drop_on_failure(tx, json);
}

stint_db_rc stint_participant_patch(stint_tx *tx, const char *sid, const char *pid, const char *patch_json,
				    char **json)
{
	const char *p[3] = { sid, pid, patch_json };

	if (stint_tx_text(tx, STINT_SQL_PARTICIPANT_PATCH, 3, p, json) == STINT_DB_OK && *json != NULL)
		stint_tx_audit(tx, "participant.update", "participant", pid, patch_json);
	return drop_on_failure(tx, json);
}

stint_db_rc stint_participant_delete(stint_tx *tx, const char *sid, const char *pid, int *found)
{
	const char *p[2] = { sid, pid };
	char *id = NULL;

	*found = 0;
	if (stint_tx_text(tx, STINT_SQL_PARTICIPANT_DELETE, 2, p, &id) == STINT_DB_OK && id != NULL) {
		*found = 1;
		stint_tx_audit(tx, "participant.delete", "participant", pid, NULL);
	}
	free(id);
	return tx->rc;
}

const char *stint_participant_refusal(int rc, const char *constraint, const char **problem)
{
	if (rc == STINT_DB_CONFLICT && strcmp(constraint, "participants_device_idx") == 0) {
		*problem = "is already worn by another participant of this session";
		return "device_id";
	}
	if (rc == STINT_DB_INVALID && strcmp(constraint, "participants_check") == 0) {
		*problem = "must be after window_from";
		return "window_to";
	}
	if (rc == STINT_DB_INVALID && strcmp(constraint, "participants_number_check") == 0) {
		*problem = "must be 1 to 3 digits";
		return "number";
	}
	return NULL;
}

stint_db_rc stint_device_file_list(stint_db *db, const char *sid, char **json)
{
	const char *p[1] = { sid };

	return stint_db_text(db, STINT_SQL_DEVICE_FILE_LIST, 1, p, json);
}

stint_db_rc stint_device_file_path(stint_db *db, const char *sid, const char *fid, int *found, char **path,
				   char **name, char **storage)
{
	const char *p[2] = { sid, fid };
	PGresult *res = NULL;
	stint_db_rc rc = stint_db_exec(db, STINT_SQL_DEVICE_FILE_FILE, 2, p, &res);

	*found = rc == STINT_DB_OK && PQntuples(res) == 1;
	*path = *name = *storage = NULL;
	if (*found) {
		*path = strdup(stint_db_cell(res, 0, "path"));
		*name = strdup(stint_db_cell(res, 0, "name"));
		*storage = strdup(stint_db_cell(res, 0, "storage"));
		if (*path == NULL || *name == NULL || *storage == NULL) {
			free(*path), free(*name), free(*storage);
			*path = *name = *storage = NULL;
			*found = 0;
			rc = STINT_DB_ERROR;
		}
	}
	PQclear(res);
	return rc;
}

/* Size and SHA-256 (hex) of the file at path; 0 or -1. */
static int file_digest(const char *path, long long *size, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
	unsigned int n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t got;
	int rc = -1;

	*size = 0;
	if (ctx == NULL || f == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		EVP_DigestUpdate(ctx, chunk, got);
		*size += (long long)got;
	}
	if (ferror(f) || EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != 32)
		goto out;
	for (unsigned int i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return rc;
}

int stint_device_upload_parse(stint_device_upload *u, const char *format_or_null, char *err, size_t errsize)
{
	char head[4096];
	size_t n = 0;
	FILE *f;

	memset(&u->tracks, 0, sizeof(u->tracks));
	u->rel[0] = '\0';
	if (file_digest(u->tmp, &u->size_bytes, u->sha256) != 0) {
		snprintf(err, errsize, "the upload cannot be read");
		return -1;
	}
	if (format_or_null != NULL) {
		if (stint_wearable_format_parse(format_or_null, &u->format) != 0) {
			snprintf(err, errsize, "unknown format");
			return -1;
		}
	} else {
		if ((f = fopen(u->tmp, "rb")) != NULL) {
			n = fread(head, 1, sizeof(head), f);
			fclose(f);
		}
		if (stint_wearable_detect(head, n, u->original_name, &u->format) != 0) {
			snprintf(err, errsize, "not a device file Stint reads (csv, gpx, tcx, fit, metrica, epts)");
			return -1;
		}
	}
	if (u->format == STINT_WEARABLE_EPTS && u->meta_tmp == NULL) {
		snprintf(err, errsize, "EPTS tracking needs its metadata: send the .txt and the .xml as two parts of "
			 "one multipart upload, under the same device");
		return -1;
	}
	return stint_wearable_parse_file(u->tmp, u->format, &u->tracks, err, errsize);
}

int stint_device_file_folder(const char *sid, char *abs, size_t size)
{
	char folder[200];
	const char *folders[3] = { "uploads", "uploads/raw", folder };

	snprintf(folder, sizeof(folder), "uploads/raw/%.36s", sid);
	for (int i = 0; i < 3; i++)
		if (stint_media_path(folders[i], abs, size) != 0 || (mkdir(abs, 0750) != 0 && errno != EEXIST))
			return -1;
	return 0;
}

/*
 * Give file src the var-relative name rel (with its extension replaced by
 * ext unless ext is NULL) through the temporary name part: link, then
 * rename (the upload was written whole under its own temporary name). 0 or -1.
 */
static int keep_as(const char *src, const char *part, const char *rel, const char *ext)
{
	char name[700], abs[4200], abs_part[4200], *dot;

	snprintf(name, sizeof(name), "%s", rel);
	if (ext != NULL && (dot = strrchr(name, '.')) != NULL && (size_t)(dot - name) + strlen(ext) < sizeof(name))
		memcpy(dot, ext, strlen(ext) + 1);  /* it fits: checked above */
	if (stint_media_path(name, abs, sizeof(abs)) != 0 || stint_media_path(part, abs_part, sizeof(abs_part)) != 0)
		return -1;
	if (link(src, abs_part) != 0)
		return -1;
	if (rename(abs_part, abs) != 0) {
		unlink(abs_part);
		return -1;
	}
	return 0;
}

/*
 * The kept files of u (and an EPTS file's metadata) into the media bucket,
 * then their local copies removed: 0, or -2 with every copy removed (the
 * reason logged by lib/store).
 */
static int to_bucket(stint_device_upload *u)
{
	char abs[4200], xml_rel[700], xml_abs[4200], why[512], *dot;
	int rc = stint_media_path(u->rel, abs, sizeof(abs)) == 0 &&
		 stint_store_put(abs, u->rel, "application/octet-stream", why, sizeof(why)) == STINT_STORE_OK ? 0 : -2;

	snprintf(xml_rel, sizeof(xml_rel), "%s", u->rel);
	if (rc == 0 && u->meta_tmp != NULL && (dot = strrchr(xml_rel, '.')) != NULL &&
	    (size_t)(dot - xml_rel) + 5 < sizeof(xml_rel)) {
		memcpy(dot, ".xml", 5);
		if (stint_media_path(xml_rel, xml_abs, sizeof(xml_abs)) != 0 ||
		    stint_store_put(xml_abs, xml_rel, "application/xml", why, sizeof(why)) != STINT_STORE_OK)
			rc = -2;
	}
	/* local copies go either way; on a failure, so do the objects already sent */
	if (rc != 0) {
		stint_device_file_unlink(u->rel);
		u->rel[0] = '\0';
		return rc;
	}
	unlink(abs);
	if (u->meta_tmp != NULL && stint_media_path(xml_rel, xml_abs, sizeof(xml_abs)) == 0)
		unlink(xml_abs);
	u->storage = STINT_STORAGE_S3;
	return 0;
}

int stint_device_upload_keep(stint_device_upload *u, const char *sid)
{
	char secret[STINT_SECRET_HEX + 1], part[700], abs[4200];
	int n;

	if (stint_device_file_folder(sid, abs, sizeof(abs)) != 0)
		return -1;
	if (stint_secret_new(secret, sizeof(secret), 0) != 0)
		return -1;
	n = snprintf(u->rel, sizeof(u->rel), "uploads/raw/%s/%.32s.%s", sid, secret,
		     stint_wearable_format_name(u->format));
	if (n < 0 || (size_t)n >= sizeof(u->rel))
		return -1;
	snprintf(part, sizeof(part), "uploads/raw/%s/.%.32s.part", sid, secret);
	u->storage = STINT_STORAGE_LOCAL;
	if (u->meta_tmp != NULL && keep_as(u->meta_tmp, part, u->rel, ".xml") != 0)
		return -1;
	if (keep_as(u->tmp, part, u->rel, NULL) != 0) {
		if (u->meta_tmp != NULL)
			stint_device_file_unlink(u->rel);
		return -1;
	}
	return stint_store_is_s3() ? to_bucket(u) : 0;
}

/* The warnings of t as a JSON array text (heap, cJSON_free), or NULL when out of memory. */
static char *warnings_json(const stint_tracks *t)
{
	cJSON *a = cJSON_CreateArray();
	char *text;

	for (size_t i = 0; a != NULL && i < t->n_warnings; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(t->warnings[i]));
	text = a != NULL ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return text;
}

/* The first and last sample time of all tracks (epoch s). */
static void time_range(const stint_tracks *t, double *from, double *to)
{
	*from = INFINITY;
	*to = -INFINITY;
	for (size_t i = 0; i < t->n; i++) {
		if (t->tracks[i].n == 0)
			continue;
		*from = fmin(*from, t->tracks[i].samples[0].t_s);
		*to = fmax(*to, t->tracks[i].samples[t->tracks[i].n - 1].t_s);
	}
}

stint_db_rc stint_device_file_put(stint_tx *tx, const char *sid, const stint_device_upload *u,
				  const char *user_id, char **json, char **old_path)
{
	char size[24], samples[24], from[40], to[40], *warnings = warnings_json(&u->tracks);
	const char *p[14] = { sid, u->device_id, u->rel, u->original_name, stint_wearable_format_name(u->format),
			      size, u->sha256, samples, from, to, u->tracks.n_warnings > 0 ? "warning" : "ok",
			      warnings, user_id, u->storage };
	PGresult *res = NULL;
	double t_from, t_to;

	*json = *old_path = NULL;
	time_range(&u->tracks, &t_from, &t_to);
	snprintf(size, sizeof(size), "%lld", u->size_bytes);
	snprintf(samples, sizeof(samples), "%zu", stint_tracks_samples(&u->tracks));
	snprintf(from, sizeof(from), "%.3f", t_from);
	snprintf(to, sizeof(to), "%.3f", t_to);
	if (warnings == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_exec(tx, STINT_SQL_DEVICE_FILE_LOCK, 2, p, NULL);
	if (stint_tx_exec(tx, STINT_SQL_DEVICE_FILE_PUT, 14, p, &res) == STINT_DB_OK) {
		const char *id = PQntuples(res) == 1 ? stint_db_cell(res, 0, "id") : NULL;
		const char *j = id != NULL ? stint_db_cell(res, 0, "j") : NULL;
		const char *old = id != NULL ? stint_db_cell(res, 0, "old_path") : NULL;

		if (j == NULL || (*json = strdup(j)) == NULL || (old != NULL && (*old_path = strdup(old)) == NULL))
			stint_tx_fail(tx, STINT_DB_ERROR);
		else
			stint_tx_audit(tx, "device_file.upload", "device_file", id, *json);
	}
	PQclear(res);
	cJSON_free(warnings);
	if (tx->rc != STINT_DB_OK) {
		free(*old_path);
		*old_path = NULL;
	}
	return drop_on_failure(tx, json);
}

/* The team part of track label ("home" of "home_11", "team_a" of "team_a_1") into team, its number into number. */
static void split_label(const char *label, char *team, size_t teamsize, char *number, size_t numsize)
{
	const char *us = strrchr(label, '_');
	size_t tl = us != NULL ? (size_t)(us - label) : strlen(label), dl = us != NULL ? strlen(us + 1) : 0;

	snprintf(team, teamsize, "%.*s", (int)tl, label);
	number[0] = '\0';
	if (us != NULL && dl >= 1 && dl <= 3 && us[1 + strspn(us + 1, "0123456789")] == '\0' && dl < numsize)
		snprintf(number, numsize, "%s", us + 1);
}

stint_db_rc stint_device_file_participants(stint_tx *tx, const char *sid, const stint_device_upload *u, cJSON *out)
{
	char teams[2][64] = { "", "" };
	const char *lock[1] = { sid };

	if (u->format != STINT_WEARABLE_METRICA && u->format != STINT_WEARABLE_EPTS)
		return tx->rc;
	stint_tx_exec(tx, STINT_SQL_PARTICIPANT_TEAM_LOCK, 1, lock, NULL);
	for (size_t i = 0; i < u->tracks.n && tx->rc == STINT_DB_OK; i++) {
		const char *label = u->tracks.tracks[i].label != NULL ? u->tracks.tracks[i].label : "";
		char team[64], number[8], device[160], player[96], *w;
		const char *side = NULL, *p[6];
		PGresult *res = NULL;
		int n;

		split_label(label, team, sizeof(team), number, sizeof(number));
		if (strcmp(team, "home") == 0) {
			side = "A";
		} else if (strcmp(team, "away") == 0) {
			side = "B";
		} else {
			for (int k = 0; k < 2 && side == NULL; k++) {
				if (teams[k][0] == '\0')
					snprintf(teams[k], sizeof(teams[k]), "%s", team);
				if (strcmp(teams[k], team) == 0)
					side = k == 0 ? "A" : "B";
			}
		}
		n = snprintf(device, sizeof(device), "%s:%s", u->device_id, label);
		if (n < 0 || n > 100) {
			stint_tx_fail(tx, STINT_DB_INVALID);
			break;
		}
		/* "home" -> "Home 11", "team_a" -> "Team A 1" */
		snprintf(player, sizeof(player), "%s%s%s", team, number[0] != '\0' ? " " : "", number);
		for (w = player; *w != '\0'; w++) {
			if (*w == '_')
				*w = ' ';
			if ((w == player || w[-1] == ' ') && *w >= 'a' && *w <= 'z')
				*w = (char)(*w - 'a' + 'A');
		}
		p[0] = sid, p[1] = device, p[2] = side, p[3] = number[0] != '\0' ? number : NULL, p[4] = player;
		p[5] = u->device_id;
		if (stint_tx_exec(tx, STINT_SQL_PARTICIPANT_FROM_TRACK, 6, p, &res) == STINT_DB_OK && PQntuples(res) == 1) {
			const char *action = stint_db_cell(res, 0, "action"), *id = stint_db_cell(res, 0, "id");
			const char *j = stint_db_cell(res, 0, "j");
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "action", action);
			cJSON_AddItemToObject(o, "participant", cJSON_Parse(j));
			cJSON_AddItemToArray(out, o);
			if (strcmp(action, "created") == 0)
				stint_tx_audit(tx, "participant.create", "participant", id, j);
			else if (strcmp(action, "linked") == 0)
				stint_tx_audit(tx, "participant.update", "participant", id, j);
		} else if (tx->rc == STINT_DB_OK) {
			stint_tx_fail(tx, STINT_DB_ERROR);
		}
		PQclear(res);
	}
	return tx->rc;
}

void stint_device_file_unlink(const char *rel)
{
	char abs[4200];
	size_t n;

	if (rel == NULL || strncmp(rel, "uploads/raw/", 12) != 0 || !stint_is_safe_relpath(rel) ||
	    stint_media_path(rel, abs, sizeof(abs)) != 0)
		return;
	unlink(abs);
	stint_store_remove(rel);
	n = strlen(abs);
	if (n > 5 && strcmp(abs + n - 5, ".epts") == 0 && n + 1 < sizeof(abs)) {
		char xml[700];

		memcpy(abs + n - 5, ".xml", sizeof(".xml"));  /* shorter than ".epts" */
		unlink(abs);
		snprintf(xml, sizeof(xml), "%.*s.xml", (int)strlen(rel) - 5, rel);
		stint_store_remove(xml);
	}
}

void stint_device_upload_free(stint_device_upload *u)
{
	stint_tracks_free(&u->tracks);
}
