/*
 * media.h: a session's clips and artifacts (their rows and their files),
 * shared by the JSON API and downloads (cgi-bin/media.c) and the editor
 * page (cgi-bin/pages-editor.c).
 *
 * A stored file lives under the var folder as media/<session id>/<random>.<ext>
 * (a "var-relative" name, the path column), and belongs to that session:
 * only its uploads and imports (lib/importer.c links the video in) write
 * there, a client may name it only for a clip of that same session
 * (stint_auth_media_file(), lib/auth.h), and CLIP_CREATE stores no path
 * outside the clip's session folder. Its life is ordered around the
 * row's so that a row never names a missing file and a file is never removed
 * while a row uses it:
 *   - an upload is linked into place first (stint_media_keep: nginx wrote it
 *     whole under a temporary name; link() gives it its final name at once),
 *     then its row is created; when that change fails, the file is unlinked;
 *   - a delete removes the row and hands back the file to remove only when no
 *     other clip or artifact (of any session) points at it; the caller
 *     unlinks it after stint_tx_end() returned STINT_DB_OK, never before.
 *
 * Writes run in the caller's stint_tx (lib/tx.h); reads take the stint_db.
 * Ids are text (a session's UUID, a row's bigint as digits) as the router
 * captured them. JSON text is what the catalogue builds (stint_clip_json,
 * stint_artifact_json in sql/).
 */
#ifndef STINT_MEDIA_H
#define STINT_MEDIA_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "tx.h"

/* Where a clip's or artifact's bytes are, for a download. */
typedef struct stint_media_file {
	char *path;          /* var-relative; NULL for a clip that is a reference (uri) */
	char *content_type;  /* "" when unknown */
	char *name;          /* the artifact's download name; NULL for a clip */
	char *storage;       /* "local" or "s3" (lib/store.h): where path is */
} stint_media_file;

/*
 * The clips of session sid as JSON text, an array ordered by offset_sec
 * then id ("[]" when none), in *json (heap, caller frees; NULL only when
 * the statement gave no row). Reads through CLIP_LIST ($1 sid).
 */
stint_db_rc stint_clip_list(stint_db *db, const char *sid, char **json);

/* As stint_clip_list(), parsed: *out is a cJSON array (caller deletes) or NULL. */
stint_db_rc stint_clip_list_json(stint_db *db, const char *sid, cJSON **out);

/*
 * Clip clip_id of session sid as JSON text in *json (heap, caller frees),
 * NULL when there is no such clip. Reads through CLIP_GET ($1 sid, $2 id).
 */
stint_db_rc stint_clip_get(stint_db *db, const char *sid, const char *clip_id, char **json);

/*
 * In tx: add a clip to session sid from clip_json (a validated object:
 * kind, title, uri or path, content_type, size_bytes, duration_sec,
 * offset_sec, meta), audit "clip.add" on the session and record the live
 * message clip_added with the new clip; a clip with a stored file also gets
 * its analyze_clip tasks (lib/analysis.h). *json is the clip's JSON text
 * (heap, caller frees); NULL when the change failed, or when the statement
 * gave no row (then nothing is audited, announced or queued).
 */
stint_db_rc stint_clip_create(stint_tx *tx, const char *sid, const char *clip_json, char **json);

/*
 * In tx: remove clip clip_id of session sid and audit "clip.delete" on it.
 * *found is 0 when there is no such clip (nothing changed). *file (heap,
 * caller frees) is the var-relative file to unlink with stint_media_unlink()
 * once stint_tx_end() returned STINT_DB_OK, or NULL when none is to go (a
 * reference, a file outside the session's folder or one another row uses).
 */
stint_db_rc stint_clip_delete(stint_tx *tx, const char *sid, const char *clip_id, int *found,
			      char **file);

/*
 * The file of clip clip_id of session sid for a download, in *out (free
 * with stint_media_file_free); *found is 0 when there is no such clip.
 * Reads through CLIP_FILE ($1 sid, $2 id).
 */
stint_db_rc stint_clip_file(stint_db *db, const char *sid, const char *clip_id, int *found,
			    stint_media_file *out);

/* The artifacts of session sid as JSON text, as stint_clip_list() (ARTIFACT_LIST, ordered by id). */
stint_db_rc stint_artifact_list(stint_db *db, const char *sid, char **json);

/* As stint_artifact_list(), parsed: *out is a cJSON array (caller deletes) or NULL. */
stint_db_rc stint_artifact_list_json(stint_db *db, const char *sid, cJSON **out);

/* Artifact artifact_id of session sid as JSON text, as stint_clip_get() (ARTIFACT_GET). */
stint_db_rc stint_artifact_get(stint_db *db, const char *sid, const char *artifact_id, char **json);

/* A stored file to register as an artifact. */
typedef struct stint_artifact_new {
	const char *type;          /* an identifier: "export", "report" */
	const char *name;          /* the download name, 1 to 200 characters */
	const char *path;          /* var-relative, as stint_media_keep() named it */
	const char *content_type;  /* a media type without CR or LF */
	long long size_bytes;
} stint_artifact_new;

/*
 * In tx: add artifact a to session sid and audit "artifact.add" on the
 * session. *json is the artifact's JSON text (heap, caller frees); NULL
 * when the change failed or the statement gave no row (nothing audited).
 */
stint_db_rc stint_artifact_create(stint_tx *tx, const char *sid, const stint_artifact_new *a,
				  char **json);

/*
 * As stint_artifact_create(), with meta_json (the text of a JSON object of
 * at most 16 KiB (the database's CHECK allows 32 KiB of jsonb text), or NULL for {}) and clip_id (a clip of session sid as
 * digits, or NULL for none; seed 000's attach_artifact, issue 14). *json is
 * NULL, and nothing audited, when clip_id is no clip of the session.
 */
stint_db_rc stint_artifact_attach(stint_tx *tx, const char *sid, const stint_artifact_new *a,
				  const char *meta_json, const char *clip_id, char **json);

/*
 * As stint_artifact_attach(), for a file stored where storage says ("local"
 * or "s3": in the media bucket, lib/store.h; NULL: local).
 */
stint_db_rc stint_artifact_attach_stored(stint_tx *tx, const char *sid, const stint_artifact_new *a,
					 const char *storage, const char *meta_json, const char *clip_id, char **json);

/* As stint_clip_delete(), for artifact artifact_id ("artifact.delete"). */
stint_db_rc stint_artifact_delete(stint_tx *tx, const char *sid, const char *artifact_id,
				  int *found, char **file);

/* As stint_clip_file(), for artifact artifact_id (ARTIFACT_FILE); name is set. */
stint_db_rc stint_artifact_file(stint_db *db, const char *sid, const char *artifact_id, int *found,
				stint_media_file *out);

/* Free what a stint_media_file holds (not f itself). */
void stint_media_file_free(stint_media_file *f);

/*
 * The absolute name of var-relative rel (under the var_dir setting) in out.
 * Returns 0, or -1 when it does not fit in size bytes.
 */
int stint_media_path(const char *rel, char *out, size_t size);

/*
 * Write len bytes of data as the file dir/name (dir absolute, name one
 * path segment) through dir/.name.tmp: written, fsynced, then renamed, so
 * dir/name is whole or absent. Mode 0640. Returns 0, or -1 with errno set
 * (the temporary file removed). For the report builders' files.
 */
int stint_media_write_file(const char *dir, const char *name, const char *data, size_t len);

/*
 * A new stored name for a media file of session sid: media/<sid>/<32 random
 * hex>.<ext>, var-relative in rel (size bytes), its absolute path in abs
 * (abs_size bytes); the session's folder is made when needed. Nothing is
 * written under the name. Returns 0, or -1 (no randomness, no folder, a name
 * too long).
 */
int stint_media_new_name(const char *sid, const char *ext, char *rel, size_t size, char *abs, size_t abs_size);

/*
 * Give the complete file tmp (nginx's temporary upload) its stored name
 * media/<sid>/<32 random hex>.<ext>, creating the session's folder when
 * needed; the var-relative name goes to rel. A hard link: the name appears
 * with the whole file or not at all, never replaces another file, and tmp
 * stays for nginx to remove. Returns 0, or -1 (no randomness, no folder,
 * name too long, link failed).
 */
int stint_media_keep(const char *tmp, const char *sid, const char *ext, char *rel, size_t size);

/* What stint_media_import() made of a name in the import folder. */
typedef enum stint_fetch_rc {
	STINT_FETCH_OK,
	STINT_FETCH_NO_FOLDER,   /* the import folder does not exist */
	STINT_FETCH_MISSING,     /* no regular file of that name inside it */
	STINT_FETCH_OUTSIDE,     /* not a plain relative name, or it leads out of the folder */
	STINT_FETCH_TOO_LARGE,   /* larger than the limit */
	STINT_FETCH_FAILED       /* the copy failed (disk full, no randomness) */
} stint_fetch_rc;

/*
 * Copy the file rel of the import folder (the setting import_dir, default
 * VAR_DIR/import) into session sid's media folder under a temporary name,
 * written to tmp (absolute, size bytes; "" unless STINT_FETCH_OK), for the
 * caller to probe, give its stored name with stint_media_keep() and unlink.
 * rel must be a plain relative name (stint_is_safe_relpath: no "..", not
 * absolute); resolved with realpath(3) it must lie inside the folder's real
 * name (a symbolic link may lead anywhere inside, never out), and the file
 * is opened with openat2(2) RESOLVE_BENEATH, so a link swapped in after the
 * check cannot lead out either. A file above max_bytes is refused. Seed
 * 000's ClipCreate(path=...) (issue 14).
 */
stint_fetch_rc stint_media_import(const char *rel, const char *sid, long long max_bytes, char *tmp,
				   size_t size);

/*
 * Unlink the stored file rel (var-relative): only a plain relative path
 * under media/ is removed; anything else, NULL or "" is left alone. (A file
 * that may be in the media bucket: stint_store_unlink, lib/store.h.)
 */
void stint_media_unlink(const char *rel);

#endif
