/*
 * store.h: where stored media files live (issue 21; docs/storage.md).
 *
 * The setting media_storage says: "local" (the default) keeps every stored
 * file under the var folder (media/<session>/..., reports/<session>/...);
 * "s3" puts uploads, imported clips, uploaded artifacts, participants'
 * device files and the report builder's files in an S3 bucket instead,
 * under the key
 * <media_s3_prefix><var-relative name>, and removes the local copy, so no
 * web host holds a file another host needs. Each clip's, artifact's and device file's row
 * records where its file is (the column storage, migration 0029), so files
 * stored before a change of the setting stay reachable.
 *
 * The bucket is reached with the recorder's endpoint, region and keys
 * (s3_endpoint, s3_region, s3_access_key, s3_secret_key[_file],
 * s3_path_style: lib/s3.h), whether or not s3_enabled turns the recorder
 * on; media_s3_bucket (default s3_bucket) and media_s3_prefix (default "")
 * name where. Files over media_s3_part_size bytes (default 64 MiB, at least
 * 5 MiB) go up as multipart uploads.
 *
 * Downloads: after the handler's access check, nginx's internal location
 * /_s3/<scheme>/<host>/<path>?<presigned query> proxies a request signed
 * for one minute (stint_store_accel), passing the client's Range.
 */
#ifndef STINT_STORE_H
#define STINT_STORE_H

#include <stddef.h>

/* "local" or "s3": where a row's file is (the column storage). */
#define STINT_STORAGE_LOCAL "local"
#define STINT_STORAGE_S3 "s3"

/* 1 when media_storage is "s3", else 0 (anything but "s3" is local; stint_store_check() says why). */
int stint_store_is_s3(void);

/*
 * Check the media storage settings: 0, or -1 with a message in err naming
 * the setting at fault (media_storage, media_s3_prefix, media_s3_part_size
 * or one of the s3_* settings), never the secret.
 */
int stint_store_check(char *err, size_t errsize);

/* What stint_store_place() did. */
typedef enum stint_store_rc {
	STINT_STORE_OK = 0,
	STINT_STORE_FAILED = -1,       /* a local failure: no name, no folder, link/rename failed */
	STINT_STORE_UNAVAILABLE = -2   /* S3 refused or could not be reached: err says why */
} stint_store_rc;

/* How stint_store_place() treats the source in local mode. */
typedef enum { STINT_PLACE_LINK, STINT_PLACE_RENAME } stint_place_how;

/*
 * Give the complete file src (absolute) a new stored name
 * media/<sid>/<32 random hex>.<ext> (var-relative, into rel, size bytes):
 * in local mode by link(2) or rename(2) (how) as stint_media_keep() and
 * stint_upload_finish() do; in s3 mode by uploading it (Content-Type
 * ctype) as that name's key, src left in place for the caller to remove
 * once the row is committed. *storage is the row's storage
 * (STINT_STORAGE_LOCAL or STINT_STORAGE_S3). err (errsize bytes) gets the
 * reason of a failure, for the log: it may name the endpoint, never the
 * secret.
 */
stint_store_rc stint_store_place(const char *src, stint_place_how how, const char *sid, const char *ext,
				 const char *ctype, char *rel, size_t size, const char **storage, char *err,
				 size_t errsize);

/*
 * Upload the file src (absolute) as the var-relative name rel (key
 * <media_s3_prefix><rel>) with Content-Type ctype; as stint_store_place()
 * (the report builder's files, which have their own names).
 */
stint_store_rc stint_store_put(const char *src, const char *rel, const char *ctype, char *err, size_t errsize);

/*
 * Remove the stored object of rel (var-relative, under media/, reports/ or uploads/raw/)
 * from the bucket when media_storage is s3: best effort, a failure logged.
 */
void stint_store_remove(const char *rel);

/*
 * Remove every object under the var-relative folder rel_dir (e.g.
 * "media/<session>", "reports/<session>/<run>") from the bucket when
 * media_storage is s3 (ListObjectsV2 of <prefix><rel_dir>/, then a DELETE
 * each): the retention sweep's purges. Best effort, failures logged;
 * returns how many objects were removed.
 */
long stint_store_remove_tree(const char *rel_dir);

/*
 * Copy the object of rel out of the media bucket into the new file dst
 * (created 0600, removed again on a failure): for programs that need a
 * local file (the clip analyzers). STINT_STORE_FAILED when there is no such
 * object; else as stint_store_place().
 */
stint_store_rc stint_store_fetch(const char *rel, const char *dst, char *err, size_t errsize);

/*
 * A local file holding stored file rel, into path (size bytes): the file
 * under the var folder when it is there; else, with media_storage s3, a
 * copy of its object in a new hidden file under uploads/ (*fetched 1: the
 * caller unlinks path when done). STINT_STORE_FAILED when it is nowhere,
 * STINT_STORE_UNAVAILABLE when S3 cannot be reached (err says why).
 * For checks (ffprobe) of a file a request names by its stored name.
 */
stint_store_rc stint_store_local(const char *rel, char *path, size_t size, int *fetched, char *err, size_t errsize);

/*
 * stint_media_unlink(rel), then stint_store_remove(rel): a stored file gone
 * wherever it is (a row's delete, a failed change after the file was placed).
 */
void stint_store_unlink(const char *rel);

/*
 * The X-Accel-Redirect target for the object of rel in out (size bytes):
 * "/_s3/<http|https>/<host>/<path>?<query>", a GET (or HEAD, head 1)
 * presigned for media_s3_url_expiry_s seconds (default 60: nginx uses it at
 * once) against s3_endpoint. 0, or -1 (settings, a name too long).
 */
int stint_store_accel(const char *rel, int head, char *out, size_t size);

#endif
