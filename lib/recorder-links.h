/*
 * recorder-links.h: a session's link to a recording of the recorder bucket
 * (issue 13; docs/recorder.md): linked by hand, or automatically by start
 * time (on request, or when the session is made and the setting
 * recorder_autolink_on_create says so), unlinked; the recordings near a
 * session's start; and presigned URLs of the linked recording's files
 * (lib/s3.h), fresh on every read, so the files never pass through Stint.
 * Used by cgi-bin/recorder-links.c, the editor's recordings panel
 * (cgi-bin/pages-recordings.c) and lib/sessions.c (the session JSON).
 *
 * Reads take the database; changes take a unit of work (lib/tx.h), write
 * their audit_log row (recorder.link, recorder.unlink, target the session)
 * and record recorder_linked on the session's live channel, its data
 * {"recording": the recording (lib/sql.h's STINT_RECORDING_FIELDS), or null
 * once unlinked}.
 */
#ifndef STINT_RECORDER_LINKS_H
#define STINT_RECORDER_LINKS_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "tx.h"

/* The files of a recording a session may hand out, as the bucket names them. */
extern const char *const stint_recording_formats[];  /* ogg, flac, waveform, overview; NULL-ended */

/* What a link or auto-link did. */
typedef enum stint_link_result {
	STINT_LINKED,             /* the session now links the recording */
	STINT_LINK_NO_SESSION,    /* there is no such session */
	STINT_LINK_NO_RECORDING,  /* the bucket has no such recording (manual link) */
	STINT_LINK_NO_START,      /* the session has no start time (auto-link) */
	STINT_LINK_NONE_NEAR      /* no recording starts within the tolerance (auto-link) */
} stint_link_result;

/*
 * Link session session_id to the recording recording_id of recorder
 * recorder_id (the bucket's ids), as a person chose it (linked_by
 * "manual"); *what says what happened. Audited and announced when linked.
 */
stint_db_rc stint_recorder_link(stint_tx *tx, const char *session_id, const char *recorder_id,
				const char *recording_id, stint_link_result *what);

/*
 * As stint_recorder_link(), the recording named by its row id (text of
 * recorder_sessions.id, as the editor's picker sends it).
 */
stint_db_rc stint_recorder_link_row(stint_tx *tx, const char *session_id, const char *row_id,
				    stint_link_result *what);

/*
 * Link session session_id to the recording whose start is nearest its
 * start, among those starting at most tolerance_min minutes (0..1440)
 * before or after it; linked_by is "auto" or "create". Starts within the
 * same second are a tie, broken by the longer overlap with the session's
 * span (starts_at to ends_at, open-ended while it has no end), then by the
 * nearer start, then by the first discovered. *what says what happened;
 * when linked, *start_s is the chosen start's distance from the session's
 * (seconds) and tie_break (size bytes) says how a tie was broken ("" when
 * there was none), e.g. "2 recordings start 120 s from the session's start:
 * chose the one overlapping it longest (3000 s against 1200 s)".
 */
stint_db_rc stint_recorder_autolink(stint_tx *tx, const char *session_id, long tolerance_min, const char *linked_by,
				    stint_link_result *what, double *start_s, char *tie_break, size_t size);

/*
 * Unlink session session_id's recording; *found is 0 when it had none (or
 * there is no such session). Audited and announced when it had one.
 */
stint_db_rc stint_recorder_unlink(stint_tx *tx, const char *session_id, int *found);

/* The bucket's auto-link tolerance in minutes (s3_autolink_tolerance_min; 5 when S3 is off). */
long stint_recorder_tolerance_min(void);

/*
 * When the setting recorder_autolink_on_create is on (off by default), link
 * the new session session_id as stint_recorder_autolink() with the
 * bucket's tolerance and linked_by "create"; nothing when no recording is
 * near or the session has no start. Returns tx->rc.
 */
stint_db_rc stint_recorder_link_on_create(stint_tx *tx, const char *session_id);

/*
 * Session session_id's link as JSON into *out (caller deletes; NULL when
 * there is no such session): {"session_id", "recording": the recording with
 * its fresh file URLs (stint_recording_add_urls), or null}.
 */
stint_db_rc stint_recorder_link_get(stint_db *db, const char *session_id, time_t now, cJSON **out);

/*
 * The recordings starting within window_min minutes (0..10080) of session
 * session_id's start, nearest first, at most limit (1..200), as JSON text
 * into *json (caller frees; NULL when there is no such session):
 * {"session_id", "starts_at", "items": [recording + start_s, linked]}.
 */
stint_db_rc stint_recorder_candidates(stint_db *db, const char *session_id, long window_min, long limit,
				      char **json);

/* A presigned URL of a file of a session's recording (stint_recorder_download). */
typedef enum stint_download_result {
	STINT_DOWNLOAD_OK,
	STINT_DOWNLOAD_NOT_LINKED,   /* the session links no recording */
	STINT_DOWNLOAD_NO_FILE,      /* its recording has no file of that format */
	STINT_DOWNLOAD_NOT_CONFIGURED, /* the bucket is not configured (or its settings are wrong) */
	STINT_DOWNLOAD_FAILED        /* the URL could not be made (a key too long, ...) */
} stint_download_result;

/*
 * A GET URL of session session_id's recording's format file (one of
 * stint_recording_formats), presigned at now for the bucket's public
 * endpoint for the setting s3_presign_expiry_s, whose download name is
 * "<recording name or id>.<ext>": into url (size bytes), the expiry in
 * *expires_s; *what says what happened (the message of a
 * STINT_DOWNLOAD_NOT_CONFIGURED names the setting in why, why_size bytes).
 */
stint_db_rc stint_recorder_download(stint_db *db, const char *session_id, const char *format, time_t now,
				    char *url, size_t size, long *expires_s, stint_download_result *what,
				    char *why, size_t why_size);

/*
 * Add to recording (STINT_RECORDING_FIELDS' object) "urls": {format:
 * presigned URL} for each file it has and "urls_expire_in_seconds", signed
 * at now; when the bucket is not configured, "urls": null and "urls_error"
 * saying so. Returns 0, or -1 on out of memory.
 */
int stint_recording_add_urls(cJSON *recording, time_t now);

/*
 * The origin browsers fetch the bucket's files from ("http[s]://host[:port]"
 * of s3_public_endpoint, the bucket's own host in virtual-host style) into
 * out (size bytes). Returns 0, or -1 when the bucket is not configured.
 */
int stint_recorder_media_origin(char *out, size_t size);

/*
 * The session JSON text *json (SESSION_GET's, heap) with its recording's
 * file URLs (stint_recording_add_urls, signed at now): left as it is when
 * it links none ("recording" : null, its last key), else replaced by a new
 * text (the old one freed). Returns STINT_DB_OK, or STINT_DB_ERROR (out of
 * memory, text that is not JSON) with *json untouched.
 */
stint_db_rc stint_recording_urls_in_session(char **json, time_t now);

#endif
