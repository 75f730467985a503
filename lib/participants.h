/*
 * participants.h: a session's participants (a player, the unit they wore
 * and the time window that counts) and the device files uploaded for those
 * units (issue 12; sql/migrations/0012_wearables.sql). Used by
 * cgi-bin/participants.c (the JSON API and the editor's forms) and the
 * editor page's panel.
 *
 * Device files are kept under the var folder (the prefix) as
 * uploads/raw/<session id>/<random>.<format> (the path column): an upload
 * is parsed first (lib/wearable.h) and kept only when it reads; it is given
 * its final name (a temporary name, then rename()) before its row is
 * written, and unlinked again when that write fails; a file it replaces is
 * unlinked only after the COMMIT. Writes run in the caller's stint_tx and
 * audit themselves (participant.create, participant.update,
 * participant.delete, device_file.upload).
 */
#ifndef STINT_PARTICIPANTS_H
#define STINT_PARTICIPANTS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "tx.h"
#include "validate.h"
#include "wearable.h"

/* The fields of a participant: create (all) and PATCH (partial) check obj against them. */
extern const stint_field stint_participant_fields[];
extern const size_t stint_participant_nfields;

/*
 * Check participant obj (partial for a PATCH); problems into *errors as
 * stint_validate_json(), plus "number" when it is not 1 to 3 digits.
 * Returns the number of problems.
 */
int stint_participant_validate(const cJSON *obj, int partial, cJSON **errors);

/* The participants of session sid as a JSON array text in *json (caller frees). */
stint_db_rc stint_participant_list(stint_db *db, const char *sid, char **json);

/* Participant pid of session sid as JSON text in *json (caller frees; NULL when absent). */
stint_db_rc stint_participant_get(stint_db *db, const char *sid, const char *pid, char **json);

/* In tx: add participant obj_json (validated) to session sid; *json its JSON (caller frees). */
stint_db_rc stint_participant_create(stint_tx *tx, const char *sid, const char *obj_json, char **json);

/* In tx: change participant pid by patch_json (validated); *json its JSON afterwards, NULL when absent. */
stint_db_rc stint_participant_patch(stint_tx *tx, const char *sid, const char *pid, const char *patch_json,
				    char **json);

/* In tx: remove participant pid of session sid; *found 0 when absent. */
stint_db_rc stint_participant_delete(stint_tx *tx, const char *sid, const char *pid, int *found);

/*
 * The field a database refusal of a participant write names, with its
 * problem (the unique unit per session, the window's order, the number's
 * form), or NULL when rc/constraint is not one of those.
 */
const char *stint_participant_refusal(int rc, const char *constraint, const char **problem);

/* The device files of session sid as a JSON array text in *json (caller frees). */
stint_db_rc stint_device_file_list(stint_db *db, const char *sid, char **json);

/*
 * The stored file of device file fid of session sid: *found 0 when absent;
 * else path (under the var folder), original name and storage ("local" or
 * "s3") in path/name/storage (heap, caller frees).
 */
stint_db_rc stint_device_file_path(stint_db *db, const char *sid, const char *fid, int *found, char **path,
				   char **name, char **storage);

/* What a parsed upload is: everything the device_files row records. */
typedef struct stint_device_upload {
	const char *device_id;
	const char *original_name;     /* as sent ("" when none) */
	const char *tmp;               /* the uploaded bytes: a file the caller owns */
	const char *meta_tmp;          /* EPTS: its metadata .xml, tmp's name with .xml for its extension; else NULL */
	stint_wearable_format format;
	long long size_bytes;
	char sha256[65];
	stint_tracks tracks;           /* parsed (stint_tracks_free) */
	char rel[600];                 /* once kept: uploads/raw/<session>/<name> */
	const char *storage;           /* once kept: where ("local", or "s3" with media_storage s3: lib/store.h) */
} stint_device_upload;

/*
 * Parse upload u->tmp (format: detected from its first bytes and
 * original_name unless *format_or_null names one) into u (size, sha256,
 * tracks). Returns 0, or -1 with err ("line N: reason", or why the format
 * is unknown); u->tracks is freed by stint_device_upload_free().
 */
int stint_device_upload_parse(stint_device_upload *u, const char *format_or_null, char *err, size_t errsize);

/*
 * Make the folder of session sid's device files, uploads/raw/<sid> under
 * the var folder, when it is missing; its absolute name in abs. 0 or -1.
 */
int stint_device_file_folder(const char *sid, char *abs, size_t size);

/*
 * Keep u->tmp as session sid's file: uploads/raw/<sid>/<random>.<format>
 * under the var folder, written through a temporary name and rename()
 * (the folder made when missing). u->rel is its name; an EPTS file's
 * metadata is kept beside it as <random>.xml. With media_storage s3 the
 * file (and metadata) then go to the media bucket under the same names and
 * the local copies are removed (u->storage "s3"). 0; -1 on a local
 * failure; -2 when S3 could not take them (nothing kept anywhere).
 */
int stint_device_upload_keep(stint_device_upload *u, const char *sid);

/*
 * In tx: record u (kept) as session sid's device file for u->device_id,
 * replacing the one before (same row), by user user_id; audited as
 * device_file.upload. *json the row's JSON (caller frees); *old_path the
 * replaced file (heap, caller frees; NULL when none) to unlink with
 * stint_device_file_unlink() after the COMMIT.
 */
stint_db_rc stint_device_file_put(stint_tx *tx, const char *sid, const stint_device_upload *u,
				  const char *user_id, char **json, char **old_path);

/*
 * In tx, after stint_device_file_put() of a team file (u->format Metrica or
 * EPTS): each player's track becomes a participant of session sid wearing
 * the device "<u->device_id>:<track label>" (the report takes that track of
 * the file), one per track, in the same unit of work:
 *   - side: the track's team "home" is A and "away" B (Metrica); other team
 *     names (EPTS) take A and B in the order they first appear; a third is none;
 *   - number: the label's digits after its last '_' (1 to 3 digits; else none);
 *   - player: the team's name and the number ("Home 11", "Team A 1").
 * A participant already wearing that device, or one of that side and number
 * with no device (or one of the same file), is reused and given the device;
 * one of that side and number wearing another unit is left as it is
 * ("skipped"). Created participants are audited as participant.create,
 * linked ones as participant.update. For each track, {action: created,
 * linked, reused or skipped, participant: its JSON} is added to out (a JSON
 * array). Other formats add nothing. Returns tx->rc (STINT_DB_INVALID when
 * a player's device id would be longer than 100 characters).
 */
stint_db_rc stint_device_file_participants(stint_tx *tx, const char *sid, const stint_device_upload *u, cJSON *out);

/*
 * Unlink stored device file rel (only a plain path under uploads/raw/) and
 * an EPTS file's metadata beside it, and with media_storage s3 their
 * objects in the media bucket; rel may be NULL.
 */
void stint_device_file_unlink(const char *rel);

/* Free what u holds. */
void stint_device_upload_free(stint_device_upload *u);

#endif
